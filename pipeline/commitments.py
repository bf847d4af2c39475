"""Quantitative commitments of one plan: counts, frequencies, bounds, durations, deadlines, shares.

Reads a plan's text and sections plus lexicons/{units,comparators,periods,commitment_cues,slogans}.tsv
(practices from measures.tsv); writes Commitment records, each quoting its span of the text.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from decimal import Decimal
from functools import lru_cache
from itertools import accumulate
from operator import attrgetter
from typing import Dict, FrozenSet, List, Mapping, NamedTuple, Optional, Sequence, Tuple

from . import lexicons, measures
from .labels import label_at, may_start_label, parse_label
from .model import Commitment, Number, Section, Span
from .numbers import AMOUNT_PATTERN, ARABIC_PATTERN, CHINESE_PATTERN, CN_NUMERAL_CHARS, FRACTION_WORD, \
    NUMERAL_OPENS, NUMERAL_START, PERCENT_WORD, Amount, parse_amount, parse_fraction, RANGE_SEPARATORS
from .records import record
from .textutil import char_positions, fold, matches_opening

# --- grammar: how the pieces around a number are written ------------------------------

MASK = "\x00"  # stands in for masked characters: matches no pattern, keeps offsets
SENTENCE_BREAK_CHARS = "。；;！？!?\n"
CLAUSE_ONLY_BREAK_CHARS = "，,：:"
CLAUSE_BREAK_CHARS = CLAUSE_ONLY_BREAK_CHARS + SENTENCE_BREAK_CHARS  # every sentence break ends a clause too
# The break characters a folded text can hold (fold writes ，：；！？ as , : ; ! ?): the ones looked for
FOLDED_SENTENCE_BREAKS = "".join(dict.fromkeys(fold(SENTENCE_BREAK_CHARS)))
FOLDED_CLAUSE_ONLY_BREAKS = "".join(ch for ch in dict.fromkeys(fold(CLAUSE_ONLY_BREAK_CHARS))
                                    if ch not in FOLDED_SENTENCE_BREAKS)
CLAUSE_BREAK = re.compile("[" + CLAUSE_BREAK_CHARS + "]")
SENTENCE_BREAK = re.compile("[" + SENTENCE_BREAK_CHARS + "]")
QUOTED = re.compile("“[^“”\n]{1,40}”|\"[^\"\n]{1,40}\"|「[^「」\n]{1,40}」|『[^『』\n]{1,40}』|‘[^‘’\n]{1,40}’")
QUOTE_OPENS = "“\"「『‘"  # every match of QUOTED opens with one (found by str.find, QUOTED tried there)
BOOK_TITLE = re.compile("《[^《》\n]{1,80}》|〈[^〈〉\n]{1,80}〉")
BOOK_TITLE_OPENS = "《〈"  # every match of BOOK_TITLE opens with one (found by str.find, BOOK_TITLE tried there)
DISTRIBUTIVE = "每"  # 每一名党员, 每2名: "each", not an amount
ORDINAL = "第"  # 第一责任人, 第三周
FORMULA_JOINER = "+"  # 1+X, 3+2 (DISTRIBUTIVE, ORDINAL and FORMULA_JOINER: one character each)
# Inside quotes these never count: slogans write Chinese numerals (“三个结合”, “1+X”), while
# quoted promises keep Arabic digits (“急修2小时响应”).
QUOTED_FORMULA_CHARS = frozenset(CN_NUMERAL_CHARS + FORMULA_JOINER)
QUOTED_FORMULA = re.compile("[" + re.escape("".join(sorted(QUOTED_FORMULA_CHARS))) + "]")
MAGNITUDES = "万千亿"  # 1.5万元 → 1.5 of 万元
WEEKDAY_WORDS = ("周", "星期", "礼拜")
WEEKDAY = re.compile("(?:" + "|".join(WEEKDAY_WORDS) + ")(?P<day>[一二三四五六日天1-7])")
WEEKDAY_OPENS = "".join(sorted({w[0] for w in WEEKDAY_WORDS}))  # every match of WEEKDAY opens with one
WEEKDAY_VALUES = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7}
ORDINAL_BEFORE_END = "个"  # every match of ORDINAL_BEFORE ends so (a cheap test before it)
ORDINAL_BEFORE = re.compile("第[" + CN_NUMERAL_CHARS + "0-9]+" + ORDINAL_BEFORE_END + r"\Z")
DATE_BEFORE = re.compile("(?:[0-9]{1,4}|[〇零一二三四五六七八九十]{1,4})[年月]$")  # 2026年3月, 7月1日
# A dated target as written: 到2026年底, 6月底前, 2026年12月前.
DATED_TARGET_TAIL = "(?:[0-9]{1,2}日)?(?:底|末|前|之前|以前|上旬|中旬|下旬)"
DATED_TARGET = re.compile(
    "(?:力争|争取)?(?:到|至|于|在|截至|截止)?"
    "(?:[0-9]{4}年(?:[0-9]{1,2}月)?|[0-9]{1,2}月|[一二三四五六七八九十]{1,3}月)" + DATED_TARGET_TAIL)
# Every dated target ends in its last 年 or 月 and the tail (月底, 年前, 月15日前), which holds no
# other 年 or 月: these ends are found first (fast: they open with a character class), and each
# target is read only in the few characters before its end.
DATED_TARGET_MARKS = "年月"
DATED_TARGET_END = re.compile("[" + DATED_TARGET_MARKS + "]" + DATED_TARGET_TAIL)
DATED_TARGET_REACH = 16  # at least the 11 characters a target holds before its last 年/月 (力争截至2026年12)
PAREN_OPEN, PAREN_CLOSE = "(", ")"  # after width folding
SLASHES = "/／"  # 1次/月 (every slash form opens with one: a cheap test before the pattern)
# where a quantity can start: a numeral opening there, or 百分之 (an opening character class lets
# the search skip ahead inside the engine)
QUANTITY_START = re.compile(NUMERAL_START + "(?:" + NUMERAL_OPENS + "|(?<=" + PERCENT_WORD[0] + ")(?="
                            + PERCENT_WORD[1:] + "))")
QUANTITY_GROUPS = ("pnum", "fden", "fnum", "num", "mag", "infix", "unit")  # the quantity pattern's, in order
UNIT_RANGE_JOINER = re.compile(r"\s?[" + re.escape(RANGE_SEPARATORS) + r"]\s?")
NEAR_CUE_GAP = 8  # a near cue (年度) reaches a number at most this many characters on
COPULA_REACH = 2  # a copula makes a description of the count right after it (成为一项, 是一个)
COMPARATOR_DEFAULT = "="
# A clause or sentence is read at most this far either side of its number, so a page that lost
# its punctuation costs the same per number as any other.
CLAUSE_REACH = SENTENCE_REACH = 160
HAS = "有"  # the character every word of having holds (a fast test before reading them)
HAS_REACH = 6  # 学校有教职工86人: 有 reports a state only this close to the count
MAX_CUES = 24  # nearest cue words read on either side of a number (a real clause holds a handful)
CHROME_REACH = 6  # a chrome word (此处隐藏, 精选) reaches a number at most this many characters on
SESSION_REACH = 6  # 届 … N次: 十四届全国人大三次会议
BRACKETS_OPEN, BRACKETS_CLOSE = "([【〔［", ")]】〕］"
BARE_POWERS = ("百", "千", "万")  # alone, these mean "many"
INDEFINITE_ONE = "一"
NAME_REACH = 8  # 十项重点改革行动之一: 之一 at most this many characters after the count
INDEFINITE_REACH = 8  # 搭建一个交流展示平台: the describing word or head noun within this many characters
NO_NOUN_AFTER = ("、", "的")  # 成熟一个、吸收一个的原则: no noun follows the classifier
GENERIC_CLASSIFIER = "个"  # 成熟一个，发展一个: 一个 with no noun after it is a pronoun  # the article "a" is written 一, never 1
NOT_A_BOUND_TAIL = re.compile("[0-9.%]")  # ≤0.2 ends there; ≤0.2% or ≤3次 are read as quantities
# A flattened table row: item | unit | value (课题 | 项 | 2).
TABLE_CELL_SEP = "|"

SUBSET = "其中"  # （其中2次…）: a part of the count before, not a restatement of it

# Why a number is kept or dropped (what `explain_commitments` reports).
REASON_KEPT = "a commitment"
REASON_SLOGAN = "inside a numbered slogan or formula (slogans.tsv)"
REASON_TITLE = "inside a title in 《》"
REASON_QUOTED = "a Chinese numeral inside quotes names a formula"
REASON_LABEL = "part of a heading or list label"
REASON_ZERO = "zero promises nothing"
REASON_IDIOM = "a bare 百/千/万 in an idiom (百家, 千家万户), not an amount"
REASON_MALFORMED = "not a well-formed numeral"
REASON_TOO_LARGE = "above the unit's largest value (a year or a date)"
REASON_WORD = "the unit is part of a longer word"
REASON_REDUPLICATION = "a reduplication (一项项), not an amount"
REASON_DISTRIBUTIVE = "after 每: each, not an amount"
REASON_FORMULA = "a numbered formula (四个意识, 1+X, 一人一档)"
REASON_NOT_A_BOUND = "a bound sign before a number that is no plain ratio"
REASON_TABLE_KIND = "a table cell of a time or date unit"
REASON_PERIOD_WORD = "part of a period word (每两周, 一年一度)"
REASON_LEADING_SPAN = "the period of the count after it (两周一次)"
REASON_NEEDS_BOUND = "below the unit's smallest value with no bound (一年)"
REASON_ORDINAL = "an ordinal or a name (第一责任人, 二十大)"
REASON_DATE = "a date, which promises no amount"
REASON_BARE_DAY = "a bare day of the month"
REASON_CONGRESS = "a congress or session number (八次少代会, 三届二次)"
REASON_CHROME = "the size of the page or document (此处隐藏N字, 精选N篇)"
REASON_INDEFINITE = "the article 'a' (是…的一项重要工作, 成熟一个)"
REASON_REFERENCE = "points back at things already named (这三个, 上述两项)"
REASON_ACHIEVEMENT = "an honour won (被评为, 荣获)"
REASON_STATUS = "a description of the present or the past: "
REASON_PAST = "a result of the past: "
REASON_NAME = "part of a name (十项行动之一)"
REASON_FRAMING = "a framing word names existing things: "
REASON_COPULA = "a copula makes it a description: "

# Confidence by how a commitment was found.
CONFIDENCE_BOUND = 0.95  # a comparator or period word governs it
CONFIDENCE_BARE = 0.8  # a bare number with a unit
CONFIDENCE_RATIO_TYPO = 0.6  # a share whose % sign is missing or garbled
CONFIDENCE_BORDERLINE = 0.4  # a bare month, quarter, ordinal week or weekday slot


# --- the compiled lexicons --------------------------------------------------------------


@record
class UnitInfo:
    """One row of units.tsv."""

    form: str
    unit: str
    kind: str
    max_value: Optional[int]
    min_value: Optional[int]
    not_followed_by: Tuple[str, ...]
    not_preceded_by: Tuple[str, ...]


@record
class CueInfo:
    """What a word found in the text can do: its roles and the value each role carries."""

    roles: FrozenSet[str]  # comparator, period, near_period, action, completion, framing, status, body, practice
    comparator: Optional[str] = None
    reach: Optional[str] = None  # of a comparator: clause | adjacent
    period: Optional[str] = None
    practice: Optional[str] = None  # canonical measure name


@record
class Grammar:
    """Every pattern and table the extractor needs, compiled once per process."""

    quantity: "re.Pattern[str]"  # every match starts with a character of NUMERAL_START (百分之 too)
    units: Mapping[str, UnitInfo]
    # the cue words (cue_info's) as an Aho-Corasick automaton: the matches of `cue_pattern` (leftmost,
    # longest, no overlaps) in one pass in compiled code, faster than the regex trie on the stretches read
    cue_finder: "lexicons.WordFinder"
    cue_info: Mapping[str, CueInfo]
    cue_infos: Tuple[CueInfo, ...]  # cue_info of each of cue_finder's words, by the finder's index
    after_comparator: "re.Pattern[str]"
    after_comparators: Mapping[str, str]
    after_comparator_kinds: Mapping[str, FrozenSet[str]]  # an after-word limited to these unit kinds
    infix_comparators: Mapping[str, str]
    slash_period: "re.Pattern[str]"
    per_units: Mapping[str, str]  # unit word or exact span (两周) → period
    week_unit: str
    slogans: "re.Pattern[str]"
    bare_ratio: "re.Pattern[str]"
    formula: "re.Pattern[str]"
    congress: Tuple[str, ...]
    anchors: Tuple[str, ...]
    not_anchors: Tuple[str, ...]
    prepositions: Tuple[str, ...]
    completion: "re.Pattern[str]"
    period_blockers: Mapping[str, Tuple[str, ...]]
    period_labels: Mapping[str, str]
    chrome: Tuple[str, ...] = ()
    page_units: Tuple[str, ...] = ()
    indefinite_before: Tuple[str, ...] = ()
    indefinite_after: Tuple[str, ...] = ()
    session: Tuple[str, ...] = ()
    reference: Tuple[str, ...] = ()
    modal: Optional["re.Pattern[str]"] = None
    modal_info: Mapping[str, CueInfo] = None  # type: ignore[assignment]
    name_after: Tuple[str, ...] = ()
    table_row: Optional["re.Pattern[str]"] = None
    bare_bound: Optional["re.Pattern[str]"] = None
    bound_signs: str = ""  # the first characters of bare_bound's signs (most plans hold none: the scan is skipped)
    comparator_words: Tuple[str, ...] = ()  # every comparator word written before a number
    # the same word lists as one pattern each, for "does any of them occur in this stretch"
    session_pattern: "re.Pattern[str]" = re.compile("(?!)")
    chrome_pattern: "re.Pattern[str]" = re.compile("(?!)")
    indefinite_after_pattern: "re.Pattern[str]" = re.compile("(?!)")
    name_after_pattern: "re.Pattern[str]" = re.compile("(?!)")
    cues_cross_clauses: bool = True  # whether a word of `cues` holds a clause break
    bare_ratio_opens: str = ""  # the first characters of the ratio words (every match of bare_ratio opens with one)


VALID_KINDS = ("frequency", "quantity", "duration", "time", "ratio", "calendar")
PERIOD_ROLES = frozenset({"period", "near_period"})
MENTION_ROLES = frozenset({"body", "practice"})  # what a commitment's subject is read from
VERB_ROLES = frozenset({"action", "completion"})
PROMISE_ROLES = frozenset({"action", "completion", "target", "obligation"})  # a bare count after one is promised
DUTY_ROLES = frozenset({"target", "obligation"})  # before a status or past word, the count stays a promise (要开设3门)
REPORT_ROLES = frozenset({"status", "past"})  # a sentence holding one is read for words of duty and having too
STATE_ROLES = frozenset({"status", "has"})  # how things stand (现有, 下设, 有)
MODAL_ROLES = ("obligation", "neutral", "has")
NEAR_NUMBER_ROLES = MODAL_ROLES + ("anchor", "not_anchor", "ratio", "congress", "formula", "preposition", "chrome",
                     "page_unit", "indefinite_before", "indefinite_after", "session", "reference", "name_after")
CUE_ROLES = ("action", "completion", "framing", "copula", "status", "past", "achievement", "target",
             "body") + NEAR_NUMBER_ROLES


def _rows(name: str, columns: Tuple[str, ...]):
    return lexicons.read_table(name, columns)


def _bad(row, problem: str) -> lexicons.LexiconError:
    return lexicons.LexiconError(row.get("_where", "lexicons"), problem)


@lru_cache(maxsize=1)
def grammar() -> Grammar:
    """Compile the commitment grammar from the lexicon files (once per process)."""
    units: Dict[str, UnitInfo] = {}
    for row in _rows("units.tsv", ("form", "unit", "kind")):
        if row["kind"] not in VALID_KINDS:
            raise _bad(row, f"kind '{row['kind']}' is not one of {', '.join(VALID_KINDS)}")
        bounds = []
        for column in ("max_value", "min_value"):
            cell = row.get(column, "")
            if cell and not cell.isdigit():
                raise _bad(row, f"{column} '{cell}' is not a whole number")
            bounds.append(int(cell) if cell else None)
        units[row["form"]] = UnitInfo(row["form"], row["unit"] or row["form"], row["kind"], *bounds,
                                      lexicons.split_list(row.get("not_followed_by", "")),
                                      lexicons.split_list(row.get("not_preceded_by", "")))

    cue_roles: Dict[str, Dict[str, object]] = {}

    def note(word: str, role: str, **values) -> None:
        entry = cue_roles.setdefault(fold(word), {"roles": set()})
        entry["roles"].add(role)
        for key, value in values.items():
            entry.setdefault(key, value)

    after: Dict[str, str] = {}
    after_kinds: Dict[str, FrozenSet[str]] = {}
    infix: Dict[str, str] = {}
    for row in _rows("comparators.tsv", ("cue", "comparator", "position")):
        if row["comparator"] not in (">=", "<=", "=", "~"):
            raise _bad(row, f"comparator '{row['comparator']}' is not one of >= <= = ~")
        cue = fold(row["cue"])
        if row["position"] == "before":
            reach = row.get("reach") or "adjacent"
            if reach not in ("clause", "adjacent"):
                raise _bad(row, f"reach '{reach}' is not clause or adjacent")
            note(cue, "comparator", comparator=row["comparator"], reach=reach)
        elif row["position"] == "after":
            after[cue] = row["comparator"]
            kinds = lexicons.split_list(row.get("unit_kinds", ""))
            if any(k not in VALID_KINDS for k in kinds):
                raise _bad(row, f"unit_kinds '{row['unit_kinds']}' names a kind not in {', '.join(VALID_KINDS)}")
            if kinds:
                after_kinds[cue] = frozenset(kinds)
        elif row["position"] == "infix":
            infix[cue] = row["comparator"]
        else:
            raise _bad(row, f"position '{row['position']}' is not before, after or infix")

    per_units: Dict[str, str] = {}
    blockers: Dict[str, Tuple[str, ...]] = {}
    labels: Dict[str, str] = {}
    week_unit = ""
    for row in _rows("periods.tsv", ("period", "cues")):
        period = row["period"]
        labels[period] = row.get("label") or period
        blockers[period] = tuple(fold(b) for b in lexicons.split_list(row.get("not_followed_by", "")))
        for cue in lexicons.split_list(row["cues"]):
            note(cue, "period", period=period)
        for cue in lexicons.split_list(row.get("near_cues", "")):
            note(cue, "near_period", period=period)
        for word in lexicons.split_list(row.get("per_units", "")):
            per_units[fold(word)] = period
            if period == "week" and not week_unit:
                week_unit = word
    if not week_unit:
        raise lexicons.LexiconError("lexicons/periods.tsv", "the week row names no per_units")

    # roles checked right before or after a number; the others are words of the one cue pass
    near_number: Dict[str, List[str]] = {r: [] for r in NEAR_NUMBER_ROLES}
    completion: List[str] = []
    for row in _rows("commitment_cues.tsv", ("cue", "role")):
        role, cue = row["role"], fold(row["cue"])
        if role not in CUE_ROLES:
            raise _bad(row, f"role '{role}' is not one of {', '.join(CUE_ROLES)}")
        if role in near_number:
            near_number[role].append(cue)
            continue
        note(cue, role)
        if role == "completion":
            completion.append(cue)
    # words of duty and having (要, 须, 有) are many and short: they are read only around a number
    # whose sentence reports a state or the past, by a pattern of their own
    modal_info: Dict[str, CueInfo] = {}
    for role in MODAL_ROLES:
        for word in near_number[role]:
            modal_info[word] = CueInfo(frozenset({role}))
    for word in near_number["indefinite_after"]:  # 重要 holds 要: read as one word that does nothing
        modal_info.setdefault(word, CueInfo(frozenset({"neutral"})))
    for form, names in measures.lexicon().forms.items():
        if len(names) == 1 and len(form) > 1:
            note(form, "practice", practice=names[0])

    cue_info = {word: CueInfo(frozenset(v["roles"]), v.get("comparator"), v.get("reach"), v.get("period"),
                              v.get("practice"))
                for word, v in cue_roles.items()}
    slogans = [fold(r["term"]) for r in _rows("slogans.tsv", ("term",))]

    unit_alt = lexicons.alternation(units, "lexicons/units.tsv")
    infix_alt = lexicons.alternation(infix, "lexicons/comparators.tsv") if infix else "(?!)"
    quantity = re.compile(
        "(?:" + PERCENT_WORD + "(?P<pnum>" + AMOUNT_PATTERN + ")"
        + "|(?P<fden>" + CHINESE_PATTERN + ")" + FRACTION_WORD + "(?P<fnum>[" + CN_NUMERAL_CHARS + "]+)"
        + "|(?P<num>" + AMOUNT_PATTERN + ")(?P<mag>[" + MAGNITUDES + "])?[ ]?(?P<infix>" + infix_alt + ")?"
        + "(?P<unit>" + unit_alt + "))")
    if quantity.groupindex != {name: k for k, name in enumerate(QUANTITY_GROUPS, 1)} \
            or quantity.groups != len(QUANTITY_GROUPS):  # _read_quantity reads them by m.groups()
        raise lexicons.LexiconError("lexicons", "a unit or infix word makes a group of the quantity pattern")
    before_adjacent = [w for w, i in cue_info.items() if i.reach == "adjacent"]
    symbols = [w for w in before_adjacent if not any("\u4e00" <= ch <= "\u9fff" for ch in w)]  # ≤ ≥ < >
    bare_ratio = re.compile(
        "(?:" + lexicons.alternation(near_number["ratio"], "lexicons/commitment_cues.tsv") + ")"
        + "(?P<cmp>" + (lexicons.alternation(before_adjacent) if before_adjacent else "(?!)") + ")?"
        + "(?P<num>" + ARABIC_PATTERN + "|" + CHINESE_PATTERN + ")")
    cue_finder = lexicons.word_finder(cue_info)
    return Grammar(
        quantity=quantity,
        units=units,
        cues_cross_clauses=any(ch in CLAUSE_BREAK_CHARS for word in cue_info for ch in word),
        cue_info=cue_info,
        after_comparator=re.compile(lexicons.alternation(after, "lexicons/comparators.tsv")),
        after_comparators=after,
        after_comparator_kinds=after_kinds,
        infix_comparators=infix,
        slash_period=re.compile("[" + SLASHES + "](?P<per>" + lexicons.alternation(per_units, "lexicons/periods.tsv") + ")"),
        per_units=per_units,
        week_unit=week_unit,
        slogans=re.compile(lexicons.alternation(slogans, "lexicons/slogans.tsv")),
        cue_finder=cue_finder,
        cue_infos=tuple(cue_info[w] for w in cue_finder.words),
        bare_ratio=bare_ratio,
        bare_ratio_opens="".join(sorted({w[0] for w in near_number["ratio"] if w})),
        formula=re.compile(lexicons.alternation(near_number["formula"], "lexicons/commitment_cues.tsv")),
        congress=tuple(near_number["congress"]),
        anchors=tuple(near_number["anchor"]),
        not_anchors=tuple(near_number["not_anchor"]),
        prepositions=tuple(near_number["preposition"]),
        completion=re.compile(lexicons.alternation(completion, "lexicons/commitment_cues.tsv")),
        period_blockers=blockers,
        period_labels=labels,
        comparator_words=tuple(w for w, i in cue_info.items() if i.comparator),
        chrome=tuple(near_number["chrome"]),
        page_units=tuple(near_number["page_unit"]),
        indefinite_before=tuple(near_number["indefinite_before"]),
        indefinite_after=tuple(near_number["indefinite_after"]),
        session=tuple(near_number["session"]),
        reference=tuple(near_number["reference"]),
        modal=re.compile(lexicons.alternation(modal_info, "lexicons/commitment_cues.tsv", width=CUE_PATTERN_WIDTH, lookahead=1)),
        modal_info=modal_info,
        name_after=tuple(near_number["name_after"]),
        session_pattern=_any_of(near_number["session"]),
        chrome_pattern=_any_of(near_number["chrome"]),
        indefinite_after_pattern=_any_of(near_number["indefinite_after"]),
        name_after_pattern=_any_of(near_number["name_after"]),
        table_row=re.compile(
            r"(?:^|\|)[ \t]*(?P<unit>" + unit_alt + r")[ \t]*\|[ \t]*(?P<num>" + AMOUNT_PATTERN + r")[ \t]*(?=\||$)",
            re.M),
        bound_signs="".join(sorted({w[0] for w in symbols})),
        bare_bound=re.compile("(?:" + (lexicons.alternation(symbols) if symbols else "(?!)") + r")[ ]?(?P<num>"
                              + ARABIC_PATTERN + ")"),
    )


@lru_cache(maxsize=1)
def cue_pattern() -> "re.Pattern[str]":
    """The cue words as one regex trie (grouped, behind a two-character lookahead): the matches of
    `Grammar.cue_finder`, which the extractor reads with; compiled only when asked for, as the
    reference the finder is tested against."""
    return re.compile(lexicons.alternation(grammar().cue_info, "lexicons/commitment_cues.tsv",
                                           width=CUE_PATTERN_WIDTH, lookahead=2))


def _any_of(words: Sequence[str]) -> "re.Pattern[str]":
    """A pattern found wherever one of `words` occurs (never, for no words)."""
    return re.compile(lexicons.alternation(words) if any(words) else "(?!)")


# Trie nodes wider than this are split into groups behind lookaheads (`lexicons.alternation`'s
# `width`): at a character opening one of the ~370 first characters of the cue words, the engine
# tried ~185 branches; now a few set tests and one small group.
CUE_PATTERN_WIDTH = 16


# How a comparator reads next to a number in checklists and comparison cells.
COMPARATOR_SIGNS = {">=": "≥", "<=": "≤", "~": "约", "=": ""}


def period_label(period: Optional[str]) -> str:
    """How a checklist writes a period (`month` → 每月), "" for None."""
    if not period:
        return ""
    return grammar().period_labels.get(period, period)


def number_text(value: Optional[Number]) -> str:
    """A committed number as written: `4`, `12.5` (a Decimal without its trailing zeros), "" for None."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def amount_phrase(commitment: Commitment) -> str:
    """The amount as a checklist writes it: `每月 ≥1次`, `1–2次`, `约30人`, `≤2工作日`.

    Schedules (每月15日, 4月, 每周一) are written as the plan wrote them.
    """
    if commitment.kind == "schedule":
        return commitment.quote
    value = number_text(commitment.value)
    if commitment.value_max is not None and commitment.value_max != commitment.value:
        value += "–" + number_text(commitment.value_max)
    sign = COMPARATOR_SIGNS.get(commitment.comparator, commitment.comparator)
    amount = f"{sign}{value}{commitment.unit}"
    period = period_label(commitment.period)
    return f"{period} {amount}" if period else amount


# --- one pass over a plan ---------------------------------------------------------------


class Cue(NamedTuple):
    """A word of commitment_cues/comparators/periods/measures found in the text (a plan holds
    about one per 40 characters, so a light tuple)."""

    start: int
    end: int
    info: CueInfo


class Candidate(NamedTuple):
    """A number with its unit, before the context decides what it is (a plan holds one per
    ~60 characters and most are dropped on sight, so a light tuple)."""

    start: int  # first character of the number (or of 百分之)
    end: int  # end of the unit
    number_end: int
    value: Number
    value_max: Optional[Number]
    raw: str
    unit: str
    kind: str  # unit kind from units.tsv, or "weekday" / "ratio"
    infix: Optional[str] = None  # comparator given by 余/多
    form: str = ""
    ordinal: bool = False
    needs_bound: bool = False  # below the unit's min_value: only a comparator makes it one (不少于一年)
    confidence_cap: float = 1.0


_label_span = attrgetter("label_span")
_new_tuple = tuple.__new__  # a NamedTuple built from all its fields without its __new__ call


class _Plan:
    """The text of one plan, folded and masked, with its cues, clauses and sentences indexed."""

    def __init__(self, text: str, sections: Sequence[Section], g: Grammar):
        self.text = text
        self.folded = fold(text)
        self.g = g
        self.masked = self._mask(sections)
        # the break characters found one by one with str.find (a search for the class steps through
        # every character), only those a folded text holds; the sentence breaks are among the clause breaks
        self.sentence_breaks = char_positions(self.folded, FOLDED_SENTENCE_BREAKS)
        self.clause_breaks = sorted(self.sentence_breaks + char_positions(self.folded, FOLDED_CLAUSE_ONLY_BREAKS))
        self.cues: List[Cue] = []
        self.cue_starts: List[int] = []  # cues are apart and in text order: both rise
        self.cue_ends: List[int] = []
        self._sentences: Dict[int, Tuple[int, int]] = {}  # read_cues and _commitment ask about the same numbers
        self._clauses: Dict[int, Tuple[int, int]] = {}
        self._dated: Optional[Tuple[List[int], List[Tuple[int, int]]]] = None
        self._amounts: Dict[str, Optional[Amount]] = {}  # a plan writes the same few numerals again and again

    def amount(self, raw: str) -> Optional[Amount]:
        """`parse_amount(raw)`, parsed once per plan (Amounts are frozen)."""
        amounts = self._amounts
        if raw not in amounts:
            amounts[raw] = parse_amount(raw)
        return amounts[raw]

    def read_cues(self, candidates: Sequence["Candidate"]) -> None:
        """Find the cue words of the sentences that hold a number (all that is ever read).

        Cues are read in quotes too (“第一议题”学习每月不少于2次); numbers are not.

        A number reads no cue past the end of its clause, so a stretch of sentences is read only
        up to the last clause end its numbers need when a clause break stands there: no cue word
        holds a clause break, so none found before it reaches past it (the same cues as reading
        the whole stretch, up to there).
        """
        spans: List[List[int]] = []  # [start, end, the last number's start, the furthest number end]
        for cand in candidates:  # in reading order
            start, end = self.sentence(cand.start)
            if spans and start <= spans[-1][1]:
                last = spans[-1]
                if end > last[1]:
                    last[1] = end
                last[2] = cand.start
                if cand.end > last[3]:
                    last[3] = cand.end
            else:
                spans.append([start, end, cand.start, cand.end])
        folded, g = self.folded, self.g
        reads: List[Tuple[int, int]] = []
        for start, end, last_start, furthest in spans:
            # a clause ends no earlier for a later position: the last number's clause reaches furthest
            need = self.clause(last_start)[1]
            if need < furthest:
                need = furthest
            cut = need < end and folded[need] in CLAUSE_BREAK_CHARS and not g.cues_cross_clauses
            reads.append((start, need if cut else end))
        infos, new = g.cue_infos, tuple.__new__  # a NamedTuple built without its __new__ call
        # the matches of cue_pattern().finditer(folded, start, end): a match never reaches past `end` either way
        automaton = g.cue_finder.automaton
        self.cues = [new(Cue, (a + start, b + start, infos[k]))
                     for start, end in reads for k, a, b in automaton.find_matches_as_indexes(folded[start:end])]
        self.cue_starts = [c.start for c in self.cues]
        self.cue_ends = [c.end for c in self.cues]

    def _mask(self, sections: Sequence[Section]) -> str:
        text = self.folded
        # the spans masked, as (start, end) pairs by what they are (mask_spans names them): only
        # an explanation asks for the reasons, so the pairs are kept and put together in C
        # (the slogans' regex trie: on a list this short it scans faster than an automaton)
        slogans = [m.span() for m in self.g.slogans.finditer(text)]
        titles = [m.span() for m in matches_opening(BOOK_TITLE, BOOK_TITLE_OPENS, text)]
        quoted = [m.span() for m in matches_opening(QUOTED, QUOTE_OPENS, text)]
        labels = list(map(tuple, map(_label_span, sections)))
        start, plain = 0, self.text
        for line in text.split("\n"):  # a line's label opens at its first character that is no space
            lead = len(line) - len(line.lstrip())
            if lead < len(line) and may_start_label(line[lead]):
                # a line opening with its label is asked through parse_label's cache, by the line as
                # written: the outline has asked about every such line of the plan (the same offsets:
                # fold keeps lengths and reads characters one by one); label_at for the others
                label = parse_label(plain[start:start + len(line)]) if lead == 0 else label_at(line, lead, line)
                if label is not None:
                    labels.append((start + label.start, start + label.end))
            start += len(line) + 1
        self._mask_parts = (slogans, titles, quoted, labels)
        # “三个结合”: only the Chinese numerals of a quote are masked, every character of the rest
        # (one substitution of the class: str.translate looks up every character of the quote)
        pieces, done, sub = [], 0, QUOTED_FORMULA.sub
        for a, b in quoted:  # in order, apart
            pieces += [text[done:a], sub(MASK, text[a:b])]
            done = b
        pieces.append(text[done:])
        masked = "".join(pieces)
        # by start, each once (a heading's label is both a section's and its line's): each span masks
        # what it adds to the ones before (done >= 0, ends kept in the text)
        whole = sorted(set(slogans + titles + labels))
        pieces, done, size = [], 0, len(text)
        for a, b in whole:
            if a < done:
                a = done
            if b > size:
                b = size
            if a < b:
                pieces += [masked[done:a], MASK * (b - a)]
                done = b
        pieces.append(masked[done:])
        return "".join(pieces)

    @property
    def mask_spans(self) -> List[Tuple[int, int, str]]:
        """Every span masked with the reason: slogans, titles, quotes, then labels (sections' first)."""
        slogans, titles, quoted, labels = self._mask_parts
        return ([(a, b, REASON_SLOGAN) for a, b in slogans] + [(a, b, REASON_TITLE) for a, b in titles]
                + [(a, b, REASON_QUOTED) for a, b in quoted] + [(a, b, REASON_LABEL) for a, b in labels])

    def drop_cues_inside(self, candidates: Sequence["Candidate"]) -> None:
        """Forget cue words that overlap a number's own text (季度 in 一季度)."""
        cues, ends = self.cues, self.cue_ends  # cues are apart and in text order: ends rise
        overlapping = set()
        for c in candidates:  # the cues ending after the number starts, up to one starting after it ends
            i = bisect_right(ends, c.start) if c.start < c.end else len(cues)
            while i < len(cues) and cues[i].start < c.end:
                overlapping.add(i)
                i += 1
        if overlapping:
            self.cues = [c for i, c in enumerate(cues) if i not in overlapping]
            self.cue_starts = [c.start for c in self.cues]
            self.cue_ends = [c.end for c in self.cues]

    # where a position sits
    def clause(self, pos: int) -> Tuple[int, int]:
        found = self._clauses.get(pos)  # a number's start and end are asked about by several rules
        if found is None:
            found = self._clauses[pos] = self._between(self.clause_breaks, pos, CLAUSE_REACH)
        return found

    def sentence(self, pos: int) -> Tuple[int, int]:
        found = self._sentences.get(pos)
        if found is None:
            found = self._sentences[pos] = self._between(self.sentence_breaks, pos, SENTENCE_REACH)
        return found

    def _between(self, breaks: List[int], pos: int, reach: int) -> Tuple[int, int]:
        """The stretch between two breaks around pos, at most `reach` characters either side of
        it (a page that lost its full stops still costs a bounded amount per number)."""
        i = bisect_left(breaks, pos)  # the breaks before pos, and the first at or after it
        start = breaks[i - 1] + 1 if i else 0
        end = breaks[i] if i < len(breaks) else len(self.text)
        # (tests, not min and max, here and in the other per-number paths: a call of the builtin min or
        # max parses its arguments for key= and default=: about 120 ns against 20 for a comparison)
        if start < pos - reach:
            start = pos - reach
        if end > pos + reach:
            end = pos + reach
        return start, end if end > pos else pos

    def cues_before(self, lo: int, hi: int) -> List[Cue]:
        """Cues lying wholly in [lo, hi), nearest first, skipping any closed off by a ')' between."""
        cues, text, out = self.cues, self.folded, []
        i = bisect_right(self.cue_ends, hi) - 1
        if text.find(PAREN_CLOSE, lo, hi) < 0:  # nothing closed off: the cues starting from lo on, nearest first
            first = bisect_left(self.cue_starts, lo)
            if first < i + 1 - MAX_CUES:
                first = i + 1 - MAX_CUES
            return cues[first:i + 1][::-1] if first <= i else out
        closes = opens = 0
        upto = hi  # brackets counted in [upto, hi) so far, growing leftwards cue by cue
        while i >= 0 and len(out) < MAX_CUES:
            cue = cues[i]
            if cue.start < lo:
                break
            if cue.end < upto:
                closes += text.count(PAREN_CLOSE, cue.end, upto)
                opens += text.count(PAREN_OPEN, cue.end, upto)
                upto = cue.end
            if closes <= opens:
                out.append(cue)
            i -= 1
        return out

    def dated_targets(self) -> Tuple[List[int], List[Tuple[int, int]]]:
        """Every dated target (到2026年底) of the plan, found once: (starts, spans)."""
        if self._dated is None:
            spans = _dated_target_spans(self.masked)
            self._dated = ([a for a, _ in spans], spans)
        return self._dated

    def cues_after(self, lo: int, hi: int) -> List[Cue]:
        """Cues lying wholly in [lo, hi), in text order (at most MAX_CUES)."""
        i = bisect_left(self.cue_ends, lo + 1)  # the first cue ending after lo; only it can start before lo
        if i < len(self.cues) and self.cues[i].start < lo:
            i += 1
        j = bisect_right(self.cue_ends, hi)
        return self.cues[i:j if j < i + MAX_CUES else i + MAX_CUES]


@record
class NumberDecision:
    """One number the extractor read in a plan: where it is, as written, whether it became a
    commitment and why (the evidence for a kept one, the rule for a dropped one)."""

    span: Span  # into the plan's text
    text: str  # the number with its unit, as written
    kept: bool
    reason: str
    commitment: Optional[Commitment] = None


def extract_commitments(text: str, sections: Sequence[Section] = ()) -> Tuple[Commitment, ...]:
    """text = one plan's Document.text (logical lines joined by \\n); spans index into it.

    Gives every quantitative commitment of the plan in reading order: value, range, unit,
    comparator, period, kind, the exact quote and span, its clause, section, subject and
    verb. Slogans (三会一课), quoted formulas, titles in 《》, ordinals (第一责任人, 二十大),
    anniversaries, ages, bare years, heading labels, descriptions of the present or the past
    (现有, 下设, 去年), the article 一个/一项 (是…的一项重要工作), session numbers and page
    chrome never become commitments. Bare months, quarters and weekday slots come back as
    optional `schedule` items. `explain_commitments` gives the same decisions with reasons.
    """
    if not text or not isinstance(text, str):
        return ()
    return tuple(made for _, made in _read(_Plan(text, sections, grammar()), sections, None))


def explain_commitments(text: str, sections: Sequence[Section] = ()) -> Tuple[NumberDecision, ...]:
    """Every number of a plan's text with a unit (and every number masked as part of a slogan,
    title, quote or heading label) as a NumberDecision, in reading order: kept ones carry their
    Commitment (the same ones `extract_commitments` gives), dropped ones the rule that dropped them.
    Pure; see `render_explanation` for a plain-text view."""
    return _decide(text, sections, explain=True)


def render_explanation(decisions: Sequence[NumberDecision]) -> str:
    """Plain text, one line per decision: offset, kept/dropped, the number as written, the reason
    (and for a kept one its value, unit, comparator, period and kind)."""
    lines = []
    for d in decisions:
        head = f"{d.span[0]:>6}  {'kept   ' if d.kept else 'dropped'}  {d.text}"
        if d.commitment is not None:
            c = d.commitment
            value = f"{c.value}-{c.value_max}" if c.value_max is not None else f"{c.value}"
            head += f"  [{c.comparator}{value} {c.unit or '-'} period={c.period or '-'} kind={c.kind}" \
                    + (" optional" if c.optional else "") + "]"
        lines.append(f"{head}  — {d.reason}")
    return "\n".join(lines) + ("\n" if lines else "")


def _decide(text: str, sections: Sequence[Section], explain: bool) -> Tuple[NumberDecision, ...]:
    if not text or not isinstance(text, str):
        return ()
    plan = _Plan(text, sections, grammar())
    drops: List[Tuple[int, int, str]] = []
    kept = _read(plan, sections, drops)
    out = _masked_numbers(plan)
    out += [NumberDecision(made.span, text[cand.start:cand.end], True, _evidence(made), made) for cand, made in kept]
    out += [NumberDecision((a, b), text[a:b], False, why) for a, b, why in drops]
    out.sort(key=lambda d: (d.span[0], not d.kept))
    return tuple(out)


def _read(plan: _Plan, sections: Sequence[Section],
          drops: Optional[List[Tuple[int, int, str]]]) -> List[Tuple[Candidate, Commitment]]:
    """The commitments of a plan in reading order, each with its candidate; every number dropped
    goes to `drops` with the reason when it is given."""
    candidates = _find_candidates(plan, drops)
    kept: List[Tuple[Candidate, Commitment]] = []
    if not candidates:
        return kept
    plan.read_cues(candidates)
    period_cues = [c for c in plan.cues if c.info.period is not None]  # a word of PERIOD_ROLES names its period
    candidates = _drop_inside_period_words(candidates, period_cues, drops)
    # 每周一: the period word keeps its 周, so weekdays take no word away
    plan.drop_cues_inside([c for c in candidates if c.kind != "weekday"])
    paired = _pair_leading_spans(plan, candidates, drops)

    mentions = [c for c in plan.cues if not c.info.roles.isdisjoint(MENTION_ROLES)]
    # mentions are apart and in text order, so their starts and ends both rise: _subject bisects them
    mention_starts, mention_ends = [c.start for c in mentions], [c.end for c in mentions]
    # a number's section by bisection in measures' index of the sections (built once per sections
    # sequence and shared with find_measures), looked up here once per plan: innermost_section's
    # reading of it, without its two Python calls per commitment
    section_index = measures._section_index(sections) if sections else None
    previous: Optional[Tuple[Candidate, Commitment]] = None
    for cand, lead_period in paired:
        made = _commitment(plan, cand, lead_period, previous, section_index,
                           (mentions, mention_starts, mention_ends))
        if isinstance(made, str):
            if drops is not None:
                drops.append((cand.start, cand.end, made))
            continue
        kept.append((cand, made))
        previous = (cand, made)
    return kept


def _evidence(c: Commitment) -> str:
    """Why a kept number is a commitment, in words."""
    parts = []
    if c.comparator != COMPARATOR_DEFAULT:
        parts.append(f"bound {c.comparator}")
    if c.period:
        parts.append(f"period {c.period}")
    if c.verb:
        parts.append(f"verb {c.verb}")
    if c.optional:
        parts.append("a slot in time (optional)")
    return REASON_KEPT + (": " + ", ".join(parts) if parts else ": an amount with its unit, no description or frame")


def _masked_numbers(plan: _Plan) -> List[NumberDecision]:
    """Numbers with a unit that lie in a masked slogan, title, quote or heading label."""
    out = []
    why_at: List[Optional[str]] = [None] * (len(plan.folded) + 1)
    for a, b, why in plan.mask_spans:
        for i in range(max(0, a), min(len(plan.folded), b)):
            why_at[i] = why_at[i] or why
    for m in plan.g.quantity.finditer(plan.folded):
        at = m.start()
        if plan.masked[at] != MASK:
            continue
        why = why_at[at] or REASON_LABEL
        out.append(NumberDecision((at, m.end()), plan.text[at:m.end()], False, why))
    return out


# --- finding numbers ----------------------------------------------------------------------


def _find_candidates(plan: _Plan, drops: Optional[List[Tuple[int, int, str]]] = None) -> List[Candidate]:
    """Numbers with a unit (and weekdays, bare shares, bare bounds, table cells) in reading order;
    numbers dropped on sight go to `drops` with the reason when it is given."""
    g = plan.g
    found: Dict[int, Candidate] = {}
    quantity_starts = set()

    def keep(made, start: int, end: int) -> None:
        if isinstance(made, Candidate):
            found.setdefault(made.start, made)
        elif made and drops is not None:
            drops.append((start, end, made))

    for m in _matches_at(g.quantity, QUANTITY_START, plan.masked):  # (keep inlined: ~500 numbers a plan)
        start = m.start()
        quantity_starts.add(start)
        made = _read_quantity(plan, m)
        if isinstance(made, Candidate):
            found.setdefault(made.start, made)
        elif made and drops is not None:
            drops.append((start, m.end(), made))
    weekdays = [cand for cand in (_read_weekday(plan, m, quantity_starts)
                                  for m in matches_opening(WEEKDAY, WEEKDAY_OPENS, plan.masked))
                if cand is not None]
    if weekdays:  # a weekday inside a number read above is part of it: the numbers by start, the furthest end so far
        starts = sorted(found)
        reach = list(accumulate((found[k].end for k in starts), max))
        for cand in weekdays:
            i = bisect_right(starts, cand.start)
            if not (i and reach[i - 1] > cand.start):  # weekdays never hold one another
                found.setdefault(cand.start, cand)
    for m in (matches_opening(g.bare_ratio, g.bare_ratio_opens, plan.masked) if g.bare_ratio_opens
              else g.bare_ratio.finditer(plan.masked)):
        cand = _read_bare_ratio(plan, m, quantity_starts)
        if cand is not None:
            found.setdefault(cand.start, cand)
    if g.bare_bound is not None and any(sign in plan.masked for sign in g.bound_signs):
        for m in g.bare_bound.finditer(plan.masked):
            keep(_read_bare_bound(plan, m, quantity_starts), m.start("num"), m.end())
    if g.table_row is not None and TABLE_CELL_SEP in plan.masked:
        for m in g.table_row.finditer(plan.masked):
            keep(_read_table_cell(plan, m), m.start("num"), m.end("num"))
    return _merge_unit_ranges(plan, [found[k] for k in sorted(found)])


def _matches_at(pattern: "re.Pattern[str]", start: "re.Pattern[str]", text: str):
    """The matches of `pattern.finditer(text)`, trying `pattern` only at the characters `start`
    finds, the ones every (never empty) match of it begins with: a pattern that opens with a
    lookbehind, as the numerals do, is otherwise entered at every position of the text, while
    the search for one character class skips ahead inside the engine. Lookbehinds still see the
    text before the position tried."""
    find, match, pos = start.search, pattern.match, 0
    while True:
        hit = find(text, pos)
        if hit is None:
            return
        m = match(text, hit.start())
        if m is None:
            pos = hit.start() + 1
        else:
            yield m
            pos = m.end()


def _read_bare_bound(plan: _Plan, m: "re.Match[str]", quantity_starts):
    """差异系数≤0.2: a bound sign before a number with no unit word is a bound on a ratio."""
    start = m.start("num")
    if start in quantity_starts:
        return None
    nxt = plan.folded[m.end():m.end() + 1]
    if nxt and (NOT_A_BOUND_TAIL.match(nxt) or nxt.isascii() and nxt.isalpha()):
        return REASON_NOT_A_BOUND
    amount = parse_amount(m.group("num"))
    if amount is None:
        return None
    return Candidate(start, m.end(), m.end(), amount.value, None, m.group("num"), "", "ratio",
                     confidence_cap=CONFIDENCE_BARE)


def _read_table_cell(plan: _Plan, m: "re.Match[str]"):
    """课题 | 项 | 2: a table row flattened to cells gives its unit in one cell, its value in the next."""
    amount = parse_amount(m.group("num"))
    if amount is None or amount.value == 0:
        return REASON_ZERO
    info = plan.g.units[m.group("unit")]
    if info.kind not in ("frequency", "quantity", "duration", "ratio"):
        return REASON_TABLE_KIND
    start, end = m.start("num"), m.end("num")
    return Candidate(start, end, end, amount.value, amount.value_max, m.group("num"), info.unit, info.kind,
                     form=m.group("unit"))


def _merge_unit_ranges(plan: _Plan, candidates: List[Candidate]) -> List[Candidate]:
    """一月至二月, 5月至6月, 3天到5天: two amounts of one unit joined by a range word are one range."""
    out: List[Candidate] = []
    for cand in candidates:
        prev = out[-1] if out else None
        if (prev is not None and prev.unit == cand.unit and prev.kind == cand.kind and prev.value_max is None
                and cand.value_max is None and cand.value > prev.value and not cand.ordinal
                and UNIT_RANGE_JOINER.fullmatch(plan.folded[prev.end:cand.start])):
            out[-1] = prev._replace(end=cand.end, number_end=cand.number_end, value_max=cand.value,
                              raw=plan.folded[prev.start:cand.number_end], infix=cand.infix or prev.infix)
            continue
        out.append(cand)
    return out


def _read_quantity(plan: _Plan, m: "re.Match[str]") -> Optional[Candidate]:
    g, text = plan.g, plan.folded
    pnum, fden, fnum, raw, magnitude, infix_word, form = m.groups()  # QUANTITY_GROUPS, checked by grammar()
    if pnum is not None:
        amount = parse_amount(pnum)
        if amount is None or amount.value == 0:
            return REASON_ZERO
        return Candidate(m.start(), m.end(), m.end(), amount.value, amount.value_max, m.group(),
                         "%", "ratio", form=PERCENT_WORD)
    if fden is not None:
        amount = parse_fraction(fden, fnum)
        if amount is None:
            return REASON_MALFORMED
        return Candidate(m.start(), m.end(), m.end(), amount.value, None, m.group(), "%", "ratio",
                         form=FRACTION_WORD)
    if raw in BARE_POWERS and not text.endswith(g.comparator_words, 0, m.start()):
        return REASON_IDIOM  # 进百家门, 千家万户: a bare 百/千/万 means "many"
    amounts = plan._amounts  # plan.amount(raw), read here without its call (asked for every number)
    amount = amounts[raw] if raw in amounts else plan.amount(raw)
    if amount is None:
        return REASON_MALFORMED
    if amount.value == 0:
        return REASON_ZERO
    info = g.units[form]
    (start, number_end), end = m.span("num"), m.end()
    top = amount.value_max if amount.value_max is not None else amount.value
    if info.max_value is not None and top > info.max_value:
        return REASON_TOO_LARGE  # 2026年: a year, not a span of years
    after = text[end:end + 6]
    if after.startswith(info.not_followed_by):
        return REASON_WORD  # 3个人, 一次性: the unit is part of a longer word
    nxt = after[:1]
    if nxt and nxt == form[-1] and not WEEKDAY.match(text, end):
        return REASON_REDUPLICATION  # 一项项, 一天天: reduplication, not an amount (but 第三周周四)
    before = text[start - 4 if start > 4 else 0:start]  # (a test, not max: asked for every number)
    if before.endswith(info.not_preceded_by):
        return REASON_WORD
    # DISTRIBUTIVE, FORMULA_JOINER and ORDINAL are one character each: compared with the one before
    last = before[-1:]
    if last == DISTRIBUTIVE or last.isascii() and last.isalpha():
        return REASON_DISTRIBUTIVE
    if last == FORMULA_JOINER or nxt == FORMULA_JOINER:
        return REASON_FORMULA
    if g.formula.match(text, number_end):  # (the masked text differs only by MASK, which no word holds)
        return REASON_FORMULA
    if "." in raw and not text[text.rfind("\n", 0, start) + 1:start].strip():
        return REASON_LABEL  # 3.2队伍建设, 15.2025年…: a decimal opening a line is its label
    after_ordinal = last == ORDINAL
    # ($ also matches before a final \n, so 个 is looked for in the last two characters)
    ordinal = after_ordinal or (ORDINAL_BEFORE_END in before[-2:] and ORDINAL_BEFORE.search(before) is not None)
    if after_ordinal:
        start -= len(ORDINAL)  # the quote of 第三周 keeps its 第
    unit = magnitude + info.unit if magnitude else info.unit
    infix = g.infix_comparators.get(infix_word) if infix_word else None
    below_min = info.min_value is not None and amount.value < info.min_value
    # every field by position, without the NamedTuple's Python-level __new__ (one call less for each
    # of the ~500 numbers of a plan; tests/test_commitments.py keeps the field order checked)
    return _new_tuple(Candidate, (start, end, number_end, amount.value, amount.value_max, raw, unit, info.kind,
                                  infix, form, ordinal, below_min, 1.0))


def _read_weekday(plan: _Plan, m: "re.Match[str]", quantity_starts) -> Optional[Candidate]:
    day = m.group("day")
    if m.start("day") in quantity_starts:  # 每周一次: a count, not Monday
        return None
    if ORDINAL_BEFORE.search(plan.folded[max(0, m.start() - 6):m.start()]):  # 第一个星期五
        return None
    value = WEEKDAY_VALUES.get(day) or (int(day) if day.isdigit() else None)
    if value is None:
        return None
    return Candidate(m.start(), m.end(), m.end(), value, None, day, plan.g.week_unit, "weekday",
                     form=m.group())


def _read_bare_ratio(plan: _Plan, m: "re.Match[str]", quantity_starts) -> Optional[Candidate]:
    """占比达到65 with the % sign lost or garbled: a share if nothing else follows the number."""
    start = m.start("num")
    if start in quantity_starts:
        return None
    nxt = plan.folded[m.end():m.end() + 1]
    if nxt and (nxt.isdigit() or nxt in ".:/%比" or nxt.isascii() and nxt.isalpha()):
        return None
    amount = parse_amount(m.group("num"))
    if amount is None or not 0 < amount.value <= 100:
        return None
    return Candidate(start, m.end(), m.end(), amount.value, None, m.group("num"), "%", "ratio",
                     confidence_cap=CONFIDENCE_RATIO_TYPO)


def _drop_inside_period_words(candidates: List[Candidate], period_cues: Sequence[Cue],
                              drops: Optional[List[Tuple[int, int, str]]] = None) -> List[Candidate]:
    """每两周, 一年一度: a number inside a period word that starts before it is part of the word."""
    out = []
    starts, ends = [c.start for c in period_cues], [c.end for c in period_cues]
    for cand in candidates:
        i = bisect_right(starts, cand.start)  # period words start in increasing order, none nests
        if not i or ends[i - 1] < cand.end and (i < 2 or ends[i - 2] < cand.end):  # none of the nearest reaches its end
            out.append(cand)
            continue
        near = period_cues[max(0, i - 2):i]
        if any(c.start <= cand.start and cand.end <= c.end and (c.start < cand.start or c.end > cand.end)
               for c in near):
            if drops is not None:
                drops.append((cand.start, cand.end, REASON_PERIOD_WORD))
            continue
        out.append(cand)
    return out


def _pair_leading_spans(plan: _Plan, candidates: List[Candidate],
                        drops: Optional[List[Tuple[int, int, str]]] = None) -> List[Tuple[Candidate, Optional[str]]]:
    """一周一次, 两周一次, 一月一次: a span right before a count is the count's period.

    Also drops 一X一Y formulas (一人一档, 一日一练) that are no span before a count.
    """
    g = plan.g
    starts = {c.start: c for c in candidates}
    dropped = set()
    lead: Dict[int, Optional[str]] = {}
    for cand in candidates:
        nxt = starts.get(cand.end)
        if nxt is not None and nxt.kind == "frequency" and cand.kind in ("time", "calendar"):
            span_text = plan.folded[cand.start:cand.end]
            period = g.per_units.get(span_text)
            if period is None and cand.value == 1 and cand.value_max is None:
                period = g.per_units.get(cand.form) or g.per_units.get(cand.unit)
            lead[nxt.start] = period
            dropped.add(cand.start)
            if drops is not None:
                drops.append((cand.start, cand.end, REASON_LEADING_SPAN))
            continue
        if cand.raw != "一" or len(cand.form) != 1:
            continue
        follow = plan.folded[cand.end:cand.end + 2]
        if len(follow) == 2 and follow[0] == "一" and follow[1] not in CN_NUMERAL_CHARS and not follow[1].isascii():
            dropped.add(cand.start)
            if drops is not None:
                drops.append((cand.start, cand.end, REASON_FORMULA))
    return [(c, lead.get(c.start)) for c in candidates if c.start not in dropped]


# --- reading the context of one number -----------------------------------------------------


def _commitment(plan: _Plan, cand: Candidate, lead_period: Optional[str],
                previous: Optional[Tuple[Candidate, Commitment]],
                section_index: Optional[Tuple[List[int], List[Optional[Section]]]],
                mentions: Tuple[Sequence[Cue], Sequence[int], Sequence[int]]):
    """The commitment a candidate makes in its context, or the reason (a str) it promises nothing.
    section_index is measures' (boundaries, owners) index of the plan's sections, or None for none;
    mentions the plan's body and practice cues in text order with their starts and their ends."""
    # plan.clause and plan.sentence of the number, read from their memos without the calls when there
    # (over the 31 seed plans: 483 of 483 sentences asked already, by read_cues; 317 of 483 clauses)
    found = plan._clauses.get(cand.start)
    clause_start, clause_end = found if found is not None else plan.clause(cand.start)
    window_start = clause_start  # comparators and quotes reach back no further than the last number
    restating = None  # 不少于24学时（6个半天）: the bracket restates the number before it
    if previous is not None and previous[0].end > clause_start:
        window_start = max(window_start, previous[1].span[1])
        if plan.folded[previous[1].span[1]:cand.start].strip() == PAREN_OPEN \
                and not plan.folded.startswith(SUBSET, cand.start - len(SUBSET)):
            restating = previous[1]  # but （其中2次…) counts a part, with no period of its own
    # a weekday shares its 周 with the period word before it: 每周一
    before = plan.cues_before(clause_start, cand.start + (1 if cand.kind == "weekday" else 0))

    comparator, comparator_cue, after = _comparator(plan, cand, before, window_start)
    after_end = after.end() if after else cand.end
    subset = plan.folded.rfind(SUBSET, window_start, cand.start)  # 其中3次: a part takes no period from before
    period_before = [c for c in before if c.start >= subset + len(SUBSET)] if subset >= 0 else before
    period, period_cue, slash_end = _period(plan, cand, period_before, lead_period, after_end, restating)
    if restating is not None:
        comparator = comparator or restating.comparator
        period = period or restating.period

    has_bound = period is not None or comparator not in (None, "~")
    if cand.needs_bound and comparator is None:
        return REASON_NEEDS_BOUND
    kind, optional = _kind(plan, cand, period, after)
    if isinstance(optional, str):
        return optional
    found = plan._sentences.get(cand.start)
    sentence_start, sentence_end = found if found is not None else plan.sentence(cand.start)
    frame = _frame(plan, cand, clause_start)
    if frame:
        return frame
    if not has_bound and kind != "schedule":
        why = _is_no_promise(plan, cand, clause_start, clause_end, sentence_start)
        if why:
            return why

    start = cand.start
    for cue in (comparator_cue, period_cue):
        if cue is not None and window_start <= cue.start < start:
            start = cue.start
    end = slash_end or after_end
    # measures.innermost_section(sections, cand.start), read from its index (bisection, as it does)
    section = None
    if section_index is not None:
        k = bisect_right(section_index[0], cand.start) - 1
        if k >= 0:
            section = section_index[1][k]
    if optional:
        confidence = CONFIDENCE_BORDERLINE
    else:
        confidence = CONFIDENCE_BOUND if has_bound or comparator is not None else CONFIDENCE_BARE
    # the fields in their order, by position: a class called with keywords binds them through a
    # dict (about 1.5 µs more a commitment); tests/test_commitments.py keeps the order checked
    return Commitment(
        cand.value,  # value
        cand.value_max,  # value_max
        cand.unit,  # unit
        comparator or COMPARATOR_DEFAULT,  # comparator
        period,  # period
        kind,  # kind
        plan.text[start:end],  # quote
        (start, end),  # span
        plan.text[sentence_start:sentence_end].strip(),  # sentence
        section.id if section else None,  # section_id
        section.path if section else None,  # section_path
        _subject(plan, cand, clause_start, sentence_start, clause_end, *mentions),  # subject
        _verb(plan, cand, before, window_start, clause_end),  # verb
        _dated_target(plan, sentence_start, sentence_end),  # deadline
        cand.confidence_cap if cand.confidence_cap < confidence else confidence,  # confidence (the lower)
        optional,  # optional
        cand.raw,  # raw_value
    )


def _comparator(plan: _Plan, cand: Candidate, before: Sequence[Cue], window_start: int):
    """(comparator, the cue word before the number or None, the match after the unit or None):
    a word after the unit (3次以上, 2个工作日内) wins, then 余/多, then a word before the number
    (clause-reach words anywhere after the last number, adjacent ones touching it)."""
    if cand.kind == "weekday":
        return None, None, None
    after = plan.g.after_comparator.match(plan.folded, cand.end)
    if after and cand.kind not in plan.g.after_comparator_kinds.get(after.group(), (cand.kind,)):
        after = None  # 10日前 is "by the 10th"; 3天前 is no bound
    if after:
        return plan.g.after_comparators[after.group()], None, after
    if cand.infix:
        return cand.infix, None, None
    for cue in before:
        if "comparator" not in cue.info.roles or cue.start < window_start:
            continue
        if cue.info.reach == "adjacent" and plan.folded[cue.end:cand.start].strip():
            continue
        return cue.info.comparator, cue, None
    return None, None, None


def _period(plan: _Plan, cand: Candidate, before: Sequence[Cue], lead_period: Optional[str],
            after_end: int, restating: Optional[Commitment]):
    """(period, the period word used or None, end of a slash form or None): a slash after the unit
    (1次/月), a leading span (一周一次), else the nearest period word before the number in its
    clause (a near word such as 年度 only a few characters on and with no 的 between)."""
    g, text = plan.g, plan.folded
    if cand.kind != "weekday" and after_end < len(text) and text[after_end] in SLASHES:
        slash = g.slash_period.match(text, after_end)
        if slash:
            return g.per_units[slash.group("per")], None, slash.end()
    if lead_period is not None:
        return lead_period, None, None
    for cue in before:
        if cue.info.period is None:
            continue
        if "period" not in cue.info.roles:
            gap = text[cue.end:cand.start]
            if len(gap) > NEAR_CUE_GAP or "的" in gap:
                continue
        if text.startswith(g.period_blockers.get(cue.info.period, ()), cue.end):
            continue
        if cue.start and (text[cue.start - 1].isdigit() or text[cue.start - 1] in CN_NUMERAL_CHARS):
            continue  # 2025年度: that year, not every year
        if restating is not None and cue.start < restating.span[1]:
            break  # the bracket's own period only; the outer one is inherited
        return cue.info.period, cue, None
    return None, None, None


def _kind(plan: _Plan, cand: Candidate, period: Optional[str], after):
    """(kind, optional) of a candidate in its context; (None, reason) drops it."""
    text = plan.folded
    if cand.kind == "weekday":
        return "schedule", True
    if cand.ordinal:
        counts_weekdays = text[cand.end:cand.end + 1] in WEEKDAY_VALUES  # 第一个星期五
        if (cand.kind == "calendar" or cand.unit == plan.g.week_unit) and not counts_weekdays:
            return "schedule", True
        return None, REASON_ORDINAL
    if cand.kind in ("frequency", "quantity", "duration", "ratio"):
        return cand.kind, False
    anchored = text.endswith(plan.g.anchors, 0, cand.start) and not text.endswith(plan.g.not_anchors, 0, cand.start)
    within = after is not None and plan.g.after_comparators.get(after.group()) == "<="
    if cand.kind == "time":
        after_end = after.end() if after else cand.end
        finishes = plan.g.completion.match(text, after_end) is not None
        return ("deadline" if anchored or within or finishes else "duration"), False
    # calendar: 4月, 一季度, 每月15日
    if DATE_BEFORE.search(text, max(0, cand.start - 6), cand.start):  # 4月15日, 2026年3月: a date
        if within:
            return "deadline", False  # 3月12日前: by that day
        return None, REASON_DATE
    if anchored or within:
        return "deadline", False
    nxt = plan.g.quantity.match(plan.masked, cand.end)
    if nxt is not None and nxt.group("unit") and plan.g.units[nxt.group("unit")].kind == "calendar":
        return None, REASON_DATE  # 12月20日: a full date promises no amount
    if period is not None and period != "day":
        return "schedule", False  # 每月15日, 每年9月
    if cand.unit in plan.g.per_units and plan.g.per_units[cand.unit] == "day":
        return None, REASON_BARE_DAY  # a bare day of the month (15日) says too little
    return "schedule", True


def _frame(plan: _Plan, cand: Candidate, clause_start: int) -> Optional[str]:
    """The reason a number is part of a name or of the page rather than an amount, bound or not:
    a session number (三届二次, 十四届…三次会议), the size of a page (此处隐藏2345字, (精选5篇))."""
    text, g = plan.folded, plan.g
    reach = cand.start - SESSION_REACH  # (tests, not max: asked for every number)
    if cand.unit in plan.g.units and cand.kind == "frequency" and g.session:
        if g.session_pattern.search(text, reach if reach > clause_start else clause_start, cand.start):
            return REASON_CONGRESS
    reach = cand.start - CHROME_REACH
    if g.chrome_pattern.search(text, reach if reach > clause_start else clause_start, cand.start):
        return REASON_CHROME
    if cand.unit in g.page_units and text[cand.start - 1:cand.start] in tuple(BRACKETS_OPEN) \
            and text[cand.end:cand.end + 1] in tuple(BRACKETS_CLOSE):
        return REASON_CHROME  # (3篇) after a title: how many texts the page holds
    return None


def _indefinite(plan: _Plan, cand: Candidate) -> bool:
    """一个/一项/一种/一次 that is the article "a": after 的 (是…的一项工作), with a describing word
    or an abstract head a few characters on (一项重要工作, 一次大型教育, 搭建一个交流平台, 再上一个
    台阶), or standing alone (成熟一个，发展一个)."""
    if cand.raw != INDEFINITE_ONE or cand.value_max is not None or cand.kind not in ("quantity", "frequency"):
        return False
    text, g = plan.folded, plan.g
    if text.endswith(g.indefinite_before, 0, cand.start):
        return True
    _, clause_end = plan.clause(cand.end)
    if g.indefinite_after_pattern.search(text, cand.end, min(clause_end, cand.end + INDEFINITE_REACH)):
        return True
    nxt = text[cand.end:cand.end + 1]
    return cand.unit == GENERIC_CLASSIFIER and (not nxt or nxt in NO_NOUN_AFTER or CLAUSE_BREAK.match(nxt) is not None)


def _is_no_promise(plan: _Plan, cand: Candidate, clause_start: int, clause_end: int,
                   sentence_start: int) -> Optional[str]:
    """Why a bare count promises nothing, or None: it names a congress (八次少代会), is the article
    "a" (一项重要工作), reports a status (现有党员35名, 下设三个党支部, 已完成2项; also for the rest
    of its sentence: 其中党员38名) unless an obligation or target word comes first (要开设3门), reports
    an honour won (3位党员被评为…) unless a target word leads the sentence (力争), or a framing word
    or copula governs it (围绕…两条主线, 成为一项制度)."""
    if plan.folded.startswith(plan.g.congress, cand.end):
        return REASON_CONGRESS
    if plan.folded.endswith(plan.g.reference, 0, cand.start):
        return REASON_REFERENCE
    _, end = plan.clause(cand.end)
    if plan.g.name_after_pattern.search(plan.folded, cand.end, min(end, cand.end + NAME_REACH)):
        return REASON_NAME
    if _indefinite(plan, cand):
        return REASON_INDEFINITE
    earlier = plan.cues_before(sentence_start, cand.start)
    # the roles the sentence names before the number, read in one loop (not a generator per question)
    achieved = targeted = reported = False
    for c in earlier:
        roles = c.info.roles
        if "achievement" in roles:
            achieved = True
        if "target" in roles:
            targeted = True
        if not reported and not roles.isdisjoint(REPORT_ROLES):
            reported = True
    if not achieved and not targeted:  # an honour won may be named after the number too
        for c in plan.cues_after(cand.end, clause_end):
            if "achievement" in c.info.roles:
                achieved = True
                break
    if achieved and not targeted:
        return REASON_ACHIEVEMENT
    if reported or HAS in plan.folded[sentence_start:cand.start]:
        modal = [Cue(m.start(), m.end(), plan.g.modal_info[m.group()])
                 for m in plan.g.modal.finditer(plan.folded, sentence_start, cand.start)]
        earlier = sorted(earlier + [c for c in modal if "neutral" not in c.info.roles], key=lambda c: -c.start)
    past = next((c for c in earlier if "past" in c.info.roles), None)
    if past is not None and not any(not c.info.roles.isdisjoint(DUTY_ROLES) for c in earlier if c.start > past.start):
        return REASON_PAST + plan.text[past.start:past.end]
    written = cand.value_max is not None  # 围绕1-2个主题: a range is chosen, never a formula
    for k, cue in enumerate(earlier):
        roles = cue.info.roles
        if "has" in roles and (cue.start < clause_start or cand.start - cue.end > HAS_REACH) \
                and plan.folded.find(SUBSET, cue.end, cand.start) < 0:
            continue  # 有侧重地…: 有 far from the count reports nothing (but 有…86人，其中党员32名 does)
        if not roles.isdisjoint(STATE_ROLES):
            if any(not c.info.roles.isdisjoint(DUTY_ROLES) for c in earlier[k + 1:]):
                return None  # 要开设3门课程
            return REASON_STATUS + plan.text[cue.start:cue.end]
        if not roles.isdisjoint(PROMISE_ROLES):
            if any("status" in c.info.roles and c.end == cue.start for c in earlier[k + 1:k + 2]):
                return REASON_STATUS + plan.text[earlier[k + 1].start:cue.end]  # 已召开, 曾开展
            return None
        if cue.start >= clause_start and "framing" in roles and not written:
            return REASON_FRAMING + plan.text[cue.start:cue.end]
        if "copula" in roles and cand.kind == "quantity" and cand.start - cue.end <= COPULA_REACH:
            return REASON_COPULA + plan.text[cue.start:cue.end]
    return None


def _verb(plan: _Plan, cand: Candidate, before: Sequence[Cue], window_start: int, clause_end: int) -> Optional[str]:
    """The action promised: a completion verb right after the span (2小时响应), else the nearest
    action word before the number in its clause, else the first after it."""
    finish = plan.g.completion.match(plan.folded, cand.end)
    if finish:
        return plan.text[finish.start():finish.end()]
    for cue in before:
        if cue.start < window_start:
            break
        if not cue.info.roles.isdisjoint(VERB_ROLES):
            return plan.text[cue.start:cue.end]
    for cue in plan.cues_after(cand.end, clause_end):
        if not cue.info.roles.isdisjoint(VERB_ROLES):
            return plan.text[cue.start:cue.end]
    for cue in before:
        if not cue.info.roles.isdisjoint(VERB_ROLES):
            return plan.text[cue.start:cue.end]
    return None


def _subject(plan: _Plan, cand: Candidate, clause_start: int, sentence_start: int, clause_end: int,
             mentions: Sequence[Cue], starts: Sequence[int], ends: Sequence[int]) -> Optional[str]:
    """The body or practice the clause names: the nearest body before the number, a practice in the
    clause, else the first one the sentence names before the number. `starts` and `ends` are the
    mentions' offsets: mentions are apart and in text order, so both rise and the mentions lying
    wholly in a stretch are one run of them, found by bisection."""
    name = _mention_name
    in_clause = mentions[bisect_left(starts, clause_start):bisect_right(ends, clause_end)]
    for cue in reversed(in_clause):
        if cue.end <= cand.start and "body" in cue.info.roles and not _is_object(plan, cue):
            return name(plan, cue)
    for cue in in_clause:
        if "practice" in cue.info.roles:
            return name(plan, cue)
    # the first mention from the sentence's start on, if it ends before the number (a later one ends later)
    k = bisect_left(starts, sentence_start)
    if k < len(ends) and ends[k] <= cand.start:
        return name(plan, mentions[k])
    return None


def _mention_name(plan: _Plan, cue: Cue) -> str:
    """How a subject is named: a body as written, a practice by its canonical name."""
    if "body" in cue.info.roles or cue.info.practice is None:
        return plan.text[cue.start:cue.end]
    return cue.info.practice


def _is_object(plan: _Plan, cue: Cue) -> bool:
    """A body right after a preposition (向党组织汇报) is the object, not the subject."""
    return plan.folded.endswith(plan.g.prepositions, 0, cue.start)


def _dated_target_spans(text: str) -> List[Tuple[int, int]]:
    """The spans of `DATED_TARGET.finditer(text)`, the pattern tried only just before each end
    of a target (DATED_TARGET_END). A target's end is the end of the end found in it (they share
    their tail), so searching up to there finds it and nothing that reaches further; no target
    begins inside another's end, so an end inside the last target found is passed over."""
    spans: List[Tuple[int, int]] = []
    pos, match_end = 0, DATED_TARGET_END.match
    # an end opens with its 年 or 月 and holds no other: each of them found by str.find is tried
    # (the ends finditer finds; a search for the class steps through every character)
    for at in char_positions(text, DATED_TARGET_MARKS):
        if at < pos:
            continue
        end = match_end(text, at)
        if end is None:
            continue
        reach = at - DATED_TARGET_REACH
        m = DATED_TARGET.search(text, reach if reach > pos else pos, end.end())
        if m is not None:
            spans.append((m.start(), m.end()))
            pos = m.end()
    return spans


def _dated_target(plan: _Plan, sentence_start: int, sentence_end: int) -> Optional[str]:
    """The first dated target (到2026年底) the sentence names, as written."""
    starts, spans = plan.dated_targets()
    k = bisect_left(starts, sentence_start)
    if k < len(spans) and spans[k][1] <= sentence_end:
        return plan.text[spans[k][0]:spans[k][1]]
    return None
