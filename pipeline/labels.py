"""Numbering labels of Chinese plan headings: 一、 （一） 1. 1、 （1） ① 第一章 1.1 ….

Reads a string and a position; returns a Label (style, number, extent) or None.
Full- and half-width forms are one label: matching runs on width-folded text.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from .numbers import chinese_numeral_value
from .records import record
from .textutil import fold

CN_NUMERAL = "零〇一二两三四五六七八九十百"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_PAREN_DIGIT = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
_PAREN_CN = "㈠㈡㈢㈣㈤㈥㈦㈧㈨㈩"
_STEMS = "甲乙丙丁戊己庚辛壬癸"  # Word's ideographTraditional numbering
_CN = "[一二三四五六七八九十]"

# Canonical outer-to-inner rank of the styles (GB/T 9704 order); a plan may skip or reorder.
STYLE_RANK = {"第章": 0, "第节": 1, "第部分": 0, "第篇": 0, "第阶段": 4, "word": 2, "cn": 2, "pcn": 3, "ar": 4,
              "ar2": 5, "ar3": 6, "par": 7, "circ": 8, "stem": 8, "第条": 9, "lost": 10}

# A decimal number is followed by a unit; "1.2 目标" (a numbered heading) is not.
_UNIT_START = "[万亿元倍个次名人天年月日号项条小学分课周季千百米吨公岁场期堂节位篇份件门]"

# Order matters: the first pattern that matches wins.
_PATTERNS = (
    ("di", re.compile(r"第\s*([一二三四五六七八九十百零〇两\d]{1,4})\s*(章|节|条|部分|篇|阶段)[、.:：\s]*")),
    # "(-)": OCR reads the stroke of （一） as a hyphen or a dash
    ("pcn", re.compile(r"[(]\s*(" + _CN + r"{1,3}|[-—－])\s*[)][、.:]?\s*")),
    ("pcn1", re.compile(r"([" + _PAREN_CN + r"])[、.]?\s*")),
    ("cn", re.compile(r"(" + _CN + r"{1,3})\s*[、.](?!\d(?!\d{3}\s*年))\s*")),
    ("par", re.compile(r"[(]\s*(\d{1,2})\s*[)][、.]?\s*")),
    ("par1", re.compile(r"([" + _PAREN_DIGIT + r"])[、.]?\s*")),
    ("ar3", re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{1,2})(?![\d.%])(?!" + _UNIT_START + r")\s*")),
    ("ar2", re.compile(r"(\d{1,2})\.(\d{1,2})(?![\d.%])(?!" + _UNIT_START + r")\s*")),
    # "1.3月…" is item 1 about March: no decimal reads as a month or a day
    ("ar", re.compile(r"(\d{1,2})\s*(?:[、.](?![.%])(?!\d(?!\d?\s*(?:月|日|号)|\d{3}\s*年))|[)](?![\d]))\s*")),
    ("circ", re.compile(r"([" + _CIRCLED + r"])[、.]?\s*")),
    ("stem", re.compile(r"([" + _STEMS + r"])[、.]\s*")),
)


# Extended forms, read where a decoder weighs them against the sequence (see parse_label):
# "任务一：" "专题二" — a word and a numeral opening a numbered part;
_LABEL_WORDS = ("任务", "专题", "模块", "板块", "活动", "项目", "措施", "举措", "环节", "步骤", "单元")
_WORD_LABEL = re.compile(r"(" + "|".join(_LABEL_WORDS) + r")\s*([一二三四五六七八九十]{1,3}|\d{1,2})"
                         r"\s*(?:[、.:：]\s*|\s+|(?=[\u4e00-\u9fff“《]))")
# "1组织集中学习": a bare number running straight into its title (not "3月" "5项" "2026年");
_BARE = re.compile(r"(\d{1,2}|[一二三四五六七八九十]{1,2})(?=[\u4e00-\u9fff])")
_BARE_UNIT_AFTER = re.compile(_UNIT_START + "|[至到—-]")  # "3月" "5项" "2至3": a count or a range, no label
# after a bare Chinese numeral these make a word (一年来, 三会一课, 一是, 一些), not a title
_BARE_CN_NOT = "年月日个次名人天是些直定起方线批系项条会课带岗级届支道同切样般致律心体"
# "?、" "? ." ". 严守…": a label whose digits encoding damage or a stripped template ate.
_LOST = re.compile(r"(?:[?\ufffd]{1,2}\s*[、.]?|\.(?=\s))\s*(?=[\u4e00-\u9fff“《])")
def _first_chars(kind: str) -> str:
    """The characters a label of pattern `kind` can start with (patterns are tried only there)."""
    return {"di": "第", "pcn": "(", "par": "(", "pcn1": _PAREN_CN, "par1": _PAREN_DIGIT, "cn": "一二三四五六七八九十",
            "ar3": "0123456789", "ar2": "0123456789", "ar": "0123456789", "circ": _CIRCLED, "stem": _STEMS}[kind]


def _by_first() -> dict:
    """For each character a label may start with: one alternation of the patterns tried there, in
    _PATTERNS order (so the first pattern that matches wins, as trying them one by one), each pattern
    a group of its own, and by the index of that group its kind and the offset of its own groups."""
    kinds: dict = {}
    for kind, pattern in _PATTERNS:
        for ch in _first_chars(kind):
            kinds.setdefault(ch, []).append((kind, pattern))
    out = {}
    for ch, patterns in kinds.items():
        branches, parts, index = {}, [], 1
        for kind, pattern in patterns:
            branches[index] = (kind, index)
            parts.append("(" + pattern.pattern + ")")
            index += pattern.groups + 1
        out[ch] = (re.compile("|".join(parts)), branches)
    return out


_PATTERNS_BY_FIRST = _by_first()

# Every character but a decimal digit that may open a label: the standard patterns' first characters,
# the spaced and bare numerals, the word labels' words, the lost labels' "?" and ".".
_OPENERS = frozenset(_PATTERNS_BY_FIRST) | frozenset("一二三四五六七八九十?\ufffd.") | {w[0] for w in _LABEL_WORDS}


def may_start_label(ch: str) -> bool:
    """False when no label, standard or extended, can start with `ch` (a character of folded text):
    a cheap test before `label_at` or `parse_label`.

    >>> may_start_label("（"), may_start_label("("), may_start_label("任"), may_start_label("加")
    (False, True, True, False)
    """
    return ch in _OPENERS or ch.isdecimal()  # \d in the patterns is any decimal digit


_SPACED = re.compile(r"([一二三四五六七八九十]{1,3}|\d{1,2}) +(?=[\u4e00-\u9fff])")
_SPACED_MAX = 30
_YEAR_AFTER = re.compile(r"(?:19|20)\d\d\s*年")
_CALENDAR_AFTER = re.compile(r"\d{1,2}\s*(?:月|日|号)")
# the label kinds after which a title may open with a year
_YEAR_TITLE_KINDS = frozenset(("pcn", "pcn1", "par", "par1", "cn", "circ", "di", "ar"))


def _short_heading_line(folded: str) -> bool:
    line = folded.split("\n", 1)[0]
    return len(line) <= _SPACED_MAX and not any(c in line for c in "。；;！？!?，,")


@record
class Label:
    """A numbering label found in a line: its style, number and extent."""

    style: str  # cn pcn ar ar2 ar3 par circ 第章 第节 第条 …
    number: int
    start: int
    end: int  # end of the label including trailing spaces/punctuation
    text: str  # the label as written (stripped)
    prefix: tuple = ()  # the leading numbers of a decimal label: (2, 1) for "2.1.3"
    form: str = ""  # "" for the GB/T forms; "word", "bare" or "lost" for the extended ones


@lru_cache(maxsize=1024)
def cn_to_int(numeral: str) -> Optional[int]:
    """Value of a label's numeral, Chinese or Arabic; None when it is not a well-formed numeral.

    >>> cn_to_int("十二"), cn_to_int("二十"), cn_to_int("一百二十"), cn_to_int("7"), cn_to_int("三五")
    (12, 20, 120, 7, None)
    """
    if numeral.isdigit():
        return int(numeral)
    return chinese_numeral_value(numeral)


@lru_cache(maxsize=8192)  # the stages ask about the same lines again and again; Labels are frozen
def parse_label(text: str, pos: int = 0, folded: Optional[str] = None, extended: bool = False) -> Optional[Label]:
    """The numbering label starting exactly at `text[pos]`, or None.

    A label must be followed by heading text (not a digit, %, or nothing but
    punctuation), so "1.5万", "12.5%", "2026年" and "、" are not labels.
    With `extended`, the forms that only a sequence makes labels are read too
    (Label.form says which): word labels "任务一：", bare numbers running into
    their title "1组织学习", and labels whose digits were lost ("?、", ". ").

    >>> parse_label("（二）支部委员会").style, parse_label("３．议题").number
    ('pcn', 3)
    >>> parse_label("1.5万元") is None, parse_label("2026年") is None
    (True, True)
    >>> parse_label("任务二：建强阵地", extended=True).number, parse_label("2组织学习", extended=True).form
    (2, 'bare')
    """
    # label_at's body, not a call of it: a cache miss is one frame shallower
    f = folded if folded is not None else fold(text)
    found = _parse_standard(text, pos, f)
    if found is not None or not extended:
        return found
    return _parse_extended(text, pos, f)


def label_at(text: str, pos: int, folded: str, extended: bool = False) -> Optional[Label]:
    """`parse_label` without its cache, for a caller that asks about each position of a line once
    and has the line's folded text (`fold(text)`) at hand: same result, no cache entry.

    >>> label_at("（二）支部委员会", 0, fold("（二）支部委员会")) == parse_label("（二）支部委员会")
    True
    """
    found = _parse_standard(text, pos, folded)
    if found is not None or not extended:
        return found
    return _parse_extended(text, pos, folded)


def extended_label_at(text: str, pos: int, folded: str) -> Optional[Label]:
    """The extended label (word, bare or lost: see parse_label) starting exactly at `text[pos]`, or None;
    for a caller that already knows no standard label stands there (`label_at` would read that again).

    >>> extended_label_at("任务二：建强阵地", 0, fold("任务二：建强阵地")).form
    'word'
    """
    return _parse_extended(text, pos, folded)


# The characters each extended form can start with (its pattern is tried only there).
_WORD_FIRST = frozenset(w[0] for w in _LABEL_WORDS)
_BARE_CN_FIRST = frozenset("一二三四五六七八九十")
_LOST_FIRST = frozenset("?\ufffd.")


def _parse_extended(text: str, pos: int, f: str) -> Optional[Label]:
    # Labels are made with prefix and form by position: a record called with keywords costs more
    if pos >= len(f):
        return None
    ch = f[pos]
    m = _WORD_LABEL.match(f, pos) if ch in _WORD_FIRST else None
    if m:
        number = cn_to_int(m.group(2))
        if number and f[m.end():m.end() + 1] not in ("", "%", ")", "是"):
            return Label("word", number, pos, m.end(), text[pos:m.end()].strip(), (), "word")
        return None
    m = _BARE.match(f, pos) if ch in _BARE_CN_FIRST or ch.isdecimal() else None  # \d: any decimal digit
    if m:
        after = f[m.end():m.end() + 1]
        if _BARE_UNIT_AFTER.match(after) or (pos and (f[pos - 1].isdigit() or f[pos - 1] in CN_NUMERAL)):
            return None
        if m.group(1).isdigit():
            return Label("ar", int(m.group(1)), pos, m.end(), text[pos:m.end()].strip(), (), "bare")
        number = cn_to_int(m.group(1))
        if pos != 0 or not number or after in _BARE_CN_NOT or f[m.end():m.end() + 1] in CN_NUMERAL:
            return None
        return Label("cn", number, pos, m.end(), text[pos:m.end()].strip(), (), "bare")
    m = _LOST.match(f, pos) if ch in _LOST_FIRST else None
    if m and (pos == 0 or f[pos - 1] in " \t。；;！？!?"):
        return Label("lost", 0, pos, m.end(), text[pos:m.end()].strip(), (), "lost")
    return None


_SPACED_FIRST = "一二三四五六七八九十"  # the spaced form's numerals (or a decimal digit)


def _parse_standard(text: str, pos: int, f: str) -> Optional[Label]:
    # the spaced form's numeral is at most three characters long: a space stands within the first four
    if pos == 0 and " " in f[1:4] and (f[0] in _SPACED_FIRST or f[0].isdecimal()):
        spaced = _SPACED.match(f)
        if spaced and _short_heading_line(f):
            # "一 指导思想", "2 工作目标": the label's punctuation became a space
            kind = "cn" if not spaced.group(1).isdigit() else "ar"
            number = cn_to_int(spaced.group(1))
            return Label(kind, number, pos, spaced.end(), text[pos:spaced.end()].strip()) if number else None
    if pos >= len(f):
        return None
    patterns = _PATTERNS_BY_FIRST.get(f[pos])
    if patterns is None:
        return None
    pattern, branches = patterns
    m = pattern.match(f, pos)
    if m is None:
        return None
    kind, g = branches[m.lastindex]  # the pattern that matched, its groups from g + 1
    # the label's style and number as that pattern reads them
    first = m.group(g + 1)
    if kind == "ar":
        style, number = "par" if ")" in m.group(0) else "ar", int(first)  # "3)": its only ")" closes the label
    elif kind == "cn" or kind == "pcn":
        style, number = kind, 1 if first in "-—－" else cn_to_int(first)
    elif kind == "par":
        style, number = "par", int(first)
    elif kind == "di":
        style, number = "第" + m.group(g + 2), cn_to_int(first)
    elif kind == "ar2":
        style, number = "ar2", int(m.group(g + 2))
    elif kind == "ar3":
        style, number = "ar3", int(m.group(g + 3))
    elif kind == "pcn1":
        style, number = "pcn", _PAREN_CN.index(first) + 1
    elif kind == "par1":
        style, number = "par", _PAREN_DIGIT.index(first) + 1
    elif kind == "circ":
        style, number = "circ", _CIRCLED.index(first) + 1
    else:
        style, number = "stem", _STEMS.index(first) + 1
    if number is None or number <= 0:
        return None
    end = m.end()
    rest = f[end:end + 1]
    # a digit may open the title after a bracketed or Chinese label ("（一）2025年全国两会精神")
    if rest and (rest in "%、,，。.;；)）" or
                 (rest.isdigit() and not _CALENDAR_AFTER.match(f, end) and
                  not (kind in _YEAR_TITLE_KINDS and _YEAR_AFTER.match(f, end)))):
        return None
    prefix = ()
    if kind == "ar2":
        prefix = (int(m.group(g + 1)),)
    elif kind == "ar3":
        prefix = (int(m.group(g + 1)), int(m.group(g + 2)))
    return Label(style, number, pos, end, text[pos:end].strip(), prefix)


def starts_with_label(text: str) -> bool:
    """True when the stripped `text` opens with a numbering label."""
    return parse_label(text.lstrip()) is not None
