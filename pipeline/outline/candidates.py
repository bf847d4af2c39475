"""Every candidate heading of a plan, with its evidence (no decision is taken here).

Reads one plan's logical lines; returns Candidates in reading order. A
candidate is a numbering label — line-initial, after a sentence end, after a
space or a colon inside a line, or glued to a short title before it — or a
short unnumbered line that may be a sub-heading. Each carries what a reader
weighs: where it stands, its style and number, what precedes it, its title's
length, whether its line looks like a contents entry. `line_labels` is the
per-line part, shared with the splitter.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Dict, List, Optional, Sequence, Tuple

from .. import lexicons
from ..labels import Label, extended_label_at, label_at, may_start_label, parse_label
from ..model import Line
from ..records import record
from ..textutil import CJK, SENTENCE_END, ends_complete, fold, is_cjk_char

UNNUMBERED_MAX = 25
_TITLE_STOP = re.compile(r"[。：:；;！？!?]")
# The first stop or space of a title: most titles hold no space before their stop.
_TITLE_STOP_OR_SPACE = re.compile(r"[\s。：:；;！？!?]")
# Bounded look-ahead when reading a title, so a 2 MB line costs linear time.
_TITLE_WINDOW = 120
_SPACE_RUN = re.compile(r"\s+")
# A title longer than this that opens with a standard section name is cut after the name.
_RUN_ON_TITLE = 12
# A line longer than this holds several paragraphs run together (lost line breaks).
_RUN_ON_LINE = 300
# A bracketed note after a sentence end ("。(5 分)") is at most this long.
_NOTE_MAX = 12
# A contents entry and its heading in the body share label and the first characters of the title
# (the last entry may run into the body: "三、主要措施一、指导思想").
_CONTENTS_KEY = 4
# A table of contents starts within this many lines of the plan's first line (a 目录 line may precede it).
_CONTENTS_LEAD = 2
# "一活动宗旨": a bare Chinese numeral opens a heading only before a short title without commas.
_BARE_TITLE_MAX = 15
_STOP_LEAD = set("。！？!?")
_SPACE_LEAD = set(" \t")
_COLON_LEAD = set("：:；;")  # a colon or semicolon before a label makes an inline list
# A label glued to the text before it ("…工作计划（一）加强…", "…办法1.讲政治"):
# only after a short stretch without commas, as a heading title is.
_GLUED_PREFIX_MAX = 30
_GLUED_LEAD_BREAK = set("，,、“‘《(（[【")
_LABEL_START = set("(（0123456789０１２３４５６７８９一二三四五六七八九十第①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
                   "㈠㈡㈢㈣㈤㈥㈦㈧㈨㈩⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇?？任专模板活项措举环步单")
def _char_class(chars) -> str:
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"


# line_labels walks a line only where something can happen: while a title run is open (a label
# may glue to it, up to _GLUED_PREFIX_MAX characters from its start), at every character that may
# open a label or changes the run's state; once the run is broken or too long, only at a possible
# label start after a space, a sentence end, a colon or a semicolon, or a closing bracket (no other
# lead makes a label count there). The latter is searched for as the lead and the label's first
# character, from the character before: a pattern opening with a lookbehind is tried at every
# position, one opening with a character class only where that class matches.
_SCAN_IN_RUN = re.compile(_char_class(_LABEL_START | _STOP_LEAD | _COLON_LEAD | _SPACE_LEAD | _GLUED_LEAD_BREAK |
                                      set("：:)）")))
# In a label's own title the characters that break only a line's opening run change nothing.
_SCAN_IN_TITLE = re.compile(_char_class(_LABEL_START | _STOP_LEAD | _COLON_LEAD | _SPACE_LEAD | set("：:)）")))
_SCAN_AFTER_BREAK = re.compile(_char_class(_SPACE_LEAD | _STOP_LEAD | _COLON_LEAD | set(")）")) +
                               _char_class(_LABEL_START))

# Short lines that close a plan or sign it, never sub-headings.
_NOT_A_HEADING = re.compile(
    r"^(?:[\dXx×〇零一二三四五六七八九十○]{2,4}\s*年(?:\s*[\d一二三四五六七八九十]{1,2}\s*月)?(?:\s*[\d一二三四五六七八九十]{1,3}\s*日)?"
    r"|特此|附件|附表|备注|说明|注[:：]|[—\-－]{1,2}.*|.*[，,、。.…]$"
    r"|[（(【〔\[].*[）)】〕\]])$")  # a bracketed subtitle: （2026—2027学年度第一学期）
# A short line ending in an organisation's name: a signature, unless a series of such lines
# stands over numbered outlines (党员大会 / 支部委员会); the decoder weighs it.
_SIGNATURE = re.compile(r"^.{0,20}(?:学校|小学|中学|学院|幼儿园|党支部|党总支|党委|委员会|办公室|教育局)$")
# Page furniture and dates that survive clean-up: a year, a document number, a page counter.
_FURNITURE = re.compile(r"(?:19|20)[\dxX×]{2}|〔|\[\d|第\s*\d+\s*页|\d+\s*页|\.(?:docx?|pdf|txt)|[A-Za-z]{3,}")


@record
class LabelCandidate:
    """A label inside one line: where it is, what precedes it, and the title after it."""

    label: Label
    pos: int
    lead: str  # start | stop | space | colon | title_colon | semicolon | glued
    title: str


@record
class Candidate:
    """One candidate heading of a plan with the evidence the decoder weighs."""

    index: int  # position in the plan's candidate list
    line: int  # index of its logical line
    pos: int  # offset inside the line
    label: Optional[Label]  # None for an unnumbered candidate
    lead: str  # start | stop | space | colon | glued (unnumbered: start)
    title: str
    title_len: int
    heading_only: bool  # nothing but label and title on its line up to the next label
    contents: bool = False  # a table-of-contents entry whose heading recurs in the body
    unnumbered: str = ""  # "" numbered; "plain" / "colon" / "hint" for unnumbered candidates
    hint_level: Optional[int] = None
    body_before: bool = False  # body text stands between the previous candidate and this one
    furniture: bool = False  # a year, a document number, a page counter or Latin text
    names_plan: bool = False  # names a kind of plan (…工作计划, …制度): a title, not a section
    signature: bool = False  # ends in an organisation's name (…党支部, …委员会): a signature line
    after_unfinished: bool = False  # line-initial right after a long line cut mid-sentence (a hard wrap?)
    sole_body: bool = False  # unnumbered line between a heading and the next item of its list: its body
    latin: bool = False  # the line is mostly Latin text (the translation in a bilingual plan)
    run_on: bool = False  # its line is a long run of text (a page or a stretch that lost its line breaks)

    style: str = "un"  # the label's style ("un" when unnumbered)
    number: int = 0  # the label's number (0 when unnumbered or its digits were lost)


def heading_title(heading_text: str) -> str:
    """Title of a heading: the text after the label up to the first 。：；, stripped.

    >>> heading_title("1.内容设置：聚焦“三个结合”")
    '内容设置'
    """
    label = parse_label(heading_text) or parse_label(heading_text, extended=True)
    rest = heading_text[label.end:] if label else heading_text
    return _title_of(rest, len(rest))


@lru_cache(maxsize=1)
def _section_names() -> Tuple["re.Pattern[str]", frozenset]:
    """The standard section names as a pattern of the longest at a position, and their first characters."""
    names = [r["name"] for r in lexicons.read_table("section_names.tsv", ("name",))]  # never empty (the first column)
    return (re.compile(lexicons.alternation(names, "lexicons/section_names.tsv")),
            frozenset(name[0] for name in names))


def _title_of(rest: str, window: int = _TITLE_WINDOW) -> str:
    """The title at the start of `rest` (text after a label), looking at most `window` characters ahead."""
    m = _TITLE_STOP_OR_SPACE.search(rest, 0, window)
    end = m.start() if m else window
    if m is None or not rest[end].isspace():
        title = rest[:end]  # no space before the stop: nothing to strip or split
    else:
        m = _TITLE_STOP.search(rest, end, window)
        title = rest[:m.start() if m else window].strip()
        # "指导思想 坚持以…": a space after a short title ends it (heading and body on one line),
        # not one inside brackets ("基础分(80 分)") nor between the halves of a couplet ("广泛动员 强化学习")
        m = _SPACE_RUN.search(title)
        if m and 2 <= m.start() <= UNNUMBERED_MAX:
            head, tail = title[:m.start()], title[m.end():]
            couplet = len(head) == len(tail) <= 8 and not _SPACE_RUN.search(tail)
            if head.count("(") + head.count("（") <= head.count(")") + head.count("）") and not couplet:
                return head
    # "总体要求始终以…": a standard section name running on into its body without a stop
    if len(title) > _RUN_ON_TITLE:
        names, firsts = _section_names()
        name = names.match(title) if title[0] in firsts else None  # most titles open with no name's character
        if name:
            return title[:name.end()]
    return title


def title_below(text: str) -> str:
    """The title of a heading whose label stands alone at the end of the line above `text`."""
    return "" if parse_label(text) else _title_of(text)


def _lead(folded: str, pos: int, segment_start: int, title_colon: int) -> Optional[str]:
    """What stands before a label inside a line: stop, space, colon, title_colon, semicolon, glued, or None."""
    prev = folded[pos - 1]
    k = pos - 1
    if prev in _SPACE_LEAD:
        # what stands before the spaces decides ("内容： (1)…" is an inline list; "。 2、" a stop)
        while k > 0 and folded[k] in _SPACE_LEAD and pos - k < 8:
            k -= 1
        if folded[k] in _COLON_LEAD and pos - k > 2:
            return "space"  # a run of spaces after the colon is a lost line break ("具体如下：  一、指导思想")
    ch = folded[k]
    if ch in ")）" and k == pos - 1:
        # "…不得分。(5 分)(2)认真…": a bracketed note closing the sentence before the label
        opening = max(folded.rfind("(", max(0, k - _NOTE_MAX), k), folded.rfind("（", max(0, k - _NOTE_MAX), k))
        if opening > 0 and folded[opening - 1] in _STOP_LEAD:
            return "stop"
    if ch in _STOP_LEAD:
        return "stop"
    if ch in "；;":
        return "semicolon"
    if ch in "：:":
        # the colon that ends a heading's own title ("二、工作重点：1、…") opens its list
        return "title_colon" if k == title_colon else "colon"
    if prev in _SPACE_LEAD:
        return "space"
    if segment_start >= 0 and pos - segment_start <= _GLUED_PREFIX_MAX and (
            is_cjk_char(prev) or prev in "）)”」》"):
        return "glued"
    return None


@lru_cache(maxsize=4096)
def line_labels(text: str) -> Tuple[LabelCandidate, ...]:
    """Every label candidate in one line, in order: line-initial, then inside the line.

    Inside a line a label counts after a sentence end, a space, a colon, or glued
    right after a short comma-free stretch (a title); each says which (`lead`).

    >>> [(c.label.text, c.lead) for c in line_labels("一、目标 1.建强支部。2.带好队伍")]
    [('一、', 'start'), ('1.', 'space'), ('2.', 'stop')]
    """
    folded = fold(text)
    out: List[LabelCandidate] = []
    # the line's standard label is read through parse_label's cache: the splitter and the line joiner
    # have asked for most lines' (an extended form is read only where none stands and one may start,
    # and without reading the standard forms again)
    first = parse_label(text)
    if first is None and text and may_start_label(folded[0]):
        first = extended_label_at(text, 0, folded)
    after = text[first.end:first.end + _TITLE_WINDOW] if first else ""
    if first and ((after and not after.isspace()) or first.form == ""):
        # a label alone on its line is a candidate too: its title is on the next line
        title = _title_of(after)
        if first.form != "bare" or first.style != "cn" or (len(title) <= _BARE_TITLE_MAX and
                                                            not any(c in title for c in "，,、")):
            out.append(LabelCandidate(first, 0, "start", title))
    segment_start = first.end if first else 0
    label_end = first.end if out else -1
    title_colon = -1
    depth = 0  # open brackets inside the current title run
    pos = first.end if first else 1
    n = len(text)
    while pos < n:
        if segment_start >= 0 and pos - segment_start > _GLUED_PREFIX_MAX:
            segment_start = -1  # too far from its start for a glued label or a title's colon: the run is over
        if segment_start >= 0:
            m = (_SCAN_IN_TITLE if segment_start == label_end else _SCAN_IN_RUN).search(folded, pos)
            if m is None:
                break
            pos = m.start()
        else:
            m = _SCAN_AFTER_BREAK.search(folded, pos - 1)  # pos >= 1: the lead may stand at pos - 1
            if m is None:
                break
            pos = m.start() + 1
        ch = folded[pos]
        if ch not in _LABEL_START:
            if ch in "：:" and segment_start >= 0 and segment_start == label_end and \
                    pos - segment_start <= _GLUED_PREFIX_MAX:
                title_colon = pos  # the colon right after a label's short title
            # a glued label follows a title: the line's start or a label's end with no break since;
            # a heading's title may hold commas and a bracketed "(80 分)", a line's opening text may not
            if ch in ")）":
                depth = max(0, depth - 1)
            elif ch in _STOP_LEAD or ch in _COLON_LEAD or \
                    (ch in _SPACE_LEAD and not depth) or (ch in _GLUED_LEAD_BREAK and segment_start != label_end):
                segment_start = -1
            pos += 1
            continue
        lead = _lead(folded, pos, segment_start, title_colon)
        label = label_at(text, pos, folded, extended=lead != "glued") if lead else None
        if label is None and ch in "(（":
            depth += 1
            if segment_start != label_end:
                segment_start = -1
        if label and lead == "glued" and label.style not in ("pcn", "par", "ar", "cn", "circ") and \
                not label.style.startswith("第"):
            label = None
        if label and lead == "glued" and label_end < 0 and not _names_plan(text[:pos]):
            label = None  # glued to the line's opening text: only to a plan's title ("…工作计划（一）…"), not "初一(1)班"
        if label and label.form == "lost" and lead not in ("stop", "space"):
            label = None
        rest = text[label.end:label.end + _TITLE_WINDOW].strip() if label else ""
        if rest and rest[0] in _LABEL_START and parse_label(rest[:12]):
            label = None  # a label with another label for its title titles nothing
        # a label ending the line ("第一章 总则 第一条" with the article's text below) counts after a space
        if label and (rest or (lead == "space" and label.form == "" and label.end + _TITLE_WINDOW >= n)):
            out.append(LabelCandidate(label, pos, lead, _title_of(rest)))
            segment_start = label_end = label.end
            depth = 0
            pos = label.end
            continue
        pos += 1
    return tuple(out)


def first_label(text: str) -> Optional[Label]:
    """The line-initial label of `text` (extended forms included), else None."""
    found = line_labels(text)
    return found[0].label if found and found[0].lead == "start" else None


@lru_cache(maxsize=1)
def _plan_kind() -> "re.Pattern[str]":
    rows = lexicons.read_table("plan_titles.tsv", ("keyword",))
    words = [r["keyword"] for r in rows] + ["制度", "细则", "办法", "规定", "章程", "守则", "条例"]
    return re.compile("(?:" + "|".join(re.escape(w) for w in words) + r")(?:\s*[（(].{0,6}[）)])?\s*(?:篇?[一二三四五六七八九十\d]{0,2})$")


def _names_plan(core: str) -> bool:
    """A line naming a kind of plan with what it is about (…党建工作计划, …学习制度): a title."""
    m = _plan_kind().search(fold(core))
    return bool(m) and m.start() >= 4


def is_unnumbered_heading(lines: Sequence[Line], index: int) -> bool:
    """True when line `index` is a short unnumbered sub-heading that introduces what follows."""
    return _unnumbered_kind(lines, index) != ""


def _unnumbered_kind(lines: Sequence[Line], index: int) -> str:
    line = lines[index]
    text = line.text.strip()
    if line.hint and line.hint.heading_level:
        return "" if parse_label(text) else "hint"
    if index + 1 >= len(lines) or not (2 <= len(text) <= UNNUMBERED_MAX) or parse_label(text):
        return ""
    colon = text[-1] in "：:"
    core = text[:-1].rstrip() if colon else text
    if not core or any(c in core for c in SENTENCE_END + "：:") or _NOT_A_HEADING.match(core):
        return ""
    if len(CJK.findall(core)) < 2:
        return ""
    following = lines[index + 1].text.strip()
    next_label = first_label(following)
    if colon:
        # the numbered list it introduces starts on the next line, or after one line of lead-in text
        after = first_label(lines[index + 2].text) if next_label is None and index + 2 < len(lines) else None
        listed = next_label if next_label is not None else after
        return "colon" if listed is not None and listed.number in (0, 1) else ""
    if index > 0 and not _closes_block(lines[index - 1].text):
        return ""
    if next_label is not None or len(following) > UNNUMBERED_MAX or ends_complete(following):
        return "plain"
    return ""


_LATIN = re.compile(r"[A-Za-z]")
_INLINE_LEAD = re.compile(r"([\u4e00-\u9fff]{2,8})\s*[：:]\s*")


def _inline_lead_line(text: str, cand: LabelCandidate) -> Optional[int]:
    """Start of a short colon lead ("二月份：") right before `cand`, standing after a space or a
    sentence end inside the line; None when the colon closes a sentence or a label's own title."""
    k = cand.pos - 1
    while k >= 0 and text[k] in " \t\u3000":
        k -= 1
    if k < 2 or text[k] not in "：:" or cand.label.number not in (0, 1):
        return None
    j = k
    while j > 0 and k - j < 8 and "\u4e00" <= text[j - 1] <= "\u9fff":
        j -= 1
    if k - j < 2 or j == 0 or text[j - 1] not in " \t\u3000。！？!?":
        return None
    return j


_MARKUP_TAG = re.compile(r"<[^<>\n]{0,200}>")  # markup residue (<img …>, <script>) is no translation


def _mostly_latin(text: str, pos: int) -> bool:
    """True when in the title window of `text` from `pos` Latin letters outside markup tags outnumber
    CJK characters three to one (an English line)."""
    if not _LATIN.search(text, pos, pos + _TITLE_WINDOW):
        return False  # most lines: no Latin letter at all
    text = text[pos:pos + _TITLE_WINDOW]
    latin = len(_LATIN.findall(_MARKUP_TAG.sub("", text)))
    return latin >= 6 and latin > 3 * len(CJK.findall(text))


def _sole_body(lines: Sequence[Line], index: int) -> bool:
    """A short line right under a numbered heading, followed by the next number of that list."""
    above = first_label(lines[index - 1].text) if index > 0 else None
    below = first_label(lines[index + 1].text) if index + 1 < len(lines) else None
    return above is not None and below is not None and below.number != 1


def _closes_block(text: str) -> bool:
    """True when a line ends a paragraph or is itself a heading, so a short line after it stands alone."""
    return ends_complete(text) or parse_label(text) is not None or len(text) <= UNNUMBERED_MAX


def _key(label: Label, title: str) -> Tuple[str, int, str]:
    return label.style, label.number, _SPACE_RUN.sub("", title)[:_CONTENTS_KEY]


def find_candidates(lines: Sequence[Line], first_line: int = 0) -> Tuple[Candidate, ...]:
    """All candidate headings of a plan's logical lines from `first_line` on, in reading order."""
    raw: List[Tuple[int, Optional[LabelCandidate], str]] = []
    for line_no in range(first_line, len(lines)):
        text = lines[line_no].text
        found = line_labels(text)
        if not (found and found[0].lead == "start"):
            kind = _unnumbered_kind(lines, line_no)
            if kind:
                raw.append((line_no, None, kind))
        for cand in found:
            lead_in = _inline_lead_line(text, cand) if cand.lead in ("colon", "title_colon") else None
            if lead_in is not None:
                # "… 二月份：1、…": a short colon lead inside a run-on line over the list it opens
                raw.append((line_no, None, "inline:%d" % lead_in))
                cand = LabelCandidate(cand.label, cand.pos, "title_colon", cand.title)
            raw.append((line_no, cand, ""))
    contents = _contents_entries(lines, raw, first_line)
    out = []
    # Candidates are made with their fields by position, in the order of the class (a record called with
    # keywords costs several times as much), each group of them named in a comment.
    for k, (line_no, cand, kind) in enumerate(raw):
        text = lines[line_no].text
        pos = cand.pos if cand else (int(kind.split(":")[1]) if kind.startswith("inline:") else 0)
        if k == 0:
            body_before = line_no > first_line or pos > 0
        else:
            prev_line, prev = raw[k - 1][0], raw[k - 1][1]
            if line_no > prev_line + 1:
                body_before = True
            elif line_no == prev_line + 1:
                body_before = pos > 0
            else:
                gap = pos - (prev.label.end if prev else 0)
                body_before = gap > (len(prev.title) if prev else 0) + 2
        if cand is None and kind.startswith("inline:"):
            core = _INLINE_LEAD.match(text, pos).group(1)
            out.append(Candidate(len(out), line_no, pos, None, "space", core, len(core), True,
                                 # contents, unnumbered, hint_level, body_before
                                 False, "colon", None, body_before,
                                 # furniture, names_plan, signature, after_unfinished, sole_body, latin, run_on
                                 False, False, False, False, False, False, len(text) > _RUN_ON_LINE))
            continue
        if cand is None:
            core = text.strip().rstrip("：:")
            hint = lines[line_no].hint
            out.append(Candidate(len(out), line_no, 0, None, "start", core, len(core), True,
                                 # contents, unnumbered, hint_level, body_before
                                 False, kind, hint.heading_level if hint else None, body_before,
                                 # furniture, names_plan, signature
                                 bool(_FURNITURE.search(core)), _names_plan(core), bool(_SIGNATURE.match(core)),
                                 # after_unfinished, sole_body
                                 False, kind == "plain" and _sole_body(lines, line_no)))
            continue
        nxt = raw[k + 1][1] if k + 1 < len(raw) and raw[k + 1][0] == line_no else None
        stop = nxt.pos if nxt else len(text)
        after = text[cand.label.end:stop].strip()
        heading_only = len(after) <= len(cand.title) + 1
        title = cand.title
        prev_text = lines[line_no - 1].text if line_no > 0 else ""
        unfinished = cand.lead == "start" and len(prev_text) > UNNUMBERED_MAX and not ends_complete(prev_text)
        if not after and line_no + 1 < len(lines):
            title = title_below(lines[line_no + 1].text)
        hint = lines[line_no].hint
        label = cand.label
        out.append(Candidate(len(out), line_no, cand.pos, label, cand.lead, title, len(title), heading_only,
                             # contents, unnumbered, hint_level, body_before
                             k in contents, "", hint.heading_level if hint else None, body_before,
                             # furniture, names_plan, signature, after_unfinished, sole_body
                             False, False, False, unfinished, False,
                             # latin, run_on, style, number
                             _mostly_latin(text, cand.pos), len(text) > _RUN_ON_LINE,
                             label.style, label.number))
    return tuple(out)


def _contents_entries(lines: Sequence[Line], raw, first_line: int = 0) -> set:
    """Indexes (into `raw`) of table-of-contents entries.

    A table of contents is a run of at least three adjacent lines, each a
    line-initial label with nothing but a short title, standing before any body
    text of the plan, whose first entry recurs later in the plan (the body
    starts over). Its entries are the run's lines whose label and title recur.
    """
    run: List[Tuple[int, int]] = []  # (raw index, line) of the opening run of heading-only lines
    first_key = None
    for k, (line_no, cand, _) in enumerate(raw):
        if cand is None or cand.lead != "start":
            if run and line_no == run[-1][1]:
                continue  # a label glued inside the last entry's line
            break
        text = lines[line_no].text
        expected = run[-1][1] + 1 if run else None
        key = _key(cand.label, cand.title)
        if run and key == first_key:
            break  # the body starts over
        if len(text) > 40 or any(c in text for c in SENTENCE_END) or \
                (expected is not None and line_no != expected) or (not run and line_no > first_line + _CONTENTS_LEAD):
            break
        if not run:
            first_key = key
        run.append((k, line_no))
    if len(run) < 3:
        return set()  # no contents: the other candidates' keys are not needed
    keys = [_key(cand.label, cand.title) if cand is not None else None for _, cand, _ in raw]
    later: Dict[Tuple[str, int, str], int] = {}
    for k, key in enumerate(keys):
        if key is not None:
            later[key] = k
    end = run[-1][0]
    first_k, _ = run[0]
    if later.get(keys[first_k], first_k) <= end:
        return set()
    return {k for k, _ in run if later.get(keys[k], k) > k}
