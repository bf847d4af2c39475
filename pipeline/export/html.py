"""The comparison as one self-contained HTML page: the web app's dashboard with its data embedded.

Reads a Comparison and its graph; returns a string. The page holds the
dashboard's own CSS and JavaScript (pipeline/server/static/) inline and the
data as JSON in a `<script type="application/json">` block whose `<`, `>`, `&`
are written as \\u escapes, so no plan text can close the block; the script
puts plan text into the page as text nodes only. No network, no external fonts.
"""
from __future__ import annotations

import json
from html import escape
from typing import Dict, Optional, Sequence

import networkx as nx

from ..graph import Comparison

# Above this many plans the drawing shows practices and their strongest links only,
# and the tables here and in compare.md show per-plan summaries (compare.json keeps all).
DRAW_MAX_PLANS = 40
TABLE_MAX_PLANS = 40
TOP_CENTRAL = 15  # practices listed by betweenness
LINKS_PER_MEASURE = 3
# Layout work budget: iterations shrink as the node count grows (pair count × iterations).
LAYOUT_BUDGET = 1_500_000
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
           "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173",
           "#3182bd", "#e6550d")


def _e(x: object) -> str:
    return escape(str(x), quote=True)


def category_colours(categories: Sequence[str]) -> Dict[str, str]:
    """A fixed colour per category, by sorted category name."""
    return {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(sorted(set(categories)))}


def drawing_graph(c: Comparison, g: nx.Graph) -> nx.Graph:
    """The graph that is drawn: plans and their practices, or, with many plans,
    practices and each one's strongest co-occurrence links."""
    h = nx.Graph()
    if len(c.plans) <= DRAW_MAX_PLANS:
        for n, d in g.nodes(data=True):
            h.add_node(n, **d)
        for a, b, d in g.edges(data=True):
            if d["kind"] == "names":
                h.add_edge(a, b, weight=d["weight"])
        return h
    for n, d in g.nodes(data=True):
        if d["kind"] == "measure":
            h.add_node(n, **d)
    for n in sorted(h.nodes):
        links = sorted(((d["weight"], m) for m, d in g[n].items() if d["kind"] == "co-occurs"),
                       key=lambda x: (-x[0], x[1]))
        for w, m in links[:LINKS_PER_MEASURE]:
            h.add_edge(n, m, weight=w)
    return h


def script_json(data: object) -> str:
    """`data` as JSON safe inside a `<script>` element: sorted keys, `<` `>` `&` and the JS line
    separators as \\u escapes (so `</script>` in plan text stays inside the string).

    >>> script_json({"t": "</script><b>&"})
    '{"t":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                    ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def _inline_script(source: str) -> str:
    if "</script" in source.lower() or "<!--" in source:
        raise ValueError("a front-end script may not hold '</script' or '<!--'")
    return f"<script>{source}</script>"


def dashboard_page(data: dict, title: str = "planlens: comparison of plans") -> str:
    """One self-contained HTML page showing the dashboard dict `data` (pipeline/server/dashboard.py)."""
    from ..server import static_text
    css = static_text("app.css")
    return "\n".join([
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<link rel="icon" href="data:,">',
        f"<title>{_e(title)}</title>",
        f"<style>{css}</style></head><body>",
        f'<header class="top"><h1>{_e(title)}</h1><span class="small">planlens report · '
        "compare.md and compare.json hold the same data</span></header>",
        '<main><noscript><p class="notice">This report draws its tables with JavaScript; '
        "compare.md holds the same comparison as text.</p></noscript>",
        '<div id="dashboard"></div></main>',
        f'<script type="application/json" id="planlens-data">{script_json(data)}</script>',
        _inline_script(static_text("common.js")),
        _inline_script(static_text("dashboard.js")),
        _inline_script(static_text("report.js")),
        "</body></html>",
    ]) + "\n"


def comparison_to_html(c: Comparison, g: Optional[nx.Graph] = None) -> str:
    """compare.html: the dashboard (plans table with search, sort and filters, practices × plans,
    commitments side by side, compliance, similar plans, graph) over this comparison, in one file.
    `g` is the comparison's graph where the caller has built it."""
    from ..server.dashboard import build_dashboard
    return dashboard_page(build_dashboard(c, g))
