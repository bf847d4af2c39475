"""Plans → a networkx graph of plans and the practices they name, and the comparisons read from it.

Reads Documents (with measures and commitments); gives an nx.Graph with sorted,
stable ids and frozen comparison records (matrix, spread, similarity, side by side, gaps).
"""
from __future__ import annotations

import json
import math
import random
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations
from pathlib import PurePath
from typing import Dict, List, Mapping, Optional, Sequence, Tuple, Union

import networkx as nx

from . import segment
from .commitments import COMPARATOR_SIGNS, period_label
from .measures import candidate_phrases, count_candidates, measures_of
from .model import Commitment, Document, FileResult, Measure

NOT_NAMED = "—"  # the plan does not name the practice
NO_NUMBER = "提及"  # the plan names it but commits to no number

# Above this many plans, each TF-IDF vector keeps only its LARGE_COSINE_TERMS heaviest
# terms: all-pairs cosine in pure Python grows as plans² × terms.
FULL_COSINE_MAX_PLANS = 150
LARGE_COSINE_TERMS = 64

SEED = 20260101  # every random choice here (layout, communities) uses this seed
ROUND = 6  # decimals kept for floats written to files


@dataclass(frozen=True)
class Plan:
    """One plan of the comparison: where it comes from, its letter, its canonical measures."""

    id: str  # "<file name>#<index>": stable across runs
    letter: str  # A, B, … in id order: the short name tables use
    source: str  # the input file's path
    index: int  # the plan's position in its file
    title: str
    document: Document
    measures: Tuple[Measure, ...]  # canonical ones only (candidate=False)


@dataclass(frozen=True)
class Spread:
    """Which practices all plans, most plans, and one plan only name."""

    common: Tuple[str, ...]  # named by every plan
    most: Tuple[str, ...]  # by more than half of the plans, not all
    unique: Tuple[Tuple[str, str], ...]  # (measure, letter) named by one plan only


@dataclass(frozen=True)
class Gap:
    """A practice most other plans commit a number to that this plan leaves vague or omits."""

    plan: str  # letter
    measure: str
    status: str  # "vague" (named, no number) or "omitted" (not named)
    committed: int  # how many of the other plans commit a number to it
    others: int  # how many other plans there are
    examples: Tuple[Tuple[str, str], ...]  # (letter, commitments as read), the first few


@dataclass(frozen=True)
class Comparison:
    """Everything the comparison exports show, computed once from the plans."""

    plans: Tuple[Plan, ...]
    measures: Tuple[str, ...]  # most widely named first, then by name
    categories: Mapping[str, str]  # measure → category
    matrix: Tuple[Tuple[int, ...], ...]  # [measure][plan] mention counts
    spread: Spread
    jaccard: Tuple[Tuple[float, ...], ...]  # [plan][plan]
    cosine: Tuple[Tuple[float, ...], ...]  # [plan][plan], TF-IDF over jieba terms
    cosine_terms: Optional[int]  # terms kept per vector (None: all; see FULL_COSINE_MAX_PLANS)
    side_by_side: Tuple[Tuple[str, Tuple[str, ...]], ...]  # (measure, cell per plan)
    gaps: Tuple[Gap, ...]
    central: Tuple[Tuple[str, float], ...]  # measures by weighted betweenness, highest first
    communities: Tuple[Tuple[str, ...], ...]  # measures that go together (Louvain, seeded)
    candidates: Tuple[Tuple[str, Tuple[str, ...]], ...]  # (phrase, letters) not in the lexicon


# --- plans ---------------------------------------------------------------------------


def letter_for(i: int) -> str:
    """Spreadsheet-style letter of position `i`: 0 → A, 25 → Z, 26 → AA.

    >>> [letter_for(i) for i in (0, 25, 26, 27)]
    ['A', 'Z', 'AA', 'AB']
    """
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


def canonical_measures(document: Document) -> Tuple[Measure, ...]:
    """The document's non-candidate measures (found here when the document carries none)."""
    return tuple(m for m in measures_of(document) if not m.candidate)


def _id_order(pid: str) -> Tuple[str, int, str]:
    """Sort key of a plan id: file part, then the plan's index as a number (`a#2` before `a#10`)."""
    base, _, index = pid.rpartition("#")
    return (base, int(index), "") if index.isdigit() else (pid, -1, index)


def make_plans(documents_by_plan: Mapping[str, Document],
               sources: Optional[Mapping[str, str]] = None) -> Tuple[Plan, ...]:
    """Plans from {plan id: Document}, sorted by id and lettered A, B, …; `sources` maps id → file."""
    out = []
    for i, pid in enumerate(sorted(documents_by_plan, key=_id_order)):
        doc = documents_by_plan[pid]
        out.append(Plan(id=pid, letter=letter_for(i), source=(sources or {}).get(pid, pid),
                        index=doc.index, title=doc.title, document=doc,
                        measures=canonical_measures(doc)))
    return tuple(out)


def plan_id_bases(paths: Sequence[str]) -> Dict[str, str]:
    """{input path: the first part of its plans' ids}: the file name, or the whole path when names clash."""
    names = Counter(PurePath(p).name for p in paths)
    return {p: PurePath(p).name if names[PurePath(p).name] == 1 else p for p in paths}


def plan_entries(results: Sequence[FileResult]) -> List[Tuple[str, FileResult, Document]]:
    """(plan id, result, document) for every plan of `results`, in their order; id `<file name>#<index>`."""
    bases = plan_id_bases([r.path for r in results])
    return [(f"{bases[r.path]}#{d.index}", r, d) for r in results for d in r.documents]


def plans_from_results(results: Sequence[FileResult]) -> Tuple[Plan, ...]:
    """Every plan of every result (ids from `plan_entries`), sorted and lettered."""
    entries = plan_entries(results)
    return make_plans({pid: d for pid, _, d in entries}, {pid: r.path for pid, r, _ in entries})


def _as_plans(plans: Union[Sequence[Plan], Mapping[str, Document]]) -> Tuple[Plan, ...]:
    return make_plans(plans) if isinstance(plans, Mapping) else tuple(plans)


# --- commitments as read in a cell --------------------------------------------------


def _number(v) -> Union[int, float, None]:
    if v is None:
        return None
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    return v


def commitment_short(c: Commitment) -> str:
    """A commitment as a comparison cell reads it: `每月≥1次`, `1–2次`, `约65%`."""
    value = f"{_number(c.value)}"
    if c.value_max is not None and c.value_max != c.value:
        value += f"–{_number(c.value_max)}"
    return f"{period_label(c.period)}{COMPARATOR_SIGNS.get(c.comparator, c.comparator)}{value}{c.unit}"


def commitment_record(c: Commitment, index: int) -> Dict[str, object]:
    """A commitment as a JSON-ready dict for graph edges and compare.json."""
    return {"index": index, "quote": c.quote, "short": commitment_short(c), "value": _number(c.value),
            "value_max": _number(c.value_max), "unit": c.unit, "comparator": c.comparator,
            "period": c.period, "kind": c.kind, "optional": c.optional, "section_id": c.section_id}


def _commitments_of(plan: Plan, measure: Measure, optional: bool = False) -> List[Tuple[int, Commitment]]:
    """(index, commitment) governing `measure` in `plan`; borderline (optional) ones only when asked."""
    cs = plan.document.commitments
    return [(i, cs[i]) for i in measure.commitment_ids
            if 0 <= i < len(cs) and (optional or not cs[i].optional)]


# --- the graph ------------------------------------------------------------------------


def plan_node(plan: Plan) -> str:
    """Node id of a plan."""
    return f"plan:{plan.id}"


def measure_node(name: str) -> str:
    """Node id of a measure."""
    return f"measure:{name}"


def build_graph(documents_by_plan: Union[Sequence[Plan], Mapping[str, Document]]) -> nx.Graph:
    """Plans and measures as one undirected graph, nodes and edges added in sorted order.

    In: {plan id: Document} (or Plans). Out: plan nodes (kind=plan, label=title,
    source, letter), measure nodes (kind=measure, label, category, plans,
    mentions, betweenness, community), plan–measure edges (kind=names,
    weight=mentions, commitments as a JSON string) and measure–measure edges
    (kind=co-occurs, weight=plans naming both, distance=1/weight). Every
    attribute is a scalar, so GraphML and GEXF can hold it.
    """
    plans = _as_plans(documents_by_plan)
    g = nx.Graph(name="planlens")
    by_measure: Dict[str, List[Tuple[Plan, Measure]]] = {}
    for p in plans:
        for m in p.measures:
            by_measure.setdefault(m.name, []).append((p, m))
    for p in plans:
        g.add_node(plan_node(p), kind="plan", label=p.title or "(untitled)", letter=p.letter,
                   source=p.source, index=p.index, measures=len(p.measures),
                   commitments=len(p.document.commitments))
    categories = {name: pairs[0][1].category for name, pairs in by_measure.items()}
    for name in sorted(by_measure):
        pairs = by_measure[name]
        g.add_node(measure_node(name), kind="measure", label=name, category=categories[name],
                   plans=len(pairs), mentions=sum(m.count for _, m in pairs))
    for p in plans:
        for m in sorted(p.measures, key=lambda m: m.name):
            cs = _commitments_of(p, m, optional=True)
            g.add_edge(plan_node(p), measure_node(m.name), kind="names", weight=m.count,
                       commitments=json.dumps([commitment_record(c, i) for i, c in cs],
                                              ensure_ascii=False, sort_keys=True),
                       summary="、".join(dict.fromkeys(commitment_short(c) for _, c in cs
                                                      if not c.optional)))
    pair_counts: Counter = Counter()
    for p in plans:
        for a, b in combinations(sorted({m.name for m in p.measures}), 2):
            pair_counts[(a, b)] += 1
    for (a, b) in sorted(pair_counts):
        w = pair_counts[(a, b)]
        g.add_edge(measure_node(a), measure_node(b), kind="co-occurs", weight=w,
                   distance=round(1.0 / w, ROUND))
    between = measure_betweenness(g)
    community = {name: i for i, group in enumerate(measure_communities(g)) for name in group}
    for name in sorted(by_measure):
        g.nodes[measure_node(name)]["betweenness"] = between.get(name, 0.0)
        g.nodes[measure_node(name)]["community"] = community.get(name, -1)
    return g


def cooccurrence_graph(g: nx.Graph) -> nx.Graph:
    """The measure–measure part of `build_graph`'s graph, keyed by measure name."""
    h = nx.Graph()
    for n, d in g.nodes(data=True):
        if d.get("kind") == "measure":
            h.add_node(d["label"])
    for a, b, d in g.edges(data=True):
        if d.get("kind") == "co-occurs":
            h.add_edge(g.nodes[a]["label"], g.nodes[b]["label"], weight=d["weight"],
                       distance=d["distance"])
    return h


def measure_betweenness(g: nx.Graph) -> Dict[str, float]:
    """Weighted betweenness of each measure in the co-occurrence graph.

    Co-occurrence weights are strengths; betweenness reads weights as
    distances, so it runs on `distance` = 1/weight.
    """
    h = cooccurrence_graph(g)
    if h.number_of_nodes() < 3:
        return {n: 0.0 for n in h}
    raw = nx.betweenness_centrality(h, weight="distance", normalized=True)
    return {n: round(v, ROUND) for n, v in sorted(raw.items())}


def measure_communities(g: nx.Graph) -> Tuple[Tuple[str, ...], ...]:
    """Groups of measures that go together (Louvain on co-occurrence, fixed seed), largest first."""
    h = cooccurrence_graph(g)
    if h.number_of_edges() == 0:
        return tuple((n,) for n in sorted(h))
    groups = nx.community.louvain_communities(h, weight="weight", seed=SEED)
    return tuple(sorted((tuple(sorted(c)) for c in groups), key=lambda c: (-len(c), c)))


# --- comparisons ---------------------------------------------------------------------


@dataclass(frozen=True)
class TextFeatures:
    """What the comparison reads from one plan's text alone (so worker processes can do it)."""

    terms: Tuple[Tuple[str, int], ...]  # jieba terms (see `terms`) and their counts, sorted
    phrases: Tuple[str, ...]  # candidate phrases (`measures.candidate_phrases`)


def text_features(text: str) -> TextFeatures:
    """Term counts and candidate phrases of one plan's text."""
    return TextFeatures(tuple(sorted(terms(text).items())), candidate_phrases(text))


def plan_texts(results: Sequence[FileResult]) -> List[str]:
    """The text of every plan of `results`, in `plan_entries` order."""
    return [d.text for _, _, d in plan_entries(results)]


def features_by_plan(results: Sequence[FileResult], features: Sequence[TextFeatures]) -> Dict[str, TextFeatures]:
    """{plan id: features} from `text_features` of each of `plan_texts(results)` (same order)."""
    return {pid: f for (pid, _, _), f in zip(plan_entries(results), features)}


def features_of(plan: Plan, features: Optional[Mapping[str, TextFeatures]] = None) -> TextFeatures:
    """The plan's features from `features` when there, else read from its text now."""
    found = (features or {}).get(plan.id)
    return found if found is not None else text_features(plan.document.text)


def measure_order(plans: Sequence[Plan]) -> Tuple[str, ...]:
    """Measure names, most widely named first, then by name."""
    spread = Counter(m.name for p in plans for m in p.measures)
    return tuple(sorted(spread, key=lambda n: (-spread[n], n)))


def measure_matrix(plans: Sequence[Plan]) -> Tuple[Tuple[str, ...], Tuple[Tuple[int, ...], ...]]:
    """(measure names, rows of mention counts, one column per plan in plan order)."""
    names = measure_order(plans)
    counts = [{m.name: m.count for m in p.measures} for p in plans]
    return names, tuple(tuple(c.get(n, 0) for c in counts) for n in names)


def measure_spread(plans: Sequence[Plan]) -> Spread:
    """Measures common to all plans, to more than half, and to one plan only."""
    n = len(plans)
    holders: Dict[str, List[str]] = {}
    for p in plans:
        for m in p.measures:
            holders.setdefault(m.name, []).append(p.letter)
    order = measure_order(plans)
    common = tuple(m for m in order if len(holders[m]) == n)
    most = tuple(m for m in order if n / 2 < len(holders[m]) < n)
    unique = tuple((m, holders[m][0]) for m in order if len(holders[m]) == 1 and n > 1)
    return Spread(common, most, unique)


def jaccard_matrix(plans: Sequence[Plan]) -> Tuple[Tuple[float, ...], ...]:
    """Jaccard similarity of the plans' measure sets (1.0 on the diagonal; 0 for two empty sets)."""
    index = {name: k for k, name in enumerate(measure_order(plans))}
    bits = [sum(1 << index[n] for n in {m.name for m in p.measures}) for p in plans]

    def jac(a: int, b: int) -> float:
        union = (a | b).bit_count()
        return round((a & b).bit_count() / union, ROUND) if union else 0.0
    return tuple(tuple(1.0 if i == j else jac(a, b) for j, b in enumerate(bits))
                 for i, a in enumerate(bits))


def terms(text: str) -> Counter:
    """Counts of the jieba terms of `text` (project tokenizer) that hold a CJK character and are 2+ long."""
    return Counter(t for t in segment.cut(text)
                   if len(t) >= 2 and any("\u4e00" <= ch <= "\u9fff" for ch in t))


def tfidf_cosine_matrix(plans: Sequence[Plan], term_counts: Optional[Mapping[str, Counter]] = None,
                        max_terms: Optional[int] = None) -> Tuple[Tuple[float, ...], ...]:
    """Cosine similarity of the plans' TF-IDF vectors over jieba terms (stdlib math only).

    idf = ln((1 + N) / (1 + df)) + 1 (smoothed, so a term in every plan still
    counts a little); `term_counts` ({plan id: `terms`}) may hold some or all
    plans' counts already made, e.g. in worker processes. With `max_terms`,
    each vector keeps only its heaviest terms (bounded cost on large corpora).
    """
    given = term_counts or {}
    counts = [given[p.id] if p.id in given else terms(p.document.text) for p in plans]
    n = len(counts)
    df: Counter = Counter()
    for c in counts:
        df.update(c.keys())
    idf = {t: math.log((1 + n) / (1 + k)) + 1 for t, k in df.items()}
    vectors = []
    for c in counts:
        v = {t: k * idf[t] for t, k in c.items()}
        if max_terms is not None and len(v) > max_terms:
            v = dict(sorted(v.items(), key=lambda tx: (-tx[1], tx[0]))[:max_terms])
        norm = math.sqrt(sum(x * x for x in v.values()))
        vectors.append({t: x / norm for t, x in v.items()} if norm else {})
    keys = [frozenset(v) for v in vectors]
    rows = [[0.0] * n for _ in range(n)]
    for i in range(n):
        a = vectors[i]
        rows[i][i] = 1.0 if a else 0.0
        for j in range(i + 1, n):
            b = vectors[j]
            s = round(math.fsum(a[t] * b[t] for t in keys[i] & keys[j]), ROUND)
            rows[i][j] = rows[j][i] = min(s, 1.0)
    return tuple(tuple(r) for r in rows)


def side_by_side(plans: Sequence[Plan]) -> Tuple[Tuple[str, Tuple[str, ...]], ...]:
    """Per measure that any plan commits a number to: one cell per plan.

    A cell is the plan's commitments as read (`每月≥1次`), `提及` when the plan
    names the practice without a number, `—` when it does not name it.
    Borderline commitments (`optional`: a bare month, a weekly slot) are left out.
    """
    out = []
    by_name = [{m.name: m for m in p.measures} for p in plans]
    for name in measure_order(plans):
        cells = []
        for p, named in zip(plans, by_name):
            m = named.get(name)
            if m is None:
                cells.append(NOT_NAMED)
                continue
            shorts = dict.fromkeys(commitment_short(c) for _, c in _commitments_of(p, m))
            cells.append("、".join(shorts) if shorts else NO_NUMBER)
        if any(c not in (NOT_NAMED, NO_NUMBER) for c in cells):
            out.append((name, tuple(cells)))
    return tuple(out)


GAP_EXAMPLES = 3  # commitments of other plans quoted with each gap


def plan_gaps(plans: Sequence[Plan]) -> Tuple[Gap, ...]:
    """Per plan, the practices most other plans commit a number to that it leaves vague or omits.

    "Most" is more than half of the other plans and at least two of them.
    """
    committed: Dict[str, Dict[str, str]] = {}
    for p in plans:
        for m in p.measures:
            cs = _commitments_of(p, m)
            if cs:
                committed.setdefault(m.name, {})[p.letter] = "、".join(
                    dict.fromkeys(commitment_short(c) for _, c in cs))
    order = [n for n in measure_order(plans) if n in committed]
    others = len(plans) - 1
    out = []
    for p in plans:
        named = {m.name for m in p.measures}
        for name in order:
            by_plan = committed[name]
            k = len(by_plan) - (p.letter in by_plan)
            if p.letter in by_plan or k < 2 or k * 2 <= others:
                continue
            examples = tuple(sorted(by_plan.items())[:GAP_EXAMPLES])
            out.append(Gap(p.letter, name, "vague" if name in named else "omitted", k, others, examples))
    return tuple(out)


def gap_examples(gap: Gap) -> str:
    """A gap's examples as one line: `A 每月≥1次; B 每月2次`."""
    return "; ".join(f"{letter} {text}" for letter, text in gap.examples)


def nearest_plans(c: "Comparison", matrix: Sequence[Sequence[float]], i: int,
                  k: int = 3) -> Tuple[Tuple[str, float], ...]:
    """The `k` plans most similar to plan `i` by `matrix` (a `Comparison` similarity), as (letter, score)."""
    order = sorted((j for j in range(len(c.plans)) if j != i), key=lambda j: (-matrix[i][j], j))
    return tuple((c.plans[j].letter, matrix[i][j]) for j in order[:k])


def candidate_table(plans: Sequence[Plan], min_plans: int = 2,
                    features: Optional[Mapping[str, TextFeatures]] = None
                    ) -> Tuple[Tuple[str, Tuple[str, ...]], ...]:
    """Recurring phrases not in the lexicon (see `measures.propose_candidates`), with the letters of
    the plans naming them; phrases come from `features` when given."""
    phrase_sets = [features_of(p, features).phrases for p in plans]
    return tuple((phrase, tuple(plans[i].letter for i in where))
                 for phrase, where in count_candidates(phrase_sets, min_plans))


def compare(documents_by_plan: Union[Sequence[Plan], Mapping[str, Document]],
            graph: Optional[nx.Graph] = None,
            features: Optional[Mapping[str, TextFeatures]] = None) -> Comparison:
    """All comparisons of the plans at once (see `Comparison`); pure.

    `graph` is `build_graph`'s output when already built; `features`
    ({plan id: `text_features`}) what was already read from plans' texts,
    e.g. in worker processes; the rest is computed here.
    """
    plans = _as_plans(documents_by_plan)
    features = {p.id: features_of(p, features) for p in plans}
    term_counts = {pid: Counter(dict(f.terms)) for pid, f in features.items()}
    g = graph if graph is not None else build_graph(plans)
    names, matrix = measure_matrix(plans)
    measure_nodes = [d for _, d in g.nodes(data=True) if d["kind"] == "measure"]
    categories = {d["label"]: d["category"] for d in measure_nodes}
    cosine_terms = None if len(plans) <= FULL_COSINE_MAX_PLANS else LARGE_COSINE_TERMS
    central = sorted(((d["label"], d["betweenness"]) for d in measure_nodes), key=lambda x: (-x[1], x[0]))
    groups: Dict[int, List[str]] = {}
    for d in measure_nodes:  # communities as build_graph numbered them
        groups.setdefault(d["community"], []).append(d["label"])
    return Comparison(
        plans=plans, measures=names, categories=categories, matrix=matrix,
        spread=measure_spread(plans), jaccard=jaccard_matrix(plans),
        cosine=tfidf_cosine_matrix(plans, term_counts, cosine_terms), cosine_terms=cosine_terms,
        side_by_side=side_by_side(plans),
        gaps=plan_gaps(plans), central=tuple(central),
        communities=tuple(tuple(sorted(groups[k])) for k in sorted(groups)),
        candidates=candidate_table(plans, features=features),
    )


# --- a deterministic layout for drawing -----------------------------------------------


def spring_layout(g: nx.Graph, iterations: int = 300, seed: int = SEED) -> Dict[str, Tuple[float, float]]:
    """Fruchterman–Reingold positions in [0, 1]², pure Python, seeded: same graph, same positions.

    Nodes start at seeded random points; edge `weight` pulls harder. Output
    coordinates are rounded so that two runs write identical drawings.
    """
    nodes = sorted(g.nodes)
    n = len(nodes)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: (0.5, 0.5)}
    rnd = random.Random(seed)
    pos = {v: [rnd.random(), rnd.random()] for v in nodes}
    k = math.sqrt(1.0 / n)
    edges = sorted((min(a, b), max(a, b), math.log1p(d.get("weight", 1)))
                   for a, b, d in g.edges(data=True))
    t = 0.1
    for _ in range(iterations):
        disp = {v: [0.0, 0.0] for v in nodes}
        for i in range(n):
            a = nodes[i]
            pa, da = pos[a], disp[a]
            for j in range(i + 1, n):
                b = nodes[j]
                dx, dy = pa[0] - pos[b][0], pa[1] - pos[b][1]
                d2 = dx * dx + dy * dy or 1e-9
                f = k * k / d2
                da[0] += dx * f
                da[1] += dy * f
                disp[b][0] -= dx * f
                disp[b][1] -= dy * f
        for a, b, w in edges:
            dx, dy = pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]
            d = math.sqrt(dx * dx + dy * dy) or 1e-9
            f = d * w / k
            disp[a][0] -= dx * f
            disp[a][1] -= dy * f
            disp[b][0] += dx * f
            disp[b][1] += dy * f
        for v in nodes:
            dx, dy = disp[v]
            d = math.sqrt(dx * dx + dy * dy) or 1e-9
            step = min(d, t)
            pos[v][0] += dx / d * step
            pos[v][1] += dy / d * step
        t = max(t * 0.985, 0.002)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    w = (max(xs) - min(xs)) or 1.0
    h = (max(ys) - min(ys)) or 1.0
    return {v: (round((pos[v][0] - min(xs)) / w, 4), round((pos[v][1] - min(ys)) / h, 4))
            for v in nodes}
