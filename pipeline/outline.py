"""One plan's logical lines → its section tree (flat, in reading order).

Reads Lines (offsets into the plan's text); returns Sections. A label opens a
node only where it continues the numbering: the next number of an open level,
or the first number of a new deeper level. Levels are depths in this plan's
tree, so a plan that starts at （一） has （一） at level 1.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from .labels import Label, parse_label
from .model import Line, Section
from .textutil import SENTENCE_END, ends_complete, fold

UNNUMBERED = "un"
_UNNUMBERED_MAX = 25
_TITLE_STOP = re.compile(r"[。：:；;！？!?]")
# Before a label inside a line: a sentence end or a space lets it open a heading
# (a page that lost its line breaks); a colon or semicolon makes it an inline list.
# Styles numbered straight through a plan, across their parents (第一条 … 第九条).
_CONTINUOUS_STYLES = ("第条",)
_TOLERANT_STYLES = ("cn", "pcn", "第章", "第节", "第部分", "第篇")
_HEADING_LEAD = set("。！？!? \t")
_INLINE_LEAD = set("：:；;")
_LABEL_START = set("(（0123456789０１２３４５６７８９一二三四五六七八九十第①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳㈠㈡㈢㈣㈤㈥㈦㈧㈨㈩⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽")
# Short lines that close a plan or sign it, never sub-headings.
_NOT_A_HEADING = re.compile(
    r"^(?:[\dXx×〇零一二三四五六七八九十○]{2,4}\s*年(?:\s*[\d一二三四五六七八九十]{1,2}\s*月)?(?:\s*[\d一二三四五六七八九十]{1,3}\s*日)?"
    r"|.{0,20}(?:学校|小学|中学|学院|幼儿园|党支部|党总支|党委|委员会|办公室|教育局)"
    r"|特此|附件|附表|备注|说明|注[:：]|[—\-－]{1,2}.*|.*[，,、。.…]$"
    r"|[（(【〔\[].*[）)】〕\]])$")  # a bracketed subtitle: （2026—2027学年度第一学期）


@dataclass
class _Open:
    """An open level of the outline while it is being built."""

    style: str
    number: int
    section: int  # index into the list of headings found
    hint_level: Optional[int] = None
    has_body: bool = False


@dataclass
class _Heading:
    line: int
    pos: int  # offset of the heading inside the line's text
    label: Optional[Label]
    depth: int
    parent: Optional[int]
    path: Tuple[str, ...]


@dataclass
class _State:
    stack: List[_Open] = field(default_factory=list)
    inline_next: Dict[str, int] = field(default_factory=dict)
    last_number: Dict[str, int] = field(default_factory=dict)
    headings: List[_Heading] = field(default_factory=list)


def _accept(state: _State, label: Label, line_initial: bool) -> Optional[int]:
    """Depth at which `label` opens a node, or None when it continues no sequence.

    The next number of an open level continues it; the first number of a style not
    open starts a deeper level; 第N条 (numbered through the whole plan) may also
    continue from its last number. A line-initial strong label may skip one number
    (a typo) unless an inline enumeration in the body expects exactly that number.
    """
    for idx in range(len(state.stack) - 1, -1, -1):
        entry = state.stack[idx]
        if entry.style != label.style:
            continue
        expected = entry.number + 1
        if label.number == expected:
            return idx + 1
        skipped_one = line_initial and label.number == expected + 1 and label.style in _TOLERANT_STYLES
        if skipped_one and state.inline_next.get(label.style) != label.number:
            return idx + 1
        return None
    if label.number == 1:
        return len(state.stack) + 1
    if label.style in _CONTINUOUS_STYLES and state.last_number.get(label.style) == label.number - 1:
        return len(state.stack) + 1
    return None


def _open(state: _State, line_no: int, pos: int, label: Optional[Label], depth: int,
          title: str, hint_level: Optional[int] = None) -> None:
    del state.stack[depth - 1:]
    parent = state.stack[-1].section if state.stack else None
    parent_path = state.headings[parent].path if parent is not None else ()
    step = label.text if label else title
    state.headings.append(_Heading(line_no, pos, label, depth, parent, parent_path + (step,)))
    state.stack.append(_Open(label.style if label else UNNUMBERED, label.number if label else 0,
                             len(state.headings) - 1, hint_level))
    state.inline_next.clear()
    if label:
        state.last_number[label.style] = label.number


def heading_title(heading_text: str) -> str:
    """Title of a heading: the text after the label up to the first 。：；, stripped.

    >>> heading_title("1.内容设置：聚焦“三个结合”")
    '内容设置'
    """
    label = parse_label(heading_text)
    rest = heading_text[label.end:] if label else heading_text
    title = _TITLE_STOP.split(rest, 1)[0].strip()
    # "指导思想 坚持以…": a space after a short title ends it (heading and body on one line)
    head = re.split(r"\s+", title, 1)
    if len(head) == 2 and 2 <= len(head[0]) <= _UNNUMBERED_MAX:
        return head[0]
    return title


def is_unnumbered_heading(lines: Sequence[Line], index: int) -> bool:
    """True when line `index` is a short unnumbered sub-heading that introduces what follows."""
    line = lines[index]
    text = line.text.strip()
    if line.hint and line.hint.heading_level:
        return not parse_label(text)
    if index + 1 >= len(lines) or not (2 <= len(text) <= _UNNUMBERED_MAX) or parse_label(text):
        return False
    colon = text[-1] in "：:"
    core = text[:-1] if colon else text
    if not core or any(c in core for c in SENTENCE_END + "：:") or _NOT_A_HEADING.match(core):
        return False
    following = lines[index + 1].text.strip()
    next_label = parse_label(following)
    if colon:
        return next_label is not None and next_label.number == 1
    if index > 0 and not _closes_block(lines[index - 1].text):
        return False
    return next_label is not None or len(following) > _UNNUMBERED_MAX or ends_complete(following)


def _closes_block(text: str) -> bool:
    """True when a line ends a paragraph or is itself a heading, so a short line after it stands alone."""
    return ends_complete(text) or parse_label(text) is not None or len(text) <= _UNNUMBERED_MAX


def _midline_candidates(text: str, folded: str):
    """Labels inside a line, with the character class that precedes each."""
    for pos in range(1, len(text)):
        if folded[pos] not in _LABEL_START:
            continue
        lead = folded[pos - 1]
        if lead in _HEADING_LEAD or lead in _INLINE_LEAD:
            label = parse_label(text, pos, folded)
            if label and text[label.end:].strip():
                yield pos, label, ("inline" if lead in _INLINE_LEAD else "heading")


def _scan_line(state: _State, lines: Sequence[Line], line_no: int) -> None:
    line = lines[line_no]
    text = line.text
    folded = fold(text)
    label = parse_label(text, 0, folded)
    hint_level = line.hint.heading_level if line.hint else None
    if label:
        depth = _accept(state, label, line_initial=True)
        if depth:
            _open(state, line_no, 0, label, depth, "", hint_level)
        elif state.inline_next.get(label.style) == label.number:
            state.inline_next[label.style] = label.number + 1
        elif state.stack:
            state.stack[-1].has_body = True
    elif is_unnumbered_heading(lines, line_no):
        depth = _unnumbered_depth(state, hint_level)
        _open(state, line_no, 0, None, depth, heading_title(text).rstrip("：:"), hint_level)
    elif state.stack:
        state.stack[-1].has_body = True
    for pos, mid, lead in _midline_candidates(text, folded):
        if state.inline_next.get(mid.style) == mid.number:
            state.inline_next[mid.style] = mid.number + 1
            continue
        if lead == "heading":
            depth = _accept(state, mid, line_initial=False)
            if depth:
                _open(state, line_no, pos, mid, depth, "", None)
                continue
        if mid.number == 1:
            state.inline_next[mid.style] = 2


def _unnumbered_depth(state: _State, hint_level: Optional[int]) -> int:
    """Depth of an unnumbered heading: beside an open unnumbered one, else under the open container."""
    stack = state.stack
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
    return depth + 1


def build_outline(text: str, lines: Sequence[Line], skip_title: bool = False) -> Tuple[Section, ...]:
    """Sections of one plan, flat in reading order.

    `text` is the plan's text and `lines` its logical lines (Line.start indexes
    into `text`); with `skip_title` the first line is the plan's title and opens
    no section.
    """
    state = _State()
    for line_no in range(1 if skip_title else 0, len(lines)):
        _scan_line(state, lines, line_no)
    return _sections(text, lines, state.headings)


def _sections(text: str, lines: Sequence[Line], headings: Sequence[_Heading]) -> Tuple[Section, ...]:
    starts = [lines[h.line].start + h.pos for h in headings]
    out = []
    for k, h in enumerate(headings):
        line = lines[h.line]
        start = starts[k]
        next_start = starts[k + 1] if k + 1 < len(headings) else len(text)
        line_end = line.start + len(line.text)
        heading_end = min(line_end, next_start)
        heading = text[start:heading_end].rstrip()
        heading_end = start + len(heading)
        end = next_start
        while end > heading_end and text[end - 1].isspace():
            end -= 1
        if h.label:
            label_span = (start + h.label.start - h.pos, start + h.label.start - h.pos + len(h.label.text))
            label_text = h.label.text
            title = heading_title(heading)
        else:
            label_span = (start, start)
            label_text = ""
            title = heading_title(heading).rstrip("：:")
        out.append(Section(
            id=f"s{k + 1}",
            parent=f"s{h.parent + 1}" if h.parent is not None else None,
            level=h.depth,
            label=label_text,
            title=title,
            path="/".join(h.path),
            heading=heading,
            body=text[heading_end:end].strip(),
            span=(start, end),
            heading_span=(start, heading_end),
            label_span=label_span,
        ))
    return tuple(out)


def lines_from_text(text: str) -> Tuple[Line, ...]:
    """Logical lines of an already-clean text, one per non-blank line (for tests and tools)."""
    out = []
    offset = 0
    for index, raw in enumerate(text.split("\n")):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            out.append(Line(stripped, offset + lead, offset + lead, (index,)))
        offset += len(raw) + 1
    return tuple(out)


def outline_text(text: str, skip_title: bool = False) -> Tuple[Section, ...]:
    """Sections of a plan given as plain text (one logical line per line)."""
    return build_outline(text, lines_from_text(text), skip_title)
