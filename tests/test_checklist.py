"""Checklist exports: pipeline/export/checklist.py (Markdown boxes, CSV rows, JSON lines)."""
from __future__ import annotations

import csv
import doctest
import io
import json
from decimal import Decimal

import pytest

from pipeline.commitments import extract_commitments
from pipeline.export import checklist
from pipeline.export.checklist import (CSV_COLUMNS, amount_phrase, checklist_csv, checklist_jsonl,
                                       checklist_markdown, checklist_rows, item_text)
from pipeline.model import Commitment


def make(value=1, value_max=None, unit="次", comparator="=", period=None, kind="frequency", quote="1次",
         section_path=None, **extra):
    return Commitment(value, value_max, unit, comparator, period, kind, quote, (0, len(quote)), quote,
                      "s1" if section_path else None, section_path, **extra)


MEETING = make(1, None, "次", ">=", "month", "frequency", "每月至少召开1次", "二、/(二)",
               subject="支部委员会", verb="召开")
RANGE = make(1, 2, "次", "=", "month", "frequency", "每月开展1-2次", "二、/(三)", subject="党小组")
SHARE = make(65, None, "%", "=", None, "ratio", "占比达到65%", "三、", deadline="力争到2026年底")
MONTH = make(4, None, "月", "=", None, "schedule", "4月", "二、/(二)", optional=True, confidence=0.4)
PREAMBLE = make(2, None, "名", "=", None, "quantity", "2名", None, verb="发展")


def test_doctests_pass():
    assert doctest.testmod(checklist).failed == 0


@pytest.mark.parametrize("commitment, text", [
    (MEETING, "支部委员会 · 每月 ≥1次 · 召开"),
    (RANGE, "党小组 · 每月 1–2次"),
    (SHARE, "65% · 期限 力争到2026年底"),
    (MONTH, "4月（可选）"),
    (PREAMBLE, "2名 · 发展"),
    (make(Decimal("1.5"), None, "万元", "~", quote="约1.5万元", kind="quantity"), "约1.5万元"),
    (make(2, None, "工作日", "<=", quote="2个工作日内", kind="deadline", verb="公示"), "≤2工作日 · 公示"),
])
def test_item_text(commitment, text):
    assert item_text(commitment) == text


def test_amount_phrase_writes_decimals_plainly():
    assert amount_phrase(make(Decimal("12.50"), None, "%", "=", kind="ratio")) == "12.5%"


def test_markdown_groups_by_plan_and_section():
    md = checklist_markdown([("计划甲", [PREAMBLE, MEETING, MONTH, RANGE]), ("", [SHARE])])
    assert md == (
        "# 计划甲\n\n"
        "- [ ] 2名 · 发展 — 「2名」\n\n"
        "## 二、/(二)\n\n"
        "- [ ] 支部委员会 · 每月 ≥1次 · 召开 — 「每月至少召开1次」\n"
        "- [ ] 4月（可选） — 「4月」\n\n"
        "## 二、/(三)\n\n"
        "- [ ] 党小组 · 每月 1–2次 — 「每月开展1-2次」\n\n"
        "# （未命名计划）\n\n"
        "## 三、\n\n"
        "- [ ] 65% · 期限 力争到2026年底 — 「占比达到65%」\n")


def test_markdown_can_leave_borderline_items_out():
    md = checklist_markdown([("计划", [MEETING, MONTH])], include_optional=False)
    assert "4月" not in md and "每月至少召开1次" in md


def test_markdown_puts_a_wrapped_quote_on_one_line():
    wrapped = make(1, None, "次", quote="每月\n1次", kind="frequency")
    assert "「每月1次」" in checklist_markdown([("计划", [wrapped])])


def test_markdown_of_nothing():
    assert checklist_markdown([]) == ""
    assert checklist_markdown([("计划", [])]) == "# 计划\n"


def test_rows_are_flat_and_ordered():
    rows = checklist_rows([("计划甲", [MEETING, RANGE]), ("计划乙", [SHARE])])
    assert [tuple(r) for r in rows] == [CSV_COLUMNS] * 3
    assert [(r["plan"], r["value"], r["value_max"], r["period"]) for r in rows] == [
        ("计划甲", 1, "", "month"), ("计划甲", 1, 2, "month"), ("计划乙", 65, "", "")]
    assert rows[0]["item"] == "支部委员会 · 每月 ≥1次 · 召开"


def test_csv_has_a_header_and_reads_back():
    text = checklist_csv([("计划甲", [MEETING, MONTH]), ("计划乙", [SHARE])])
    assert not text.startswith("\ufeff")  # the caller adds the BOM when writing
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [(r["plan"], r["quote"], r["optional"]) for r in rows] == [
        ("计划甲", "每月至少召开1次", "False"), ("计划甲", "4月", "True"), ("计划乙", "占比达到65%", "False")]


def test_csv_of_nothing_is_just_the_header():
    assert checklist_csv([]) == ",".join(CSV_COLUMNS) + "\r\n"


def test_jsonl_is_one_object_per_commitment():
    text = checklist_jsonl([("计划甲", [MEETING]), ("计划乙", [SHARE, MONTH])], include_optional=False)
    records = [json.loads(line) for line in text.splitlines()]
    assert [(r["plan"], r["quote"], r["value"]) for r in records] == [
        ("计划甲", "每月至少召开1次", 1), ("计划乙", "占比达到65%", 65)]
    assert records[0]["section"] == {"id": "s1", "path": "二、/(二)"}
    assert records[0]["item"] == "支部委员会 · 每月 ≥1次 · 召开"
    assert checklist_jsonl([]) == ""


def test_exports_of_an_extracted_plan():
    text = "支部委员会作为支部日常工作的领导核心，每月至少召开1次。党小组每月开展1-2次。"
    plans = [("学校三会一课工作计划", extract_commitments(text))]
    assert "- [ ] 支部委员会 · 每月 ≥1次 · 召开 — 「每月至少召开1次」" in checklist_markdown(plans)
    assert len(list(csv.DictReader(io.StringIO(checklist_csv(plans))))) == 2
    assert len(checklist_jsonl(plans).splitlines()) == 2


def test_group_headings_carry_the_section_title_when_given():
    c = Commitment(1, None, "次", ">=", "month", "frequency", "每月至少召开1次", (0, 8), "每月至少召开1次",
                   "s2", "二、/(二)", subject="支部委员会", verb="召开")
    md = checklist_markdown([("计划", [c], {"二、/(二)": "支部委员会"})])
    assert "## 二、/(二)支部委员会" in md
    assert "## 二、/(二)\n" in checklist_markdown([("计划", [c])])
