"""Numbers as Chinese plans write them: Arabic, full-width, Chinese numerals, decimals, ranges, percentages.

Reads a numeral token (what `AMOUNT_PATTERN` matches); returns an Amount with the exact value
(int or Decimal), the upper end of a range, and the token as written. Approximation words
(余 多 左右 约) and comparators are words around a number: see lexicons/comparators.tsv.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Optional

from .model import Number
from .records import record

# --- grammar: character classes and the shapes of a numeral --------------------------

CN_DIGIT_VALUES = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
                   "六": 6, "七": 7, "八": 8, "九": 9}
CN_POWER_VALUES = {"十": 10, "百": 100, "千": 1000}
CN_MYRIAD = "万"
CN_NUMERAL_CHARS = "".join(CN_DIGIT_VALUES) + "".join(CN_POWER_VALUES) + CN_MYRIAD
PERCENT_WORD = "百分之"  # 百分之六十五 = 65%
PERCENT_SIGNS = "%％"
FRACTION_WORD = "分之"  # 三分之二 = 2/3, read as a share in percent
FRACTION_PLACES = Decimal("0.001")

_FULL_WIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")

ARABIC_PATTERN = r"(?<![0-9０-９.．])[0-9０-９]+(?:[.．][0-9０-９]+)?"
CHINESE_PATTERN = "(?<![" + CN_NUMERAL_CHARS + "])[" + CN_NUMERAL_CHARS + "]+"
RANGE_SEPARATORS = "-－—–~～〜至到"
_RANGE_SEP = "[" + re.escape(RANGE_SEPARATORS) + "]"
# Two adjacent small numerals read as a range: 一两次 = 1-2, 三五天 = 3-5.
CN_PAIRS = ("一两", "两三", "三四", "三五", "四五", "五六", "六七", "七八", "八九")
PAIR_PATTERN = "(?<![" + CN_NUMERAL_CHARS + "])(?:" + "|".join(CN_PAIRS) + ")"

# 一、二个 = 1-2: an enumeration comma joins two consecutive Chinese digits into a range.
LIST_RANGE_SEPARATOR = "、"
_LIST_RANGE = "[" + "".join(CN_DIGIT_VALUES) + "]" + LIST_RANGE_SEPARATOR + "[" + "".join(CN_DIGIT_VALUES) + "]"

# One numeral token: a range, a pair, or a single number, Arabic or Chinese.
AMOUNT_PATTERN = (
    "(?:" + ARABIC_PATTERN + r"\s?" + _RANGE_SEP + r"\s?[0-9０-９]+(?:[.．][0-9０-９]+)?"
    + "|" + CHINESE_PATTERN + _RANGE_SEP + "[" + CN_NUMERAL_CHARS + "]+"
    + "|(?<![" + CN_NUMERAL_CHARS + "])" + _LIST_RANGE
    + "|" + PAIR_PATTERN
    + "|" + ARABIC_PATTERN
    + "|" + CHINESE_PATTERN + ")"
)
# The characters a numeral token (and so every match of AMOUNT_PATTERN) starts with, and, right
# after one of them, whether it opens a token there: not inside a numeral of its own kind (the
# lookbehinds of ARABIC_PATTERN and CHINESE_PATTERN), so that a run of numerals is tried once.
NUMERAL_START = "[0-9０-９" + CN_NUMERAL_CHARS + "]"
NUMERAL_OPENS = ("(?:(?<=[" + CN_NUMERAL_CHARS + "])(?<![" + CN_NUMERAL_CHARS + "].)"
                 "|(?<=[0-9０-９])(?<![0-9０-９.．].))")
_RANGE_SPLIT = re.compile(r"\s?" + _RANGE_SEP + r"\s?")
_ARABIC_FULL = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")


@record
class Amount:
    """A parsed numeral: value, upper end of a range (None if single), the token as written."""

    value: Number
    value_max: Optional[Number]
    raw: str
    percent: bool = False  # written as 65% or 百分之六十五


def chinese_numeral_value(numeral: str) -> Optional[int]:
    """Value of a well-formed Chinese numeral, None for anything else.

    Accepts 零 inside, 两 for 2, a leading 十 (十二 = 12), and 万 groups; rejects
    strings of bare digits (一二, 三五) and powers out of order (十百).

    >>> chinese_numeral_value("十二"), chinese_numeral_value("二十"), chinese_numeral_value("一百二十")
    (12, 20, 120)
    >>> chinese_numeral_value("两"), chinese_numeral_value("一百零五"), chinese_numeral_value("三万五千")
    (2, 105, 35000)
    >>> chinese_numeral_value("三五") is None, chinese_numeral_value("十百") is None, chinese_numeral_value("") is None
    (True, True, True)
    """
    if not numeral:
        return None
    if CN_MYRIAD in numeral:
        high, _, low = numeral.partition(CN_MYRIAD)
        if not high:
            return None
        high_value = _below_myriad(high)
        low_value = _below_myriad(low) if low else 0
        if high_value is None or low_value is None or CN_MYRIAD in low:
            return None
        return high_value * 10000 + low_value
    return _below_myriad(numeral)


def _below_myriad(numeral: str) -> Optional[int]:
    """Value of a Chinese numeral below 10000 (no 万), None if malformed."""
    total = 0
    digit: Optional[int] = None
    last_power = 10000
    zero_seen = False
    for i, ch in enumerate(numeral):
        if ch in CN_DIGIT_VALUES:
            if digit is not None:  # two digits in a row: only 零 may precede a digit
                if digit != 0:
                    return None
            value = CN_DIGIT_VALUES[ch]
            if value == 0:
                zero_seen = True
            digit = value
        elif ch in CN_POWER_VALUES:
            power = CN_POWER_VALUES[ch]
            if power >= last_power:
                return None
            if digit is None:
                if i != 0:  # a bare power only opens the numeral (十二, 百)
                    return None
                digit = 1
            if digit == 0:
                return None
            total += digit * power
            last_power = power
            digit = None
            zero_seen = False
        else:
            return None
    if digit is not None:
        # a trailing digit counts units only after 十, after 零, or alone
        if last_power not in (10, 10000) and not zero_seen:
            return None
        total += digit
    return total


def arabic_value(token: str) -> Optional[Number]:
    """int or Decimal of an Arabic numeral, full-width digits allowed; None otherwise.

    >>> arabic_value("24"), arabic_value("１２"), arabic_value("12.5")
    (24, 12, Decimal('12.5'))
    """
    folded = token.translate(_FULL_WIDTH)
    if not re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", folded):
        return None
    if "." in folded:
        try:
            return Decimal(folded)
        except InvalidOperation:  # pragma: no cover - the pattern rules it out
            return None
    return int(folded)


def number_value(token: str) -> Optional[Number]:
    """Value of one number, Arabic or Chinese; None if `token` is not one.

    >>> number_value("６５"), number_value("十五"), number_value("1.5"), number_value("几")
    (65, 15, Decimal('1.5'), None)
    """
    if not token:
        return None
    if token[0] in CN_NUMERAL_CHARS:
        return chinese_numeral_value(token)
    return arabic_value(token)


def parse_amount(token: str) -> Optional[Amount]:
    """Amount of a numeral token: a number, a range, a pair, or a percentage; None if malformed.

    Ranges must rise and may not look like dates (2026-01, 01-29).

    >>> parse_amount("1-2")
    Amount(value=1, value_max=2, raw='1-2', percent=False)
    >>> parse_amount("三到五").value_max, parse_amount("一两").value_max, parse_amount("1～2").value
    (5, 2, 1)
    >>> parse_amount("一、二").value_max, parse_amount("一、三") is None
    (2, True)
    >>> parse_amount("65%").percent, parse_amount("百分之六十五").value
    (True, 65)
    >>> parse_amount("2026-01") is None, parse_amount("5-3") is None
    (True, True)
    """
    raw = token
    body = token.strip()
    percent = False
    if body.startswith(PERCENT_WORD):
        body, percent = body[len(PERCENT_WORD):], True
    elif body and body[-1] in PERCENT_SIGNS:
        body, percent = body[:-1], True
    if not body:
        return None
    if body.isascii() and body.isdigit():  # the common forms first: 24, 三
        return Amount(int(body), None, raw, percent)
    if len(body) == 1 and body in CN_DIGIT_VALUES:
        return Amount(CN_DIGIT_VALUES[body], None, raw, percent)
    if body in CN_PAIRS:
        return Amount(CN_DIGIT_VALUES[body[0]], CN_DIGIT_VALUES[body[1]], raw, percent)
    if len(body) == 3 and body[1] == LIST_RANGE_SEPARATOR:
        low, high = CN_DIGIT_VALUES.get(body[0]), CN_DIGIT_VALUES.get(body[2])
        if low is None or high != low + 1 or low == 0:
            return None
        return Amount(low, high, raw, percent)
    parts = _RANGE_SPLIT.split(body)
    if len(parts) == 2:
        if any(_looks_like_date_part(p) for p in parts):
            return None
        low, high = number_value(parts[0]), number_value(parts[1])
        if low is None or high is None or not low < high:
            return None
        return Amount(low, high, raw, percent)
    if len(parts) != 1:
        return None
    value = number_value(body)
    if value is None:
        return None
    return Amount(value, None, raw, percent)


def parse_fraction(denominator: str, numerator: str) -> Optional[Amount]:
    """Share in percent of a Chinese fraction `<denominator>分之<numerator>`, to three places;
    None unless 0 < numerator <= denominator.

    >>> parse_fraction("三", "二").value, parse_fraction("四", "一").value
    (Decimal('66.667'), 25)
    >>> parse_fraction("百", "六十五").value, parse_fraction("二", "三") is None
    (65, True)
    """
    low, high = chinese_numeral_value(numerator), chinese_numeral_value(denominator)
    if low is None or high is None or not 0 < low <= high:
        return None
    share = (Decimal(low) * 100 / Decimal(high)).quantize(FRACTION_PLACES)
    value: Number = int(share) if share == share.to_integral_value() else share
    return Amount(value, None, denominator + FRACTION_WORD + numerator, True)


def _looks_like_date_part(part: str) -> bool:
    """A range end that reads as part of a date: a leading zero (01) or a year (2026)."""
    if not _ARABIC_FULL.fullmatch(part):
        return False
    digits = part.translate(_FULL_WIDTH)
    return (len(digits) > 1 and digits[0] == "0") or len(digits.split(".")[0]) >= 4
