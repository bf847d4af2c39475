"""Cross-plan comparison exports: graph.graphml, graph.gexf, graph.json, compare.md, compare.html, compare.json.

Reads FileResults (or a built graph and Comparison); writes each file whole
(temp file + os.replace). Renderers are pure and deterministic: same input, same bytes.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence

import networkx as nx

from ..graph import (NO_NUMBER, NOT_NAMED, Comparison, TextFeatures, build_graph, compare, gap_examples,
                     nearest_plans, plans_from_results)
from ..model import FileResult
from .files import write_text_atomic
from .compliance_matrix import matrix_markdown, matrix_of
from .html import TABLE_MAX_PLANS, TOP_CENTRAL, comparison_to_html

COMPARE_SCHEMA = "planlens.compare/1"
_GEXF_DATE = re.compile(r'<meta lastmodifieddate="[^"]*">')


# --- graph files ----------------------------------------------------------------------


def graph_to_graphml(g: nx.Graph) -> str:
    """GraphML text of the graph (attributes are scalars; lists are JSON strings)."""
    return "\n".join(nx.generate_graphml(g)) + "\n"


def graph_to_gexf(g: nx.Graph) -> str:
    """GEXF 1.2 text for Gephi, without the writer's date stamp so that runs compare equal."""
    return _GEXF_DATE.sub("<meta>", "\n".join(nx.generate_gexf(g)), count=1) + "\n"


def graph_to_json(g: nx.Graph) -> str:
    """Node-link JSON of the graph (`nodes`, `links`), keys sorted, Chinese unescaped."""
    data = nx.node_link_data(g, edges="links")
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


# --- compare.json -----------------------------------------------------------------------


def comparison_to_dict(c: Comparison, g: nx.Graph) -> Dict[str, Any]:
    """The comparison as one JSON-ready dict (full tables, whatever the number of plans)."""
    letters = [p.letter for p in c.plans]
    nodes = {d["label"]: d for _, d in g.nodes(data=True) if d["kind"] == "measure"}
    holders: Dict[str, Dict[str, int]] = {}
    for p in c.plans:
        for m in p.measures:
            holders.setdefault(m.name, {})[p.letter] = m.count
    return {
        "schema": COMPARE_SCHEMA,
        "plans": [{"letter": p.letter, "id": p.id, "title": p.title, "source": p.source,
                   "index": p.index, "measures": [m.name for m in p.measures],
                   "commitments": len(p.document.commitments)} for p in c.plans],
        "measures": [{"name": n, "category": c.categories.get(n, ""), "plans": sorted(holders[n]),
                      "mentions": holders[n], "betweenness": nodes[n]["betweenness"],
                      "community": nodes[n]["community"]} for n in c.measures],
        "matrix": {"plans": letters, "measures": list(c.measures),
                   "counts": [list(r) for r in c.matrix]},
        "spread": {"common": list(c.spread.common), "most": list(c.spread.most),
                   "unique": [{"measure": m, "plan": p} for m, p in c.spread.unique]},
        "similarity": {"plans": letters, "jaccard": [list(r) for r in c.jaccard],
                       "tfidf_cosine": [list(r) for r in c.cosine], "tfidf_terms_kept": c.cosine_terms},
        "side_by_side": [{"measure": m, "cells": dict(zip(letters, cells))}
                         for m, cells in c.side_by_side],
        "gaps": [{"plan": x.plan, "measure": x.measure, "status": x.status, "committed": x.committed,
                  "others": x.others, "examples": dict(x.examples)} for x in c.gaps],
        "central": [{"measure": m, "betweenness": b} for m, b in c.central],
        "communities": [list(group) for group in c.communities],
        "candidates": [{"phrase": ph, "plans": list(ls)} for ph, ls in c.candidates],
        "legend": {"not_named": NOT_NAMED, "named_without_number": NO_NUMBER},
        "compliance": matrix_of(c.plans),  # plans × norms (pipeline/export/compliance_matrix.py)
    }


def comparison_to_json(c: Comparison, g: nx.Graph) -> str:
    """`comparison_to_dict` serialised (sorted keys, 1-space indent)."""
    return json.dumps(comparison_to_dict(c, g), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


# --- compare.md -------------------------------------------------------------------------


def _cell(text: object) -> str:
    """Plan text made safe for one Markdown table cell."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").strip()


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> List[str]:
    out = ["| " + " | ".join(_cell(h) for h in header) + " |",
           "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(_cell(x) for x in row) + " |" for row in rows]
    return out + [""]


def _nearest(c: Comparison, matrix: Sequence[Sequence[float]], i: int) -> str:
    return ", ".join(f"{l} {x:.2f}" for l, x in nearest_plans(c, matrix, i))


def comparison_to_markdown(c: Comparison) -> str:
    """The comparison for people: plans, spread, matrix, commitments side by side, gaps, similarity."""
    letters = [p.letter for p in c.plans]
    big = len(c.plans) > TABLE_MAX_PLANS
    out = ["# planlens: comparison of plans", "",
           f"{len(c.plans)} plan(s) from {len({p.source for p in c.plans})} file(s); "
           f"{len(c.measures)} distinct practice(s).", "", "## Plans", ""]
    out += _table(["", "title", "source", "practices", "commitments"],
                  [(p.letter, p.title or "(untitled)", p.source, len(p.measures),
                    len(p.document.commitments)) for p in c.plans])
    out += ["## Practices named by all, most, one", ""]
    out.append(f"- **all plans** ({len(c.spread.common)}): " + ("、".join(c.spread.common) or NOT_NAMED))
    out.append(f"- **more than half** ({len(c.spread.most)}): " + ("、".join(c.spread.most) or NOT_NAMED))
    out.append(f"- **one plan only** ({len(c.spread.unique)}): "
               + ("、".join(f"{m} ({p})" for m, p in c.spread.unique) or NOT_NAMED))
    out += ["", "## Commitments side by side", "",
            f"`{NOT_NAMED}` not named · `{NO_NUMBER}` named without a number", ""]
    for name, cells in c.side_by_side:  # with many plans, only the plans that name the practice
        out.append(f"- {_cell(name)}: " + " · ".join(f"{l} {_cell(x)}" for l, x in zip(letters, cells)
                                                      if not big or x != NOT_NAMED))
    if not c.side_by_side:
        out.append("(no practice carries a number in any plan)")
    out += ["", "## Gaps", "",
            "Practices that most other plans commit a number to, left vague (named, no number) "
            "or omitted by this plan.", ""]
    out += _table(["plan", "practice", "status", "other plans committing", "for example"],
                  [(x.plan, x.measure, x.status, f"{x.committed}/{x.others}", gap_examples(x))
                   for x in c.gaps]) if c.gaps else ["(none)", ""]
    out += ["## Plans × practices (mentions)", ""]
    if big:
        out += _table(["practice", "category", "plans", "mentions"],
                      [(n, c.categories.get(n, ""), sum(1 for x in row if x), sum(row))
                       for n, row in zip(c.measures, c.matrix)])
    else:
        out += _table(["practice", "category"] + letters,
                      [[n, c.categories.get(n, "")] + [x or "" for x in row]
                       for n, row in zip(c.measures, c.matrix)])
    out += ["## Similarity", ""]
    if c.cosine_terms:
        out += [f"TF-IDF vectors keep each plan's {c.cosine_terms} heaviest terms ({len(c.plans)} plans).", ""]
    if big:
        out += _table(["plan", "nearest by practices (Jaccard)", "nearest by wording (TF-IDF cosine)"],
                      [(p.letter, _nearest(c, c.jaccard, i), _nearest(c, c.cosine, i))
                       for i, p in enumerate(c.plans)])
    else:
        for label, matrix in (("Jaccard over practices", c.jaccard),
                              ("cosine over TF-IDF of jieba terms", c.cosine)):
            out += [f"### {label}", ""]
            out += _table([""] + letters, [[l] + [f"{x:.2f}" for x in row]
                                           for l, row in zip(letters, matrix)])
    out += ["## Central practices", "",
            "Weighted betweenness in the co-occurrence graph (distance = 1 / plans naming both).", ""]
    out += _table(["practice", "betweenness"], [(m, f"{b:.3f}") for m, b in c.central[:TOP_CENTRAL]])
    out += ["## Practices that go together", ""]
    out += [f"{i + 1}. " + "、".join(group) for i, group in enumerate(c.communities)] or ["(none)"]
    out += ["", "## Candidate practices (not in the lexicon)", "",
            "Recurring …制度/活动/工程/机制 phrases for review; not counted above.", ""]
    out += _table(["phrase", "plans"], [(ph, " ".join(ls)) for ph, ls in c.candidates]) \
        if c.candidates else ["(none)", ""]
    out += matrix_markdown(c.plans)
    return "\n".join(out).rstrip() + "\n"


# --- writing ----------------------------------------------------------------------------

OUTPUT_NAMES = ("graph.graphml", "graph.gexf", "graph.json", "compare.md", "compare.html",
                "compare.json")


def render_comparison(results: Sequence[FileResult],
                      features: Optional[Mapping[str, TextFeatures]] = None) -> Dict[str, str]:
    """{file name: text} of every comparison output for these results (pure)."""
    plans = plans_from_results([r for r in results if r.documents])
    g = build_graph(plans)
    c = compare(plans, g, features)
    return {
        "graph.graphml": graph_to_graphml(g),
        "graph.gexf": graph_to_gexf(g),
        "graph.json": graph_to_json(g),
        "compare.md": comparison_to_markdown(c),
        "compare.html": comparison_to_html(c, g),
        "compare.json": comparison_to_json(c, g),
    }


def write_comparison(results: Sequence[FileResult], out_dir: Path,
                     features: Optional[Mapping[str, TextFeatures]] = None) -> List[Path]:
    """Write the six comparison files into `out_dir`, each whole or not at all; their paths.

    In: one FileResult per input (failed ones carry no plans and are skipped),
    optionally {plan id: `graph.text_features`} read already. Out: paths in
    OUTPUT_NAMES order. Two runs on the same input give byte-identical files.
    """
    rendered = render_comparison(results, features)
    return [write_text_atomic(Path(out_dir) / name, rendered[name]) for name in OUTPUT_NAMES]
