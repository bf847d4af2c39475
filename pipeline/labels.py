"""Numbering labels of Chinese plan headings: 一、 （一） 1. 1、 （1） ① 第一章 1.1 ….

Reads a string and a position; returns a Label (style, number, extent) or None.
Full- and half-width forms are one label: matching runs on width-folded text.
"""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass
from typing import Optional

from .numbers import chinese_numeral_value
from .textutil import fold

CN_NUMERAL = "零〇一二两三四五六七八九十百"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_PAREN_DIGIT = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
_PAREN_CN = "㈠㈡㈢㈣㈤㈥㈦㈧㈨㈩"
_STEMS = "甲乙丙丁戊己庚辛壬癸"  # Word's ideographTraditional numbering
_CN = "[一二三四五六七八九十]"

# Canonical outer-to-inner rank of the styles (GB/T 9704 order); a plan may skip or reorder.
STYLE_RANK = {"第章": 0, "第节": 1, "第部分": 0, "第篇": 0, "第阶段": 4, "cn": 2, "pcn": 3, "ar": 4, "ar2": 5,
              "ar3": 6, "par": 7, "circ": 8, "stem": 8, "第条": 9}

# A decimal number is followed by a unit; "1.2 目标" (a numbered heading) is not.
_UNIT_START = "[万亿元倍个次名人天年月日号项条小学分课周季千百米吨公岁场期堂节位篇份件门]"

# Order matters: the first pattern that matches wins.
_PATTERNS = (
    ("di", re.compile(r"第\s*([一二三四五六七八九十百零〇两\d]{1,4})\s*(章|节|条|部分|篇|阶段)[、.:：\s]*")),
    ("pcn", re.compile(r"[(]\s*(" + _CN + r"{1,3})\s*[)][、.:]?\s*")),
    ("pcn1", re.compile(r"([" + _PAREN_CN + r"])[、.]?\s*")),
    ("cn", re.compile(r"(" + _CN + r"{1,3})\s*[、.](?![\d])\s*")),
    ("par", re.compile(r"[(]\s*(\d{1,2})\s*[)][、.]?\s*")),
    ("par1", re.compile(r"([" + _PAREN_DIGIT + r"])[、.]?\s*")),
    ("ar3", re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{1,2})(?![\d.%])(?!" + _UNIT_START + r")\s*")),
    ("ar2", re.compile(r"(\d{1,2})\.(\d{1,2})(?![\d.%])(?!" + _UNIT_START + r")\s*")),
    # "1.3月…" is item 1 about March: no decimal reads as a month or a day
    ("ar", re.compile(r"(\d{1,2})\s*(?:[、.](?![.%])(?!\d(?!\d?\s*(?:月|日|号)))|[)](?![\d]))\s*")),
    ("circ", re.compile(r"([" + _CIRCLED + r"])[、.]?\s*")),
    ("stem", re.compile(r"([" + _STEMS + r"])[、.]\s*")),
)


_SPACED = re.compile(r"([一二三四五六七八九十]{1,3}|\d{1,2}) +(?=[\u4e00-\u9fff])")
_SPACED_MAX = 30
_CALENDAR_AFTER = re.compile(r"\d{1,2}\s*(?:月|日|号)")


def _short_heading_line(folded: str) -> bool:
    line = folded.split("\n", 1)[0]
    return len(line) <= _SPACED_MAX and not any(c in line for c in "。；;！？!?，,")


@dataclass(frozen=True)
class Label:
    """A numbering label found in a line: its style, number and extent."""

    style: str  # cn pcn ar ar2 ar3 par circ 第章 第节 第条 …
    number: int
    start: int
    end: int  # end of the label including trailing spaces/punctuation
    text: str  # the label as written (stripped)


def cn_to_int(numeral: str) -> Optional[int]:
    """Value of a label's numeral, Chinese or Arabic; None when it is not a well-formed numeral.

    >>> cn_to_int("十二"), cn_to_int("二十"), cn_to_int("一百二十"), cn_to_int("7"), cn_to_int("三五")
    (12, 20, 120, 7, None)
    """
    if numeral.isdigit():
        return int(numeral)
    return chinese_numeral_value(numeral)


@lru_cache(maxsize=8192)  # the stages ask about the same lines again and again; Labels are frozen
def parse_label(text: str, pos: int = 0, folded: Optional[str] = None) -> Optional[Label]:
    """The numbering label starting exactly at `text[pos]`, or None.

    A label must be followed by heading text (not a digit, %, or nothing but
    punctuation), so "1.5万", "12.5%", "2026年" and "、" are not labels.

    >>> parse_label("（二）支部委员会").style, parse_label("３．议题").number
    ('pcn', 3)
    >>> parse_label("1.5万元") is None, parse_label("2026年") is None
    (True, True)
    """
    f = folded if folded is not None else fold(text)
    spaced = _SPACED.match(f, pos)
    if spaced and pos == 0 and _short_heading_line(f):
        # "一 指导思想", "2 工作目标": the label's punctuation became a space
        kind = "cn" if not spaced.group(1).isdigit() else "ar"
        number = cn_to_int(spaced.group(1))
        return Label(kind, number, pos, spaced.end(), text[pos:spaced.end()].strip()) if number else None
    for kind, pattern in _PATTERNS:
        m = pattern.match(f, pos)
        if not m:
            continue
        style, number = _style_and_number(kind, m)
        if number is None or number <= 0:
            return None
        rest = f[m.end():m.end() + 1]
        if rest and (rest in "%、,，。.;；)）" or (rest.isdigit() and not _CALENDAR_AFTER.match(f, m.end()))):
            return None
        return Label(style, number, pos, m.end(), text[pos:m.end()].strip())
    return None


def _style_and_number(kind: str, m: "re.Match[str]"):
    if kind == "di":
        return "第" + m.group(2), cn_to_int(m.group(1))
    if kind == "pcn1":
        return "pcn", _PAREN_CN.index(m.group(1)) + 1
    if kind == "par1":
        return "par", _PAREN_DIGIT.index(m.group(1)) + 1
    if kind == "circ":
        return "circ", _CIRCLED.index(m.group(1)) + 1
    if kind == "stem":
        return "stem", _STEMS.index(m.group(1)) + 1
    if kind in ("cn", "pcn"):
        return kind, cn_to_int(m.group(1))
    if kind == "ar3":
        return "ar3", int(m.group(3))
    if kind == "ar2":
        return "ar2", int(m.group(2))
    if kind == "ar" and m.group(0).rstrip().endswith(")"):
        return "par", int(m.group(1))
    return kind, int(m.group(1))


def starts_with_label(text: str) -> bool:
    """True when the stripped `text` opens with a numbering label."""
    return parse_label(text.lstrip()) is not None
