"""One file's logical lines → its plans (documents), each with its title line.

Reads Lines from the normaliser (their `text` is the simplified matching
shadow; titles are reported as written); returns PlanSlices. A short line
naming its kind of document (lexicons/plan_titles.tsv) starts a plan; after
the first plan, such a line starts a new one only where the numbering
restarts after it (or no numbering follows). Titles glued to other text get a
line of their own first; a title repeated is one title; a title directly
followed by another is a page headline. Also names plans for display
(`document_name`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import List, Optional, Sequence, Tuple

from . import lexicons
from .labels import parse_label
from .model import Line
from .textutil import SENTENCE_END
from .traditional import to_shadow

_TITLE_MAX = 40
# A "plan" with no numbering and less text than this before the next title is a headline.
_HEADLINE_BODY_MAX = 200
# Less text than this under a title, and no numbered line, and it is no plan.
_PLAN_BODY_MIN = 60
_YEAR = re.compile(r"(?:19|20)\d\d|[二〇零一二三四五六七八九]{4}年|学年|年度|学期")
_TITLE_FORBIDDEN = SENTENCE_END + "：:，,"


@dataclass(frozen=True)
class PlanSlice:
    """The lines of one plan; `has_title` says whether lines[0] is its title line."""

    title: str
    lines: Tuple[Line, ...]
    has_title: bool


@dataclass(frozen=True)
class _TitleWords:
    anywhere: "re.Pattern[str]"  # a word that names a plan wherever it stands
    at_end: "re.Pattern[str]"  # a word that names a plan only as the line's last word
    vetoes: Tuple[Tuple["re.Pattern[str]", "re.Pattern[str]"], ...]  # (keyword, unless-words)


@lru_cache(maxsize=1)
def _title_words() -> _TitleWords:
    rows = lexicons.read_table("plan_titles.tsv", ("keyword",))
    where = "lexicons/plan_titles.tsv"
    anywhere = [r["keyword"] for r in rows if r.get("position", "any") != "end"]
    at_end = [r["keyword"] for r in rows if r.get("position") == "end"]
    vetoes = tuple((re.compile(re.escape(r["keyword"])),
                    re.compile(lexicons.alternation(lexicons.split_list(r["unless"]), where)))
                   for r in rows if r.get("unless"))
    end = lexicons.alternation(at_end, where) if at_end else "(?!)"
    return _TitleWords(re.compile(lexicons.alternation(anywhere, where)),
                       re.compile("(?:" + end + ")" + _TITLE_TAIL + "$"), vetoes)


# What may follow a title's last word: a year, "(试行)", "范文", a piece marker ("篇一", "(3)").
_TITLE_TAIL = (r"(?:\s*[(（]\s*试\s*行\s*[)）]"
               r"|\s*[(（]\s*(?:(?:19|20)\d\d\s*年(?:\s*\d{1,2}\s*月)?(?:\s*\d{1,2}\s*日)?)?\s*(?:草案|修订|修订版|修订稿|征求意见稿|试行|印发)?\s*[)）]"
               r"|\s*(?:(?:19|20)\d\d\s*年(?:度)?)|\s*范文\s*[一二三四五六七八九十\d]{0,3}"
               r"|\s*[(（【\[]?\s*(?:完整版|通用版|精选|精编|最新|范本|模板|参考)\s*[)）】\]]?|\s*[(（]?\s*篇\s*[一二三四五六七八九十\d]{1,3}\s*[)）]?"
               r"|\s*[(（]\s*\d{1,2}\s*[)）]|\s*[】\]]){0,2}")
_TITLE_TAIL_RE = re.compile(_TITLE_TAIL)
# A title over _TITLE_MAX ends with one of these kind words (and a title's tail).
_LONG_TITLE_END = re.compile(r"(?:计划|要点|安排|方案|规划)" + _TITLE_TAIL + "$")
# Quoted names and 《》 titles may hold commas; a ——subtitle may too.
_QUOTED = re.compile(r"“[^“”\n]{0,40}”|\"[^\"\n]{0,40}\"|《[^《》\n]{0,60}》|「[^「」\n]{0,40}」")
_SUBTITLE = re.compile(r"——.{0,40}$")
# A line opening like this is a sentence or a subtitle, not a title (a lone dash before
# 学年/年度 is what is left of a stripped year: "—学年度第一学期工作计划" is a title).
_NOT_TITLE_START = re.compile(r"(?:——|—(?!\s*(?:学年|年度|年|学期))|为|根据|按照|依据|依照|结合|围绕|通过|经|现将|现就|现对|特制定|兹|下面|以下|本文|如下)")
# A collection piece's marker before its title: "篇一：", "第二篇 ", "范文三：", "【篇一】".
_PIECE_PREFIX = re.compile(r"(?:[【\[(（]\s*)?(?:篇\s*[一二三四五六七八九十\d]{1,3}|第\s*[一二三四五六七八九十\d]{1,3}\s*篇"
                           r"|范文\s*[一二三四五六七八九十\d]{1,3})\s*(?:[】\])）]\s*)?[:：、.]?\s*")
# What a piece marker opens with: a line opening otherwise needs no match (most lines).
_PIECE_FIRST = frozenset("【[(（篇第范")
# A title may run longer than _TITLE_MAX when it ends with its kind word.
_LONG_TITLE_MAX = 64
# Characters of a title besides its kind word: fewer, and the line is a column name ("规章制度").
_TITLE_OWN_MIN = 3


# What a text must hold for `_masked` to blank anything (each of its patterns opens with one).
_MASK_OPENERS = ("“", "\"", "《", "「", "——")
# Either searched for at once (one search instead of a test per character).
_MASK_OPENER = re.compile("|".join(re.escape(o) for o in _MASK_OPENERS))
_FORBIDDEN_CHAR = re.compile("[" + re.escape(_TITLE_FORBIDDEN) + "]")


def _masked(text: str) -> str:
    """`text` with quoted names and a trailing ——subtitle blanked (commas inside them are no sentence)."""
    text = _QUOTED.sub(lambda m: "“" + "名" * (len(m.group()) - 2) + "”", text)
    return _SUBTITLE.sub(lambda m: "—" * len(m.group()), text)


def names_plan(text: str) -> bool:
    """True when `text` (simplified) holds a word naming a kind of plan, as the lexicon allows it.

    >>> names_plan("学校党支部2026年工作计划"), names_plan("学习制度的落实")
    (True, False)
    """
    words = _title_words()
    found = bool(words.anywhere.search(text))
    if not found:
        m = words.at_end.search(text)
        found = bool(m) and len(text[:m.start()].strip()) >= _TITLE_OWN_MIN
    if found:
        for keyword, unless in words.vetoes:
            if keyword.search(text) and unless.search(text):
                return False
    return found


def is_title_text(text: str) -> bool:
    """True when a line's text (simplified) reads as a plan's title: short, unnumbered, names a
    plan, no sentence marks outside quoted names and a ——subtitle."""
    text = text.strip()
    piece = _PIECE_PREFIX.match(text) if text[:1] in _PIECE_FIRST else None
    if piece and piece.end() < len(text):
        text = text[piece.end():].lstrip()  # "篇一：…计划", "第二篇 …方案": the title after the marker
    if not (4 <= len(text) <= _LONG_TITLE_MAX) or parse_label(text) or _NOT_TITLE_START.match(text):
        return False
    # masking only ever blanks characters: a text without forbidden marks needs none, nor one
    # holding nothing to mask
    if _FORBIDDEN_CHAR.search(text) and \
            (not _MASK_OPENER.search(text) or _FORBIDDEN_CHAR.search(_masked(text))):
        return False
    if text.endswith(("如下", "的")):
        return False
    if len(text) > _TITLE_MAX and not _title_words().at_end.search(text) and not _LONG_TITLE_END.search(text):
        return False
    head = _SUBTITLE.sub("", text)
    return names_plan(head)


def ends_like_title(text: str) -> bool:
    """True when `text` (simplified) ends with a word naming a kind of plan (and a title's tail).

    >>> ends_like_title("20260530:某区党建工作实施方案"), ends_like_title("严格执行“三会")
    (True, False)
    """
    words = _title_words()
    tail = text[-(_LONG_TITLE_MAX + 12):]
    if words.at_end.search(tail):
        return True
    return any(tail.endswith(m.group()) or _TITLE_TAIL_RE.fullmatch(tail[m.end():])
               for m in words.anywhere.finditer(tail))


def is_title_line(line: Line) -> bool:
    """True when `line` reads as a plan's title: short, unnumbered, names a plan, no sentence marks."""
    if line.hint and line.hint.is_title:
        return True
    return is_title_text(line.text)


def written(line: Line) -> str:
    """A line's text as written (its `text` may be the simplified matching shadow)."""
    return line.text if line.original is None else line.original


def cut_line(line: Line, start: int, end: Optional[int] = None, **changes) -> Line:
    """The part [start:end] of `line`, shadow and original alike; `source_start` moves with `start`."""
    end = len(line.text) if end is None else end
    original = line.original[start:end] if line.original is not None else None
    return replace(line, text=line.text[start:end], original=original,
                   source_start=line.source_start + start, **changes)


def _first_label(lines: Sequence[Line], start: int, stop: int):
    for line in lines[start:stop]:
        label = parse_label(line.text)
        if label:
            return label
    return None


def _first_label_number(lines: Sequence[Line], start: int, stop: int) -> Optional[int]:
    label = _first_label(lines, start, stop)
    return label.number if label else None


# Lines at the top of a file (chrome removed) where a title may be glued to what follows it.
_HEAD_LINES = 3
# What a title's glued remainder may not open with: it would continue the title's sentence.
_NOT_AFTER_TITLE = re.compile(r"[，,。.、；;：:）)”’》】」的之是]|如下|已|将|要|和|与|及|等|中|在|围绕|主要|包括|分为|旨在|必须|需要|应当|应|须|共|由|对|从|也|都|就|还|已经")
_YEAR_PREFIX = re.compile(r"(?:19|20)\d\d(?:\s*[-—~至]\s*(?:19|20)\d\d)?\s*(?:年度?|学年度?)?")
_PIECE_OPEN = re.compile(r"[【\[(（]?\s*(?:第\s*)?[一二三四五六七八九十\d]{1,3}\s*篇\s*[】\])）:：]?|[【\[(（]\s*篇\s*[一二三四五六七八九十\d]{1,3}\s*[】\])）]|篇\s*[一二三四五六七八九十\d]{1,3}\s*[:：]")
_GLUED_MIN_REST = 10


def _rest_opens_plan(rest: str) -> bool:
    """The text after a glued title opens plan text (not the rest of the title's sentence)."""
    rest = rest.lstrip()
    return len(rest) >= 2 and not _NOT_AFTER_TITLE.match(rest)


def _repeated_title(text: str) -> Optional[Tuple[int, int]]:
    """`T` + (year) `T` + rest: the title glued to its own repeat. Returns (end of T, end of repeat)."""
    probe = text[:6]
    if len(probe) < 6:
        return None
    at = text.find(probe, 4, _LONG_TITLE_MAX + 12)
    while at > 0:
        year = None
        for m in _YEAR_PREFIX.finditer(text, max(0, at - 14), at):
            if m.end() == at and m.end() > m.start():
                year = m.start()
                break
        first_end = year if year is not None else at
        first = text[:first_end].rstrip()
        if first and is_title_text(first) and text.startswith(first, at):
            return first_end, at + len(first)
        at = text.find(probe, at + 1, _LONG_TITLE_MAX + 12)
    return None


# Where a title may end glued to its plan's first heading: a run of spaces, or just before a first label.
_FIRST_HEADING_OPENINGS = (r"第一[章条部节]", r"[一1１][、.．]", r"[(（]一[)）]")
_FIRST_HEADING_BREAK = re.compile(r"\s+|" + "|".join(f"(?={o})" for o in _FIRST_HEADING_OPENINGS))
# The same breaks, each opening taken instead of looked ahead at: whether a span holds a break,
# told twice as fast (the lookaheads cost at every position tried).
_FIRST_HEADING_BREAK_FOUND = re.compile(r"\s|" + "|".join(_FIRST_HEADING_OPENINGS))
# The characters such a break stands at: one class, searched for far faster than the pattern
# above (tried whole at every position); a window without them holds no break.
_FIRST_HEADING_BREAK_AT = re.compile(r"[\s第一1１(（]")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _end_word_anywhere() -> "re.Pattern[str]":
    """The kind words that name a plan only at a line's end (and a title's tail), found anywhere."""
    return re.compile(_title_words().at_end.pattern[:-1])


def _glued_title_end(text: str, head: bool) -> Optional[Tuple[int, int]]:
    """Where a title glued to the text after it ends: (end of title, start of the rest), or None.

    Anywhere: a title run into the first heading (`…工作计划一、指导思想`, also after a space).
    At the top of a file (`head`): a title in 【】, a title ended by its kind word or a space and
    followed by prose (`…实施方案依照上级…`).
    """
    reach = _LONG_TITLE_MAX + 12
    if not head:
        # no break where a title fits before it (any such break would be found from 4 on, and no
        # sooner than the first of the characters it stands at)
        at = _FIRST_HEADING_BREAK_AT.search(text, 4, reach)
        if at is None or not _FIRST_HEADING_BREAK_FOUND.search(text, at.start(), reach):
            return None
    window = text[:reach]
    best = None
    for m in _FIRST_HEADING_BREAK.finditer(window):
        if m.start() < 4:
            continue  # no title fits before it
        label = parse_label(text, m.end())
        if label and label.number == 1 and is_title_text(text[:m.start()]):
            best = (len(text[:m.start()].rstrip()), m.end())
    if best:
        return best
    if not head:
        return None
    if text[:1] in "【[":
        close = text.find("】" if text[0] == "【" else "]", 1, _LONG_TITLE_MAX + 2)
        if close > 4 and is_title_text(text[1:close]) and _rest_opens_plan(text[close + 1:]):
            return close + 1, close + 1
    words = _title_words()
    for m in _SPACES.finditer(window):
        if m.start() >= 4 and is_title_text(text[:m.start()]) and len(text) - m.end() >= _GLUED_MIN_REST \
                and _rest_opens_plan(text[m.end():]):
            best = (m.start(), m.end())
            break
    for pattern in (words.anywhere, _end_word_anywhere()):
        for m in pattern.finditer(window):
            tail = _TITLE_TAIL_RE.match(text, m.end())
            end = tail.end() if tail else m.end()
            if end >= 4 and is_title_text(text[:end]) and len(text) - end >= _GLUED_MIN_REST \
                    and _rest_opens_plan(text[end:]) and (best is None or end < best[0]):
                best = (end, end)
    return best


def _split_two_titles(text: str) -> Optional[int]:
    """Where a title line holds two titles (a site's file name, then the plan's own), else None."""
    for m in _SPACES.finditer(text):
        if is_title_text(text[:m.start()]) and is_title_text(text[m.end():]):
            return m.start()
    words = _title_words()
    for pattern in (words.anywhere, _end_word_anywhere()):
        for m in pattern.finditer(text):
            first, second = text[:m.end()], text[m.end():]
            if len(second) >= 6 and is_title_text(first) and is_title_text(second) \
                    and second.lstrip("*＊ ")[:3] == first.lstrip("*＊ ")[:3]:
                return m.end()
    return None


def detach_run_in_titles(lines: Sequence[Line]) -> List[Line]:
    """`detach_titles` without the record of which titles were glued."""
    return detach_titles(lines)[0]


def detach_titles(lines: Sequence[Line]) -> Tuple[List[Line], frozenset]:
    """Give a title glued to other text a line of its own; also return the indexes (into the
    lines returned) of titles that were cut from the prose they were glued to.

    "XX学校2026年党建工作要点 一、指导思想 …" (a title run into its plan),
    "…工作计划一、指导思想", "【…制度】为加强…", "…实施方案依照…" (a title run into its
    preamble, at the top of the file), a title glued to its own repeat ("T2023年T…": one
    title, the repeat dropped), and a site's file name glued before the plan's title
    (two title lines, the first then reads as a page headline).
    """
    out, glued, _ = _detach_titles(lines)
    return out, glued


def _detach_titles(lines: Sequence[Line]) -> Tuple[List[Line], frozenset, dict]:
    """`detach_titles`, and `is_title_line` of the lines returned where it was asked already
    (index -> answer; a line that went out as it came in)."""
    out: List[Line] = []
    asked: dict = {}
    glued: set = set()
    seen = 0
    for line in lines:
        if not line.text:
            out.append(line)
            continue
        seen += 1
        head = seen <= _HEAD_LINES
        if not head:
            # below the head only a title run into its first heading is cut (most lines: none)
            if len(line.text) <= 4:
                out.append(line)
                continue
            title_as_is = is_title_line(line)
            if _glued_title_end(line.text, False) is None:
                asked[len(out)] = title_as_is
                out.append(line)
                continue
        pending = [line]
        glued_title = None  # the title cut from the prose it was glued to, if any
        title_as_is = None  # is_title_line(line), once asked
        for _ in range(3):  # a file name, a title, then the plan: at most a few pieces per line
            current = pending[-1]
            text = current.text
            if len(text) <= 4:
                break
            is_title = is_title_line(current)
            if current is line:
                title_as_is = is_title
            if is_title:
                cut = _glued_title_end(text, False)  # a title that holds its first heading
                if cut:
                    pending[-1:] = [cut_line(current, 0, cut[0]), _strip_lead(cut_line(current, cut[1], hint=None))]
                break
            piece = _PIECE_OPEN.match(text) if head else None
            if piece and piece.end() < len(text) and not is_title_text(text):
                # "【篇一】" opening a title or body: its own line (a piece marker, chrome)
                pending[-1:] = [cut_line(current, 0, piece.end()), _strip_lead(cut_line(current, piece.end(), hint=None))]
                continue
            repeat = _repeated_title(text) if head else None
            if repeat:
                pending[-1:] = [cut_line(current, 0, repeat[0]), _strip_lead(cut_line(current, repeat[1], hint=None))]
                break
            cut = _glued_title_end(text, head)
            if not cut:
                break
            title, rest = cut_line(current, 0, cut[0]), _strip_lead(cut_line(current, cut[1], hint=None))
            two = _split_two_titles(title.text)
            if two is not None:
                pending[-1:] = [cut_line(title, 0, two), _strip_lead(cut_line(title, two)), rest]
            else:
                pending[-1:] = [title, rest]
                if len(pending) == 2:
                    glued_title = title
        if title_as_is is not None and len(pending) == 1 and pending[0] is line:
            asked[len(out)] = title_as_is
        for piece_line in pending:
            if piece_line.text:
                if piece_line is glued_title:
                    glued.add(len(out))
                out.append(piece_line)
    return out, frozenset(glued), asked


def _strip_lead(line: Line) -> Line:
    """`line` without leading spaces (source_start moved along)."""
    lead = len(line.text) - len(line.text.lstrip())
    return cut_line(line, lead) if lead else line


_TITLE_KEY_DROP = re.compile(r"[\s\W_]|(?:19|20)\d\d\s*(?:年度?|学年度?)?")


def _title_key(text: str) -> str:
    return _TITLE_KEY_DROP.sub("", text)


def _same_title(a: str, b: str) -> bool:
    """Two title lines that are one title set twice (spaces, punctuation and years aside)."""
    return _title_key(a) == _title_key(b)


def _is_plain_title(lines: Sequence[Line]) -> bool:
    """A file's first line as title when it names no plan kind: short, unnumbered, no sentence
    marks, dated or about party work, with the plan's numbered outline starting right after."""
    first = lines[0].text.strip()
    if not (4 <= len(first) <= _TITLE_MAX) or parse_label(first) or _FORBIDDEN_CHAR.search(first):
        return False
    if not (_YEAR.search(first) or "党" in first or "工作" in first):
        return False
    following = _first_label(lines, 1, min(len(lines), 4))
    return following is not None and following.number == 1


def split_plans(lines: Sequence[Line], declared_title: Optional[str] = None) -> List[PlanSlice]:
    """Cut a file's logical lines into plans.

    Lines before the first title belong to no plan (page headline, lead-in)
    unless they already hold numbered headings. A file with no title line is
    one plan with title "" (or the title a rich format declared).
    """
    lines, glued, asked = _detach_titles(lines)
    candidates = [i for i, line in enumerate(lines) if (asked[i] if i in asked else is_title_line(line))]
    # a title directly followed by the same title again (years and spaces aside) is one title;
    # a title glued to the prose after it that follows a title line repeats that title inline;
    # otherwise a title directly followed by another title is a page headline, not a plan
    keep = []
    for k, i in enumerate(candidates):
        nxt = candidates[k + 1] if k + 1 < len(candidates) else None
        if nxt == i + 1 and not (_same_title(lines[i].text, lines[nxt].text) or nxt in glued):
            continue  # a headline
        if keep and keep[-1] == i - 1 and (_same_title(lines[i - 1].text, lines[i].text) or i in glued):
            continue  # a repeat
        keep.append(i)
    candidates = keep
    starts: List[int] = []
    for k, i in enumerate(candidates):
        if not starts:
            starts.append(i)
            continue
        nxt = candidates[k + 1] if k + 1 < len(candidates) else len(lines)
        body_since_last = i - starts[-1]
        after = _first_label(lines, i + 1, nxt)
        before = _first_label(lines, starts[-1] + 1, i)
        has_year = bool(_YEAR.search(lines[i].text))
        if body_since_last < 2:
            continue
        if before is None and after is not None and after.number == 1 and \
                sum(len(l.text) for l in lines[starts[-1] + 1:i]) < _HEADLINE_BODY_MAX:
            starts[-1] = i  # what came before was a page headline and its lead-in, not a plan
            continue
        if after is not None and after.number == 1 and before is not None:
            # the outline restarts: the same outermost style as the plan before, or a dated title
            if after.style == before.style or has_year:
                starts.append(i)
        elif after is None and (has_year or before is None):
            starts.append(i)
    if not starts:
        if lines and _is_plain_title(lines):
            return [PlanSlice(written(lines[0]).strip(), tuple(lines), True)]
        return [PlanSlice(declared_title or "", tuple(lines), False)] if lines else []
    plans = []
    preamble = lines[:starts[0]]
    if preamble and _first_label_number(preamble, 0, len(preamble)) is not None:
        plans.append(PlanSlice(declared_title or "", tuple(preamble), False))
    bounds = starts + [len(lines)]
    for a, b in zip(bounds, bounds[1:]):
        plans.append(PlanSlice(written(lines[a]).strip(), tuple(lines[a:b]), True))
    substantial = [p for p in plans if _has_plan_body(p)]
    # titles with (almost) nothing under them are a related-documents list, not plans
    return substantial or plans[:1]


def _has_plan_body(plan: PlanSlice) -> bool:
    body = plan.lines[1:] if plan.has_title else plan.lines
    return (sum(len(line.text) for line in body) >= _PLAN_BODY_MIN
            or _first_label(body, 0, len(body)) is not None)


@lru_cache(maxsize=1)
def _party_bodies() -> Tuple[str, ...]:
    """The bodies a name may end with after its organisation word (XX小学党支部), in the order
    of lexicons/party_bodies.tsv."""
    return tuple(r["word"] for r in lexicons.read_table("party_bodies.tsv", ("word",)))


@lru_cache(maxsize=1)
def _organisation_words() -> Tuple[str, ...]:
    """The organisation words of lexicons/organisation_suffixes.tsv (小学, 教育局 …)."""
    return tuple(r["word"] for r in lexicons.read_table("organisation_suffixes.tsv", ("word",)))


@lru_cache(maxsize=1)
def _organisation_pattern() -> "re.Pattern[str]":
    suffixes = lexicons.alternation(_organisation_words(), "lexicons/organisation_suffixes.tsv")
    # a name: 2–10 characters that are no function words, then an organisation word,
    # then optionally the party body inside it (XX小学党支部)
    return re.compile(r"[^\s\W的为在和与是了将把对及并等中要让使从向以按据于各全本我该此其这那]{2,10}?"
                      r"(?:" + suffixes + r")(?:" + "|".join(map(re.escape, _party_bodies())) + ")?")


@lru_cache(maxsize=1)
def _organisation_ends() -> Tuple[str, ...]:
    """What a name (a whole match of `_organisation_pattern`) ends with: an organisation word or a party body."""
    return _organisation_words() + _party_bodies()


_NAME_WINDOW = 400


# Words that open a clause, not a name: stripped from the front of a found name.
_NAME_LEAD = re.compile(r"(?:加强|推进|深化|建设|开展|落实|提升|推动|全面|进一步|切实|认真|强化|促进|组织|指导|带领|引领|全体|各)+")


def organisation(text: str) -> str:
    """The first organisation `text` names near its start (`XX小学党支部`), as written; "" if none."""
    head = text[:_NAME_WINDOW]
    shadow = to_shadow(head)
    pattern = _organisation_pattern()
    for m in pattern.finditer(shadow):
        start = m.start()
        lead = _NAME_LEAD.match(shadow, start, m.end())
        if lead:
            start = lead.end()
        name = pattern.fullmatch(shadow, start, m.end())
        if name:
            return head[start:m.end()]
    return ""


# A numbered part of a document ("第三章"): no organisation's name.
_NUMBERED_PART = re.compile(r"第[一二三四五六七八九十百\d]+[章节条款部篇]")


def is_organisation_name(text: str) -> bool:
    """True when `text` (simplified) is nothing but an organisation's name (a signature line).

    >>> is_organisation_name("东风小学党支部"), is_organisation_name("加强东风小学党支部建设")
    (True, False)
    """
    text = text.strip()
    # a name ends with its organisation word or party body: no other text needs the match
    return (text.endswith(_organisation_ends()) and _organisation_pattern().fullmatch(text) is not None
            and not _NAME_LEAD.match(text)
            and parse_label(text) is None and not _NUMBERED_PART.match(text))


_PATH_SEPARATOR = re.compile(r"[\\/]")


def document_name(title: str, text: str, path: str) -> str:
    """What to show for a plan: its title; else the file stem and the organisation its text names.

    >>> document_name("", "东风小学党支部将认真落实…", "inputs/p01.txt")
    'p01 · 东风小学党支部'
    """
    if title.strip():
        return title.strip()
    stem = _PATH_SEPARATOR.split(path)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem[1:] else stem
    org = organisation(text)
    return f"{stem} · {org}" if org and stem else (stem or org)
