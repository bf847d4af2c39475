"""The comparison as the dashboard reads it: one compact, JSON-ready dict shared by the web app
(`GET /api/runs/{id}/dashboard`) and the self-contained compare.html.

Pure. `dashboard_from_compare` is the one adapter from compare.json's shape
(pipeline/export/compare.py `comparison_to_dict`) to the front end's: a change
to compare.json is an edit here and nowhere in the JavaScript. Plans and
practices are referred to by position (plan index, measure index) so that
2,000 plans stay small; every string is plan text and the front end shows it
as text only.
"""
from __future__ import annotations

import math
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

import networkx as nx

DASHBOARD_SCHEMA = "planlens.dashboard/1"
SIMILAR_K = 5  # similar plans kept per plan and measure of similarity

# Words the compliance records may use for an outcome, mapped to the dashboard's four.
OUTCOMES = ("met", "partial", "missing", "unknown")


def _similar_from_matrix(matrix: Sequence[Sequence[float]], k: int = SIMILAR_K) -> List[List[List[Any]]]:
    """Per row i: up to k [j, score] pairs with the highest scores (j != i, score > 0), best first."""
    out = []
    for i, row in enumerate(matrix):
        best = sorted((j for j, x in enumerate(row) if j != i and x > 0), key=lambda j: (-row[j], j))[:k]
        out.append([[j, round(float(row[j]), 4)] for j in best])
    return out


def similar_plans(compare: Mapping[str, Any], letter_index: Mapping[str, int]) -> Dict[str, List]:
    """{"jaccard": rows, "cosine": rows}: for each plan, its most similar plans as [plan index, score].

    Reads compare.json's `similarity` (full plan × plan matrices `jaccard` and `tfidf_cosine`).
    """
    sim = compare.get("similarity") or {}
    return {"jaccard": _similar_from_matrix(sim.get("jaccard") or []),
            "cosine": _similar_from_matrix(sim.get("tfidf_cosine") or [])}


def outcome_word(value: Any) -> str:
    """A compliance record's outcome as one of OUTCOMES (anything unrecognised is `unknown`).

    >>> [outcome_word(x) for x in ("met", "符合", "partial", False, None)]
    ['met', 'met', 'partial', 'missing', 'unknown']
    """
    if value is True:
        return "met"
    if value is False:
        return "missing"
    word = str(value or "").strip().lower()
    if word in ("met", "ok", "pass", "yes", "符合", "达标", "满足"):
        return "met"
    if word in ("partial", "partly", "vague", "below", "部分", "部分符合", "不足"):
        return "partial"
    if word in ("missing", "absent", "fail", "no", "not_met", "unmet", "omitted", "缺失", "未提及", "不符合"):
        return "missing"
    return "unknown"


def compliance_of(document: Mapping[str, Any]) -> List[Dict[str, Any]]:
    """A per-file JSON document's compliance records as [{norm, outcome, detail}] (empty when it has none)."""
    records = document.get("compliance")
    if isinstance(records, Mapping):
        records = records.get("norms") or records.get("items") or []
    out = []
    for r in records or []:
        if not isinstance(r, Mapping):
            continue
        norm = r.get("norm") or r.get("name") or r.get("id") or ""
        if isinstance(norm, Mapping):
            norm = norm.get("name") or norm.get("id") or ""
        outcome = r.get("outcome", r.get("status", r.get("result", r.get("met"))))
        detail = r.get("detail") or r.get("evidence") or r.get("reason") or r.get("found") or ""
        if not isinstance(detail, str):
            detail = str(detail)
        if norm:
            out.append({"norm": str(norm), "outcome": outcome_word(outcome), "detail": detail})
    return out


def dashboard_from_compare(compare: Mapping[str, Any], drawing: Optional[Mapping[str, Any]] = None,
                           extras: Optional[Mapping[str, Mapping[str, Any]]] = None) -> Dict[str, Any]:
    """The dashboard dict from a compare.json dict (the adapter; see the module docstring).

    In: `compare` as `comparison_to_dict` gives it; `drawing` from `graph_drawing`;
    `extras` {plan id: {"file": n, "doc": n, "compliance": [records]}} for what
    compare.json does not carry. Out: plans (with their practices as
    [measure index, mentions]), measures, side-by-side cells, similar plans,
    norms × plans compliance, gaps, the drawing; all keyed by position.
    """
    extras = extras or {}
    plans_in = list(compare.get("plans") or [])
    letter_index = {p["letter"]: i for i, p in enumerate(plans_in)}
    measures_in = list(compare.get("measures") or [])
    measure_index = {m["name"]: i for i, m in enumerate(measures_in)}
    per_plan: List[List[List[int]]] = [[] for _ in plans_in]
    for mi, m in enumerate(measures_in):
        for letter, count in sorted((m.get("mentions") or {}).items(), key=lambda x: letter_index.get(x[0], 0)):
            if letter in letter_index:
                per_plan[letter_index[letter]].append([mi, int(count)])
    norms: List[str] = []
    norm_index: Dict[str, int] = {}
    compliance: List[List[List[Any]]] = []
    plans = []
    for i, p in enumerate(plans_in):
        extra = extras.get(p["id"], {})
        row = []
        for rec in extra.get("compliance") or []:
            if rec["norm"] not in norm_index:
                norm_index[rec["norm"]] = len(norms)
                norms.append(rec["norm"])
            row.append([norm_index[rec["norm"]], rec["outcome"], rec.get("detail", "")])
        compliance.append(row)
        plans.append({"letter": p["letter"], "id": p["id"], "title": p.get("title") or "",
                      "source": p.get("source") or "", "index": p.get("index", 0),
                      "commitments": p.get("commitments", 0), "measures": per_plan[i],
                      "file": extra.get("file"), "doc": extra.get("doc")})
    side = []
    not_named = (compare.get("legend") or {}).get("not_named", "—")
    for row in compare.get("side_by_side") or []:
        mi = measure_index.get(row["measure"])
        if mi is None:
            continue
        cells = [[letter_index[l], cell] for l, cell in (row.get("cells") or {}).items()
                 if l in letter_index and cell != not_named]
        side.append({"measure": mi, "cells": sorted(cells)})
    gaps = [{"plan": letter_index[g["plan"]], "measure": measure_index[g["measure"]], "status": g["status"],
             "committed": g["committed"], "others": g["others"]}
            for g in compare.get("gaps") or [] if g["plan"] in letter_index and g["measure"] in measure_index]
    graph = None
    if drawing:
        graph = {"mode": drawing["mode"], "categories": drawing["categories"], "edges": drawing["edges"],
                 "nodes": [dict(n, ref=(letter_index.get(n["ref"]) if n["kind"] == "plan"
                                         else measure_index.get(n["ref"]))) for n in drawing["nodes"]]}
    return {
        "schema": DASHBOARD_SCHEMA,
        "legend": dict(compare.get("legend") or {}),
        "plans": plans,
        "measures": [{"name": m["name"], "category": m.get("category", ""), "plans": len(m.get("plans") or []),
                      "mentions": sum((m.get("mentions") or {}).values()), "community": m.get("community", -1)}
                     for m in measures_in],
        "side": side,
        "similar": similar_plans(compare, letter_index),
        "norms": norms,
        "compliance": compliance,
        "gaps": gaps,
        "graph": graph,
    }


def graph_drawing(c, g: nx.Graph) -> Dict[str, Any]:
    """The graph as the dashboard draws it: seeded layout positions in [0, 1]², node sizes, edges.

    Few plans: plans and the practices they name. Many plans (see
    export/html.py DRAW_MAX_PLANS): practices only, sized by the plans naming
    them, each with its strongest co-occurrence links; never 2,000 plan nodes.
    """
    from ..export.html import DRAW_MAX_PLANS, category_colours, drawing_graph, LAYOUT_BUDGET
    from ..graph import spring_layout
    h = drawing_graph(c, g)
    n = h.number_of_nodes()
    pos = spring_layout(h, iterations=max(40, min(300, LAYOUT_BUDGET * 2 // max(1, n * n))))
    most = max([d.get("plans", 1) for _, d in h.nodes(data=True) if d["kind"] == "measure"], default=1)
    order = sorted(h.nodes)
    index = {v: k for k, v in enumerate(order)}
    nodes = []
    for v in order:
        d = h.nodes[v]
        x, y = pos[v]
        if d["kind"] == "plan":
            nodes.append({"kind": "plan", "ref": d["letter"], "label": d["label"], "x": x, "y": y, "size": 1.0,
                          "category": ""})
        else:
            nodes.append({"kind": "measure", "ref": d["label"], "label": d["label"], "x": x, "y": y,
                          "size": round(math.sqrt(d.get("plans", 1) / most), 4), "category": d.get("category", "")})
    edges = sorted([sorted((index[a], index[b])) + [d.get("weight", 1)] for a, b, d in h.edges(data=True)])
    colours = category_colours([nd["category"] for nd in nodes if nd["kind"] == "measure"])
    return {"mode": "plans" if len(c.plans) <= DRAW_MAX_PLANS else "practices",
            "categories": colours, "nodes": nodes, "edges": edges}


def plan_extras(c, refs: Optional[Mapping[str, Tuple[int, int]]] = None) -> Dict[str, Dict[str, Any]]:
    """{plan id: {"file", "doc", "compliance"}}: where each plan of Comparison `c` came from
    (`refs`: plan id → (file position, plan position), for the web app) and its compliance records."""
    from ..export.json import document_to_dict
    out = {}
    for p in c.plans:
        file_pos, doc_pos = (refs or {}).get(p.id, (None, None))
        out[p.id] = {"file": file_pos, "doc": doc_pos,
                     "compliance": compliance_of(document_to_dict(p.document))}
    return out


def build_dashboard(c, g: nx.Graph, refs: Optional[Mapping[str, Tuple[int, int]]] = None) -> Dict[str, Any]:
    """The dashboard dict of a Comparison and its graph (see `dashboard_from_compare`)."""
    from ..export.compare import comparison_to_dict
    return dashboard_from_compare(comparison_to_dict(c, g), graph_drawing(c, g), plan_extras(c, refs))
