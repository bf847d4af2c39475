"""Choose a plan's headings and their levels from its candidates: one global decision.

Reads Candidates (pipeline.outline.candidates); returns Decisions, one per
candidate, saying whether it opens a node, at which depth, under which parent,
and the score terms behind the choice. A beam search over the stack of open
levels scores every reading of the candidates — continuation, first of a level,
skips and repeats, a mid-plan start under an unseen outer level, style order as
the plan itself establishes it (GB/T 9704 as the prior), inline enumerations,
contents entries, stray unnumbered lines — with the weights of
lexicons/outline_weights.tsv, and keeps the best-scoring outline. Time is
linear in the number of candidates (bounded beam, bounded stack).
"""
from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache, partial
from operator import itemgetter
from typing import Dict, List, Mapping, NamedTuple, Optional, Sequence, Tuple

from .. import lexicons
from ..labels import STYLE_RANK
from .candidates import Candidate
from ..memo import last_by_identity
from ..records import record

UNNUMBERED = "un"
VIRTUAL = "?"
# Styles numbered straight through a plan, across their parents (第一条 … 第九条).
_CONTINUOUS_STYLES = ("第条",)
_STRONG_STYLES = ("cn", "pcn", "第章", "第节", "第部分", "第篇", "word")
# The outermost styles: a lone unnumbered line above them is a stray, not a container.
_TOP_RANK = 2
_MAX_DEPTH = 12
_SWITCHABLE = ("cn", "ar")

Terms = Tuple[Tuple[str, float], ...]


@record
class Decision:
    """What the decoder made of one candidate."""

    candidate: Candidate
    accepted: bool
    depth: int  # 0 when rejected
    parent: Optional[int]  # candidate index of the parent heading, None at the top
    terms: Terms  # the score terms of the chosen reading (accepted: its own; rejected: the best heading reading)
    score: float  # sum of the terms of the best heading reading (0 when no reading as a heading exists)
    reason: str  # one line for --explain


@lru_cache(maxsize=1)
def weights() -> Mapping[str, float]:
    """The decoder weights of lexicons/outline_weights.tsv, by name."""
    rows = lexicons.read_table("outline_weights.tsv", ("name", "value", "comment"))
    out: Dict[str, float] = {}
    for row in rows:
        try:
            out[row["name"]] = float(row["value"])
        except ValueError as exc:
            raise lexicons.LexiconError(row["_where"], f"value {row['value']!r} is not a number") from exc
    return out


# The decoder's inner loop builds tens of hypotheses per candidate, so they are plain tuples
# (a NamedTuple's constructor would dominate), their fields named here:
#
# An open level of the outline being built: (style, number, prefix, cand, hint_level),
# cand the candidate index, None for an unseen outer level.
_STYLE, _NUMBER, _PREFIX, _CAND, _HINT = range(5)
# One decision on a hypothesis' path, a persistent list newest first: (cand, depth, parent, terms, prev),
# for body text (depth 0) terms the list of the terms of each reading as a heading (_best_terms).
# One hypothesis: (key, score, trail), its key (stack, bodies, inline, through, order, numbered, un_root, roots)
# (the key is all that a pool entry's hash reads; the hypothesis is not a copy of it with two more fields):
#   stack     the open levels, outermost first
#   bodies    bit i set when body text stands under stack[i] (kept apart, so that stacks are shared)
#   inline    sorted (style, number) pairs: the number an inline enumeration expects next
#   through   sorted (style, number) pairs: the last number of each style
#   order     frozenset of the (parent style, child style) pairs this plan used
#   numbered  a numbered heading was accepted
#   un_root   "" | "pending" (lone unnumbered root charged) | "series"
#   roots     headings opened at depth 1, counted up to 2 (all the decoder asks)
#   score     the sum of the terms of the readings taken
#   trail     the newest decision of its path
# Hypotheses of one key are one: the higher score stays.
_START = (((), 0, (), (), frozenset(), False, "", 0), 0.0, None)
_VIRTUAL_STACK = ((VIRTUAL, 0, (), None, None),)


def _rank(style: str) -> int:
    return STYLE_RANK.get(style, 5)


def _get(pairs, style, default=None):
    for k, v in pairs:
        if k == style:
            return v
    return default


def _put(pairs, style, value):
    """`pairs`, (style, value) pairs sorted by style, with `style` set to `value` (`pairs` itself when it is)."""
    i = bisect_left(pairs, (style,))  # the first pair of `style` or after it: (style,) sorts before (style, v)
    if i < len(pairs) and pairs[i][0] == style:
        return pairs if pairs[i][1] == value else pairs[:i] + ((style, value),) + pairs[i + 1:]
    return pairs[:i] + ((style, value),) + pairs[i:]


_total = itemgetter(1)  # sum(map(_total, terms)) adds a reading's terms in order, as sum() of a generator would


class _Rules(NamedTuple):
    """The weights and the fixed score terms made of them, built once per decode."""

    w: Mapping[str, float]
    skip_max: float
    continue_: Terms
    repeat: Terms
    backward: Terms
    style_switch: Terms
    fill_virtual: Terms
    first_of_level: Terms
    continue_through: Terms
    through_other_style: Terms
    virtual_parent: Terms
    order_doc_inverted: Terms
    order_doc_agrees: Terms
    order_prior_inverted: Terms
    over_top: Terms
    inline_expected: Terms
    root_series: Terms


def _current_rules() -> _Rules:
    """The rules of weights(), made once per table read (again whenever weights() reads it again)."""
    return _rules(weights())


@last_by_identity
def _rules(w) -> _Rules:
    return _Rules(
        w, w["skip_max"],
        (("continue", w["continue"]),),
        (("continue", w["continue"]), ("repeat", -w["repeat"])),
        (("continue", w["continue"]), ("backward", -w["backward"])),
        (("continue", w["continue"]), ("style_switch", -w["style_switch"])),
        (("fill_virtual", w["fill_virtual"]),),
        (("first_of_level", w["first_of_level"]),),
        (("continue_through", w["continue_through"]),),
        (("through_other_style", -w["through_other_style"]),),
        (("virtual_parent", -w["virtual_parent"]),),
        (("order_doc_inverted", -w["order_doc_inverted"]),),
        (("order_doc_agrees", w["order_doc_agrees"]),),
        (("order_prior_inverted", -w["order_prior_inverted"]),),
        (("unnumbered_root_over_top", -w["unnumbered_root_over_top"]),),
        (("inline_expected", -w["inline_expected"]),),
        (("unnumbered_root_series", w["unnumbered_root_series"]),),
    )


class _Facts(NamedTuple):
    """What the decoder reads of one candidate, the same under every hypothesis (computed once)."""

    c: Candidate
    labelled: bool
    style: str
    number: int
    rank: int
    start: bool  # line-initial
    terms: Terms  # numbered: its evidence (see _facts); unnumbered: its terms (_unnumbered_terms)
    mid_start: Terms  # the mid_plan_start term at its number (numbered only)
    prefix: tuple
    switch: bool  # may continue a list of the other numeral script (line-initial or in a run-on line)
    entry: tuple  # the open level it makes as a heading (a "lost" label's number is set by its level)


# _Facts made from a tuple of its fields in order, without the Python frame of the NamedTuple's __new__
_new_facts = partial(tuple.__new__, _Facts)


def _facts(c: Candidate, r: _Rules) -> _Facts:
    w = r.w
    style = c.style
    rank = STYLE_RANK.get(style, 5)  # _rank(style)
    if c.label is None:
        return _new_facts((c, False, style, c.number, rank, c.lead == "start", tuple(_unnumbered_terms(c, w)), (),
                           (), False, (style, c.number, (), c.index, c.hint_level)))
    mid = (("mid_plan_start", w["mid_plan_start"] - w["mid_plan_number"] * (c.number - 1)),)
    switch = (c.lead == "start" or (c.lead == "stop" and c.run_on)) and style in _SWITCHABLE
    label = c.label
    # its evidence: the terms it carries whatever the outline around it (its lead, form, line)
    evidence: List[Tuple[str, float]] = []
    if c.lead != "start":
        evidence.append(("lead_" + c.lead, -w["lead_" + c.lead]))
    if c.contents:
        evidence.append(("contents", -w["contents"]))
    if c.after_unfinished:
        evidence.append(("after_unfinished", -w["after_unfinished"]))
    if label.form == "bare":
        evidence.append(("form_bare", -w["form_bare_cn" if style == "cn" else "form_bare"]))
    elif label.form == "lost":
        evidence.append(("form_lost", -w["form_lost"]))
    if c.hint_level:
        evidence.append(("hint_heading", w["hint_heading"]))
    if c.latin:
        evidence.append(("latin_line", -w["latin_line"]))
    return _new_facts((c, True, style, c.number, rank, c.lead == "start", tuple(evidence), mid, label.prefix, switch,
                       (style, c.number, label.prefix, c.index, c.hint_level)))


def _sequence(entry: tuple, c: Candidate, r: _Rules) -> Optional[Terms]:
    """Terms for `c` continuing the open level `entry`, or None when it continues nothing."""
    label = c.label
    if c.style == "lost":
        return r.continue_
    prefix = entry[_PREFIX]
    if label.prefix != prefix:
        # 2.1 after 1.3: a new group of decimal numbering, the next of its parent
        if label.prefix and prefix and label.number == 1 and \
                label.prefix[:-1] == prefix[:-1] and label.prefix[-1] == prefix[-1] + 1:
            return r.continue_
        return None
    last = entry[_NUMBER]
    expected = last + 1
    n = label.number
    if n == expected:
        return r.continue_
    if expected < n <= expected + r.skip_max:
        cost = r.w["skip_strong"] if c.style in _STRONG_STYLES else r.w["skip_weak"]
        return r.continue_ + (("skip", -cost * (n - expected)),)
    if c.lead != "start":
        return None
    if n == last:
        return r.repeat
    if n < last:
        return r.backward
    return None


def _numbered_readings(f: _Facts, stack: tuple, i: int, through: tuple, order: frozenset, numbered: bool,
                       r: _Rules) -> List[Tuple[int, Terms, bool]]:
    """(depth, terms, under_virtual) for every way `f.c` can open a node under the open levels `stack`, where
    no level of its style is open: stack[i] is the innermost unseen outer level (i < 0 when there is none).
    (Where a level of its style is open, `f.c` continues that level or opens nothing: see _step.)"""
    c = f.c
    style = f.style
    out = []
    if i < 0:
        is_open = False
    else:
        is_open = i > 0 and any(e[_STYLE] == style for e in stack[:i])
        if i + 1 < len(stack) and f.rank < _rank(stack[i + 1][_STYLE]) and c.number >= 2 and \
                not is_open and style != "lost":
            out.append((i + 1, r.fill_virtual, False))
    if is_open:
        return out
    if f.switch:
        # 一、 二、 3、 4、 五、: a typo switches between Chinese and Arabic numerals in one running list
        for i in range(len(stack) - 1, -1, -1):
            entry = stack[i]
            if entry[_STYLE] in _SWITCHABLE and entry[_STYLE] != style:
                if c.number == entry[_NUMBER] + 1:
                    out.append((i + 1, r.style_switch, False))
                break
    depth = len(stack) + 1
    if depth > _MAX_DEPTH:
        return out
    number = c.number
    if number == 1 or style == "lost":
        seq = r.first_of_level
    elif _get(through, style) == number - 1:
        # numbered straight through the plan across parents (第五条 under 第二章; 6. under （二）)
        seq = r.continue_through if style in _CONTINUOUS_STYLES else r.continue_through + r.through_other_style
    elif not numbered:
        seq = f.mid_start
    else:
        seq = None
    if seq is not None:
        # its style under its parent's: in the order this plan has used, else in GB/T 9704's
        parent_style = stack[-1][_STYLE] if stack else UNNUMBERED
        if parent_style != UNNUMBERED and parent_style != VIRTUAL:
            if (style, parent_style) in order:
                seq = seq + r.order_doc_inverted
            elif (parent_style, style) in order:
                seq = seq + r.order_doc_agrees
            elif f.rank < _rank(parent_style):
                seq = seq + r.order_prior_inverted
        out.append((depth, seq, False))
    if not numbered and not stack and f.rank > _TOP_RANK and style != "lost":
        first = r.first_of_level if c.number == 1 else f.mid_start
        out.append((2, first + r.virtual_parent, True))
    return out


def _unnumbered_depth(stack: tuple, bodies: int, hint_level: Optional[int]) -> int:
    """Depth of an unnumbered heading: beside an open unnumbered one, else under the open container."""
    if hint_level is not None:
        depth = len(stack)
        while depth > 0 and stack[depth - 1][_HINT] is not None and stack[depth - 1][_HINT] >= hint_level:
            depth -= 1
        return depth + 1
    for idx in range(len(stack) - 1, -1, -1):
        if stack[idx][_STYLE] == UNNUMBERED:
            return idx + 1
    depth = len(stack)
    # a numbered item that already has body text is content, not a container
    while depth > 1 and bodies >> (depth - 1) & 1:
        depth -= 1
    return min(depth + 1, _MAX_DEPTH)


def _unnumbered_terms(c: Candidate, w) -> List[Tuple[str, float]]:
    terms = [("unnumbered_" + c.unnumbered, w["hint_heading"] if c.unnumbered == "hint" else
              w["unnumbered_" + c.unnumbered])]
    if c.furniture:
        terms.append(("unnumbered_furniture", -w["unnumbered_furniture"]))
    if c.names_plan:
        terms.append(("unnumbered_names_plan", -w["unnumbered_names_plan"]))
    if c.sole_body:
        terms.append(("unnumbered_sole_body", -w["unnumbered_sole_body"]))
    if c.signature:
        terms.append(("unnumbered_signature", -w["unnumbered_signature"]))
    return terms


_SCORE = itemgetter(1)


def decode(candidates: Sequence[Candidate]) -> Tuple[Decision, ...]:
    """The best outline over `candidates`: one Decision per candidate, in order.

    Pure and total: any candidate list (even empty) gives a decision per candidate;
    accepted depths are consecutive (a child is exactly one deeper than its parent).
    """
    return _decisions(candidates, _best(candidates, True))


def accepted_headings(candidates: Sequence[Candidate]) -> Tuple[Tuple[Candidate, int, Optional[int]], ...]:
    """(candidate, depth, parent) of every candidate `decode` accepts, in order: the outline without the
    Decisions' score terms and reasons (all that sections are built of)."""
    chosen = _chosen(_best(candidates, False))
    out = []
    for c in candidates:
        node = chosen.get(c.index)
        if node is not None and node[1]:
            out.append((c, node[1], node[2]))
    return tuple(out)


def _best(candidates: Sequence[Candidate], explain: bool) -> tuple:
    """The best-scoring hypothesis once every candidate is read; with `explain` its trail holds the
    body text decisions too, with the terms of their readings as headings (what --explain shows)."""
    r = _current_rules()
    w = r.w
    width = max(1, int(w["beam_width"]))
    if len(candidates) > w["beam_full_up_to"]:  # a huge page: a narrower beam keeps the time linear and small
        width = max(1, int(width * w["beam_full_up_to"] // len(candidates)))
    beam: List[tuple] = [_START]
    for c in candidates:
        beam = _step(_facts(c, r), beam, r, width, explain)
    return beam[0]


def _step(f: _Facts, beam: Sequence[tuple], r: _Rules, width: int, explain: bool) -> List[tuple]:
    """The `width` best hypotheses once candidate `f.c` is read, as body text or as a heading, after each of `beam`
    (a reading as body text adds a decision to the trail only with `explain`)."""
    c = f.c
    index = c.index
    style, number, start = f.style, f.number, f.start
    # a label with digits (all but the "lost" ones): an inline enumeration counts it and may expect it
    counted = f.labelled and style != "lost"
    labelled, lost, entry, evidence, prefix = f.labelled, style == "lost", f.entry, f.terms, f.prefix
    # a lone unnumbered line over an outline of the outermost style may be a stray line (see below)
    may_stray = labelled and f.rank <= _TOP_RANK
    # the commonest reading, the next number of an open level, its terms and their sum made once
    continue_ = r.continue_
    continued = continue_ + evidence
    continued_total = sum(map(_total, continued))
    # A reading that costs more than it earns is kept when a later candidate may refund one of its terms:
    # form_bare, in the evidence of a bare label, or unnumbered_root_over_top, the charge of a lone
    # unnumbered root added below (refunded by a second unnumbered container); no sequence term is either.
    refundable = labelled and c.label.form == "bare"
    # A hypothesis replaces the one of its key only when it scores higher (the key keeps its place);
    # each is built before its key is looked up, so that a new key (most are) is hashed once (setdefault).
    pool: Dict[tuple, tuple] = {}
    setdefault = pool.setdefault
    body_before = c.body_before
    style_key, style_number, entry_alone = (style,), (style, number), (entry,)
    for key, score, trail in beam:
        stack, bodies, inline, through, order, numbered, un_root, roots = key
        if body_before and stack:
            bodies |= 1 << (len(stack) - 1)  # body text under the innermost open level
        # body text: an inline enumeration goes on; a line-initial one puts body under the open level
        body_inline = inline
        # the number an inline list expects next is body, unless a line-initial label plainly continues the outline
        expected = counted and inline and _get(inline, style) == number
        if expected:
            body_inline = _put(inline, style, number + 1)
        elif counted and number == 1 and not start:
            body_inline = _put(inline, style, 2)
        body_key = (stack, (bodies | 1 << (len(stack) - 1)) if start and stack else bodies, body_inline, through,
                    order, numbered, un_root, roots)
        # the terms of every reading of `c` as a heading, filled in below (what --explain shows of a rejection)
        if explain:
            found: List[Terms] = []
            new = (body_key, score, (index, 0, None, found, trail))
        else:
            new = (body_key, score, trail)
        old = setdefault(body_key, new)  # one hash of the key when it is new, as it mostly is
        if old is not new and score > old[1]:
            pool[body_key] = new
        # every reading of `c` as a heading: (depth, terms, under the unseen outer level)
        if labelled:
            # from the inside out, the first open level of this style or the unseen outer level
            i = len(stack) - 1
            while i >= 0:
                open_style = stack[i][_STYLE]
                if open_style == style or open_style == VIRTUAL:
                    break
                i -= 1
            if i >= 0 and open_style == style:
                # a level of its style is open: it continues that level or opens nothing (under the same
                # parent, whose style pair with its own went into `order` when the level opened)
                paired = True
                open_level = stack[i]
                if open_level[_NUMBER] + 1 == number and open_level[_PREFIX] == prefix and not lost:
                    readings = ((i + 1, continue_, False),)  # the next number (the common case)
                else:
                    seq = _sequence(open_level, c, r)
                    if seq is None:
                        continue
                    readings = ((i + 1, seq, False),)
            else:
                paired = False
                readings = _numbered_readings(f, stack, i, through, order, numbered, r)
                if not readings:
                    continue
            stray_root = may_stray and not numbered and roots == 1 and un_root == "" and \
                len(stack) >= 1 and stack[0][_STYLE] == UNNUMBERED
        else:
            depth = _unnumbered_depth(stack, bodies, c.hint_level)
            readings = ((depth, (), False),)
            stray_root = False
        for depth, seq, virtual in readings:
            if seq is continue_:
                terms = continued
            else:
                terms = seq + evidence if seq else evidence  # an unnumbered reading has no sequence terms
            root_after = un_root
            if not labelled:
                if depth == 1 and roots and un_root == "pending":
                    # a second unnumbered top-level line: the unnumbered lines are a series of containers
                    terms = terms + r.root_series
                    root_after = "series"
            elif stray_root and depth == 2 and not virtual:
                terms = terms + r.over_top
                root_after = "pending"
            if expected and (not start or len(seq) > 1 or seq[0][0] not in ("continue", "first_of_level")):
                terms = terms + r.inline_expected
            if explain:
                found.append(terms)
            total = continued_total if terms is continued else sum(map(_total, terms))
            # (root_after turns "pending" only where the charge was added: stray_root wants un_root "")
            if total > 0 or refundable or (root_after == "pending" and un_root == ""):
                # the key of `s` once `c` opens a heading at `depth` (under the unseen outer level if `virtual`)
                if virtual:
                    new_stack, new_bodies = _VIRTUAL_STACK, 0
                else:
                    new_stack, new_bodies = stack[:depth - 1], bodies & ((1 << (depth - 1)) - 1)
                new_order, new_through = order, through
                if labelled:
                    if not paired and new_stack and new_stack[-1][_STYLE] not in (UNNUMBERED, VIRTUAL):
                        pair = (new_stack[-1][_STYLE], style)
                        if pair not in order:
                            new_order = order | {pair}
                    if not lost:  # _put(through, style, number), its commonest cases inline
                        i = bisect_left(through, style_key)
                        if i == len(through):
                            new_through = through + (style_number,)
                        elif through[i][0] != style:
                            new_through = through[:i] + (style_number,) + through[i:]
                        elif through[i][1] != number:
                            new_through = through[:i] + (style_number,) + through[i + 1:]
                if lost:  # a label without digits takes the next number of its level
                    same = depth <= len(stack) and stack[depth - 1][_STYLE] == "lost"
                    opened = ((style, stack[depth - 1][_NUMBER] + 1 if same else 1) + entry[2:],)
                else:
                    opened = entry_alone
                key = (new_stack + opened, new_bodies, (), new_through, new_order, numbered or labelled,
                       root_after, roots + 1 if depth == 1 and roots < 2 else roots)
                new_score = score + total
                parent = new_stack[-1][_CAND] if new_stack else None  # the level it opens under
                new = (key, new_score, (index, depth, parent, terms, trail))
                old = setdefault(key, new)
                if old is not new and new_score > old[1]:
                    pool[key] = new
    # reverse=True keeps equal scores in pool order, as sorting on -score does
    return sorted(pool.values(), key=_SCORE, reverse=True)[:width]


def _best_terms(found: List[Terms]) -> Terms:
    """The terms of the best-scoring of the readings `found` (the first of equal ones), () when none."""
    if len(found) > 1:
        return max(found, key=lambda terms: sum(map(_total, terms)))
    return found[0] if found else ()


def _chosen(best: tuple) -> Dict[int, tuple]:
    """The decisions on the path of hypothesis `best`, by candidate index."""
    chosen: Dict[int, tuple] = {}
    node = best[2]
    while node is not None:
        chosen[node[0]] = node
        node = node[4]
    return chosen


def _decisions(candidates, best: tuple) -> Tuple[Decision, ...]:
    chosen = _chosen(best)
    out = []
    for c in candidates:
        node = chosen.get(c.index)
        if node is not None and node[1]:
            _, depth, parent, terms, _ = node
            total = sum(v for _, v in terms)
            out.append(Decision(c, True, depth, parent, terms, total,
                                f"heading at level {depth}: " + _render(terms)))
            continue
        terms = _best_terms(node[3]) if node is not None else ()
        total = sum(v for _, v in terms)
        if not terms:
            reason = "continues no open level and starts none"
        elif total <= 0:
            reason = "scores %.1f as a heading: %s" % (total, _render(terms))
        else:
            reason = "the outline reads better without it (alone it would score %.1f: %s)" % (total, _render(terms))
        out.append(Decision(c, False, 0, None, terms, total, reason))
    return tuple(out)


def _render(terms: Terms) -> str:
    return " ".join(["%s%+.1f" % term for term in terms]) or "-"
