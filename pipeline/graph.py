"""Plans → what the comparison reads of each plan, the comparison of many plans, and their graph.

Reads Documents once (`summarize_document`: practice counts, commitment summaries, term
counts, candidate phrases), so that extraction workers can do it and the cross-plan stage
never holds a plan's text. Aggregates per practice come from one pass over the plans; plan
similarity is the k nearest plans per plan from sparse vectors, computed in row chunks
(so memory and output grow linearly with plans), with the full matrices only for small sets.
Gives frozen records, sorted stable ids, and a networkx graph for small sets and drawings.
"""
from __future__ import annotations

import gc
import json
import math
import pickle
import random
import zlib
from array import array
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath
from typing import Dict, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

from . import segment
from .commitments import COMPARATOR_SIGNS, period_label
from .measures import candidate_phrases, measures_of
from .model import Commitment, Compliance, ComplianceCheck, Document, FileResult

NOT_NAMED = "—"  # the plan does not name the practice
NO_NUMBER = "提及"  # the plan names it but commits to no number

FULL_MAX_PLANS = 200  # up to this many plans the full similarity and mention matrices are kept
EXACT_MAX_PLANS = 3000  # above this many plans each TF-IDF vector keeps only its PRUNED_TERMS heaviest terms
PRUNED_TERMS = 64
DEFAULT_TOP_K = 10  # nearest plans kept per plan
CHUNK_ROWS = 256  # at most this many plans per block of the similarity products
BLOCK_CELLS = 1_000_000  # and at most about this many scores (rows × plans) per block: a block's arrays stay small
PARALLEL_MIN_PLANS = 200  # fewer plans than this: the comparison runs in this process whatever --workers

# A committed frequency as times per year, by its period (commitments.tsv periods).
TIMES_PER_YEAR = {"year": 1, "semester": 2, "quarter": 4, "month": 12, "biweekly": 26, "week": 52, "day": 365}

SEED = 20260101  # every random choice here (layout, communities) uses this seed
ROUND = 6  # decimals kept for floats written to files


# --- what one plan gives the comparison ------------------------------------------------


@dataclass(frozen=True)
class MeasureSummary:
    """One canonical practice as a plan names it, with what the plan commits to for it."""

    name: str
    category: str
    count: int  # mentions in the plan
    committed: Tuple[str, ...]  # distinct commitments as read (`每月≥1次`), borderline ones left out
    per_year: Optional[float]  # highest committed frequency as times per year, None when none
    edge_commitments: str  # every governing commitment (borderline included) as a JSON list


@dataclass(frozen=True)
class PlanSummary:
    """What the comparison reads from one plan, made once during extraction."""

    index: int  # the plan's position in its file
    title: str
    commitments: int  # how many commitments the plan makes
    measures: Tuple[MeasureSummary, ...]  # canonical practices, in the order found
    terms: Tuple[Tuple[str, int], ...]  # jieba terms (see `terms`) and their counts, sorted
    phrases: Tuple[str, ...]  # candidate phrases (`measures.candidate_phrases`)
    compliance: Optional[Compliance] = None  # the check's outcomes only (`compliance_outcomes`)


def compliance_outcomes(compliance: Optional[Compliance]) -> Optional[Compliance]:
    """What the plans × norms matrix reads of a plan's check: whether and why it was checked and,
    per norm, the outcome and the plan's commitment as written (quotes, spans and notes dropped)."""
    if compliance is None:
        return None
    return Compliance(checked=compliance.checked, organisation=compliance.organisation, reason=compliance.reason,
                      norms=compliance.norms,
                      checks=tuple(ComplianceCheck(practice=c.practice, outcome=c.outcome, required=c.required,
                                                   basis=c.basis, source=c.source, plan=c.plan)
                                   for c in compliance.checks))


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
    """A commitment as a JSON-ready dict for graph edges."""
    return {"index": index, "quote": c.quote, "short": commitment_short(c), "value": _number(c.value),
            "value_max": _number(c.value_max), "unit": c.unit, "comparator": c.comparator,
            "period": c.period, "kind": c.kind, "optional": c.optional, "section_id": c.section_id}


def times_per_year(c: Commitment) -> Optional[float]:
    """A frequency commitment as times per year (`每月≥1次` → 12.0); None for other kinds or no period.

    >>> from decimal import Decimal as D
    >>> times_per_year(Commitment(D(2), None, "次", ">=", "semester", "frequency", "q", (0, 1), "s", None, None))
    4.0
    """
    if c.kind != "frequency" or c.period not in TIMES_PER_YEAR:
        return None
    return round(float(c.value) * TIMES_PER_YEAR[c.period], ROUND)


def terms(text: str) -> Counter:
    """Counts of the jieba terms of `text` (project tokenizer) that hold a CJK character and are 2+ long."""
    return Counter(t for t in segment.cut(text)
                   if len(t) >= 2 and any("\u4e00" <= ch <= "\u9fff" for ch in t))


def summarize_document(document: Document) -> PlanSummary:
    """The plan's `PlanSummary`: its canonical practices with their commitments, term counts, phrases.

    Segments the text once (for the terms); everything else reads the
    document's records.
    """
    cs = document.commitments
    measures = []
    for m in measures_of(document):
        if m.candidate:
            continue
        governing = [(i, cs[i]) for i in m.commitment_ids if 0 <= i < len(cs)]
        firm = [c for _, c in governing if not c.optional]
        rates = [r for r in map(times_per_year, firm) if r is not None]
        measures.append(MeasureSummary(
            name=m.name, category=m.category, count=m.count,
            committed=tuple(dict.fromkeys(commitment_short(c) for c in firm)),
            per_year=max(rates) if rates else None,
            edge_commitments=json.dumps([commitment_record(c, i) for i, c in governing],
                                        ensure_ascii=False, sort_keys=True)))
    return PlanSummary(index=document.index, title=document.title, commitments=len(cs),
                       measures=tuple(measures), terms=tuple(sorted(terms(document.text).items())),
                       phrases=candidate_phrases(document.text),
                       compliance=compliance_outcomes(document.compliance))


# --- plans ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """One plan of the comparison: where it comes from, its letter, what it names."""

    id: str  # "<file name>#<index>": stable across runs
    letter: str  # letter_for(position): A, B, … in id order, the short name tables use
    source: str  # the input file's path
    index: int  # the plan's position in its file
    title: str
    commitments: int
    measures: Tuple[MeasureSummary, ...]
    phrases: Tuple[str, ...] = ()
    terms: Tuple[Tuple[str, int], ...] = ()  # empty when the term counts went into a PlanCollector matrix
    compliance: Optional[Compliance] = None  # outcomes of the norms check (`compliance_outcomes`)


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


def _id_order(pid: str) -> Tuple[str, int, str]:
    """Sort key of a plan id: file part, then the plan's index as a number (`a#2` before `a#10`)."""
    base, _, index = pid.rpartition("#")
    return (base, int(index), "") if index.isdigit() else (pid, -1, index)


def plan_id_bases(paths: Sequence[str]) -> Dict[str, str]:
    """{input path: the first part of its plans' ids}: the file name, or the whole path when names clash."""
    names = Counter(PurePath(p).name for p in paths)
    return {p: PurePath(p).name if names[PurePath(p).name] == 1 else p for p in paths}


def plan_entries(results: Sequence[FileResult]) -> List[Tuple[str, FileResult, Document]]:
    """(plan id, result, document) for every plan of `results`, in their order; id `<file name>#<index>`."""
    bases = plan_id_bases([r.path for r in results])
    return [(f"{bases[r.path]}#{d.index}", r, d) for r in results for d in r.documents]


class PlanShelf(Sequence):
    """The plans of a large comparison, kept compactly: ids, sources, titles and counts as they
    are, each plan's practices, phrases and compliance outcomes as one compressed pickle that
    is rebuilt into a `Plan` when read. Reads like a tuple of Plans in id order; a pass over
    it holds one plan at a time, so the comparison's memory stays a few kilobytes per plan."""

    def __init__(self, light: Sequence[Tuple[str, str, int, str, int]], packed: Sequence[bytes]) -> None:
        self._light = list(light)  # (id, source, index, title, commitments) per plan
        self._packed = list(packed)

    def __len__(self) -> int:
        return len(self._light)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return tuple(self[j] for j in range(*i.indices(len(self))))
        if i < 0:
            i += len(self)
        pid, source, index, title, commitments = self._light[i]
        measures, phrases, compliance = pickle.loads(zlib.decompress(self._packed[i]))
        return Plan(id=pid, letter=letter_for(i), source=source, index=index, title=title, commitments=commitments,
                    measures=measures, phrases=phrases, compliance=compliance)

    def __iter__(self) -> Iterator["Plan"]:
        for i in range(len(self)):
            yield self[i]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (PlanShelf, tuple, list)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def sources(self) -> Iterator[str]:
        """The plans' input files, in plan order, without unpacking the plans."""
        return (light[1] for light in self._light)


class PlanCollector:
    """Plans as they arrive (any order), kept compactly: each plan's summary packed without its
    terms (see `PlanShelf`), and the term counts of all plans in flat arrays (one sparse row per plan)."""

    def __init__(self) -> None:
        self._light: List[Tuple[str, str, int, str, int]] = []
        self._packed: List[bytes] = []
        self._vocab: Dict[str, int] = {}
        self._indices = array("i")
        self._counts = array("d")
        self._indptr = array("q", [0])
        self._names: Dict[str, str] = {}

    def _intern(self, s: str) -> str:
        return self._names.setdefault(s, s)

    def add(self, pid: str, source: str, summary: PlanSummary) -> None:
        """Take one plan (id, its file, its summary); its terms go into the arrays, the rest is packed."""
        for term, n in summary.terms:
            self._indices.append(self._vocab.setdefault(term, len(self._vocab)))
            self._counts.append(n)
        self._indptr.append(len(self._indices))
        self._light.append((pid, self._intern(source), summary.index, summary.title, summary.commitments))
        self._packed.append(zlib.compress(pickle.dumps((summary.measures, summary.phrases, summary.compliance),
                                                       protocol=pickle.HIGHEST_PROTOCOL), 1))

    def __len__(self) -> int:
        return len(self._light)

    def _order(self) -> List[int]:
        return sorted(range(len(self._light)), key=lambda i: _id_order(self._light[i][0]))

    def plans(self) -> PlanShelf:
        """The plans sorted by id and lettered A, B, … (terms left in the arrays)."""
        order = self._order()
        return PlanShelf([self._light[i] for i in order], [self._packed[i] for i in order])

    def term_matrix(self):
        """Term counts as a scipy CSR matrix, one row per plan in `plans()` order."""
        from scipy import sparse
        import numpy as np
        n = len(self._light)
        m = sparse.csr_matrix((np.frombuffer(self._counts, dtype=np.float64) if len(self._counts) else
                               np.zeros(0), np.frombuffer(self._indices, dtype=np.int32) if len(self._indices)
                               else np.zeros(0, dtype=np.int32), np.frombuffer(self._indptr, dtype=np.int64)),
                              shape=(n, max(1, len(self._vocab))))
        return m[self._order()] if n else m


def make_plans(documents_by_plan: Mapping[str, Document],
               sources: Optional[Mapping[str, str]] = None) -> Tuple[Plan, ...]:
    """Plans from {plan id: Document}, sorted by id and lettered A, B, …; `sources` maps id → file."""
    out = []
    for i, pid in enumerate(sorted(documents_by_plan, key=_id_order)):
        s = summarize_document(documents_by_plan[pid])
        out.append(Plan(id=pid, letter=letter_for(i), source=(sources or {}).get(pid, pid), index=s.index,
                        title=s.title, commitments=s.commitments, measures=s.measures, phrases=s.phrases,
                        terms=s.terms, compliance=s.compliance))
    return tuple(out)


def plans_from_results(results: Sequence[FileResult]) -> Tuple[Plan, ...]:
    """Every plan of every result (ids from `plan_entries`), sorted and lettered."""
    entries = plan_entries(results)
    return make_plans({pid: d for pid, _, d in entries}, {pid: r.path for pid, r, _ in entries})


def _as_plans(plans: Union[Sequence[Plan], Mapping[str, Document]]) -> Sequence[Plan]:
    if isinstance(plans, Mapping):
        return make_plans(plans)
    return plans if isinstance(plans, PlanShelf) else tuple(plans)


def term_matrix_of(plans: Sequence[Plan]):
    """CSR term-count matrix of plans that carry their `terms` (one row per plan, in order)."""
    collector = PlanCollector()
    for p in plans:
        collector.add(f"{p.id}", p.source, PlanSummary(p.index, p.title, p.commitments, (), p.terms, ()))
    from scipy import sparse
    m = collector.term_matrix()
    order = collector._order()  # rows came back sorted by id; put them in `plans` order
    back = [0] * len(order)
    for row, i in enumerate(order):
        back[i] = row
    return m[back] if len(plans) else sparse.csr_matrix((0, 1))


# --- similarity: sparse vectors, row blocks, k nearest --------------------------------

Neighbours = Tuple[Tuple[int, float], ...]  # (plan position, score), most similar first


def tfidf_vectors(counts, max_terms: Optional[int] = None):
    """Unit-length TF-IDF rows of a CSR term-count matrix; idf = ln((1 + N) / (1 + df)) + 1.

    With `max_terms`, each row keeps only its heaviest terms (ties: the lower
    column), which bounds the cost of the products on large sets.
    """
    import numpy as np
    from scipy import sparse
    counts = sparse.csr_matrix(counts, dtype=np.float64)
    n = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    w = counts.copy()
    w.data = w.data * idf[w.indices]
    if max_terms is not None:
        rows, cols, vals = [], [], []
        for i in range(n):
            lo, hi = w.indptr[i], w.indptr[i + 1]
            idx, val = w.indices[lo:hi], w.data[lo:hi]
            keep = np.lexsort((idx, -val))[:max_terms]
            rows.append(np.full(len(keep), i)), cols.append(idx[keep]), vals.append(val[keep])
        w = sparse.csr_matrix((np.concatenate(vals) if vals else np.zeros(0),
                               (np.concatenate(rows) if rows else np.zeros(0, int),
                                np.concatenate(cols) if cols else np.zeros(0, int))), shape=w.shape)
        w.sort_indices()
    norms = np.sqrt(np.asarray(w.multiply(w).sum(axis=1)).ravel())
    scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    return sparse.csr_matrix(sparse.diags(scale) @ w)


_BLOCK_STATE: Dict[str, object] = {}  # the matrices the row blocks read (inherited by forked workers)


def _top_k(row, i: int, k: int) -> Neighbours:
    """The k highest positive scores of `row` other than column i (ties: lower column first)."""
    import numpy as np
    row = row.copy()
    row[i] = 0.0
    nz = np.flatnonzero(row > 0)
    if len(nz) > k:
        threshold = np.partition(row[nz], len(nz) - k)[len(nz) - k]
        nz = nz[row[nz] >= threshold]
    order = nz[np.lexsort((nz, -row[nz]))][:k]
    return tuple((int(j), float(row[j])) for j in order)


def similarity_block(bounds: Tuple[int, int]):
    """Rows [start, stop) of both similarities: (jaccard top-k, cosine top-k, full rows or None) per row.

    Reads the matrices set in `_BLOCK_STATE` by `similarities`; each row's
    result depends on that row alone, so any split into blocks (and any
    number of workers) gives the same numbers.
    """
    import numpy as np
    start, stop = bounds
    s = _BLOCK_STATE
    k, full = s["k"], s["full"]
    marks, sizes, vectors, vectors_t = s["marks"], s["sizes"], s["vectors"], s["vectors_t"]
    inter = (marks[start:stop] @ s["marks_t"]).toarray()  # exact: 0/1 sums in float64
    union = sizes[start:stop, None] + sizes[None, :] - inter
    jac = np.round(np.divide(inter, union, out=np.zeros_like(inter), where=union > 0), ROUND)
    cos = np.minimum(np.round((vectors[start:stop] @ vectors_t).toarray(), ROUND), 1.0)
    has_terms = s["has_terms"]
    out = []
    for r in range(stop - start):
        i = start + r
        jac[r, i] = 1.0
        cos[r, i] = 1.0 if has_terms[i] else 0.0
        out.append((_top_k(jac[r], i, k), _top_k(cos[r], i, k),
                    (tuple(jac[r].tolist()), tuple(cos[r].tolist())) if full else None))
    return out


def similarity_state(plans: Sequence[Plan], counts=None, k: int = DEFAULT_TOP_K,
                     max_terms: Optional[int] = None, full: Optional[bool] = None, marks=None) -> Dict[str, object]:
    """The matrices `similarity_block` reads: practice marks (0/1 per plan and practice), TF-IDF
    vectors (`tfidf_vectors` of `counts`, `term_matrix_of(plans)` when None) and the settings;
    `marks` is the plans' `practice_marks` matrix when the caller has made it."""
    import numpy as np
    n = len(plans)
    counts = term_matrix_of(plans) if counts is None else counts
    marks = practice_marks(plans)[0] if marks is None else marks
    vectors = tfidf_vectors(counts, max_terms)
    return dict(k=k, full=FULL_MAX_PLANS >= n if full is None else full, marks=marks, marks_t=marks.T.tocsr(),
                sizes=np.asarray(marks.sum(axis=1)).ravel(), vectors=vectors, vectors_t=vectors.T.tocsr(),
                has_terms=np.diff(vectors.indptr) > 0)


def practice_marks(plans: Sequence[Plan]):
    """(CSR matrix with a 1.0 per plan and practice it names, the practice names by column), in one
    pass over the plans; sparse, so its size grows with the practices named, not plans × practices."""
    import numpy as np
    from scipy import sparse
    rows, cols, names = [], [], {}
    for i, p in enumerate(plans):
        for name in dict.fromkeys(m.name for m in p.measures):
            rows.append(i)
            cols.append(names.setdefault(name, len(names)))
    ordered = sorted(names)
    column = np.zeros(len(names), dtype=np.int64)
    for j, name in enumerate(ordered):
        column[names[name]] = j
    marks = sparse.csr_matrix((np.ones(len(rows)), (np.asarray(rows, dtype=np.int64),
                                                    column[np.asarray(cols, dtype=np.int64)])),
                              shape=(len(plans), max(1, len(names))))
    marks.sum_duplicates()
    return marks, tuple(ordered)


def _set_block_state(state: Dict[str, object]) -> None:
    _BLOCK_STATE.clear()
    _BLOCK_STATE.update(state)


def row_blocks(n: int) -> List[Tuple[int, int]]:
    """[start, stop) row ranges covering n plans: CHUNK_ROWS plans each, fewer when n is large so
    that a block holds about BLOCK_CELLS scores (at least 16 rows)."""
    rows = max(16, min(CHUNK_ROWS, BLOCK_CELLS // max(1, n)))
    return [(a, min(n, a + rows)) for a in range(0, n, rows)]


def _collect(rows) -> Tuple[tuple, tuple, Optional[tuple], Optional[tuple]]:
    jac_top = tuple(r[0] for r in rows)
    cos_top = tuple(r[1] for r in rows)
    if rows and rows[0][2] is None:
        return jac_top, cos_top, None, None
    return jac_top, cos_top, tuple(r[2][0] for r in rows), tuple(r[2][1] for r in rows)


@contextmanager
def fork_pool(workers: int, state: Optional[Dict[str, object]] = None):
    """A process pool whose workers hold `state` for `similarity_block` (given once per worker).

    The parent's objects are moved out of the garbage collector's reach while
    the pool lives (gc.freeze): a forked worker's collections would otherwise
    touch, and so copy, every page holding a container of the parent.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_set_block_state,
                                 initargs=(state or {},)) as pool:
            yield pool
    finally:
        gc.unfreeze()


def similarities(plans: Sequence[Plan], counts=None, k: int = DEFAULT_TOP_K, workers: int = 1,
                 max_terms: Optional[int] = None, full: Optional[bool] = None, marks=None):
    """Jaccard (sets of practices) and TF-IDF cosine (terms) between plans, in row blocks.

    In: plans, their CSR term counts (`term_matrix_of` when None), k, worker
    processes for the blocks. Out: (jaccard top-k per plan, cosine top-k per
    plan, full jaccard matrix or None, full cosine matrix or None); full
    matrices when `full` (default: up to FULL_MAX_PLANS plans). Scores are
    rounded to ROUND decimals before ranking, so ties break by plan order.
    """
    if not plans:
        return (), (), None, None
    state = similarity_state(plans, counts, k, max_terms, full, marks)
    blocks = row_blocks(len(plans))
    if workers > 1 and len(blocks) > 1:
        with fork_pool(min(workers, len(blocks)), state) as pool:
            return _collect([r for block in pool.map(similarity_block, blocks) for r in block])
    _set_block_state(state)
    try:
        return _collect([r for b in blocks for r in similarity_block(b)])
    finally:
        _BLOCK_STATE.clear()


def jaccard_matrix(plans: Sequence[Plan]) -> Tuple[Tuple[float, ...], ...]:
    """Full Jaccard similarity of the plans' practice sets (1.0 on the diagonal; 0 for two empty sets)."""
    return similarities(plans, full=True)[2]


def tfidf_cosine_matrix(plans: Sequence[Plan], max_terms: Optional[int] = None) -> Tuple[Tuple[float, ...], ...]:
    """Full cosine similarity of the plans' TF-IDF vectors over jieba terms (see `tfidf_vectors`)."""
    return similarities(plans, max_terms=max_terms, full=True)[3]


# --- aggregates in one pass -------------------------------------------------------------


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
    examples: Tuple[Tuple[str, str], ...]  # (letter, commitments as read), the first few in plan order


@dataclass(frozen=True)
class MeasureStats:
    """One practice across all plans."""

    name: str
    category: str
    plans: Tuple[int, ...]  # positions of the plans naming it
    mentions: Tuple[int, ...]  # mentions in each of those plans
    cells: Tuple[str, ...]  # per naming plan: its commitments as read, or NO_NUMBER
    committed_plans: int  # plans committing a number to it
    values: Tuple[Tuple[str, int], ...]  # (commitment as read, plans), most plans first
    per_year: Optional[Tuple[int, float, float, float]]  # (plans, min, median, max) times per year

    @property
    def plan_count(self) -> int:
        return len(self.plans)

    @property
    def mention_count(self) -> int:
        return sum(self.mentions)


def measure_stats(plans: Sequence[Plan]) -> Tuple[MeasureStats, ...]:
    """Per practice, in one pass over the plans: who names it, how often, what they commit to;
    most widely named first, then by name."""
    acc: Dict[str, Tuple[str, List[int], List[int], List[str], Counter, List[float]]] = {}
    for i, p in enumerate(plans):
        for m in p.measures:
            entry = acc.get(m.name)
            if entry is None:
                entry = acc[m.name] = (m.category, [], [], [], Counter(), [])
            entry[1].append(i)
            entry[2].append(m.count)
            entry[3].append("、".join(m.committed) if m.committed else NO_NUMBER)
            entry[4].update(m.committed)
            if m.per_year is not None:
                entry[5].append(m.per_year)
    out = []
    for name in sorted(acc, key=lambda n: (-len(acc[n][1]), n)):
        category, where, counts, cells, values, rates = acc[name]
        rates.sort()
        mid = len(rates) // 2
        median = (rates[mid] if len(rates) % 2 else (rates[mid - 1] + rates[mid]) / 2) if rates else 0.0
        out.append(MeasureStats(
            name=name, category=category, plans=tuple(where), mentions=tuple(counts), cells=tuple(cells),
            committed_plans=sum(1 for c in cells if c != NO_NUMBER),
            values=tuple(sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))),
            per_year=(len(rates), rates[0], round(median, ROUND), rates[-1]) if rates else None))
    return tuple(out)


def measure_order(plans: Sequence[Plan]) -> Tuple[str, ...]:
    """Measure names, most widely named first, then by name."""
    return tuple(s.name for s in measure_stats(plans))


def spread_of(stats: Sequence[MeasureStats], plans: Sequence[Plan]) -> Spread:
    """Measures common to all plans, to more than half, and to one plan only."""
    n = len(plans)
    return Spread(common=tuple(s.name for s in stats if s.plan_count == n),
                  most=tuple(s.name for s in stats if n / 2 < s.plan_count < n),
                  unique=tuple((s.name, letter_for(s.plans[0])) for s in stats
                               if s.plan_count == 1 and n > 1))


def measure_spread(plans: Sequence[Plan]) -> Spread:
    """`spread_of` the plans' own measure stats."""
    plans = _as_plans(plans)
    return spread_of(measure_stats(plans), plans)


GAP_EXAMPLES = 3  # commitments of other plans quoted with each gap


def gaps_of(stats: Sequence[MeasureStats], plans: Sequence[Plan]) -> Tuple[Gap, ...]:
    """Per plan, the practices most other plans commit a number to that it leaves vague or omits.

    "Most" is more than half of the other plans and at least two of them.
    A plan committing to the practice itself is never a gap, so the count of
    other plans committing is the practice's whole count.
    """
    others = len(plans) - 1
    wide = []
    for s in stats:
        k = s.committed_plans
        if k >= 2 and k * 2 > others:
            committed = {i: c for i, c in zip(s.plans, s.cells) if c != NO_NUMBER}
            examples = tuple((letter_for(i), committed[i]) for i in sorted(committed)[:GAP_EXAMPLES])
            wide.append((s, committed, k, examples))
    out = []
    for i, p in enumerate(plans):
        named = {m.name for m in p.measures}
        for s, committed, k, examples in wide:
            if i not in committed:
                out.append(Gap(p.letter, s.name, "vague" if s.name in named else "omitted", k, others, examples))
    return tuple(out)


def plan_gaps(plans: Sequence[Plan]) -> Tuple[Gap, ...]:
    """`gaps_of` the plans' own measure stats."""
    plans = _as_plans(plans)
    return gaps_of(measure_stats(plans), plans)


def side_by_side(plans: Sequence[Plan]) -> Tuple[Tuple[str, Tuple[str, ...]], ...]:
    """Per measure that any plan commits a number to: one cell per plan (`每月≥1次`, `提及`, `—`)."""
    plans = _as_plans(plans)
    out = []
    for s in measure_stats(plans):
        if s.committed_plans:
            cells = dict(zip(s.plans, s.cells))
            out.append((s.name, tuple(cells.get(i, NOT_NAMED) for i in range(len(plans)))))
    return tuple(out)


def gap_examples(gap: Gap) -> str:
    """A gap's examples as one line: `A 每月≥1次; B 每月2次`."""
    return "; ".join(f"{letter} {text}" for letter, text in gap.examples)


def candidate_table(plans: Sequence[Plan], min_plans: int = 2) -> Tuple[Tuple[str, Tuple[str, ...]], ...]:
    """Recurring phrases not in the lexicon (`measures.candidate_phrases`) named by at least
    `min_plans` plans, with their letters; most widespread first, then by phrase."""
    where: Dict[str, List[int]] = {}
    for i, p in enumerate(plans):
        for phrase in dict.fromkeys(p.phrases):
            where.setdefault(phrase, []).append(i)
    keep = sorted((ph for ph, ws in where.items() if len(ws) >= min_plans), key=lambda ph: (-len(where[ph]), ph))
    return tuple((ph, tuple(letter_for(i) for i in where[ph])) for ph in keep)


def cooccurrence(plans: Sequence[Plan], marked=None) -> Tuple[Tuple[str, str, int], ...]:
    """(practice a, practice b, plans naming both) for every pair named together, a < b, sorted
    (`marked`: the plans' `practice_marks` when the caller has made them)."""
    import numpy as np
    marks, names = practice_marks(plans) if marked is None else marked
    if len(names) < 2:
        return ()
    both = (marks.T @ marks).toarray()  # exact: counts of 0/1 products
    a, b = np.nonzero(np.triu(both, 1))
    return tuple((names[x], names[y], int(both[x, y])) for x, y in zip(a.tolist(), b.tolist()))


# --- the comparison -------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """Everything the comparison exports show, computed once from the plans (linear in plans)."""

    plans: Sequence[Plan]  # a tuple, or a PlanShelf for collected plans; plan i's letter is letter_for(i)
    stats: Tuple[MeasureStats, ...]  # per practice, most widely named first, then by name
    spread: Spread
    top_k: int
    method: str  # "exact" or "pruned" (vectors keep `cosine_terms` terms)
    cosine_terms: Optional[int]
    nearest_jaccard: Tuple[Neighbours, ...]  # per plan
    nearest_cosine: Tuple[Neighbours, ...]
    jaccard: Optional[Tuple[Tuple[float, ...], ...]]  # full [plan][plan] matrix up to FULL_MAX_PLANS
    cosine: Optional[Tuple[Tuple[float, ...], ...]]
    gaps: Tuple[Gap, ...]
    cooccurs: Tuple[Tuple[str, str, int], ...]  # practice pairs and the plans naming both
    betweenness: Mapping[str, float]
    community: Mapping[str, int]  # practice → index into `communities`
    communities: Tuple[Tuple[str, ...], ...]  # practices that go together (Louvain, seeded), largest first
    candidates: Tuple[Tuple[str, Tuple[str, ...]], ...]  # (phrase, letters) not in the lexicon

    @property
    def measures(self) -> Tuple[str, ...]:
        return tuple(s.name for s in self.stats)

    @property
    def categories(self) -> Dict[str, str]:
        return {s.name: s.category for s in self.stats}

    @property
    def full(self) -> bool:
        return self.jaccard is not None

    @property
    def files(self) -> int:
        plans = self.plans
        return len(set(plans.sources() if isinstance(plans, PlanShelf) else (p.source for p in plans)))

    @property
    def matrix(self) -> Optional[Tuple[Tuple[int, ...], ...]]:
        """[measure][plan] mention counts when the comparison is full, else None."""
        if not self.full:
            return None
        rows = []
        for s in self.stats:
            row = [0] * len(self.plans)
            for i, n in zip(s.plans, s.mentions):
                row[i] = n
            rows.append(tuple(row))
        return tuple(rows)

    @property
    def side_by_side(self) -> Tuple[Tuple[str, Tuple[Tuple[int, str], ...]], ...]:
        """(practice, (plan position, cell) per plan naming it) for practices any plan commits a number to."""
        return tuple((s.name, tuple(zip(s.plans, s.cells))) for s in self.stats if s.committed_plans)

    @property
    def central(self) -> Tuple[Tuple[str, float], ...]:
        """Practices by weighted betweenness, highest first, then by name."""
        return tuple(sorted(((s.name, self.betweenness.get(s.name, 0.0)) for s in self.stats),
                            key=lambda x: (-x[1], x[0])))


def nearest_plans(c: Comparison, which: str, i: int, k: int = 3) -> Tuple[Tuple[str, float], ...]:
    """The `k` plans most similar to plan `i` (`which`: "jaccard" or "cosine") as (letter, score)."""
    near = c.nearest_jaccard if which == "jaccard" else c.nearest_cosine
    return tuple((letter_for(j), x) for j, x in near[i][:k])


def compare(plans: Union[Sequence[Plan], Mapping[str, Document]], counts=None, top_k: int = DEFAULT_TOP_K,
            workers: int = 1) -> Comparison:
    """All comparisons of the plans at once (see `Comparison`).

    In: Plans (or {plan id: Document}), their CSR term counts when the plans
    do not carry terms (`PlanCollector.term_matrix`), k nearest plans kept per
    plan, worker processes for the similarity blocks. Same plans, same
    result, for any number of workers.
    """
    import networkx as nx
    plans = _as_plans(plans)
    stats = measure_stats(plans)
    pruned = len(plans) > EXACT_MAX_PLANS
    marked = practice_marks(plans)  # one pass, shared by the co-occurrence and the similarity blocks
    pairs = cooccurrence(plans, marked)
    h = nx.Graph()
    h.add_nodes_from(sorted(s.name for s in stats))
    for a, b, w in pairs:
        h.add_edge(a, b, weight=w, distance=round(1.0 / w, ROUND))
    if not plans:
        jac_top, cos_top, jac, cos = (), (), None, None
        between = {}
    elif workers > 1 and len(plans) >= PARALLEL_MIN_PLANS:
        # betweenness (bounded by the practices, not the plans) runs beside the similarity blocks
        state = similarity_state(plans, counts, top_k, PRUNED_TERMS if pruned else None, marks=marked[0])
        with fork_pool(workers, state) as pool:
            groups_pending = [pool.submit(_betweenness_part, h, g) for g in _source_groups(h)] \
                if h.number_of_nodes() >= 3 else None
            jac_top, cos_top, jac, cos = _collect(
                [r for block in pool.map(similarity_block, row_blocks(len(plans))) for r in block])
            between = _betweenness_total(h, [p.result() for p in groups_pending]) if groups_pending \
                else {n: 0.0 for n in h}
    else:
        jac_top, cos_top, jac, cos = similarities(plans, counts, top_k, 1, PRUNED_TERMS if pruned else None,
                                                  marks=marked[0])
        between = _betweenness(h)
    groups = _communities(h)
    return Comparison(
        plans=plans, stats=stats, spread=spread_of(stats, plans), top_k=top_k,
        method="pruned" if pruned else "exact", cosine_terms=PRUNED_TERMS if pruned else None,
        nearest_jaccard=jac_top, nearest_cosine=cos_top, jaccard=jac, cosine=cos,
        gaps=gaps_of(stats, plans), cooccurs=pairs, betweenness=between,
        community={name: i for i, group in enumerate(groups) for name in group}, communities=groups,
        candidates=candidate_table(plans))


# Betweenness is summed over source practices in this many fixed groups, whatever the number of
# workers, so the same sums are added in the same order for any N (and the groups can run beside
# the similarity blocks on a pool).
BETWEENNESS_GROUPS = 4


def _source_groups(h) -> Tuple[Tuple[str, ...], ...]:
    nodes = sorted(h)
    return tuple(tuple(nodes[i::BETWEENNESS_GROUPS]) for i in range(BETWEENNESS_GROUPS))


def _betweenness_part(h, sources: Sequence[str]) -> Dict[str, float]:
    """Unnormalised weighted betweenness of every node over the shortest paths from `sources`."""
    import networkx as nx
    return nx.betweenness_centrality_subset(h, sources=list(sources), targets=sorted(h), normalized=False,
                                            weight="distance")


def _betweenness_total(h, parts: Sequence[Dict[str, float]]) -> Dict[str, float]:
    """Normalised betweenness from the groups' parts (in group order), rounded: equal to
    networkx's `betweenness_centrality(normalized=True)` of the whole graph."""
    n = h.number_of_nodes()
    scale = 2.0 / ((n - 1) * (n - 2))  # the parts already halve each undirected pair
    return {v: round(sum(part[v] for part in parts) * scale, ROUND) for v in sorted(h)}


def _betweenness(h) -> Dict[str, float]:
    """Weighted betweenness over co-occurrence distances (1 / plans naming both), rounded."""
    if h.number_of_nodes() < 3:
        return {n: 0.0 for n in h}
    return _betweenness_total(h, [_betweenness_part(h, group) for group in _source_groups(h)])


def _communities(h) -> Tuple[Tuple[str, ...], ...]:
    """Louvain groups of the co-occurrence graph (fixed seed), largest first, then by members."""
    import networkx as nx
    if h.number_of_edges() == 0:
        return tuple((n,) for n in sorted(h))
    groups = nx.community.louvain_communities(h, weight="weight", seed=SEED)
    return tuple(sorted((tuple(sorted(c)) for c in groups), key=lambda c: (-len(c), c)))


# --- the graph: plans, practices, plan–practice and practice–practice edges --------------


def plan_node(plan: Plan) -> str:
    """Node id of a plan."""
    return f"plan:{plan.id}"


def measure_node(name: str) -> str:
    """Node id of a measure."""
    return f"measure:{name}"


def graph_nodes(c: Comparison) -> Iterator[Tuple[str, Dict[str, object]]]:
    """(node id, attributes) of every node: plans in plan order, then practices by name.

    Plan nodes: kind=plan, label=title, letter, source, index, measures,
    commitments. Practice nodes: kind=measure, label, category, plans,
    mentions, betweenness, community. Every attribute is a scalar.
    """
    for p in c.plans:
        yield plan_node(p), {"kind": "plan", "label": p.title or "(untitled)", "letter": p.letter,
                             "source": p.source, "index": p.index, "measures": len(p.measures),
                             "commitments": p.commitments}
    for s in sorted(c.stats, key=lambda s: s.name):
        yield measure_node(s.name), {"kind": "measure", "label": s.name, "category": s.category,
                                     "plans": s.plan_count, "mentions": s.mention_count,
                                     "betweenness": c.betweenness.get(s.name, 0.0),
                                     "community": c.community.get(s.name, -1)}


def graph_edges(c: Comparison) -> Iterator[Tuple[str, str, Dict[str, object]]]:
    """(node, node, attributes) of every edge: plan–practice (kind=names, weight=mentions,
    commitments as a JSON string, summary) per plan in order, practices by name; then
    practice–practice (kind=co-occurs, weight=plans naming both, distance=1/weight).
    No edge joins two plans, so the edges grow with plans × practices named."""
    for p in c.plans:
        for m in sorted(p.measures, key=lambda m: m.name):
            yield plan_node(p), measure_node(m.name), {"kind": "names", "weight": m.count,
                                                       "commitments": m.edge_commitments,
                                                       "summary": "、".join(m.committed)}
    for a, b, w in c.cooccurs:
        yield measure_node(a), measure_node(b), {"kind": "co-occurs", "weight": w,
                                                 "distance": round(1.0 / w, ROUND)}


def build_graph(plans: Union[Comparison, Sequence[Plan], Mapping[str, Document]]):
    """The comparison's graph as an nx.Graph (nodes and edges of `graph_nodes`/`graph_edges`, in order).

    Meant for small sets and tests; the graph files are written from the
    generators without building it.
    """
    import networkx as nx
    c = plans if isinstance(plans, Comparison) else compare(plans)
    g = nx.Graph(name="planlens")
    for n, d in graph_nodes(c):
        g.add_node(n, **d)
    for a, b, d in graph_edges(c):
        g.add_edge(a, b, **d)
    return g


def cooccurrence_graph(g):
    """The measure–measure part of `build_graph`'s graph, keyed by measure name."""
    import networkx as nx
    h = nx.Graph()
    for n, d in g.nodes(data=True):
        if d.get("kind") == "measure":
            h.add_node(d["label"])
    for a, b, d in g.edges(data=True):
        if d.get("kind") == "co-occurs":
            h.add_edge(g.nodes[a]["label"], g.nodes[b]["label"], weight=d["weight"], distance=d["distance"])
    return h


def measure_betweenness(g) -> Dict[str, float]:
    """Weighted betweenness of each measure in a graph's co-occurrence part (distance = 1/weight)."""
    return _betweenness(cooccurrence_graph(g))


def measure_communities(g) -> Tuple[Tuple[str, ...], ...]:
    """Groups of measures that go together (Louvain on co-occurrence, fixed seed), largest first."""
    return _communities(cooccurrence_graph(g))


def drawing_source(c: Comparison, max_plans: int):
    """The nx graph a drawing starts from: the whole graph up to `max_plans` plans, else the
    practices and their co-occurrence edges only (no plan nodes)."""
    import networkx as nx
    if len(c.plans) <= max_plans:
        return build_graph(c)
    g = nx.Graph(name="planlens")
    for n, d in graph_nodes(c):
        if d["kind"] == "measure":
            g.add_node(n, **d)
    for a, b, d in graph_edges(c):
        if d["kind"] == "co-occurs":
            g.add_edge(a, b, **d)
    return g


# --- a deterministic layout for drawing -----------------------------------------------


def spring_layout(g, iterations: int = 300, seed: int = SEED) -> Dict[str, Tuple[float, float]]:
    """Fruchterman–Reingold positions in [0, 1]², seeded: same graph, same positions.

    Nodes start at seeded random points; edge `weight` pulls harder (log1p).
    Each iteration is a few array operations over all node pairs (numpy), so
    a drawing of a few hundred nodes takes a fraction of a second. Output
    coordinates are rounded so that two runs write identical drawings.
    """
    import numpy as np
    nodes = sorted(g.nodes)
    n = len(nodes)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: (0.5, 0.5)}
    rnd = random.Random(seed)
    pos = np.array([[rnd.random(), rnd.random()] for _ in nodes])
    index = {v: i for i, v in enumerate(nodes)}
    edges = sorted((min(index[a], index[b]), max(index[a], index[b]), math.log1p(d.get("weight", 1)))
                   for a, b, d in g.edges(data=True) if a != b)
    ea = np.array([e[0] for e in edges], dtype=int)
    eb = np.array([e[1] for e in edges], dtype=int)
    ew = np.array([e[2] for e in edges], dtype=float)
    k = math.sqrt(1.0 / n)
    t = 0.1
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        d2 = (delta * delta).sum(axis=2)
        d2[d2 == 0] = 1e-9
        np.fill_diagonal(d2, np.inf)
        disp = (delta * (k * k / d2)[:, :, None]).sum(axis=1)
        if len(edges):
            dx = pos[ea] - pos[eb]
            d = np.sqrt((dx * dx).sum(axis=1))
            d[d == 0] = 1e-9
            pull = dx * (d * ew / k)[:, None]
            np.subtract.at(disp, ea, pull)
            np.add.at(disp, eb, pull)
        d = np.sqrt((disp * disp).sum(axis=1))
        d[d == 0] = 1e-9
        pos += disp / d[:, None] * np.minimum(d, t)[:, None]
        t = max(t * 0.985, 0.002)
    lo, hi = pos.min(axis=0), pos.max(axis=0)
    span = np.where(hi - lo > 0, hi - lo, 1.0)
    norm = (pos - lo) / span
    return {v: (round(float(norm[i, 0]), 4), round(float(norm[i, 1]), 4)) for i, v in enumerate(nodes)}
