"""Checklist exports: pipeline/export/checklist.py (tasks as Markdown boxes, CSV rows, JSON lines; compliance table)."""
from __future__ import annotations

import csv
import doctest
import io
import json
from decimal import Decimal

import pytest

from pipeline.core import extract_text
from pipeline.export import checklist
from pipeline.export.checklist import (COMPLIANCE_COLUMNS, TASK_COLUMNS, amount_phrase, checklist_csv,
                                       checklist_jsonl, checklist_markdown, compliance_rows, item_text,
                                       neutralise, task_line, task_rows)
from pipeline.model import Commitment, Task


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


PLAN = """学校2026年三会一课工作计划
一、组织生活
（一）支部委员会
支部委员会每月至少召开1次。
1.会议准备：会前3天发布会议通知，附学习资料和议事清单（责任人：组织委员）
2.会议记录：由宣传委员负责整理会议记录
（二）党小组会
1.学习安排：各党小组每月开展1-2次集中学习
二、工作安排
三月：召开支部党员大会
四月：开展主题党日活动
"""


@pytest.fixture(scope="module")
def docs():
    return extract_text(PLAN).documents


def test_markdown_groups_tasks_under_their_section(docs):
    md = checklist_markdown(docs)
    assert md.startswith("# 学校2026年三会一课工作计划\n\n计划期：2026年（2026-01-01—2026-12-31）\n")
    assert "## 一、/（一）支部委员会\n" in md
    assert "- [ ] 会议准备 — 会前3天发布会议通知，附学习资料和议事清单（责任人：组织委员）" in md
    assert "- [ ] 会议记录 — 由宣传委员负责整理会议记录（责任人：宣传委员）" in md
    assert "- [ ] 召开支部党员大会 · 三月（2026-03-01—2026-03-31）" in md


def test_a_heading_with_a_frequency_reads_subject_amount_verb(docs):
    md = checklist_markdown(docs)
    assert "- [ ] 支部委员会 · 每月≥1次 · 召开" in md


def test_markdown_ends_with_the_compliance_table(docs):
    md = checklist_markdown(docs)
    table = md.split("## 对照检查：支部工作制度")[1]
    assert "| 支部委员会 | 每月≥1次 | 条例第十二条 | 每月至少召开1次 | 符合 |" in table
    assert "| 民主评议党员 | 每年1次 | 条例第十八条 | — | 未提及 |" in table
    assert "条例 = 《中国共产党支部工作条例（试行）》" in table


def test_markdown_of_a_league_plan_says_it_is_not_checked():
    md = checklist_markdown(extract_text("校团委2026年工作计划\n一、团员教育\n1.每月开展1次团课").documents)
    assert "未检查：团组织的计划，不对照党支部工作的规定检查" in md and "| 制度 |" not in md


def test_markdown_of_nothing():
    assert checklist_markdown([]) == ""


def test_task_rows_carry_every_column(docs):
    rows = task_rows(docs)
    assert rows and all(tuple(r) == TASK_COLUMNS for r in rows)
    march = next(r for r in rows if r["when"] == "三月")
    assert (march["start"], march["end"], march["source"]) == ("2026-03-01", "2026-03-31", "schedule")


def test_csv_has_a_header_and_reads_back(docs):
    text = checklist_csv(docs)
    assert not text.startswith("\ufeff")  # the caller adds the BOM when writing
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == TASK_COLUMNS and len(rows) == len(task_rows(docs))
    assert checklist_csv([]) == ",".join(TASK_COLUMNS) + "\r\n"


def test_jsonl_is_one_task_record_per_line(docs):
    records = [json.loads(line) for line in checklist_jsonl(docs).splitlines()]
    assert len(records) == len(docs[0].tasks)
    assert {"plan", "item", "id", "what", "who", "when", "start", "end", "recurrence", "how_often",
            "quote", "span", "section"} <= set(records[0])
    assert checklist_jsonl([]) == ""


def test_csv_and_jsonl_carry_the_same_task_fields(docs):
    rows = list(csv.DictReader(io.StringIO(checklist_csv(docs))))
    records = [json.loads(line) for line in checklist_jsonl(docs).splitlines()]
    for row, record in zip(rows, records):
        assert row["id"] == record["id"] and row["what"] == record["what"]
        assert row["start"] == (record["start"] or "") and row["who"] == "、".join(record["who"])


def test_compliance_rows(docs):
    rows = compliance_rows(docs)
    assert all(tuple(r) == COMPLIANCE_COLUMNS for r in rows)
    assert {r["practice"]: r["outcome"] for r in rows}["支部委员会"] == "meets"


@pytest.mark.parametrize("cell, shown", [
    ("=1+1", "'=1+1"), ("+86 123", "'+86 123"), ("-每月1次", "'-每月1次"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("支部委员会", "支部委员会"), ("1=1", "1=1"), (3, 3), (-2, -2),
])
def test_formula_like_cells_are_neutralised(cell, shown):
    assert neutralise(cell) == shown


def test_csv_neutralises_a_formula_in_plan_text():
    plan = "学校2026年党支部工作计划\n一、工作\n1.=HYPERLINK(\"http://x\",\"点击\")：每月召开1次支委会\n2.@SUM(A1)：组织学习"
    rows = list(csv.reader(io.StringIO(checklist_csv(extract_text(plan).documents))))
    cells = [c for row in rows[1:] for c in row]
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    assert any(c.startswith("'=HYPERLINK") for c in cells) and any(c.startswith("'@SUM") for c in cells)


def test_task_line_shows_detail_cut_and_owners():
    long = Task("t1", "质量把控", "会" * 60, None, None, "x", (0, 1), who=("组织委员", "宣传委员"))
    line = task_line(long)
    assert line.startswith("质量把控 — ") and "…（责任人：组织委员、宣传委员）" in line
