"""Stages from different modules meeting: the records later stages add keep the invariants of the earlier ones."""
import json

import pytest

from pipeline.core import extract_text
from pipeline.graph import PlanCollector, summarize_document
from pipeline.export.sqlite import file_rows

TRADITIONAL = "學校黨支部2026年工作計劃\n一、主要工作\n1.每月召開1次支部委員會會議。\n2.每季度上1次黨課，由支部書記負責。\n"
SIMPLIFIED = "学校党支部2026年工作计划\n一、主要工作\n1.每月召开1次支部委员会会议。\n2.每季度上1次党课，由支部书记负责。\n"


@pytest.mark.parametrize("text", [TRADITIONAL, SIMPLIFIED])
def test_task_and_compliance_quotes_are_the_written_text(text):
    doc = extract_text(text, "t.txt").documents[0]
    assert doc.tasks
    for t in doc.tasks:
        assert t.quote == doc.text[t.span[0]:t.span[1]]
    for c in doc.compliance.checks:
        if c.span is not None and c.quote:
            assert c.quote == doc.text[c.span[0]:c.span[1]]


def test_the_plan_summary_carries_the_compliance_outcomes_only():
    doc = extract_text(SIMPLIFIED, "t.txt").documents[0]
    summary = summarize_document(doc)
    assert summary.compliance.checked and summary.compliance.organisation == doc.compliance.organisation
    assert [(c.practice, c.outcome) for c in summary.compliance.checks] == \
        [(c.practice, c.outcome) for c in doc.compliance.checks]
    assert all(c.quote == "" and c.span is None for c in summary.compliance.checks)
    collector = PlanCollector()
    collector.add("t.txt#0", "t.txt", summary)
    assert collector.plans()[0].compliance == summary.compliance


def test_file_rows_carry_tasks_and_compliance():
    result = extract_text(SIMPLIFIED, "t.txt")
    rows = file_rows(result).documents[0]
    doc = result.documents[0]
    assert [r[0] for r in rows.tasks] == [t.id for t in doc.tasks]
    assert len(rows.compliance) == len(doc.compliance.checks)
    assert json.loads(rows.tasks[0][6]) == list(doc.tasks[0].who)
