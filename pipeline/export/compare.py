"""Cross-plan comparison exports: graph.graphml, graph.gexf, graph.json, compare.md, compare.html, compare.json.

Reads a Comparison (pipeline/graph.py); writes each file whole (temp file +
os.replace). The graph files are written node by node and edge by edge, never
built as one tree in memory. Renderers are deterministic: same input, same bytes.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple
from xml.sax.saxutils import escape, quoteattr

from ..graph import (DEFAULT_TOP_K, FULL_MAX_PLANS, NO_NUMBER, NOT_NAMED, Comparison, PlanCollector,
                     compare, gap_examples, graph_edges, graph_nodes, letter_for, nearest_plans, plan_entries,
                     summarize_document)
from ..model import FileResult
from .compliance_matrix import matrix_markdown, matrix_of
from .files import atomic_text_writer
from .html import TABLE_MAX_PLANS, TOP_CENTRAL, comparison_to_html

COMPARE_SCHEMA = "planlens.compare/2"

# Attributes of the graph files: (owner, name, type). Every node/edge attribute graph.py writes.
GRAPH_KEYS = (
    ("node", "kind", "string"), ("node", "label", "string"), ("node", "letter", "string"),
    ("node", "source", "string"), ("node", "index", "int"), ("node", "measures", "int"),
    ("node", "commitments", "int"), ("node", "category", "string"), ("node", "plans", "int"),
    ("node", "mentions", "int"), ("node", "betweenness", "double"), ("node", "community", "int"),
    ("edge", "kind", "string"), ("edge", "weight", "int"), ("edge", "commitments", "string"),
    ("edge", "summary", "string"), ("edge", "distance", "double"),
)
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(value: object) -> str:
    """Text for XML: characters XML 1.0 cannot hold removed, then escaped."""
    return escape(_XML_BAD.sub("", str(value)))


def _xa(value: object) -> str:
    return quoteattr(_XML_BAD.sub("", str(value)))


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


# --- graph files ----------------------------------------------------------------------


def graphml_lines(c: Comparison) -> Iterator[str]:
    """GraphML of the comparison's graph, line by line (nx.read_graphml reads it back)."""
    keys = {(owner, name): f"d{i}" for i, (owner, name, _) in enumerate(GRAPH_KEYS)}
    yield "<?xml version='1.0' encoding='utf-8'?>"
    yield ('<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
           'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">')
    for i, (owner, name, kind) in enumerate(GRAPH_KEYS):
        yield f'  <key id="d{i}" for="{owner}" attr.name="{name}" attr.type="{kind}" />'
    yield '  <key id="dg" for="graph" attr.name="name" attr.type="string" />'
    yield '  <graph edgedefault="undirected">'
    yield '    <data key="dg">planlens</data>'
    for n, d in graph_nodes(c):
        data = "".join(f'<data key="{keys["node", k]}">{_x(_scalar(v))}</data>' for k, v in d.items())
        yield f"    <node id={_xa(n)}>{data}</node>"
    for a, b, d in graph_edges(c):
        data = "".join(f'<data key="{keys["edge", k]}">{_x(_scalar(v))}</data>' for k, v in d.items())
        yield f"    <edge source={_xa(a)} target={_xa(b)}>{data}</edge>"
    yield "  </graph>"
    yield "</graphml>"


_GEXF_TYPES = {"string": "string", "int": "integer", "double": "double"}


def gexf_lines(c: Comparison) -> Iterator[str]:
    """GEXF 1.2 of the comparison's graph for Gephi, line by line (no date stamp: runs compare equal)."""
    ids = {}
    yield "<?xml version='1.0' encoding='utf-8'?>"
    yield ('<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">')
    yield "  <meta><creator>planlens</creator></meta>"
    yield '  <graph defaultedgetype="undirected" mode="static" name="planlens">'
    for owner in ("node", "edge"):
        yield f'    <attributes mode="static" class="{owner}">'
        for i, (o, name, kind) in enumerate(GRAPH_KEYS):
            if o == owner and not (owner == "node" and name == "label") and not (owner == "edge" and name == "weight"):
                ids[owner, name] = str(i)
                yield f'      <attribute id="{i}" title="{name}" type="{_GEXF_TYPES[kind]}" />'
        yield "    </attributes>"
    yield "    <nodes>"
    for n, d in graph_nodes(c):
        values = "".join(f'<attvalue for="{ids["node", k]}" value={_xa(_scalar(v))} />'
                         for k, v in d.items() if k != "label")
        yield f'      <node id={_xa(n)} label={_xa(d["label"])}><attvalues>{values}</attvalues></node>'
    yield "    </nodes>"
    yield "    <edges>"
    for e, (a, b, d) in enumerate(graph_edges(c)):
        values = "".join(f'<attvalue for="{ids["edge", k]}" value={_xa(_scalar(v))} />'
                         for k, v in d.items() if k != "weight")
        yield (f'      <edge source={_xa(a)} target={_xa(b)} id="{e}" weight="{d["weight"]}">'
               f"<attvalues>{values}</attvalues></edge>")
    yield "    </edges>"
    yield "  </graph>"
    yield "</gexf>"


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def graph_json_lines(c: Comparison) -> Iterator[str]:
    """Node-link JSON of the graph (`nodes`, `links`, as nx.node_link_graph(edges="links") reads it),
    one node or link per line."""
    yield "{"
    yield ' "directed": false,'
    yield ' "graph": {"name": "planlens"},'
    yield ' "links": ['
    first = True
    for a, b, d in graph_edges(c):
        yield ("  " if first else " ,") + _dumps({"source": a, "target": b, **d})
        first = False
    yield " ],"
    yield ' "multigraph": false,'
    yield ' "nodes": ['
    first = True
    for n, d in graph_nodes(c):
        yield ("  " if first else " ,") + _dumps({"id": n, **d})
        first = False
    yield " ]"
    yield "}"


def _text(lines: Iterable[str]) -> str:
    return "\n".join(lines) + "\n"


def graph_to_graphml(c: Comparison) -> str:
    """GraphML text (see `graphml_lines`)."""
    return _text(graphml_lines(c))


def graph_to_gexf(c: Comparison) -> str:
    """GEXF text (see `gexf_lines`)."""
    return _text(gexf_lines(c))


def graph_to_json(c: Comparison) -> str:
    """Node-link JSON text (see `graph_json_lines`)."""
    return _text(graph_json_lines(c))


# --- compare.json -----------------------------------------------------------------------


def _neighbours(c: Comparison, near) -> List[Dict[str, Any]]:
    return [{"plan": letter_for(j), "score": x} for j, x in near]


def comparison_sections(c: Comparison) -> Iterator[Tuple[str, Any]]:
    """(top-level key, value) of compare.json in key order; the long lists are generators
    (one item per plan or practice), so the file can be written item by item."""
    letters = [p.letter for p in c.plans]
    yield "candidates", ({"phrase": ph, "plans": list(ls)} for ph, ls in c.candidates)
    yield "central", ({"measure": m, "betweenness": b} for m, b in c.central)
    yield "communities", (list(group) for group in c.communities)
    yield "compliance", matrix_of(c.plans)  # plans × norms (pipeline/export/compliance_matrix.py)
    yield "counts", {"plans": len(c.plans), "files": c.files, "measures": len(c.stats),
                     "full_max_plans": FULL_MAX_PLANS, "full": c.full}
    yield "gaps", ({"plan": x.plan, "measure": x.measure, "status": x.status, "committed": x.committed,
                    "others": x.others, "examples": dict(x.examples)} for x in c.gaps)
    yield "legend", {"not_named": NOT_NAMED, "named_without_number": NO_NUMBER}
    matrix = c.matrix
    yield "matrix", None if matrix is None else {"plans": letters, "measures": list(c.measures),
                                                 "counts": [list(r) for r in matrix]}
    yield "measures", ({
        "name": s.name, "category": s.category, "plans": [letters[i] for i in s.plans],
        "mentions": {letters[i]: n for i, n in zip(s.plans, s.mentions)},
        "plan_count": s.plan_count, "mention_count": s.mention_count,
        "committed": {"plans": s.committed_plans,
                      "values": [{"commitment": v, "plans": n} for v, n in s.values],
                      "per_year": None if s.per_year is None else dict(zip(("plans", "min", "median", "max"),
                                                                           s.per_year))},
        "betweenness": c.betweenness.get(s.name, 0.0), "community": c.community.get(s.name, -1),
    } for s in c.stats)
    yield "plans", ({"letter": p.letter, "id": p.id, "title": p.title, "source": p.source, "index": p.index,
                     "measures": [m.name for m in p.measures], "commitments": p.commitments} for p in c.plans)
    yield "schema", COMPARE_SCHEMA
    yield "side_by_side", ({"measure": m, "cells": {letters[i]: cell for i, cell in cells}}
                           for m, cells in c.side_by_side)
    yield "similarity", {
        "method": c.method, "k": c.top_k, "tfidf_terms_kept": c.cosine_terms,
        "plans": letters if c.full else None,
        "jaccard": [list(r) for r in c.jaccard] if c.full else None,
        "tfidf_cosine": [list(r) for r in c.cosine] if c.full else None,
        "nearest": ({"plan": p.letter, "jaccard": _neighbours(c, c.nearest_jaccard[i]),
                     "tfidf_cosine": _neighbours(c, c.nearest_cosine[i])} for i, p in enumerate(c.plans)),
    }
    yield "spread", {"common": list(c.spread.common), "most": list(c.spread.most),
                     "unique": [{"measure": m, "plan": p} for m, p in c.spread.unique]}


def _indent(text: str, by: str) -> str:
    return text.replace("\n", "\n" + by)


def _json_lines(value: Any, pad: str) -> Iterator[str]:
    """`value` as json.dumps(indent=1, sort_keys=True) would write it at depth len(pad),
    streaming generators (and generator values of dicts) item by item."""
    if isinstance(value, dict) and any(isinstance(v, Iterator) for v in value.values()):
        yield "{"
        keys = sorted(value)
        for n, key in enumerate(keys):
            head = f"{pad} {json.dumps(key, ensure_ascii=False)}: "
            parts = list(_json_lines(value[key], pad + " "))
            parts[0] = head + parts[0]
            if n < len(keys) - 1:
                parts[-1] += ","
            yield from parts
        yield pad + "}"
    elif isinstance(value, Iterator):
        first = next(value, _END)
        if first is _END:
            yield "[]"
            return
        yield "["
        item = first
        while item is not _END:
            following = next(value, _END)
            yield pad + " " + _indent(json.dumps(item, ensure_ascii=False, indent=1, sort_keys=True), pad + " ") \
                + ("," if following is not _END else "")
            item = following
        yield pad + "]"
    else:
        yield _indent(json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True), pad)


_END = object()


def compare_json_lines(c: Comparison) -> Iterator[str]:
    """compare.json line by line: the same text as json.dumps(comparison_to_dict(c), indent=1, sort_keys=True)."""
    yield from _json_lines(dict(comparison_sections(c)), "")


def comparison_to_dict(c: Comparison) -> Dict[str, Any]:
    """The comparison as one JSON-ready dict (shape: pipeline/schema/compare.schema.json)."""
    def whole(v: Any) -> Any:
        if isinstance(v, Iterator):
            return list(v)
        if isinstance(v, dict):
            return {k: whole(x) for k, x in v.items()}
        return v
    return {k: whole(v) for k, v in comparison_sections(c)}


def comparison_to_json(c: Comparison) -> str:
    """compare.json text (sorted keys, 1-space indent)."""
    return _text(compare_json_lines(c))


# --- compare.md -------------------------------------------------------------------------


def _cell(text: object) -> str:
    """Plan text made safe for one Markdown table cell."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").strip()


def _table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> List[str]:
    out = ["| " + " | ".join(_cell(h) for h in header) + " |",
           "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(_cell(x) for x in row) + " |" for row in rows]
    return out + [""]


def _nearest(c: Comparison, which: str, i: int) -> str:
    return ", ".join(f"{l} {x:.2f}" for l, x in nearest_plans(c, which, i))


def distribution_line(values: Sequence[Tuple[str, int]], most: int = 5) -> str:
    """The commonest commitments to a practice with their plan counts: `每月≥1次 (120) · 每月2次 (30)`."""
    shown = " · ".join(f"{v} ({n})" for v, n in values[:most])
    return shown + (f" · … {len(values) - most} more" if len(values) > most else "")


def comparison_to_markdown(c: Comparison) -> str:
    """The comparison for people: plans, spread, commitments side by side, gaps, practices, similarity."""
    letters = [p.letter for p in c.plans]
    big = len(c.plans) > TABLE_MAX_PLANS
    out = ["# planlens: comparison of plans", "",
           f"{len(c.plans)} plan(s) from {c.files} file(s); {len(c.stats)} distinct practice(s).", "",
           "## Plans", ""]
    out += _table(["", "title", "source", "practices", "commitments"],
                  ((p.letter, p.title or "(untitled)", p.source, len(p.measures), p.commitments) for p in c.plans))
    out += ["## Practices named by all, most, one", ""]
    out.append(f"- **all plans** ({len(c.spread.common)}): " + ("、".join(c.spread.common) or NOT_NAMED))
    out.append(f"- **more than half** ({len(c.spread.most)}): " + ("、".join(c.spread.most) or NOT_NAMED))
    out.append(f"- **one plan only** ({len(c.spread.unique)}): "
               + ("、".join(f"{m} ({p})" for m, p in c.spread.unique) or NOT_NAMED))
    out += ["", "## Commitments side by side", ""]
    if big:  # a line per practice: what the plans commit to, and how many of them
        out += ["Per practice: plans naming it, committing a number, and the commonest commitments "
                "(plans making each).", ""]
        for s in c.stats:
            if s.committed_plans:
                out.append(f"- {_cell(s.name)}: {s.plan_count} plan(s), {s.committed_plans} committing: "
                           f"{_cell(distribution_line(s.values))}")
    else:
        out += [f"`{NOT_NAMED}` not named · `{NO_NUMBER}` named without a number", ""]
        for name, cells in c.side_by_side:
            row = dict(cells)
            out.append(f"- {_cell(name)}: " + " · ".join(f"{l} {_cell(row.get(i, NOT_NAMED))}"
                                                          for i, l in enumerate(letters)))
    if not c.side_by_side:
        out.append("(no practice carries a number in any plan)")
    out += ["", "## Gaps", "",
            "Practices that most other plans commit a number to, left vague (named, no number) "
            "or omitted by this plan.", ""]
    out += _table(["plan", "practice", "status", "other plans committing", "for example"],
                  ((x.plan, x.measure, x.status, f"{x.committed}/{x.others}", gap_examples(x))
                   for x in c.gaps)) if c.gaps else ["(none)", ""]
    out += ["## Plans × practices (mentions)", ""]
    if big:
        out += _table(["practice", "category", "plans", "mentions"],
                      ((s.name, s.category, s.plan_count, s.mention_count) for s in c.stats))
    else:
        out += _table(["practice", "category"] + letters,
                      ([n, c.categories.get(n, "")] + [x or "" for x in row]
                       for n, row in zip(c.measures, c.matrix)))
    out += ["## Similarity", ""]
    if c.cosine_terms:
        out += [f"TF-IDF vectors keep each plan's {c.cosine_terms} heaviest terms ({len(c.plans)} plans).", ""]
    if big or not c.full:
        out += _table(["plan", "nearest by practices (Jaccard)", "nearest by wording (TF-IDF cosine)"],
                      ((p.letter, _nearest(c, "jaccard", i), _nearest(c, "cosine", i))
                       for i, p in enumerate(c.plans)))
    else:
        for label, matrix in (("Jaccard over practices", c.jaccard),
                              ("cosine over TF-IDF of jieba terms", c.cosine)):
            out += [f"### {label}", ""]
            out += _table([""] + letters, ([l] + [f"{x:.2f}" for x in row] for l, row in zip(letters, matrix)))
    out += ["## Central practices", "",
            "Weighted betweenness in the co-occurrence graph (distance = 1 / plans naming both).", ""]
    out += _table(["practice", "betweenness"], ((m, f"{b:.3f}") for m, b in c.central[:TOP_CENTRAL]))
    out += ["## Practices that go together", ""]
    out += [f"{i + 1}. " + "、".join(group) for i, group in enumerate(c.communities)] or ["(none)"]
    out += ["", "## Candidate practices (not in the lexicon)", "",
            "Recurring …制度/活动/工程/机制 phrases for review; not counted above.", ""]
    out += _table(["phrase", "plans"], ((ph, " ".join(ls)) for ph, ls in c.candidates)) \
        if c.candidates else ["(none)", ""]
    out += matrix_markdown(c.plans)
    return "\n".join(out).rstrip() + "\n"


# --- writing ----------------------------------------------------------------------------

OUTPUT_NAMES = ("graph.graphml", "graph.gexf", "graph.json", "compare.md", "compare.html",
                "compare.json")

WRITERS: Dict[str, Callable[[Comparison], Iterable[str]]] = {
    "graph.graphml": graphml_lines,
    "graph.gexf": gexf_lines,
    "graph.json": graph_json_lines,
    "compare.md": lambda c: [comparison_to_markdown(c).rstrip("\n")],
    "compare.html": lambda c: [comparison_to_html(c).rstrip("\n")],
    "compare.json": compare_json_lines,
}


def comparison_of_results(results: Sequence[FileResult], top_k: int = DEFAULT_TOP_K,
                          workers: int = 1) -> Comparison:
    """The Comparison of every plan of `results` (failed files carry no plans)."""
    collector = PlanCollector()
    for pid, r, d in plan_entries([r for r in results if r.documents]):
        collector.add(pid, r.path, summarize_document(d))
    return compare(collector.plans(), collector.term_matrix(), top_k, workers)


def render_comparison(c: Comparison) -> Dict[str, str]:
    """{file name: text} of every comparison output (for tests and small sets)."""
    return {name: _text(WRITERS[name](c)) for name in OUTPUT_NAMES}


_WRITE_STATE: Dict[str, Comparison] = {}  # the comparison forked writer processes read


def _write_one(name: str, out_dir: Path) -> Optional[Tuple[str, str]]:
    """Write one comparison file; (path, problem) instead of raising (exceptions cross processes badly)."""
    from ..errors import PlanlensError
    try:
        with atomic_text_writer(Path(out_dir) / name) as handle:
            for line in WRITERS[name](_WRITE_STATE["c"]):
                handle.write(line)
                handle.write("\n")
    except PlanlensError as exc:
        return exc.path, exc.problem
    return None


# Largest first, so that the files spread evenly over writer processes.
WRITE_ORDER = ("graph.gexf", "graph.graphml", "graph.json", "compare.html", "compare.json", "compare.md")


# Forked writers copy the pages of the plan records they read (reference counts), so above this
# many plans the files are written in this process, keeping the peak memory of a large run bounded.
PARALLEL_WRITE_MAX_PLANS = 1000


def write_comparison_files(c: Comparison, out_dir: Path, workers: int = 1) -> List[Path]:
    """Write the six comparison files into `out_dir`, line by line, each whole or not at all
    (in `workers` forked processes when more than one and the set is not large; same bytes)."""
    import multiprocessing
    from ..errors import OutputError
    _WRITE_STATE["c"] = c
    try:
        if (workers > 1 and len(c.plans) <= PARALLEL_WRITE_MAX_PLANS
                and "fork" in multiprocessing.get_all_start_methods()):
            from concurrent.futures import ProcessPoolExecutor
            with ProcessPoolExecutor(max_workers=min(workers, len(WRITE_ORDER)),
                                     mp_context=multiprocessing.get_context("fork")) as pool:
                failures = list(pool.map(_write_one, WRITE_ORDER, [out_dir] * len(WRITE_ORDER)))
        else:
            failures = []
            for name in OUTPUT_NAMES:
                failures.append(_write_one(name, out_dir))
                if failures[-1]:
                    break
    finally:
        _WRITE_STATE.clear()
    for failure in failures:
        if failure:
            raise OutputError(*failure)
    return [Path(out_dir) / name for name in OUTPUT_NAMES]


def write_comparison(results: Sequence[FileResult], out_dir: Path, top_k: int = DEFAULT_TOP_K,
                     workers: int = 1) -> List[Path]:
    """Write the six comparison files for `results` into `out_dir`; their paths (OUTPUT_NAMES order).

    Two runs on the same input give byte-identical files, whatever the
    number of workers. Raises OutputError naming the file that cannot be written.
    """
    return write_comparison_files(comparison_of_results(results, top_k, workers), out_dir)
