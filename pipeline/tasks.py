"""Tasks: a plan's outline, commitments and measures → the items a secretary works from.

Pure: takes a Document whose outline, commitments and measures are built; returns its
PlanPeriod and Tasks. Every leaf of the outline is one task (what, section, who, when, how often,
quote); a heading with children whose own text commits to something is one more; rows of a
month-by-month schedule (`三月：…`, `九月份 …`, `1月 … 2月 …`, `月份 | 内容 | 负责人`) become one
dated task each; a plan without an outline gives one task per paragraph.

Dates are normalised within the plan's own period: `三月` in a 2026 plan is 2026-03-01…2026-03-31,
in a 2025—2026学年 plan it is 2026-03 (September–December fall in the first year, January–August
in the second); `第二学期` is the spring term (February–July), `第一学期` the autumn term
(September–January). Periodic items get an RFC 5545 recurrence (FREQ=MONTHLY;BYMONTHDAY=15).
"""
from __future__ import annotations

import calendar
import re
from bisect import bisect_left, bisect_right
from datetime import date
from functools import lru_cache
from typing import Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

import ahocorasick_rs

from . import lexicons
from .commitments import amount_phrase
from .measures import lexicon as measures_lexicon
from .memo import last_by_identity
from .model import Commitment, Document, Measure, PlanPeriod, Section, Span, Task
from .numbers import chinese_numeral_value
from .records import record

OWNERS_TABLE = "owners.tsv"
OWNER_ROLES = ("label", "lead", "body")

# --- numerals and the calendar words --------------------------------------------------

_NUM = r"[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3}"
_MONTH = rf"(?:{_NUM}|元)"
_FULL = str.maketrans("０１２３４５６７８９", "0123456789")
_DASH = r"[—–\-－~～至到]"
WEEKDAYS = {"一": "MO", "二": "TU", "三": "WE", "四": "TH", "五": "FR", "六": "SA", "日": "SU", "天": "SU"}

# Recurrences of a commitment's period (what `how often` becomes in a calendar).
PERIOD_RRULES = {"year": "FREQ=YEARLY", "semester": "FREQ=MONTHLY;INTERVAL=6", "quarter": "FREQ=MONTHLY;INTERVAL=3",
                 "month": "FREQ=MONTHLY", "biweekly": "FREQ=WEEKLY;INTERVAL=2", "week": "FREQ=WEEKLY",
                 "day": "FREQ=DAILY"}

DETAIL_LIMIT = 80  # characters of an item's own text kept as its `detail`
WHAT_LIMIT = 40  # characters of a `what`; a longer title is cut at its first clause


def _int(token: str) -> Optional[int]:
    """'3', '３', '三', '十二', '元' → the number; None if it is none."""
    token = token.translate(_FULL)
    if token == "元":
        return 1
    if token.isdigit():
        return int(token)
    return chinese_numeral_value(token)


# --- the plan's own period ---------------------------------------------------------------

_SCHOOL_YEAR = re.compile(rf"(20\d\d)\s*年?\s*{_DASH}\s*(20\d\d)\s*年?\s*学年度?")
_SEMESTER_OF_YEAR = re.compile(r"(20\d\d)\s*年\s*(?:度\s*)?(春季|秋季|春|秋)(?:季)?学期")
_YEAR = re.compile(r"(20\d\d)\s*年(?!\s*[—–\-－~～至到]\s*20\d\d)")
_SCHOOL_YEAR_TERM = re.compile(r"第\s*([一二12])\s*学期|(上|下)学期")


def _iso(d: date) -> str:
    return d.isoformat()


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def plan_period(title: str, text: str = "") -> Optional[PlanPeriod]:
    """The year or school year a plan covers, from its title, else from its first 200 characters.

    `2025—2026学年` → 2025-09-01…2026-08-31; `2026年春季学期` → 2026-02-01…2026-07-31;
    `2026年` → the calendar year. None when neither names one.

    >>> plan_period("某校2025—2026学年第二学期党支部工作计划")
    PlanPeriod(kind='semester', label='2025—2026学年第二学期', start='2026-02-01', end='2026-07-31')
    >>> plan_period("学校2026年三会一课工作计划").label
    '2026年'
    """
    for where in (title or "", (text or "")[:200]):
        m = _SCHOOL_YEAR.search(where)
        if m and int(m.group(2)) == int(m.group(1)) + 1:
            first = int(m.group(1))
            term = _SCHOOL_YEAR_TERM.match(where, m.end())
            if term:
                spring = (term.group(1) in ("二", "2")) or term.group(2) == "下"
                start, end = _term_range(first, spring)
                return PlanPeriod("semester", where[m.start():term.end()], _iso(start), _iso(end))
            return PlanPeriod("school_year", m.group(0), _iso(date(first, 9, 1)), _iso(date(first + 1, 8, 31)))
        m = _SEMESTER_OF_YEAR.search(where)
        if m:
            year = int(m.group(1))
            spring = m.group(2).startswith("春")
            start, end = _term_range(year - 1 if spring else year, spring)
            return PlanPeriod("semester", m.group(0), _iso(start), _iso(end))
        m = _YEAR.search(where)
        if m:
            year = int(m.group(1))
            return PlanPeriod("year", m.group(0).replace(" ", ""), _iso(date(year, 1, 1)), _iso(date(year, 12, 31)))
    return None


def _term_range(first_year: int, spring: bool) -> Tuple[date, date]:
    """The usual months of a term of the school year starting in September of `first_year`:
    autumn (第一学期) 09-01…01-31, spring (第二学期) 02-01…07-31."""
    if spring:
        return date(first_year + 1, 2, 1), date(first_year + 1, 7, 31)
    return date(first_year, 9, 1), date(first_year + 1, 1, 31)


@record
class _Frame:
    """How month numbers become dates in one plan."""

    kind: str  # year | school_year | semester | none
    year: int  # calendar year (year plans) or the school year's first year
    start: Optional[date]
    end: Optional[date]

    def month_year(self, month: int) -> int:
        if self.kind in ("school_year", "semester"):
            return self.year if month >= 9 else self.year + 1
        return self.year


def _frame(period: Optional[PlanPeriod]) -> _Frame:
    if period is None:
        return _Frame("none", 0, None, None)
    start, end = date.fromisoformat(period.start), date.fromisoformat(period.end)
    if period.kind == "year":
        return _Frame("year", start.year, start, end)
    first = start.year if start.month >= 8 else start.year - 1
    return _Frame(period.kind, first, start, end)


# --- time phrases ---------------------------------------------------------------------------

@record
class When:
    """A time phrase found in an item: as written, its dates (ISO, inclusive) and a recurrence."""

    text: str
    span: Span
    start: Optional[str] = None
    end: Optional[str] = None
    recurrence: Optional[str] = None


# Each pattern with its cues: groups of words such that every match of the pattern contains a word
# of each group (literals of the pattern itself), so a text lacking one skips the pattern unrun.
_DASHES = tuple("—–-－~～至到")  # the characters of _DASH
# The characters a month or day numeral opens with (`_MONTH`'s alternatives).
_NUMERAL_OPENS = "0-9０-９一二三四五六七八九十元"


def _opening(chars: str, pattern: str) -> str:
    """`pattern` behind a lookahead for the characters (a class's contents) its every match opens with:
    the same matches, but a place where none stands is given up at once (a pattern opening with a
    lookbehind and an alternation of numerals is otherwise tried in full at every character)."""
    return f"(?=[{chars}])" + pattern


_TIME_PATTERNS: Tuple[Tuple[str, "re.Pattern[str]", Tuple[Tuple[str, ...], ...]], ...] = tuple(
    (name, re.compile(p), cues) for name, p, cues in (
        ("monthly_day", rf"每(?:个)?月(?:的)?({_NUM})\s?[日号]", (("每月", "每个月"), ("日", "号"))),
        ("weekly_day", r"每(?:周|星期)([一二三四五六日天])", (("每周", "每星期"),)),
        ("month_range", _opening(_NUMERAL_OPENS, rf"(?<![0-9０-９年])({_MONTH})\s?月?\s?{_DASH}\s?({_MONTH})\s?月(?:份)?"),
         (("月",), _DASHES)),
        ("day", _opening(_NUMERAL_OPENS, rf"(?<![0-9０-９])({_MONTH})\s?月\s?({_NUM})\s?[日号](?:\s?(?:前|之前|以前))?"),
         (("月",), ("日", "号"))),
        ("month", _opening(_NUMERAL_OPENS, rf"(?<![0-9０-９第每])({_MONTH})\s?月(?:份)?(?:(上旬|中旬|下旬|底|末|初|中))?"
                                           r"(?:\s?(?:前|之前|以前))?(?![0-9０-９一二三四五六七八九十]?[日号])"),
         (("月",),)),
        ("quarter", _opening("第一二三四1-4", r"(?:第\s?)?([一二三四1-4])\s?季度"), (("季度",),)),
        ("half", r"(上|下)半年", (("半年",),)),
        ("term", r"第\s?([一二12])\s?学期|(上|下)学期|(春季|秋季)学期", (("学期",), ("第", "上学期", "下学期", "季学期"))),
        ("holiday", r"(寒假|暑假|暑期)", (("寒假", "暑假", "暑期"),)),
        ("year_end", r"年(?:底|末|终)(?:前)?", (("年底", "年末", "年终"),)),
    ))
# A text with no pattern's first cue has no time phrase at all.
_ANY_TIME_CUE = re.compile("|".join(sorted({re.escape(w) for _, _, cues in _TIME_PATTERNS for w in cues[0]},
                                           key=lambda w: (-len(w), w))))


def find_times(text: str, period: Optional[PlanPeriod]) -> Tuple[When, ...]:
    """Every time phrase in `text`, in reading order, dated within `period` where it can be.

    >>> p = plan_period("2026年计划")
    >>> [(w.text, w.start, w.end) for w in find_times("三月召开大会，6月底前完成", p)]
    [('三月', '2026-03-01', '2026-03-31'), ('6月底前', '2026-06-30', '2026-06-30')]
    >>> find_times("每月15日开展主题党日", p)[0].recurrence
    'FREQ=MONTHLY;BYMONTHDAY=15'
    """
    return _find_times(text, _frame(period))


def _find_times(text: str, frame: _Frame) -> Tuple[When, ...]:
    if not _ANY_TIME_CUE.search(text):
        return ()
    found: List[When] = []
    taken: Optional[bytearray] = None  # characters an earlier (more specific) pattern has read
    for name, pattern, cues in _TIME_PATTERNS:
        for words in cues:  # a group none of whose words is in the text skips the pattern (loops
            for word in words:  # written out: no call per pattern and text)
                if word in text:
                    break
            else:
                break
        else:
            for m in pattern.finditer(text):
                if taken is not None and any(taken[m.start():m.end()]):
                    continue
                when = _read_time(name, m, frame)
                if when is not None:
                    found.append(when)
                    if taken is None:
                        taken = bytearray(len(text))
                    taken[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    return tuple(sorted(found, key=lambda w: w.span)) if found else ()


def _read_time(name: str, m: "re.Match[str]", frame: _Frame) -> Optional[When]:
    text, span = m.group(0), m.span()
    dated = frame.kind != "none"
    if name == "monthly_day":
        day = _int(m.group(1))
        if not day or day > 31:
            return None
        return When(text, span, recurrence=f"FREQ=MONTHLY;BYMONTHDAY={day}")
    if name == "weekly_day":
        return When(text, span, recurrence=f"FREQ=WEEKLY;BYDAY={WEEKDAYS[m.group(1)]}")
    if name == "month_range":
        a, b = _int(m.group(1)), _int(m.group(2))
        if not (a and b and 1 <= a <= 12 and 1 <= b <= 12):
            return None
        if not dated:
            return When(text, span)
        start = date(frame.month_year(a), a, 1)
        end = _month_end(frame.month_year(b), b)
        if end < start:
            end = _month_end(start.year + 1, b)
        return When(text, span, _iso(start), _iso(end))
    if name == "day":
        month, day = _int(m.group(1)), _int(m.group(2))
        if not (month and day and 1 <= month <= 12 and 1 <= day <= calendar.monthrange(2024, month)[1]):
            return None
        if not dated:
            return When(text, span)
        year = frame.month_year(month)
        day = min(day, calendar.monthrange(year, month)[1])
        iso = _iso(date(year, month, day))
        return When(text, span, iso, iso)
    if name == "month":
        month = _int(m.group(1))
        if not month or not 1 <= month <= 12:
            return None
        if not dated:
            return When(text, span)
        year = frame.month_year(month)
        part = m.group(2)
        first, last = date(year, month, 1), _month_end(year, month)
        if part in ("底", "末"):
            first = last
        elif part == "上旬" or part == "初":
            last = date(year, month, 10)
        elif part in ("中旬", "中"):
            first, last = date(year, month, 11), date(year, month, 20)
        elif part == "下旬":
            first = date(year, month, 21)
        if text.rstrip().endswith("前") and part not in ("底", "末"):
            first = last
        return When(text, span, _iso(first), _iso(last))
    if name == "quarter":
        q = _int(m.group(1))
        if not q or not 1 <= q <= 4 or not dated:
            return When(text, span) if q and 1 <= q <= 4 else None
        if frame.kind == "year":
            start = date(frame.year, 3 * q - 2, 1)
            return When(text, span, _iso(start), _iso(_month_end(frame.year, 3 * q)))
        return When(text, span)  # a school year's quarters are not the calendar's: left undated
    if name == "half":
        if frame.kind != "year":
            return When(text, span)
        first = m.group(1) == "上"
        return When(text, span, _iso(date(frame.year, 1 if first else 7, 1)),
                    _iso(_month_end(frame.year, 6 if first else 12)))
    if name == "term":
        spring = m.group(1) in ("二", "2") or m.group(2) == "下" or (m.group(3) or "").startswith("春")
        if not dated:
            return When(text, span)
        if frame.kind == "year":
            # a calendar-year plan's 第二学期 is its spring (Feb–Jul), 第一学期 its autumn (Sep–Jan)
            start, end = _term_range(frame.year - 1 if spring else frame.year, spring)
        else:
            start, end = _term_range(frame.year, spring)
        return When(text, span, _iso(start), _iso(end))
    if name == "holiday":
        if not dated:
            return When(text, span)
        if m.group(1) == "寒假":
            year = frame.year if frame.kind == "year" else frame.year + 1
            return When(text, span, _iso(date(year, 1, 15)), _iso(_month_end(year, 2)))
        year = frame.year if frame.kind == "year" else frame.year + 1
        return When(text, span, _iso(date(year, 7, 1)), _iso(date(year, 8, 31)))
    if name == "year_end":
        if frame.kind != "year":
            return When(text, span)
        return When(text, span, _iso(date(frame.year, 12, 1)), _iso(date(frame.year, 12, 31)))
    return None


# --- who ---------------------------------------------------------------------------------------

@record
class _Owners:
    label: "re.Pattern[str]"
    lead: "re.Pattern[str]"
    body: "re.Pattern[str]"  # a body opening a clause, read on "\n" + the text
    canonical: Mapping[str, str]  # body form → cue
    not_followed: Mapping[str, Tuple[str, ...]]
    bracketed: "re.Pattern[str]"  # a label in brackets: （责任人：组织委员）
    body_form: "re.Pattern[str]"  # a body form anywhere: a text without one has no `body` match


@lru_cache(maxsize=None)
def owner_grammar() -> _Owners:
    """The compiled cues of lexicons/owners.tsv (cached)."""
    rows = lexicons.read_table(OWNERS_TABLE, ("cue", "role", "aliases", "not_followed_by"))
    by_role: Dict[str, List[str]] = {r: [] for r in OWNER_ROLES}
    canonical: Dict[str, str] = {}
    not_followed: Dict[str, Tuple[str, ...]] = {}
    for row in rows:
        if row["role"] not in OWNER_ROLES:
            raise lexicons.LexiconError(row["_where"], f"role '{row['role']}' is none of {', '.join(OWNER_ROLES)}")
        forms = (row["cue"],) + lexicons.split_list(row["aliases"])
        by_role[row["role"]].extend(forms)
        for form in forms:
            canonical[form] = row["cue"]
            not_followed[form] = lexicons.split_list(row["not_followed_by"])
    label = re.compile("(" + lexicons.alternation(by_role["label"], "lexicons/" + OWNERS_TABLE)
                       + r")\s?[:：]\s?([^；;。\n）)】\]]{1,40})")
    lead = re.compile(r"由\s?([^，,。；;：:\n“”\"（）()]{1,20}?)\s?(?:具体|统一|共同|负责)?\s?("
                      + lexicons.alternation(by_role["lead"], "lexicons/" + OWNERS_TABLE) + ")")
    # read on the text behind a line break (the pattern opens with its one character: re skips ahead
    # to a clause's end instead of trying every position), so that `^` is one of the ends
    body = re.compile("[，,。；;：:、\n（(]\\s?(?:由|请|要|将|各)?\\s?("
                      + lexicons.alternation(by_role["body"], "lexicons/" + OWNERS_TABLE) + ")")
    bracketed = re.compile(r"[（(【\[]\s?" + lexicons.alternation(by_role["label"], "lexicons/" + OWNERS_TABLE)
                           + r"\s?[:：][^）)】\]\n]{0,40}[）)】\]]")
    body_form = re.compile(lexicons.alternation(by_role["body"], "lexicons/" + OWNERS_TABLE))
    return _Owners(label, lead, body, canonical, not_followed, bracketed, body_form)


_NAME_SPLIT = re.compile(r"[、,，/／;；]|和|及|与")


def find_owners(text: str, subjects: Iterable[str] = ()) -> Tuple[str, ...]:
    """Who an item names as responsible, in order of appearance, each once.

    Labelled names (`责任人：组织委员`, `（责任股室：组织股）`, `牵头部门：党政办、工会`), the body in
    `由…负责`, a known body opening a clause (`支部书记负总责`, `各党小组组织学习`), then the
    `subjects` given (an item's commitment subjects that are bodies).

    >>> find_owners("会后形成决议（责任人：组织委员）。由宣传委员负责报道，各党小组认领任务")
    ('组织委员', '宣传委员', '各党小组')
    """
    g = owner_grammar()
    found: List[Tuple[int, str]] = []
    labelled = ":" in text or "：" in text  # a label is followed by a colon
    for m in (g.label.finditer(text) if labelled else ()):
        for name in _NAME_SPLIT.split(m.group(2)):
            name = name.strip(" 　:：")
            if 1 < len(name) <= 20:
                found.append((m.start(2), g.canonical.get(name, name)))
    for m in (g.lead.finditer(text) if "由" in text else ()):
        for name in _NAME_SPLIT.split(m.group(1)):
            name = name.strip(" 　")
            if 1 < len(name) <= 16:
                found.append((m.start(1), g.canonical.get(name, name)))
    for m in (g.body.finditer("\n" + text) if g.body_form.search(text) else ()):
        form, at, end = m.group(1), m.start(1) - 1, m.end(1) - 1
        if text.startswith(g.not_followed.get(form, ()), end, end + 6):  # a word it must not precede
            continue
        found.append((at, g.canonical[form]))
    for subject in subjects:
        if subject in g.canonical:
            found.append((len(text), g.canonical[subject]))
    if not found:
        return ()
    seen: List[str] = []
    for _, name in sorted(found, key=lambda x: x[0]):
        if name not in seen:
            seen.append(name)
    return tuple(seen)


# --- schedule rows ---------------------------------------------------------------------------

_ROW_MONTH = re.compile(rf"^\s*(?:[(（【\[]\s*)?({_MONTH})\s*月(?:份)?(?:上旬|中旬|下旬|底|末|初)?(?:前|之前|以前)?(?:\s*[)）】\]])?(?:\s*[:：、.．|｜\t]|\s+|(?=[^\s日号0-9０-９]))")
_INLINE_MONTH = re.compile(rf"(?:(?<=[\s；;。|｜])|^)({_MONTH})\s?月(?:份)?\s?[:：、|｜\s]"
                           rf"|(?<![0-9０-９一二三四五六七八九十元第每])({_MONTH})\s?月(?:份)?\s?[:：]")
_CELL_SPLIT = re.compile(r"[|｜\t]|\s{2,}|　+")  # cells are stripped after the split (no \s* around: linear)
_HEADER_WORDS = {"when": ("月份", "时间", "月", "日期", "时段"), "what": ("内容", "工作", "事项", "任务", "安排", "活动"),
                 "who": ("负责", "责任", "牵头", "主持", "部门", "承办")}
# Every schedule row names a month (…月); a header names a `when` column. Lines with neither are
# skipped before any cell is cut, until a header makes every line a possible table row.
_ROW_OR_HEADER = re.compile("|".join(re.escape(w) for w in ("月",) + _HEADER_WORDS["when"]))


@record
class Row:
    """One row of a month-by-month schedule: its span in the text, when, what, who."""

    span: Span
    when: str
    what: str
    who: Tuple[str, ...] = ()


def _header_roles(cells: Sequence[str]) -> Optional[Tuple[str, ...]]:
    """A table header's cells → a role per column (when/what/who/''), if it reads as a header."""
    roles = []
    for cell in cells:
        role = ""
        if len(cell) <= 8:
            role = next((r for r, words in _HEADER_WORDS.items() if any(w in cell for w in words)), "")
        roles.append(role)
    return tuple(roles) if "when" in roles and "what" in roles else None


def schedule_rows(text: str, offset: int = 0) -> Tuple[Row, ...]:
    """The rows of month-by-month schedules in `text` (lines `三月：…`, `九月份 …`; a line
    `1月 … 2月 …` with several months; table rows under a `月份 | 内容 | 负责人` header).
    Only a block of at least two month rows counts, so a lone `3月…` sentence stays prose.
    Spans are offsets into the text `text` was cut from (`offset` added).

    >>> [(r.when, r.what) for r in schedule_rows("三月：召开支部党员大会\\n四月：开展主题党日")]
    [('三月', '召开支部党员大会'), ('四月', '开展主题党日')]
    """
    if "月" not in text:
        return ()
    rows: List[Row] = []
    roles: Optional[Tuple[str, ...]] = None
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if roles is None and not _ROW_OR_HEADER.search(line):
            continue
        stripped = line.strip()
        if not stripped:
            continue
        cells = _cells(stripped)
        if len(cells) < 2:  # a web page's table row reads as cells apart by single spaces
            cells = stripped.split()
        header = _header_roles(cells) if 2 <= len(cells) <= 8 else None
        if header:
            roles = header
            continue
        if roles and len(cells) == len(roles) or (roles and len(cells) > 1 and _ROW_MONTH.match(cells[0])):
            row = _table_row(cells, roles, line, start + offset)
            if row:
                rows.append(row)
                continue
        inline = [m for m in _INLINE_MONTH.finditer(line) if _valid_month(m.group(1) or m.group(2))]
        if len(inline) >= 2 and inline[0].start() == len(line) - len(line.lstrip()):
            for i, m in enumerate(inline):
                cut_end = inline[i + 1].start() if i + 1 < len(inline) else len(line)
                piece = line[m.start():cut_end].rstrip(" ；;。，,|｜\t")
                what = piece[m.end() - m.start():].strip(" ：:、|｜\t")
                if what:
                    rows.append(Row((start + offset + m.start(), start + offset + m.start() + len(piece)),
                                    m.group(0).strip(" ：:、|｜\t"), what))
            continue
        m = _ROW_MONTH.match(line)
        if m and _valid_month(m.group(1)):
            what = line[m.end():].strip(" ：:、|｜\t")
            if what:
                lead = len(line) - len(line.lstrip())
                rows.append(Row((start + offset + lead, end + offset), line[lead:m.end()].strip(" ：:、.．|｜\t（(【[]）)】"),
                                what))
    return tuple(rows) if len(rows) >= 2 else ()


def _cells(line: str) -> List[str]:
    return [c.strip() for c in _CELL_SPLIT.split(line) if c.strip()]


def is_schedule_header(line: str) -> bool:
    """Whether a line is the header of a schedule table (`月份 | 内容 | 负责人`)."""
    stripped = line.strip()
    cells = _cells(stripped)
    if len(cells) < 2:
        cells = stripped.split()
    return 2 <= len(cells) <= 8 and _header_roles(cells) is not None


def _valid_month(token: str) -> bool:
    value = _int(token)
    return bool(value) and 1 <= value <= 12


def _table_row(cells: Sequence[str], roles: Optional[Sequence[str]], line: str, start: int) -> Optional[Row]:
    if not roles:
        return None
    by_role: Dict[str, List[str]] = {}
    for cell, role in zip(cells, roles):
        by_role.setdefault(role, []).append(cell)
    when = " ".join(by_role.get("when", []))
    what = " ".join(by_role.get("what", []))
    if not when or not what or not _ROW_MONTH.match(when + " "):
        return None
    who = tuple(n.strip() for c in by_role.get("who", []) for n in _NAME_SPLIT.split(c) if n.strip())
    lead = len(line) - len(line.lstrip())
    return Row((start + lead, start + len(line.rstrip())), when, what, who)


# --- tasks ---------------------------------------------------------------------------------------

_CLAUSE_END = re.compile(r"[。；;！!？?\n]")
_LINE_BREAK = re.compile(r"(?<![。；;！!？?，,：:、\n])\n")
_TITLE_END = re.compile(r"[。：:；;\n]")
_FIRST_CLAUSE = re.compile(r"[，,。；;：:！!？?\n]")


def _one_line(text: str) -> str:
    return text.replace("\r", "").replace("\n", " ").strip()


def _first_sentence(text: str, limit: int = DETAIL_LIMIT) -> str:
    text = _one_line(text).strip(" ：:，,")
    m = _CLAUSE_END.search(text)
    sentence = text[:m.start()] if m else text
    return sentence if len(sentence) <= limit else sentence[:limit - 1] + "…"


def strip_owner_labels(text: str) -> str:
    """Text without its bracketed owner labels (`（责任人：组织委员）`): the task carries them as `who`.

    >>> strip_owner_labels("召开支委会（责任人：组织委员）")
    '召开支委会'
    """
    if ":" not in text and "：" not in text:  # a label is followed by a colon
        return text.strip()
    return owner_grammar().bracketed.sub("", text).strip()


def _what_and_detail(title: str, rest: str) -> Tuple[str, str]:
    """An item's `what` (its title, else its first clause) and `detail` (its own text after that)."""
    rest = rest.strip("\n")
    if "\n" in rest:
        rest = _LINE_BREAK.sub("。", rest)  # a subtitle line ends where its line does
    combined = strip_owner_labels(_one_line(title + rest))
    if title and not combined.startswith(title):  # a label cut the title (标题（责任人：…）)
        m = _TITLE_END.search(combined)
        title = combined[:m.start()] if m else combined
    rest = combined[len(title):].strip(" ：:，,。")
    if title:
        if len(title) > WHAT_LIMIT:  # a heading that runs on: its first clause, the rest to detail
            m = _FIRST_CLAUSE.search(title)
            head = title[:m.start()] if m and m.start() <= WHAT_LIMIT else title[:WHAT_LIMIT - 1] + "…"
            return head, _first_sentence(title[len(head.rstrip("…")):].lstrip("，,") + "。" + rest)
        return title, _first_sentence(rest)
    m = _FIRST_CLAUSE.search(rest)
    what = rest[:m.start()] if m else rest
    what = what if len(what) <= WHAT_LIMIT else what[:WHAT_LIMIT - 1] + "…"
    return what, _first_sentence(rest[len(what):] if m else "")


def _inside(span: Span, outer: Span) -> bool:
    return outer[0] <= span[0] and span[1] <= outer[1]


def commitment_finder(commitments: Sequence[Commitment]) -> Callable[[Span], Tuple[int, ...]]:
    """A function: span → indexes of the commitments whose span lies inside it. Commitments come in
    reading order, so a bisection finds the first; all of a plan's tasks then cost linear time."""
    starts = [c.span[0] for c in commitments]
    ordered = all(a <= b for a, b in zip(starts, starts[1:]))

    def inside(span: Span) -> Tuple[int, ...]:
        if not ordered:
            return tuple(i for i, c in enumerate(commitments) if _inside(c.span, span))
        out = []
        lo, hi = span
        i = bisect_left(starts, lo)
        while i < len(starts) and starts[i] < hi:
            if commitments[i].span[1] <= hi:  # its start is in [lo, hi) already
                out.append(i)
            i += 1
        return tuple(out)
    return inside


def how_often(commitments: Sequence[Commitment]) -> str:
    """An item's frequency commitments as the checklist writes them (`每季度≥1次；全年≥4次`)."""
    parts = []
    for c in commitments:
        if c.kind == "frequency" and not c.optional:
            phrase = amount_phrase(c).replace(" ", "")
            if phrase not in parts:
                parts.append(phrase)
    return "；".join(parts)


def _recurrence(times: Sequence[When], commitments: Sequence[Commitment]) -> Optional[str]:
    for w in times:
        if w.recurrence:
            return w.recurrence
    periods = [c.period for c in commitments if c.kind == "frequency" and not c.optional and c.period in PERIOD_RRULES]
    if not periods:
        return None
    order = list(PERIOD_RRULES)  # year … day: the most frequent period sets the reminder
    return PERIOD_RRULES[max(periods, key=order.index)]


def _dates(times: Sequence[When]) -> Tuple[str, Optional[str], Optional[str]]:
    """when (the phrases joined), start (earliest), end (latest) of an item's time phrases."""
    phrases: List[str] = []
    for w in times:
        if w.text not in phrases:
            phrases.append(w.text)
    dated = [w for w in times if w.start]
    if not dated:
        return "、".join(phrases), None, None
    return "、".join(phrases), min(w.start for w in dated), max(w.end or w.start for w in dated)


@last_by_identity
def _lexicon_forms(lex) -> Tuple["ahocorasick_rs.AhoCorasick", Mapping[str, int]]:
    """An automaton finding every occurrence of every form of the measures lexicon `lex`, overlaps
    too (`支部党员大会` is also `党员大会`), and each form's index in it. Built once per lexicon (the
    lexicon is per process)."""
    words = lex.finder.words  # the lexicon's forms, as its own finder holds them
    return (ahocorasick_rs.AhoCorasick(words, matchkind=ahocorasick_rs.MatchKind.Standard),
            {w: i for i, w in enumerate(words)})


def _practice_finder(measures: Sequence[Measure]) -> Callable[[str, Sequence[int]], Tuple[str, ...]]:
    """A function: (an item's quote, its commitment ids) → the names of the lexicon measures it names,
    in the measures' order: those governing one of its commitments, or one of whose forms (aliases
    seen, name) is in the quote. Gathered once per plan: the measures governing each commitment, and
    the measures of each lexicon form; a quote is then read once, by the lexicon's automaton of all
    forms (overlaps too), whatever the number of measures. A form outside the lexicon (a measure
    built by hand) is looked for on its own."""
    automaton, index = _lexicon_forms(measures_lexicon())
    names: List[str] = []
    by_form: Dict[int, List[int]] = {}  # index of a lexicon form → positions of the measures with it
    others: List[Tuple[int, str]] = []  # (position, form) of the forms outside the lexicon
    governing: Dict[int, set] = {}  # commitment id → positions of the measures governing it
    for m in measures:
        if m.candidate:
            continue
        k = len(names)
        names.append(m.name)
        for form in dict.fromkeys((m.name,) + m.aliases_seen):
            i = index.get(form)
            if i is None:
                others.append((k, form))
            elif i in by_form:
                by_form[i].append(k)
            else:
                by_form[i] = [k]
        for i in m.commitment_ids:
            if i in governing:
                governing[i].add(k)
            else:
                governing[i] = {k}
    find = automaton.find_matches_as_indexes

    def practices(quote: str, commitment_ids: Sequence[int]) -> Tuple[str, ...]:
        found = set()
        for i in commitment_ids:
            if i in governing:
                found |= governing[i]
        for i, _, _ in find(quote, overlapping=True):
            if i in by_form:
                found.update(by_form[i])
        for k, form in others:
            if form in quote:
                found.add(k)
        return tuple([names[k] for k in sorted(found)]) if found else ()
    return practices


def _make(document: Document, frame: _Frame, n: int, span: Span, title: str, rest: str,
          source: str, section: Optional[Section], extra_who: Tuple[str, ...],
          when_text: str, inside: Callable[[Span], Tuple[int, ...]],
          practices: Callable[[str, Sequence[int]], Tuple[str, ...]]) -> Optional[Task]:
    text = document.text
    quote = text[span[0]:span[1]]
    if not quote.strip():
        return None
    what, detail = _what_and_detail(title, rest)
    if not what:
        return None
    ids = inside(span)
    times = _find_times(when_text, frame) if when_text else ()
    if not times:
        times = _find_times(quote, frame)
    when, start, end = _dates(times) if times else ("", None, None)
    if ids:
        commitments = [document.commitments[i] for i in ids]
        subjects = [c.subject for c in commitments if c.subject and c.kind == "frequency" and not c.optional]
        who = find_owners(quote, subjects)  # each name once already
        recurrence = _recurrence(times, commitments)
        often = how_often(commitments)
    else:  # no commitments: no subjects, frequencies or periods to read
        who = find_owners(quote)
        recurrence = _recurrence(times, ()) if times else None
        often = ""
    if extra_who:
        who = tuple(dict.fromkeys(extra_who + who))
    # positional: keyword arguments cost a third more per Task (tests pin Task's fields)
    return Task(f"t{n}", what, detail, section.id if section else None, section.path if section else None,
                quote, span, source, who, when, start, end, recurrence, often, ids, practices(quote, ids))


def _overlap_finder(spans: Sequence[Span]) -> Callable[[Span], bool]:
    """A function: span → whether it overlaps one of `spans`. Spans in reading order (starts and
    ends both ascending, as schedule rows come) are bisected, so a plan's lines cost linear time."""
    ends = [s[1] for s in spans]
    ordered = all(a[0] <= b[0] and a[1] <= b[1] for a, b in zip(spans, spans[1:]))

    def overlaps(span: Span) -> bool:
        if not ordered:
            return any(s[0] < span[1] and span[0] < s[1] for s in spans)
        i = bisect_right(ends, span[0])  # the first span ending after this one starts
        return i < len(spans) and spans[i][0] < span[1]
    return overlaps


def _own_span(document: Document, section: Section) -> Span:
    """A section's heading + own body, trailing blank lines trimmed."""
    start, end = section.span
    while end > start and document.text[end - 1] in "\n \t":
        end -= 1
    return start, end


def _title_end(section: Section) -> int:
    """Offset (in the Document text) just after a section's title in its heading, or its label."""
    start = section.heading_span[0]
    if section.title:
        at = section.heading.find(section.title)
        if at >= 0:
            return start + at + len(section.title)
    return section.label_span[1] if section.label_span[1] > start else start


def build_tasks(document: Document) -> Tuple[Task, ...]:
    """The tasks of one plan, in reading order (ids t1, t2 …); see the module docstring.

    In: a Document with sections, commitments, measures and (optionally) its period.
    Out: its Tasks; none is empty (every one has a `what` and a quote).
    """
    frame = _frame(document.period)
    text = document.text
    sections = document.sections
    has_children = {s.parent for s in sections if s.parent}
    tasks: List[Task] = []
    inside = commitment_finder(document.commitments)
    practices = _practice_finder(document.measures)

    def add(span: Span, title: str, rest: str, source: str, section: Optional[Section],
            who: Tuple[str, ...] = (), when_text: str = "") -> None:
        task = _make(document, frame, len(tasks) + 1, span, title, rest, source, section, who, when_text, inside,
                     practices)
        if task is not None:
            tasks.append(task)

    def add_rows(rows: Sequence[Row], section: Optional[Section]) -> None:
        for row in rows:
            add(row.span, "", row.what, "schedule", section, row.who, row.when)

    if not sections:
        lines = [l for l in document.lines if l.text.strip()]
        if lines and document.title and lines[0].text.strip() == document.title.strip():
            lines = lines[1:]
        body_start = lines[0].start if lines else len(text)
        rows = schedule_rows(text[body_start:], body_start)
        row_spans = [r.span for r in rows]
        overlaps_a_row = _overlap_finder(row_spans)
        for line in lines:
            span = (line.start, line.start + len(line.text))
            if overlaps_a_row(span):
                if row_spans and span[0] <= row_spans[0][0] < span[1]:
                    add_rows(rows, None)
                continue
            if rows and is_schedule_header(line.text):
                continue
            add(span, "", line.text, "paragraph", None)
        return tuple(tasks)

    for section in sections:
        span = _own_span(document, section)
        title_end = _title_end(section)
        body_start = section.heading_span[1] + 1
        rows = schedule_rows(text[body_start:span[1]], body_start) if body_start < span[1] else ()
        leaf = section.id not in has_children
        if rows:
            intro = (span[0], rows[0].span[0])
            while intro[1] > intro[0] and text[intro[1] - 1] in "\n \t":
                intro = (intro[0], intro[1] - 1)
            if text[title_end:intro[1]].strip(" ：:，,。\n"):
                add(intro, section.title, text[title_end:intro[1]], "item" if leaf else "body", section)
            add_rows(rows, section)
            continue
        rest = text[title_end:span[1]]
        if leaf:
            add(span, section.title, rest, "item", section)
        elif rest.strip(" ：:，,。\n"):
            own = [i for i in inside(span) if not document.commitments[i].optional]
            if own or find_owners(text[span[0]:span[1]]):
                add(span, section.title, rest, "body", section)
    return tuple(tasks)
