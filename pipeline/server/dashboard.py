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

# A compliance check's outcomes (plan.schema.json compliance_check.outcome), best first, and
# `unknown` for anything else.
OUTCOMES = ("meets", "weaker", "vague", "missing", "unknown")


def _similar_from_matrix(matrix: Sequence[Sequence[float]], k: int = SIMILAR_K) -> List[List[List[Any]]]:
    """Per row i: up to k [j, score] pairs with the highest scores (j != i, score > 0), best first."""
    out = []
    for i, row in enumerate(matrix):
        best = sorted((j for j, x in enumerate(row) if j != i and x > 0), key=lambda j: (-row[j], j))[:k]
        out.append([[j, round(float(row[j]), 4)] for j in best])
    return out


def similar_plans(compare: Mapping[str, Any], letter_index: Mapping[str, int]) -> Dict[str, List]:
    """{"jaccard": rows, "cosine": rows}: for each plan, its most similar plans as [plan index, score].

    Reads compare.json's `similarity.nearest` (schema planlens.compare/2: the k nearest plans per
    plan) or, in a compare.json of schema /1, the full plan × plan matrices.
    """
    sim = compare.get("similarity") or {}
    nearest = sim.get("nearest")
    if nearest is not None:
        out: Dict[str, List] = {"jaccard": [[] for _ in letter_index], "cosine": [[] for _ in letter_index]}
        for entry in nearest:
            i = letter_index.get(entry.get("plan"))
            if i is None:
                continue
            for key, field in (("jaccard", "jaccard"), ("cosine", "tfidf_cosine")):
                out[key][i] = [[letter_index[n["plan"]], round(float(n["score"]), 4)]
                               for n in entry.get(field) or [] if n.get("plan") in letter_index][:SIMILAR_K]
        return out
    return {"jaccard": _similar_from_matrix(sim.get("jaccard") or []),
            "cosine": _similar_from_matrix(sim.get("tfidf_cosine") or [])}


def outcome_word(value: Any) -> str:
    """A compliance outcome as one of OUTCOMES (anything unrecognised is `unknown`).

    >>> [outcome_word(x) for x in ("meets", "weaker", "vague", "missing", "met", None)]
    ['meets', 'weaker', 'vague', 'missing', 'unknown', 'unknown']
    """
    word = str(value or "").strip().lower()
    return word if word in OUTCOMES else "unknown"


def compliance_of(document: Mapping[str, Any]) -> Tuple[List[Dict[str, str]], Optional[str]]:
    """A per-file JSON document's compliance as ([{norm, outcome, detail}], note).

    `norm` is the practice and what the norm requires (`支部委员会 每月≥1次`), `detail`
    what the plan commits to; `note` says why a plan was not checked (not a party
    body), None when it was or when the document carries no compliance.
    """
    comp = document.get("compliance")
    if not isinstance(comp, Mapping):
        return [], None
    out = []
    for check in comp.get("checks") or []:
        if not isinstance(check, Mapping) or not check.get("practice"):
            continue
        norm = f"{check['practice']} {check.get('required', '')}".strip()
        out.append({"norm": norm, "outcome": outcome_word(check.get("outcome")),
                    "detail": str(check.get("plan") or check.get("note") or "")})
    note = None if comp.get("checked", True) else str(comp.get("reason") or "not checked")
    return out, note


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
                      "file": extra.get("file"), "doc": extra.get("doc"),
                      "compliance_note": extra.get("compliance_note")})
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
        "outcomes": list(OUTCOMES),
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


def document_extras(document: Mapping[str, Any], file_pos: Optional[int] = None,
                    doc_pos: Optional[int] = None) -> Dict[str, Any]:
    """What the dashboard shows of one plan beyond compare.json: where it is (file and plan
    position, for the web app to open it) and its compliance, from its per-file JSON document."""
    checks, note = compliance_of(document)
    return {"file": file_pos, "doc": doc_pos, "compliance": checks, "compliance_note": note}


def plan_extras(c, refs: Optional[Mapping[str, Tuple[int, int]]] = None) -> Dict[str, Dict[str, Any]]:
    """{plan id: `document_extras`} for the plans of Comparison `c`, their compliance read from the
    outcomes each plan's summary keeps (graph.Plan.compliance) (`refs`: plan id → (file
    position, plan position), for the web app)."""
    from ..export.json import compliance_to_dict
    out = {}
    for p in c.plans:
        file_pos, doc_pos = (refs or {}).get(p.id, (None, None))
        compliance = getattr(p, "compliance", None)
        out[p.id] = document_extras({"compliance": compliance_to_dict(compliance)} if compliance is not None else {},
                                    file_pos, doc_pos)
    return out


def compare_dict(c, g: Optional[nx.Graph] = None) -> Dict[str, Any]:
    """compare.json of Comparison `c` as a dict (`g`: its graph, for the exporters that take one)."""
    from ..export.compare import comparison_to_dict
    return comparison_to_dict(c, g) if g is not None else comparison_to_dict(c)


def drawing_source(c, g: Optional[nx.Graph] = None) -> nx.Graph:
    """The graph the drawing starts from: `g` when given, else the comparison's own."""
    if g is not None:
        return g
    from ..export.html import DRAW_MAX_PLANS
    from ..graph import drawing_source as source
    return source(c, DRAW_MAX_PLANS)


def build_dashboard(c, g: Optional[nx.Graph] = None,
                    extras: Optional[Mapping[str, Mapping[str, Any]]] = None) -> Dict[str, Any]:
    """The dashboard dict of a Comparison (and its graph); `extras` {plan id: `document_extras`},
    by default read from the plans' own Documents."""
    return dashboard_from_compare(compare_dict(c, g), graph_drawing(c, drawing_source(c, g)),
                                  extras if extras is not None else plan_extras(c))
