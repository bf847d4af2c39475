"""Numbers as plans write them: pipeline/numbers.py (Arabic, full-width, Chinese, ranges, percentages)."""
from __future__ import annotations

import doctest
import re
from decimal import Decimal

import pytest

from pipeline import numbers
from pipeline.numbers import AMOUNT_PATTERN, Amount, arabic_value, chinese_numeral_value, number_value, parse_amount


def test_doctests_pass():
    assert doctest.testmod(numbers).failed == 0


# --- written by us ------------------------------------------------------------------------

CHINESE = [
    ("一", 1), ("两", 2), ("十", 10), ("十二", 12), ("二十", 20), ("二十五", 25), ("九十九", 99),
    ("一百", 100), ("百", 100), ("一百二十", 120), ("一百零五", 105), ("两百", 200), ("三千", 3000),
    ("一千零一", 1001), ("一万", 10000), ("三万五千", 35000), ("零", 0), ("〇", 0),
]


@pytest.mark.parametrize("numeral, value", CHINESE)
def test_chinese_numerals(numeral, value):
    assert chinese_numeral_value(numeral) == value


@pytest.mark.parametrize("numeral", ["", "一二", "三五", "十百", "二百十百", "万", "万一", "个", "十二三", "百分"])
def test_malformed_chinese_numerals_are_none(numeral):
    assert chinese_numeral_value(numeral) is None


@pytest.mark.parametrize("token, value", [
    ("24", 24), ("０", 0), ("１２", 12), ("12.5", Decimal("12.5")), ("１．５", Decimal("1.5")), ("007", 7),
])
def test_arabic_numerals(token, value):
    assert arabic_value(token) == value
    assert type(arabic_value(token)) is type(value)


@pytest.mark.parametrize("token", ["", "1.", ".5", "1.2.3", "12a", "十"])
def test_malformed_arabic_numerals_are_none(token):
    assert arabic_value(token) is None


@pytest.mark.parametrize("token, value", [("６５", 65), ("十五", 15), ("1.5", Decimal("1.5")), ("两", 2)])
def test_number_value_reads_both_scripts(token, value):
    assert number_value(token) == value


AMOUNTS = [
    ("4", Amount(4, None, "4")),
    ("十二", Amount(12, None, "十二")),
    ("1-2", Amount(1, 2, "1-2")),
    ("1～2", Amount(1, 2, "1～2")),
    ("1~2", Amount(1, 2, "1~2")),
    ("1—2", Amount(1, 2, "1—2")),
    ("1至2", Amount(1, 2, "1至2")),
    ("1到2", Amount(1, 2, "1到2")),
    ("3 - 5", Amount(3, 5, "3 - 5")),
    ("三到五", Amount(3, 5, "三到五")),
    ("三至五", Amount(3, 5, "三至五")),
    ("一两", Amount(1, 2, "一两")),
    ("两三", Amount(2, 3, "两三")),
    ("三五", Amount(3, 5, "三五")),
    ("一、二", Amount(1, 2, "一、二")),
    ("65%", Amount(65, None, "65%", percent=True)),
    ("65％", Amount(65, None, "65％", percent=True)),
    ("百分之六十五", Amount(65, None, "百分之六十五", percent=True)),
    ("百分之九十", Amount(90, None, "百分之九十", percent=True)),
    ("12.5%", Amount(Decimal("12.5"), None, "12.5%", percent=True)),
    ("１.５", Amount(Decimal("1.5"), None, "１.５")),
]


@pytest.mark.parametrize("token, amount", AMOUNTS)
def test_parse_amount(token, amount):
    assert parse_amount(token) == amount


@pytest.mark.parametrize("token", [
    "", "%", "百分之", "2-1", "三到二", "2026-01", "01-29", "1-2-3", "一二", "十百", "几", "一、三", "二、一",
])
def test_parse_amount_rejects(token):
    assert parse_amount(token) is None


@pytest.mark.parametrize("text, tokens", [
    ("每月开展1-2次", ["1-2"]),
    ("三到五项重点任务", ["三到五"]),
    ("一两次", ["一两"]),
    ("不少于24学时（6个半天）", ["24", "6"]),
    ("二十五名", ["二十五"]),
])
def test_amount_pattern_finds_whole_tokens(text, tokens):
    assert re.findall(AMOUNT_PATTERN, text) == tokens


def test_raw_token_is_kept_as_written():
    assert parse_amount("１～２").raw == "１～２"


# --- bugs caught --------------------------------------------------------------------------

def test_pair_table_is_closed_so_digit_strings_are_no_range():
    # "一二" is not "1-2": only the listed pairs (一两, 三五 …) read as ranges
    assert parse_amount("一二") is None and parse_amount("一两") == Amount(1, 2, "一两")


def test_a_myriad_needs_a_multiplier():
    # 万一 ("in case") is no number
    assert chinese_numeral_value("万一") is None
