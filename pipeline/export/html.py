"""The comparison as one self-contained HTML page: tables plus an inline SVG drawing of the graph.

Reads a Comparison and its graph; returns a string. No script, no network, no
external fonts; every piece of plan text goes through html.escape.
"""
from __future__ import annotations

import math
from html import escape
from typing import Dict, List, Optional, Sequence, Tuple

import networkx as nx

from ..graph import NO_NUMBER, NOT_NAMED, Comparison, drawing_source, gap_examples, nearest_plans, spring_layout
from .compliance_matrix import matrix_html

# Above this many plans the drawing shows practices and their strongest links only,
# and the tables here and in compare.md show per-plan summaries (compare.json keeps all).
DRAW_MAX_PLANS = 40
TABLE_MAX_PLANS = 40
TOP_CENTRAL = 15  # practices listed by betweenness
LINKS_PER_MEASURE = 3
WIDTH, HEIGHT, MARGIN = 1120, 820, 70
# Layout work budget: iterations shrink as the node count grows (pair count × iterations).
LAYOUT_BUDGET = 1_500_000
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
           "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173",
           "#3182bd", "#e6550d")
PLAN_COLOUR = "#b22222"

STYLE = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;
margin:24px;color:#222;max-width:1200px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:8px 0 16px;font-size:13px}
th,td{border:1px solid #ccc;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.n{text-align:right}td.miss{color:#aaa}td.vague{color:#a60}
.small{color:#666;font-size:12px}svg{border:1px solid #ddd;background:#fff}
.legend span{display:inline-block;margin-right:14px;font-size:12px}
.legend i{display:inline-block;width:10px;height:10px;border-radius:5px;margin-right:4px}
"""


def _e(x: object) -> str:
    return escape(str(x), quote=True)


def category_colours(categories: Sequence[str]) -> Dict[str, str]:
    """A fixed colour per category, by sorted category name."""
    return {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(sorted(set(categories)))}


def _table(header: Sequence[str], rows: Sequence[Sequence[Tuple[str, str]]]) -> str:
    """Rows of (css class, already-escaped html) cells."""
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f'<td class="{cls}">{html}</td>' if cls else f"<td>{html}</td>"
                                    for cls, html in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


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


def graph_to_svg(c: Comparison, g: nx.Graph) -> str:
    """An inline SVG drawing (deterministic seeded layout); node tooltips via <title>."""
    h = drawing_graph(c, g)
    n = h.number_of_nodes()
    iterations = max(40, min(300, LAYOUT_BUDGET * 2 // max(1, n * n)))
    pos = spring_layout(h, iterations=iterations)
    colours = category_colours([d.get("category", "") for _, d in h.nodes(data=True)
                                if d["kind"] == "measure"])
    most = max([d.get("plans", 1) for _, d in h.nodes(data=True) if d["kind"] == "measure"], default=1)

    def xy(v: str) -> Tuple[float, float]:
        x, y = pos[v]
        return (round(MARGIN + x * (WIDTH - 2 * MARGIN), 1), round(MARGIN + y * (HEIGHT - 2 * MARGIN), 1))

    parts: List[str] = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
                        f'viewBox="0 0 {WIDTH} {HEIGHT}" style="max-width:100%;height:auto" role="img" '
                        'aria-label="graph of plans and practices">']
    parts.append('<g stroke="#888" stroke-opacity="0.35">')
    for a, b, d in sorted(h.edges(data=True), key=lambda e: (min(e[0], e[1]), max(e[0], e[1]))):
        (x1, y1), (x2, y2) = xy(a), xy(b)
        width = round(0.6 + math.log1p(d.get("weight", 1)) * 0.8, 2)
        parts.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke-width="{width}"/>')
    parts.append("</g>")
    for v in sorted(h.nodes):
        d = h.nodes[v]
        x, y = xy(v)
        if d["kind"] == "plan":
            tip = f'{d["letter"]}: {d["label"]} ({d["source"]})'
            short = d["label"] if len(d["label"]) <= 14 else d["label"][:13] + "…"
            parts.append(f'<g><title>{_e(tip)}</title>'
                         f'<circle cx="{x}" cy="{y}" r="15" fill="{PLAN_COLOUR}"/>'
                         f'<text x="{x}" y="{y + 5}" font-size="14" font-weight="bold" fill="#fff" '
                         f'text-anchor="middle">{_e(d["letter"])}</text>'
                         f'<text x="{x}" y="{y + 30}" font-size="11" fill="{PLAN_COLOUR}" '
                         f'text-anchor="middle">{_e(short)}</text></g>')
        else:
            r = round(4 + 8 * math.sqrt(d.get("plans", 1) / most), 1)  # area grows with plans naming it
            tip = f'{d["label"]} · {d["category"]} · {d["plans"]} plan(s), {d["mentions"]} mention(s)'
            parts.append(f'<g><title>{_e(tip)}</title>'
                         f'<circle cx="{x}" cy="{y}" r="{r}" fill="{colours.get(d["category"], "#999")}" '
                         f'fill-opacity="0.85"/>'
                         f'<text x="{round(x + r + 2, 1)}" y="{y + 4}" font-size="11" fill="#222">'
                         f'{_e(d["label"])}</text></g>')
    parts.append("</svg>")
    legend = "".join(f'<span><i style="background:{col}"></i>{_e(cat)}</span>'
                     for cat, col in sorted(colours.items()))
    if any(d["kind"] == "plan" for _, d in h.nodes(data=True)):
        legend = f'<span><i style="background:{PLAN_COLOUR}"></i>plan</span>' + legend
    return "".join(parts) + f'<div class="legend">{legend}</div>'


def _similarity_rows(c: Comparison, matrix: Sequence[Sequence[float]]) -> List[List[Tuple[str, str]]]:
    return [[("", _e(p.letter))] + [("n", f"{x:.2f}") for x in row] for p, row in zip(c.plans, matrix)]


def _nearest(c: Comparison, which: str, i: int) -> str:
    return _e(", ".join(f"{l} {x:.2f}" for l, x in nearest_plans(c, which, i)))


def comparison_to_html(c: Comparison, g: Optional[nx.Graph] = None) -> str:
    """The whole page: plans, drawing, spread, side by side, gaps, matrix, similarity, candidates.

    `g` is the graph to draw (default `graph.drawing_source`: plans and practices
    up to DRAW_MAX_PLANS plans, else practices and their co-occurrence).
    """
    g = drawing_source(c, DRAW_MAX_PLANS) if g is None else g
    letters = [_e(p.letter) for p in c.plans]
    big = len(c.plans) > TABLE_MAX_PLANS
    s: List[str] = ['<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
                    '<meta name="viewport" content="width=device-width, initial-scale=1">',
                    '<link rel="icon" href="data:,">',
                    "<title>planlens: comparison of plans</title>",
                    f"<style>{STYLE}</style></head><body>",
                    "<h1>planlens: comparison of plans</h1>",
                    f'<p>{len(c.plans)} plan(s) from {c.files} file(s); '
                    f"{len(c.measures)} distinct practice(s).</p>"]
    s.append("<h2>Plans</h2>")
    s.append(_table(["", "title", "source", "practices", "commitments"],
                    [[("", _e(p.letter)), ("", _e(p.title or "(untitled)")), ("", _e(p.source)),
                      ("n", str(len(p.measures))), ("n", str(p.commitments))]
                     for p in c.plans]))
    s.append("<h2>Graph</h2>")
    s.append('<p class="small">Plans (red) link to the practices they name; a practice’s size grows '
             "with the number of plans naming it. Hover for details.</p>" if len(c.plans) <= DRAW_MAX_PLANS
             else f'<p class="small">{len(c.plans)} plans: practices only, each linked to the '
                  f"{LINKS_PER_MEASURE} practices most often named with it.</p>")
    s.append(graph_to_svg(c, g))
    s.append("<h2>Practices named by all, most, one</h2><ul>")
    s.append(f"<li><b>all plans</b> ({len(c.spread.common)}): {_e('、'.join(c.spread.common) or NOT_NAMED)}</li>")
    s.append(f"<li><b>more than half</b> ({len(c.spread.most)}): {_e('、'.join(c.spread.most) or NOT_NAMED)}</li>")
    s.append(f"<li><b>one plan only</b> ({len(c.spread.unique)}): "
             f"{_e('、'.join(f'{m} ({p})' for m, p in c.spread.unique) or NOT_NAMED)}</li></ul>")
    s.append("<h2>Commitments side by side</h2>")
    s.append(f'<p class="small">{_e(NOT_NAMED)} not named · {_e(NO_NUMBER)} named without a number</p>')
    if not c.side_by_side:
        s.append("<p>(no practice carries a number in any plan)</p>")
    elif big:
        s.append("<ul>" + "".join(f"<li>{_e(name)}: {_e(' · '.join(f'{c.plans[i].letter} {x}' for i, x in cells))}</li>"
                                  for name, cells in c.side_by_side) + "</ul>")
    else:
        s.append(_table(["practice"] + letters,
                        [[("", _e(name))] + [("miss" if x == NOT_NAMED else "vague" if x == NO_NUMBER else "", _e(x))
                                             for x in (dict(cells).get(i, NOT_NAMED) for i in range(len(c.plans)))]
                         for name, cells in c.side_by_side]))
    s.append("<h2>Gaps</h2><p class=\"small\">Practices that most other plans commit a number to, "
             "left vague (named, no number) or omitted by this plan.</p>")
    s.append(_table(["plan", "practice", "status", "other plans committing", "for example"],
                    [[("", _e(x.plan)), ("", _e(x.measure)), ("", _e(x.status)),
                      ("n", f"{x.committed}/{x.others}"), ("", _e(gap_examples(x)))] for x in c.gaps])
             if c.gaps else "<p>(none)</p>")
    s.append("<h2>Plans × practices (mentions)</h2>")
    if big:
        s.append(_table(["practice", "category", "plans", "mentions"],
                        [[("", _e(st.name)), ("", _e(st.category)),
                          ("n", str(st.plan_count)), ("n", str(st.mention_count))] for st in c.stats]))
    else:
        s.append(_table(["practice", "category"] + letters,
                        [[("", _e(n)), ("", _e(c.categories.get(n, "")))]
                         + [("n", str(x) if x else "") for x in row] for n, row in zip(c.measures, c.matrix)]))
    s.append("<h2>Similarity</h2>")
    if c.cosine_terms:
        s.append(f'<p class="small">TF-IDF vectors keep each plan’s {c.cosine_terms} heaviest terms '
                 f"({len(c.plans)} plans).</p>")
    if big or not c.full:
        s.append(_table(["plan", "nearest by practices (Jaccard)", "nearest by wording (TF-IDF cosine)"],
                        [[("", _e(p.letter)), ("", _nearest(c, "jaccard", i)), ("", _nearest(c, "cosine", i))]
                         for i, p in enumerate(c.plans)]))
    else:
        s.append("<h3>Jaccard over practices</h3>" + _table([""] + letters, _similarity_rows(c, c.jaccard)))
        s.append("<h3>Cosine over TF-IDF of jieba terms</h3>" + _table([""] + letters, _similarity_rows(c, c.cosine)))
    s.append("<h2>Central practices</h2><p class=\"small\">Weighted betweenness in the co-occurrence "
             "graph (distance = 1 / plans naming both).</p>")
    s.append(_table(["practice", "betweenness"], [[("", _e(m)), ("n", f"{b:.3f}")] for m, b in c.central[:TOP_CENTRAL]]))
    s.append("<h2>Practices that go together</h2><ol>"
             + "".join(f"<li>{_e('、'.join(group))}</li>" for group in c.communities) + "</ol>")
    s.append("<h2>Candidate practices (not in the lexicon)</h2><p class=\"small\">Recurring "
             "…制度/活动/工程/机制 phrases for review; not counted above.</p>")
    s.append(_table(["phrase", "plans"], [[("", _e(ph)), ("", _e(" ".join(ls)))] for ph, ls in c.candidates])
             if c.candidates else "<p>(none)</p>")
    s.append(matrix_html(c.plans))
    s.append("</body></html>")
    return "\n".join(s) + "\n"
