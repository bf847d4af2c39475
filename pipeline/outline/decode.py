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

from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, List, Mapping, NamedTuple, Optional, Sequence, Tuple

from .. import lexicons
from ..labels import STYLE_RANK
from .candidates import Candidate

UNNUMBERED = "un"
VIRTUAL = "?"
# Styles numbered straight through a plan, across their parents (第一条 … 第九条).
_CONTINUOUS_STYLES = ("第条",)
_STRONG_STYLES = ("cn", "pcn", "第章", "第节", "第部分", "第篇", "word")
# The outermost styles: a lone unnumbered line above them is a stray, not a container.
_TOP_RANK = 2
_MAX_DEPTH = 12
# Terms a later candidate may refund (a second unnumbered container): kept even when negative.
_SWITCHABLE = ("cn", "ar")
_PROVISIONAL = ("unnumbered_root_over_top", "form_bare")

Terms = Tuple[Tuple[str, float], ...]


@dataclass(frozen=True)
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


class _Open(NamedTuple):
    """An open level of the outline being built."""

    style: str
    number: int
    prefix: tuple
    cand: int  # candidate index, -1 for an unseen outer level
    has_body: bool = False
    hint_level: Optional[int] = None


class _Trail(NamedTuple):
    """One decision on a hypothesis' path (a persistent list, newest first)."""

    cand: int
    depth: int
    parent: Optional[int]
    terms: Terms
    prev: Optional["_Trail"]


class _State(NamedTuple):
    """One hypothesis: the open levels and what the plan has established so far."""

    stack: Tuple[_Open, ...] = ()
    inline: Tuple[Tuple[str, int], ...] = ()  # style -> number an inline enumeration expects next
    through: Tuple[Tuple[str, int], ...] = ()  # continuous style -> its last number
    order: frozenset = frozenset()  # (parent style, child style) pairs this plan used
    numbered: bool = False  # a numbered heading was accepted
    un_root: str = ""  # "" | "pending" (lone unnumbered root charged) | "series"
    roots: int = 0  # headings opened at depth 1
    score: float = 0.0
    trail: Optional[_Trail] = None

    def key(self):
        return (self.stack, self.inline, self.through, self.order, self.numbered, self.un_root, min(self.roots, 2))


def _rank(style: str) -> int:
    return STYLE_RANK.get(style, 5)


def _get(pairs, style, default=None):
    for k, v in pairs:
        if k == style:
            return v
    return default


def _put(pairs, style, value):
    return tuple(sorted([(k, v) for k, v in pairs if k != style] + ([(style, value)] if value is not None else [])))


def _evidence(c: Candidate, w) -> List[Tuple[str, float]]:
    """The terms a numbered candidate carries whatever the outline around it (its lead, form, line)."""
    terms: List[Tuple[str, float]] = []
    if c.lead != "start":
        terms.append(("lead_" + c.lead, -w["lead_" + c.lead]))
    if c.contents:
        terms.append(("contents", -w["contents"]))
    if c.after_unfinished:
        terms.append(("after_unfinished", -w["after_unfinished"]))
    if c.label is not None and c.label.form == "bare":
        name = "form_bare_cn" if c.style == "cn" else "form_bare"
        terms.append(("form_bare", -w[name]))
    elif c.label is not None and c.label.form == "lost":
        terms.append(("form_lost", -w["form_lost"]))
    if c.hint_level:
        terms.append(("hint_heading", w["hint_heading"]))
    if c.latin:
        terms.append(("latin_line", -w["latin_line"]))
    return terms


def _sequence(entry: _Open, c: Candidate, w) -> Optional[List[Tuple[str, float]]]:
    """Terms for `c` continuing the open level `entry`, or None when it continues nothing."""
    label = c.label
    if c.style == "lost":
        return [("continue", w["continue"])]
    if label.prefix != entry.prefix:
        # 2.1 after 1.3: a new group of decimal numbering, the next of its parent
        if label.prefix and entry.prefix and label.number == 1 and \
                label.prefix[:-1] == entry.prefix[:-1] and label.prefix[-1] == entry.prefix[-1] + 1:
            return [("continue", w["continue"])]
        return None
    expected = entry.number + 1
    n = label.number
    if n == expected:
        return [("continue", w["continue"])]
    if expected < n <= expected + w["skip_max"]:
        cost = w["skip_strong"] if c.style in _STRONG_STYLES else w["skip_weak"]
        return [("continue", w["continue"]), ("skip", -cost * (n - expected))]
    if c.lead != "start":
        return None
    if n == entry.number:
        return [("continue", w["continue"]), ("repeat", -w["repeat"])]
    if n < entry.number:
        return [("continue", w["continue"]), ("backward", -w["backward"])]
    return None


def _order(parent: Optional[_Open], style: str, s: _State, w) -> List[Tuple[str, float]]:
    if parent is None or parent.style in (UNNUMBERED, VIRTUAL):
        return []
    if (style, parent.style) in s.order:
        return [("order_doc_inverted", -w["order_doc_inverted"])]
    if (parent.style, style) in s.order:
        return [("order_doc_agrees", w["order_doc_agrees"])]
    if _rank(style) < _rank(parent.style):
        return [("order_prior_inverted", -w["order_prior_inverted"])]
    return []


def _numbered_readings(c: Candidate, s: _State, w) -> List[Tuple[int, List[Tuple[str, float]], bool]]:
    """(depth, terms, under_virtual) for every way `c` can open a node in state `s`."""
    out = []
    stack = s.stack
    is_open = False
    for e in stack:
        if e.style == c.style:
            is_open = True
            break
    for i in range(len(stack) - 1, -1, -1):
        entry = stack[i]
        if entry.style == VIRTUAL:
            child = stack[i + 1] if i + 1 < len(stack) else None
            if child is not None and _rank(c.style) < _rank(child.style) and c.number >= 2 and \
                    not is_open and c.style != "lost":
                out.append((i + 1, [("fill_virtual", w["fill_virtual"])], False))
            break
        if entry.style == c.style:
            seq = _sequence(entry, c, w)
            if seq is not None:
                out.append((i + 1, seq, False))
            break
    if not is_open and (c.lead == "start" or (c.lead == "stop" and c.run_on)) and c.style in _SWITCHABLE:
        # 一、 二、 3、 4、 五、: a typo switches between Chinese and Arabic numerals in one running list
        for i in range(len(stack) - 1, -1, -1):
            entry = stack[i]
            if entry.style in _SWITCHABLE and entry.style != c.style:
                if c.number == entry.number + 1:
                    out.append((i + 1, [("continue", w["continue"]), ("style_switch", -w["style_switch"])], False))
                break
    if is_open or len(stack) >= _MAX_DEPTH:
        return out
    parent = stack[-1] if stack else None
    order = _order(parent, c.style, s, w)
    depth = len(stack) + 1
    if c.number == 1 or c.style == "lost":
        out.append((depth, [("first_of_level", w["first_of_level"])] + order, False))
    elif _get(s.through, c.style) == c.number - 1:
        # numbered straight through the plan across parents (第五条 under 第二章; 6. under （二）)
        cost = [] if c.style in _CONTINUOUS_STYLES else [("through_other_style", -w["through_other_style"])]
        out.append((depth, [("continue_through", w["continue_through"])] + cost + order, False))
    elif not s.numbered:
        start = [("mid_plan_start", w["mid_plan_start"] - w["mid_plan_number"] * (c.number - 1))]
        out.append((depth, start + order, False))
    if not s.numbered and not stack and _rank(c.style) > _TOP_RANK and c.style != "lost":
        first = [("first_of_level", w["first_of_level"])] if c.number == 1 else \
            [("mid_plan_start", w["mid_plan_start"] - w["mid_plan_number"] * (c.number - 1))]
        out.append((2, first + [("virtual_parent", -w["virtual_parent"])], True))
    return out


def _unnumbered_depth(stack: Tuple[_Open, ...], hint_level: Optional[int]) -> int:
    """Depth of an unnumbered heading: beside an open unnumbered one, else under the open container."""
    if hint_level is not None:
        depth = len(stack)
        while depth > 0 and stack[depth - 1].hint_level is not None and stack[depth - 1].hint_level >= hint_level:
            depth -= 1
        return depth + 1
    for idx in range(len(stack) - 1, -1, -1):
        if stack[idx].style == UNNUMBERED:
            return idx + 1
    depth = len(stack)
    # a numbered item that already has body text is content, not a container
    while depth > 1 and stack[depth - 1].has_body:
        depth -= 1
    return min(depth + 1, _MAX_DEPTH)


def _unnumbered_terms(c: Candidate, s: _State, w) -> List[Tuple[str, float]]:
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


def _mark_body(s: _State) -> _State:
    if not s.stack or s.stack[-1].has_body:
        return s
    top = s.stack[-1]
    return _State(s.stack[:-1] + (_Open(top.style, top.number, top.prefix, top.cand, True, top.hint_level),),
                  s.inline, s.through, s.order, s.numbered, s.un_root, s.roots, s.score, s.trail)


def _reject(c: Candidate, s: _State, best_terms: Terms) -> _State:
    inline = s.inline
    if c.label is not None and c.style != "lost":
        if _get(inline, c.style) == c.number:
            inline = _put(inline, c.style, c.number + 1)
        elif c.number == 1 and c.lead != "start":
            inline = _put(inline, c.style, 2)
    state = _State(s.stack, inline, s.through, s.order, s.numbered, s.un_root, s.roots, s.score,
                   _Trail(c.index, 0, None, best_terms, s.trail))
    return _mark_body(state) if c.lead == "start" else state


def _accept(c: Candidate, s: _State, depth: int, terms: List[Tuple[str, float]], virtual: bool) -> _State:
    stack = s.stack[:depth - 1]
    if virtual:
        stack = (_Open(VIRTUAL, 0, (), -1),)
    parent = stack[-1] if stack else None
    names = {name for name, _ in terms}
    un_root = s.un_root
    if "unnumbered_root_series" in names:
        un_root = "series"
    elif "unnumbered_root_over_top" in names:
        un_root = "pending"
    order = s.order
    if parent is not None and parent.style not in (UNNUMBERED, VIRTUAL) and c.label is not None:
        order = order | {(parent.style, c.style)}
    through = s.through
    if c.label is not None and c.style != "lost":
        through = _put(through, c.style, c.number)
    number = c.number
    if c.style == "lost":  # a label without digits takes the next number of its level
        same = depth <= len(s.stack) and s.stack[depth - 1].style == "lost"
        number = s.stack[depth - 1].number + 1 if same else 1
    entry = _Open(c.style, number, c.label.prefix if c.label else (), c.index, False, c.hint_level)
    score = s.score + sum(v for _, v in terms)
    parent_cand = parent.cand if parent is not None and parent.cand >= 0 else None
    return _State(stack + (entry,), (), through, order, s.numbered or c.label is not None, un_root,
                  s.roots + (depth == 1), score, _Trail(c.index, depth, parent_cand, tuple(terms), s.trail))


def _readings(c: Candidate, s: _State, w, evidence) -> List[Tuple[int, List[Tuple[str, float]], bool]]:
    """(depth, terms, under_virtual) of every reading of `c` as a heading in state `s`."""
    if c.label is None:
        depth = _unnumbered_depth(s.stack, c.hint_level)
        terms = _unnumbered_terms(c, s, w)
        if depth == 1 and s.roots and s.un_root == "pending":
            # a second unnumbered top-level line: the unnumbered lines are a series of containers
            terms.append(("unnumbered_root_series", w["unnumbered_root_series"]))
        return [(depth, terms, False)]
    inline = c.label.form != "lost" and _get(s.inline, c.style) == c.number
    out = []
    for d, seq, v in _numbered_readings(c, s, w):
        terms = seq + evidence
        parent = s.stack[d - 2] if 2 <= d <= len(s.stack) + 1 and not v else None
        if parent is not None and parent.style == UNNUMBERED and d == 2 and not s.numbered and s.roots == 1 \
                and s.un_root == "" and _rank(c.style) <= _TOP_RANK:
            # a lone unnumbered line over an outline of the outermost style: a stray line, not a container
            terms = terms + [("unnumbered_root_over_top", -w["unnumbered_root_over_top"])]
        # the number an inline list expects next: body, unless a line-initial label plainly continues the outline
        if inline and (c.lead != "start" or len(seq) > 1 or seq[0][0] not in ("continue", "first_of_level")):
            terms = terms + [("inline_expected", -w["inline_expected"])]
        out.append((d, terms, v))
    return out


def decode(candidates: Sequence[Candidate]) -> Tuple[Decision, ...]:
    """The best outline over `candidates`: one Decision per candidate, in order.

    Pure and total: any candidate list (even empty) gives a decision per candidate;
    accepted depths are consecutive (a child is exactly one deeper than its parent).
    """
    w = weights()
    width = max(1, int(w["beam_width"]))
    if len(candidates) > w["beam_full_up_to"]:  # a huge page: a narrower beam keeps the time linear and small
        width = max(1, int(width * w["beam_full_up_to"] // len(candidates)))
    beam: List[_State] = [_State()]
    for c in candidates:
        pool: Dict[tuple, _State] = {}

        def offer(state: _State) -> None:
            k = state.key()
            old = pool.get(k)
            if old is None or state.score > old.score:
                pool[k] = state

        evidence = _evidence(c, w) if c.label is not None else []
        for s in beam:
            if c.body_before:
                s = _mark_body(s)
            readings = [(d, t, v, sum(x for _, x in t)) for d, t, v in _readings(c, s, w, evidence)]
            best = max(readings, key=lambda r: r[3]) if readings else None
            offer(_reject(c, s, tuple(best[1]) if best else ()))
            for depth, terms, virtual, total in readings:
                # a reading that costs more than it earns is kept only when a later line may refund it
                if total > 0 or any(name in _PROVISIONAL for name, _ in terms):
                    offer(_accept(c, s, depth, terms, virtual))
        beam = sorted(pool.values(), key=lambda st: -st.score)[:width]
    return _decisions(candidates, beam[0])


def _decisions(candidates, best: _State) -> Tuple[Decision, ...]:
    chosen: Dict[int, _Trail] = {}
    node = best.trail
    while node is not None:
        chosen[node.cand] = node
        node = node.prev
    out = []
    for c in candidates:
        node = chosen.get(c.index)
        if node is not None and node.depth:
            total = sum(v for _, v in node.terms)
            out.append(Decision(c, True, node.depth, node.parent, node.terms, total,
                                f"heading at level {node.depth}: " + _render(node.terms)))
            continue
        terms = node.terms if node is not None else ()
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
    return " ".join("%s%+.1f" % (name, value) for name, value in terms) or "-"
