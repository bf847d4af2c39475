"""Measures: the recurring practices a plan names (三会一课, 主题党日, 谈心谈话 …).

Reads a plan's text, its sections and commitments plus `lexicons/measures.tsv`;
gives one `Measure` per canonical practice, and candidate practices seen across plans.
"""
from __future__ import annotations

import heapq
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import replace
from functools import lru_cache
from itertools import accumulate, chain, combinations
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from . import lexicons, segment
from .errors import LexiconError
from .model import Commitment, Document, Measure, Section, Span
from .memo import last_by_identity
from .records import record
from .textutil import SENTENCE_END, fold

TABLE = "measures.tsv"
COLUMNS = ("name", "category", "aliases", "gloss")

# Characters ignored when matching: quotes around a term (“三会一课”制度) and
# whitespace left by hard wraps (三会\n一课). Offsets map back to the text.
IGNORED = frozenset("“”‘’\"'「」『』《》〈〉 \t\r\n\u3000\u00a0")

# Joiners allowed between the two heads of an elliptical pair (党务、校务公开).
ELLIPSIS_JOINERS = ("", "、", "和", "与", "及")

# Kinds of commitment that a heading naming a practice governs when the sentence names
# none (`(一)支部党员大会` … `会前3天发布通知`); counts of things (`20条建议`) it does not.
HEADING_KINDS = frozenset({"frequency", "schedule", "deadline"})

# A practice named in two parts with a few words between (入党积极分子的考察和培养): the parts
# cell of measures.tsv holds two groups of alternatives, `A|B + C|D` (in this order) or
# `A|B & C|D` (either order); the gap cell the most characters allowed between them.
PARTS_IN_ORDER, PARTS_ANY_ORDER = "+", "&"
# Characters a gap between two parts may not hold: the parts must sit in one clause.
PARTS_BREAKS = frozenset("，,。；;：:！!？?")
PARTS_MAX_GAP = 16

# Category given to candidate practices proposed from the text.
CANDIDATE_CATEGORY = "候选"


@record
class MeasureEntry:
    """One row of measures.tsv: a canonical practice and its surface forms."""

    name: str
    category: str
    aliases: Tuple[str, ...]
    gloss: str
    not_in: Tuple[str, ...]  # longer strings that contain a form but are not this practice
    where: str  # lexicons/measures.tsv:LINE
    parts: Tuple[Tuple[str, ...], ...] = ()  # two groups of alternatives: the practice in two parts
    gap: int = 0  # most characters between the two parts
    any_order: bool = False  # the parts may come in either order


@record
class Lexicon:
    """The compiled measure lexicon: entries by name and one longest-first finder over the forms."""

    entries: Mapping[str, MeasureEntry]
    # surface form (folded) → canonical names it stands for; () for a blocking context
    forms: Mapping[str, Tuple[str, ...]]
    # the forms' matches (leftmost, longest, no overlaps: those of `form_pattern`) found by an
    # Aho-Corasick automaton: one pass over the text in compiled code, three times as fast
    finder: lexicons.WordFinder
    # words of every parts rule → (entry name, group index 0/1) pairs
    part_words: Mapping[str, Tuple[Tuple[str, int], ...]] = None  # type: ignore[assignment]
    # words that can open a parts mention → (largest gap, ((entry name, group, gap), …) in the order
    # of part_words): group 0 words, and group 1 words of a rule whose parts come in either order
    part_starts: Mapping[str, Tuple[int, Tuple[Tuple[str, int, int], ...]]] = None  # type: ignore[assignment]
    parts_finder: Optional[lexicons.WordFinder] = None  # the matches of `parts_pattern()` (its words), likewise


@record
class Mention:
    """One place a practice is named: canonical name, the form as listed, where."""

    name: str
    form: str  # the lexicon form that matched (quotes and wraps removed)
    span: Span  # into the text that was scanned; text[span] may still hold quotes
    section_id: Optional[str] = None


@record
class _View:
    """Text with ignored characters removed, and the map back to original offsets: for the k-th
    removed character (at original offset r_k), `shifts[k]` = r_k - k, its place in the view."""

    text: str
    shifts: Tuple[int, ...]

    def offset(self, i: int) -> int:
        """Original offset of view position i."""
        return i + bisect_right(self.shifts, i)

    def span(self, start: int, end: int) -> Span:
        return _text_span(self.shifts, start, end)


def _text_span(shifts: Sequence[int], start: int, end: int) -> Span:
    """`_View.span` from the view's shifts alone: offset(start), offset(end - 1) + 1."""
    return (start + bisect_right(shifts, start), end + bisect_right(shifts, end - 1))


_IGNORED_RUN = re.compile("[" + re.escape("".join(sorted(IGNORED))) + "]")


def _view(text: str) -> _View:
    pieces = _IGNORED_RUN.split(fold(text))
    if len(pieces) == 1:
        return _View(pieces[0], ())
    # the k-th removed character follows pieces 0..k: its place in the view is their total length
    return _View("".join(pieces), tuple(accumulate(map(len, pieces[:-1]))))


def _flat(text: str) -> str:
    """`_view(text).text` alone, for a caller that needs no offsets."""
    return _IGNORED_RUN.sub("", fold(text))


# Trie nodes wider than this are split into groups behind lookaheads (`lexicons.alternation`'s
# `width`): the measure forms are many, and most places of a plan's text start none of them.
# 64 (most nodes left whole, the root of some 300 first characters in a handful of groups) ran
# the regex over the seed plans in about 0.78 of the instructions of 16; 6-24 and no grouping at
# all cost more, 48-128 about the same.
FORM_PATTERN_WIDTH = 64


def _norm(word: str) -> str:
    return "".join(ch for ch in fold(word) if ch not in IGNORED)


def parse_entries(rows: Iterable[Mapping[str, str]]) -> Tuple[MeasureEntry, ...]:
    """Rows of measures.tsv → MeasureEntry records, checked.

    Raises LexiconError (`lexicons/measures.tsv:LINE: problem`) for an empty
    category, a form listed twice, or a `not_in` context that holds none of
    the row's forms.
    """
    out: List[MeasureEntry] = []
    owner: Dict[str, str] = {}
    for row in rows:
        where = row.get("_where", f"lexicons/{TABLE}")
        name = _norm(row["name"])
        if not row.get("category", "").strip():
            raise LexiconError(where, f"'{name}' has no category")
        aliases = tuple(_norm(a) for a in lexicons.split_list(row.get("aliases", "")))
        for form in (name,) + aliases:
            if form in owner:
                raise LexiconError(where, f"'{form}' is already a form of '{owner[form]}'")
            owner[form] = name
        not_in = tuple(_norm(b) for b in lexicons.split_list(row.get("not_in", "")))
        for ctx in not_in:
            if not any(f in ctx for f in (name,) + aliases):
                raise LexiconError(where, f"not_in '{ctx}' holds none of the forms of '{name}'")
        parts, gap, any_order = _parse_parts(row, where)
        out.append(MeasureEntry(name, row["category"].strip(), aliases,
                                row.get("gloss", "").strip(), not_in, where, parts, gap, any_order))
    return tuple(out)


def _parse_parts(row: Mapping[str, str], where: str) -> Tuple[Tuple[Tuple[str, ...], ...], int, bool]:
    """The parts and gap cells of one row: (groups, gap, any order); ((), 0, False) when empty."""
    cell = row.get("parts", "").strip()
    gap_cell = row.get("gap", "").strip()
    if not cell:
        if gap_cell:
            raise LexiconError(where, "gap given without parts")
        return (), 0, False
    joiner = PARTS_ANY_ORDER if PARTS_ANY_ORDER in cell else PARTS_IN_ORDER
    groups = tuple(tuple(_norm(w) for w in lexicons.split_list(g)) for g in cell.split(joiner))
    if len(groups) != 2 or not all(groups) or PARTS_IN_ORDER in cell and PARTS_ANY_ORDER in cell:
        raise LexiconError(where, f"parts '{cell}' is not two groups joined by {PARTS_IN_ORDER} or {PARTS_ANY_ORDER}")
    if not gap_cell.isdigit() or not 0 < int(gap_cell) <= PARTS_MAX_GAP:
        raise LexiconError(where, f"gap '{gap_cell}' is not a whole number from 1 to {PARTS_MAX_GAP}")
    return groups, int(gap_cell), joiner == PARTS_ANY_ORDER


def elliptical_forms(names: Iterable[str]) -> Dict[str, Tuple[str, ...]]:
    """Coordinated forms that name two practices sharing a head word.

    `党务公开` and `校务公开` share the head `公开`, so `党务校务公开` and
    `党务、校务公开` name both. Heads and both modifiers are at least two
    characters; forms are returned with the two names they stand for.
    `compile_lexicon` pairs only names of one category.

    >>> elliptical_forms(["党务公开", "校务公开"])["党务、校务公开"]
    ('党务公开', '校务公开')
    """
    out: Dict[str, Tuple[str, ...]] = {}
    for a, b in combinations(sorted(set(names)), 2):
        for k in range(2, min(len(a), len(b)) - 1):
            if a[-k:] != b[-k:]:
                break
            head, pa, pb = a[-k:], a[:-k], b[:-k]
            for first, second in ((pa, pb), (pb, pa)):
                for joiner in ELLIPSIS_JOINERS:
                    out[first + joiner + second + head] = (a, b)
    return out


def compile_lexicon(entries: Sequence[MeasureEntry]) -> Lexicon:
    """Build the longest-first finder over every form, blocking context and elliptical pair."""
    forms: Dict[str, Tuple[str, ...]] = {}
    for e in entries:
        for form in (e.name,) + e.aliases:
            forms[form] = (e.name,)
    by_category: Dict[str, List[str]] = {}
    for e in entries:
        by_category.setdefault(e.category, []).append(e.name)
    for category in sorted(by_category):
        for form, pair in elliptical_forms(by_category[category]).items():
            forms.setdefault(form, pair)
    for e in entries:
        for ctx in e.not_in:
            forms.setdefault(ctx, ())
    finder = lexicons.word_finder(forms)
    part_words: Dict[str, List[Tuple[str, int]]] = {}
    for e in entries:
        for k, group in enumerate(e.parts):
            for word in group:
                part_words.setdefault(word, []).append((e.name, k))
    by_name = {e.name: e for e in entries}
    part_starts = {}
    for word, roles in part_words.items():
        opens = tuple((name, k, by_name[name].gap) for name, k in roles if k == 0 or by_name[name].any_order)
        if opens:
            part_starts[word] = (max(gap for _, _, gap in opens), opens)
    return Lexicon(by_name, forms, finder, {w: tuple(v) for w, v in part_words.items()}, part_starts,
                   lexicons.word_finder(part_words) if part_words else None)


@lru_cache(maxsize=1)
def parts_pattern() -> Optional["re.Pattern[str]"]:
    """The parts rules' words as one regex trie (its one group is the word): the same matches as
    `Lexicon.parts_finder`, compiled only when asked for, as the reference that finder is tested
    against; None when no rule has parts."""
    words = lexicon().part_words
    return re.compile("(" + lexicons.alternation(words, f"lexicons/{TABLE}") + ")") if words else None


@lru_cache(maxsize=1)
def form_pattern() -> "re.Pattern[str]":
    """The lexicon's forms as one regex trie (grouped, behind a lookahead): the same matches as
    `Lexicon.finder`, which the stages scan with; compiled only when asked for (it takes longer to
    compile than the automaton to build), as the reference the finder is tested against."""
    return re.compile(lexicons.alternation(lexicon().forms, f"lexicons/{TABLE}", width=FORM_PATTERN_WIDTH,
                                           lookahead=2))


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The compiled lexicon of `lexicons/measures.tsv` (once per process)."""
    return compile_lexicon(parse_entries(lexicons.read_table(TABLE, COLUMNS)))


def scan(text: str, lex: Optional[Lexicon] = None) -> Tuple[Mention, ...]:
    """Every mention of a known practice in `text`, in reading order, spans into `text`.

    Longest form first, no overlaps: `支部党员大会` is one mention, not also
    `党员大会`; a form inside a `not_in` context (`教职工会议` for 工会) is dropped;
    an elliptical pair (`党务校务公开`) gives one mention of each practice.
    """
    view = _view(text)
    return tuple(Mention(name, form, (start, end))
                 for start, end, name, form in _hits(view.text, view.shifts, lex or lexicon()))


# One mention as `_hits` finds it: (start, end) in the text, canonical name, form.
_Hit = Tuple[int, int, str, str]


def _hits(view: str, shifts: Sequence[int], lex: Lexicon) -> List[_Hit]:
    """The mentions `scan` gives, in the same order, found in the view text (`_View.text`) and
    spanned into the original text through its `shifts` (as `_View.span` does)."""
    forms = lex.forms
    out: List[_Hit] = []
    words = lex.finder.words
    for k, start, end in lex.finder.automaton.find_matches_as_indexes(view):  # as form_pattern().finditer(view) finds them
        form = words[k]
        names = forms[form]
        if names:
            if shifts:  # _text_span, inlined: once per mention
                start, end = start + bisect_right(shifts, start), end + bisect_right(shifts, end - 1)
            for name in names:
                out.append((start, end, name, form))
    if lex.parts_finder is not None:
        parts = _part_hits(view, shifts, lex, out)
        if parts:  # else `out` is in order already: spans increase, a pair's two names are sorted
            out = sorted(out + parts, key=_hit_order)
    return out


def _hit_order(hit: _Hit) -> Tuple[int, int, str]:
    return hit[0], hit[1], hit[2]


def _part_hits(view: str, shifts: Sequence[int], lex: Lexicon, found: Sequence[_Hit]) -> List[_Hit]:
    """Mentions of practices named in two parts (`parts` and `gap` in measures.tsv): the parts in
    one clause with at most `gap` characters between, and no mention of that practice already
    covering the place. Each word is compared with the words that start within the gap after it
    only, so the pass stays linear in the text. Spans into the text, like `found`."""
    # the words as parts_pattern().finditer would give them: word k spans starts[k]:stops[k]
    found_words = lex.parts_finder.spans(view)
    if len(found_words) < 2:
        return []
    starts = [w[0] for w in found_words]
    stops = [w[1] for w in found_words]
    words = [w[2] for w in found_words]
    opening = lex.part_starts
    # words that open a rule and have the next word within the rule's largest gap: only these can
    # start a pair (picked out before any offset is worked out)
    openers = [k for k, word in enumerate(words[:-1]) if word in opening and starts[k + 1] - stops[k] <= opening[word][0]]
    if not openers:
        return []
    covered: Dict[str, List[Span]] = {}  # practice → its mentions in `found`, gathered at its first pair
    out: List[_Hit] = []
    taken: Dict[str, int] = {}  # practice → end of its last parts mention (in the view)
    for i in openers:
        start, end = starts[i], stops[i]
        for name, group, gap in opening[words[i]][1]:
            if start < taken.get(name, -1):
                continue
            j = i + 1
            while j < len(words) and starts[j] - end <= gap:
                start2, end2, word2 = starts[j], stops[j], words[j]
                j += 1
                if start2 < end or (name, 1 - group) not in lex.part_words[word2]:
                    continue
                if any(ch in PARTS_BREAKS for ch in view[end:start2]):
                    break
                if name not in covered:  # the practice's mentions, in reading order (so sorted)
                    covered[name] = [(m_start, m_end) for m_start, m_end, m_name, _ in found if m_name == name]
                span = _text_span(shifts, start, end2)
                if not _overlaps(covered[name], span):
                    out.append((span[0], span[1], name, view[start:end2]))
                    taken[name] = end2
                break
    return out


def _overlaps(spans: Sequence[Span], span: Span) -> bool:
    """Whether any of the sorted, non-overlapping `spans` overlaps `span`."""
    k = bisect_right(spans, (span[1], span[1]))
    return any(a < span[1] and span[0] < b for a, b in spans[max(0, k - 2):k])


def innermost_section(sections: Sequence[Section], pos: int) -> Optional[Section]:
    """The deepest section whose span holds offset `pos` (None before the first heading);
    of equally deep ones, the last listed. Looked up by bisection in an index of the sections
    built once per sections sequence (a plan with thousands of headings costs no more per lookup)."""
    points, owners = _section_index(sections)
    i = bisect_right(points, pos) - 1
    return owners[i] if i >= 0 else None


@last_by_identity
def _sections_by_id(sections: Sequence[Section]) -> Dict[str, Section]:
    """The sections by id, built once per sections sequence (asked once per commitment)."""
    return {s.id: s for s in sections}


@last_by_identity
def _section_index(sections: Sequence[Section]) -> Tuple[List[int], List[Optional[Section]]]:
    """(boundaries, owner from each boundary on): a sweep over span starts and ends keeping the
    open sections in a heap by (level, position in the list), the top one owning the stretch;
    built once per sections sequence."""
    spans = [s.span for s in sections]
    events = sorted(set(chain.from_iterable(spans)))
    by_start: Dict[int, List[int]] = {}
    for k, (start, end) in enumerate(spans):
        if start < end:
            if start in by_start:
                by_start[start].append(k)
            else:
                by_start[start] = [k]
    heap: List[Tuple[int, int]] = []
    owners: List[Optional[Section]] = []
    for point in events:
        if point in by_start:
            for k in by_start[point]:
                heapq.heappush(heap, (-sections[k].level, -k))
        while heap and spans[-heap[0][1]][1] <= point:
            heapq.heappop(heap)  # ended: popped once it is on top (a deeper open one hides it till then)
        owners.append(sections[-heap[0][1]] if heap else None)
    return events, owners


def find_mentions(text: str, sections: Sequence[Section] = ()) -> Tuple[Mention, ...]:
    """`scan` with each mention placed in its innermost section (by span)."""
    view = _view(text)
    points, owners = _section_index(sections)  # as `innermost_section` looks them up
    out = []
    for start, end, name, form in _hits(view.text, view.shifts, lexicon()):
        i = bisect_right(points, start) - 1
        sec = owners[i] if i >= 0 else None
        out.append(Mention(name, form, (start, end), sec.id if sec else None))
    return tuple(out)


# A mention as governed_measures weighs it: (start, end) in the text, canonical name (a `_Hit`
# may stand for one: its form is not read).
_Placed = Tuple[int, int, str]


def _nearest(mentions: Sequence[_Placed], lo: int, hi: int) -> Tuple[str, ...]:
    """Names of the mention closest to [lo, hi) (before wins a tie); all mentions lie in one clause."""
    if not mentions:
        return ()
    # (characters between, 0 before / 1 after) of each mention, worked out once
    distances = [(lo - m[1], 0) if m[1] <= lo else (m[0] - hi, 1) if m[0] >= hi else (0, 0) for m in mentions]
    best = min(distances)
    return tuple(dict.fromkeys([m[2] for m, d in zip(mentions, distances) if d == best]))


SENTENCE_REACH = 400  # a sentence is looked for at most this far either side of a quote


_SENTENCE_BREAK = re.compile("[" + re.escape(SENTENCE_END) + "\n]")


class _Sentences:
    """Bounds of the sentence around a span of one text, at most SENTENCE_REACH either side. The
    last break before a span is the first one after it in the reversed text (made on first use):
    one search either way, not a walk over every break before the span."""

    def __init__(self, text: str):
        self.text = text
        self._reversed: Optional[str] = None

    def bounds(self, span: Span) -> Span:
        """(just after the last break before span, the first break from its end on), each within reach."""
        text, n = self.text, len(self.text)
        if self._reversed is None:
            self._reversed = text[::-1]
        lo, hi = max(0, span[0] - SENTENCE_REACH), min(n, span[1] + SENTENCE_REACH)
        before = _SENTENCE_BREAK.search(self._reversed, n - span[0], n - lo)  # text[lo:span[0]], backwards
        after = _SENTENCE_BREAK.search(text, span[1], hi)
        return (n - before.start() if before else lo, after.start() if after else hi)


@lru_cache(maxsize=4096)
def _names_in(text: str) -> Tuple[str, ...]:
    """Distinct practice names `text` mentions, in order (a subject or section title is asked
    about once per commitment: scanned once)."""
    return tuple(dict.fromkeys(hit[2] for hit in _hits(_flat(text), (), lexicon())))


class _InOrder(tuple):
    """Mentions in reading order with their start offsets (`starts`), for bisection."""

    def __new__(cls, mentions):
        self = super().__new__(cls, mentions)
        self.starts = [m.span[0] for m in self]
        return self


def governed_measures(text: str, commitment: Commitment, mentions: Sequence[Mention],
                      sections: Sequence[Section] = ()) -> Tuple[str, ...]:
    """Canonical names of the practices one commitment governs (maybe none).

    In order of trust: a practice named in the commitment's `subject`; the
    practice named nearest the quote within its clause (`sentence`), then
    within its whole sentence; else, for how often or by when something
    happens (HEADING_KINDS), the one practice named by the title of its
    section or of the nearest ancestor whose title names any.
    """
    placed = [(m.span[0], m.span[1], m.name) for m in mentions]
    starts = getattr(mentions, "starts", None)
    return _governed(text, commitment, placed, starts, sections, _Sentences(text))


def _governed(text: str, commitment: Commitment, placed: Sequence[_Placed], starts: Optional[Sequence[int]],
              sections: Sequence[Section], sentences: _Sentences) -> Tuple[str, ...]:
    """`governed_measures` over mentions as (start, end, name); `starts` (their starts, when they
    are in reading order) lets only those near the quote be looked at."""
    if commitment.subject:
        names = _names_in(commitment.subject)
        if names:
            return names
    lo, hi = commitment.span
    clause = commitment.sentence or ""
    reach = len(clause) + SENTENCE_REACH  # the clause and the sentence lie within this of the quote
    if starts is None or bisect_left(starts, lo - reach) < bisect_right(starts, hi + reach):
        at = text.rfind(clause, 0, lo + len(clause)) if clause else -1  # the clause that holds the quote
        if at >= 0 and at + len(clause) >= hi:
            inside = _within(placed, starts, at, at + len(clause))
            if inside:
                return _nearest(inside, lo, hi)
        inside = _within(placed, starts, *sentences.bounds(commitment.span))
        if inside:
            return _nearest(inside, lo, hi)
    if commitment.kind not in HEADING_KINDS:
        return ()
    by_id = _sections_by_id(sections)
    sec = by_id.get(commitment.section_id or "") or innermost_section(sections, lo)
    while sec is not None:
        names = _names_in(sec.title)
        if names:
            return names if len(names) == 1 else ()
        sec = by_id.get(sec.parent or "")
    return ()


def _within(placed: Sequence[_Placed], starts: Optional[Sequence[int]], lo: int, hi: int) -> List[_Placed]:
    """The mentions lying in [lo, hi), in their order; found by bisection when `starts` is given."""
    if starts is None:
        return [m for m in placed if lo <= m[0] and m[1] <= hi]
    return [m for m in placed[bisect_left(starts, lo):bisect_right(starts, hi)] if m[1] <= hi]


def find_measures(text: str, sections: Sequence[Section] = (),
                  commitments: Sequence[Commitment] = ()) -> Tuple[Measure, ...]:
    """The known practices a plan names, one `Measure` each, in order of first mention.

    In: the Document's text, its sections (spans into that text) and its
    commitments. Out: canonical name, category, number of mentions, the forms
    seen, the ids of the sections naming it, and the indexes of the
    commitments that govern it (see `governed_measures`). Pure.
    """
    lex = lexicon()
    view = _view(text)
    points, owners = _section_index(sections)  # as `innermost_section` looks them up
    placed = _hits(view.text, view.shifts, lex)  # the mentions of `find_mentions`, in reading order
    # name → [count, forms seen, ids of the sections naming it] (dicts as ordered sets)
    grouped: Dict[str, list] = {}
    for start, _, name, form in placed:
        group = grouped.get(name)
        if group is None:
            group = grouped[name] = [0, {}, {}]
        group[0] += 1
        group[1][form] = None
        i = bisect_right(points, start) - 1
        sec = owners[i] if i >= 0 else None
        if sec and sec.id:
            group[2][sec.id] = None
    starts = [m[0] for m in placed]
    sentences = _Sentences(text)
    linked: Dict[str, List[int]] = {}
    for i, c in enumerate(commitments):
        for name in _governed(text, c, placed, starts, sections, sentences):
            linked.setdefault(name, []).append(i)
    for name in linked:  # governed only through a heading outside the scanned mentions
        grouped.setdefault(name, [0, {}, {}])
    entries = lex.entries
    # positional: keyword arguments cost half as much again per Measure (tests pin Measure's fields)
    return tuple([Measure(name, entries[name].category, count, tuple(forms), tuple(section_ids),
                          tuple(linked.get(name, ())))
                  for name, (count, forms, section_ids) in grouped.items()])


def measures_of(document: Document) -> Tuple[Measure, ...]:
    """The document's measures; found here (`find_measures`) when it carries none."""
    return document.measures or find_measures(document.text, document.sections, document.commitments)


def document_mentions(document: Document,
                      measures: Optional[Sequence[Measure]] = None) -> Tuple[Mention, ...]:
    """Every mention of the document's measures (known and candidate), in reading order."""
    measures = measures_of(document) if measures is None else measures
    known = {m.name for m in measures if not m.candidate}
    out = [m for m in find_mentions(document.text, document.sections) if m.name in known]
    for m in measures:
        if m.candidate:
            out += _literal_mentions(document.text, m.name, document.sections)
    return tuple(sorted(out, key=lambda m: (m.span, m.name)))


def _literal_mentions(text: str, phrase: str, sections: Sequence[Section]) -> List[Mention]:
    """Mentions of a phrase outside the lexicon (a candidate), quotes and wraps ignored."""
    view = _view(text)
    out = []
    for hit in re.finditer(re.escape(_norm(phrase)), view.text):
        span = view.span(hit.start(), hit.end())
        sec = innermost_section(sections, span[0])
        out.append(Mention(phrase, phrase, span, sec.id if sec else None))
    return out


# --- candidate practices: recurring …制度/活动/工程/机制 phrases not in the lexicon ---

CANDIDATE_HEADS = ("制度", "活动", "工程", "机制")
# Part-of-speech tags (jieba) of the words a candidate phrase is built from: nouns,
# verbal nouns, abbreviations, names; a word of any other tag ends the phrase.
CANDIDATE_TAGS = ("n", "vn", "nz", "nt", "nr", "ns", "j", "an")
# Words too general to be part of a candidate (长效机制, 工作制度, 主题活动 …): walking
# left from the head, one of these ends the phrase.
CANDIDATE_GENERIC = frozenset("""
工作 长效 管理 运行 保障 基本 主要 重要 重点 特色 主题 专题 教育 文化 实践 学习 考核 评价 联动 协调 责任
相关 有关 各项 各类 各种 多种 系列 其他 一批 规章 体制 体系 常态 日常 内部 形式 内容 节日 团队 建设 创建
开展 培训 宣传 竞赛 评比 生活 组织 服务 交流 研讨 表彰 各 等 有效 良好
""".split())
# Tags of true nouns: a candidate needs at least one word with one of them.
CANDIDATE_NOUN_TAGS = ("n", "nz", "nt", "nr", "ns", "j")
CANDIDATE_MAX_WORDS = 3
CANDIDATE_WINDOW = 16  # characters before a head that are tagged
_HEAD = re.compile("|".join(CANDIDATE_HEADS))
CANDIDATE_MIN_CHARS = 4  # whole phrase, head included
_QUOTED_HEAD = re.compile(r"[“\"「]([\u4e00-\u9fff+]{2,12})[”\"」](" + "|".join(CANDIDATE_HEADS) + ")")


def _head_of(word: str) -> Optional[str]:
    return next((h for h in CANDIDATE_HEADS if word.endswith(h)), None)


def candidate_phrases(text: str) -> Tuple[str, ...]:
    """Distinct `…制度/活动/工程/机制` phrases in one text that hold no known form.

    A phrase is a quoted name before a head (`“三带头”活动`) or up to three
    nouns before it (`党员汇报制度`, `议题机制`), not opening with a general word.
    Only a short window before each head is tagged, which keeps this cheap.
    """
    lex = lexicon()
    found = [m.group(1) + m.group(2) for m in _QUOTED_HEAD.finditer(fold(text))]
    flat = _view(text).text
    tagger = segment.pos_tagger()
    for hit in _HEAD.finditer(flat):
        start = max(0, hit.start() - CANDIDATE_WINDOW)
        tokens, end = [], start
        for w in tagger.cut(flat[start:hit.end() + 2], HMM=False):  # two more: is the head word-final?
            if end >= hit.end():
                break
            tokens.append((w.word, w.flag))
            end += len(w.word)
        head = _head_of(tokens[-1][0]) if tokens and end == hit.end() else None
        if head is None:
            continue  # 活动室, 制度化: the head is inside a longer word
        word = tokens[-1][0]
        stem = word[:-len(head)]
        if stem in CANDIDATE_GENERIC:
            continue
        words = [(stem, "n")] if stem else []
        before = tokens[:-1]
        for k in range(len(before) - 1, max(-1, len(before) - 1 - CANDIDATE_MAX_WORDS), -1):
            prev, flag = before[k]
            if (k == 0 and start > 0 or not flag.startswith(CANDIDATE_TAGS) or prev in CANDIDATE_GENERIC
                    or _head_of(prev)):
                break  # the window's first token may be cut off: never use it
            words.insert(0, (prev, flag))
        if any(flag in CANDIDATE_NOUN_TAGS for _, flag in words):
            found.append("".join(w for w, _ in words) + head)
    keep = [p for p in found if len(p) >= CANDIDATE_MIN_CHARS and not lex.finder.automaton.find_matches_as_indexes(p)]
    return tuple(dict.fromkeys(keep))


def count_candidates(phrase_sets: Sequence[Iterable[str]],
                     min_plans: int = 2) -> Tuple[Tuple[str, Tuple[int, ...]], ...]:
    """(phrase, indexes of the plans naming it) for phrases in at least `min_plans` of the
    per-plan sets (`candidate_phrases` of each text), most widespread first, then by phrase."""
    per_text = [set(p) for p in phrase_sets]
    seen = Counter(p for phrases in per_text for p in phrases)
    keep = sorted((p for p, n in seen.items() if n >= min_plans), key=lambda p: (-seen[p], p))
    return tuple((p, tuple(i for i, phrases in enumerate(per_text) if p in phrases)) for p in keep)


def propose_candidates(texts: Sequence[str], min_plans: int = 2) -> Tuple[str, ...]:
    """Phrases ending in 制度/活动/工程/机制, absent from the lexicon, named by at least `min_plans` texts.

    In: the texts of several plans. Out: the phrases, most widespread first
    then by phrase. They are proposals for a person to review, never
    canonical measures; see `candidate_measures`.
    """
    return tuple(p for p, _ in count_candidates([candidate_phrases(t) for t in texts], min_plans))


def candidate_measures(text: str, names: Sequence[str],
                       sections: Sequence[Section] = ()) -> Tuple[Measure, ...]:
    """`Measure(candidate=True)` records for the proposed `names` that `text` holds.

    Category is `候选`; count, forms and section ids as for known practices;
    no commitments are linked to candidates.
    """
    out = []
    for name in names:
        hits = _literal_mentions(text, name, sections)
        if hits:
            out.append(Measure(name=name, category=CANDIDATE_CATEGORY, count=len(hits),
                               aliases_seen=(name,),
                               section_ids=tuple(dict.fromkeys(h.section_id for h in hits if h.section_id)),
                               commitment_ids=(), candidate=True))
    return tuple(out)


def attach_candidates(documents: Sequence[Document], min_plans: int = 2) -> Tuple[Document, ...]:
    """Documents with candidate practices appended after their canonical measures.

    Candidates are proposed over these documents together (`propose_candidates`),
    so a file of one plan gets none at `min_plans=2`. Canonical measures are
    kept as they were; every added record has `candidate=True`.
    """
    names = propose_candidates([d.text for d in documents], min_plans)
    if not names:
        return tuple(documents)
    return tuple(replace(d, measures=tuple(m for m in d.measures if not m.candidate)
                         + candidate_measures(d.text, names, d.sections))
                 for d in documents)
