"""The Excel workbook (export/xlsx.py, read back with openpyxl), the calendar (export/ics.py, parsed
with icalendar), the SQLite tables, and `planlens checklist` writing them whole."""
from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from datetime import date, datetime

import openpyxl
import pytest
from click.testing import CliRunner
from icalendar import Calendar
from dateutil.rrule import rrulestr

from pipeline.cli import main
from pipeline.core import extract_file, extract_text
from pipeline.export.ics import calendar_text
from pipeline.export.sqlite import database_bytes
from pipeline.export.xlsx import display_width, workbook_bytes

PLAN = """学校2026年党支部工作计划
一、组织生活
（一）支部委员会
支部委员会每月至少召开1次。
1.会议准备：会前3天发布会议通知（责任人：组织委员）
2.主题党日：每月15日开展主题党日活动
二、工作安排
三月：召开支部党员大会
四月：开展民主评议党员
6月底前：完成党员信息采集
三、其他
1.=HYPERLINK("http://x","点我")：每月召开1次支委会
2.@SUM(A1)+1：组织学习
"""


@pytest.fixture(scope="module")
def docs():
    return extract_text(PLAN).documents


@pytest.fixture(scope="module")
def book(docs, tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "plan.xlsx"
    path.write_bytes(workbook_bytes(docs))
    return openpyxl.load_workbook(path)


# --- workbook -------------------------------------------------------------------------------

def test_workbook_has_the_three_sheets(book):
    assert book.sheetnames == ["任务", "承诺", "对照检查"]


@pytest.mark.parametrize("sheet", ["任务", "承诺", "对照检查"])
def test_every_sheet_has_a_frozen_header_and_filters(book, sheet):
    ws = book[sheet]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
    assert all(c.value for c in ws[1]) and all(c.font.bold for c in ws[1])


def _column(ws, header):
    headers = [c.value for c in ws[1]]
    return headers.index(header) + 1


def test_dates_are_real_dates_and_numbers_are_numbers(book, docs):
    ws = book["任务"]
    start = _column(ws, "开始日期")
    dated = [ws.cell(r, start).value for r in range(2, ws.max_row + 1) if ws.cell(r, start).value is not None]
    assert dated and all(isinstance(v, datetime) for v in dated)
    assert datetime(2026, 3, 1) in dated
    assert ws.cell(2, start).number_format == "yyyy-mm-dd" or any(
        ws.cell(r, start).number_format == "yyyy-mm-dd" for r in range(2, ws.max_row + 1))
    assert all(isinstance(ws.cell(r, _column(ws, "起")).value, int) for r in range(2, ws.max_row + 1))
    cs = book["承诺"]
    assert all(isinstance(cs.cell(r, _column(cs, "数值")).value, (int, float)) for r in range(2, cs.max_row + 1))
    comp = book["对照检查"]
    outcomes = {comp.cell(r, _column(comp, "制度")).value: comp.cell(r, _column(comp, "结论")).value
                for r in range(2, comp.max_row + 1)}
    assert outcomes["支部委员会"] == "符合"


def test_widths_fit_chinese_text(book):
    ws = book["任务"]
    what = openpyxl.utils.get_column_letter(_column(ws, "任务"))
    longest = max(display_width(str(ws[f"{what}{r}"].value or "")) for r in range(2, ws.max_row + 1))
    assert ws.column_dimensions[what].width >= min(longest, 60)
    assert display_width("党支部") == 6 and display_width("ab") == 2


def test_workbook_text_is_never_a_formula(book):
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    ws = book["任务"]
    what = [ws.cell(r, _column(ws, "任务")).value for r in range(2, ws.max_row + 1)]
    risky = [ws.cell(r, _column(ws, "任务")) for r in range(2, ws.max_row + 1)
             if str(ws.cell(r, _column(ws, "任务")).value).startswith(("=", "@"))]
    assert len(risky) == 2, what  # kept as the plan wrote them, as text with Excel's quote prefix
    assert all(c.data_type == "s" and c.quotePrefix for c in risky)


def test_same_plans_same_workbook(docs):
    assert workbook_bytes(docs) == workbook_bytes(docs)


# --- calendar --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def cal(docs):
    return Calendar.from_ical(calendar_text(docs))


def test_calendar_parses_and_every_event_has_the_required_properties(cal):
    events = cal.walk("VEVENT")
    assert events
    for e in events:
        for prop in ("DTSTART", "DTEND", "UID", "SUMMARY", "DTSTAMP"):
            assert e.get(prop) is not None, (prop, e.get("SUMMARY"))
        assert isinstance(e.decoded("DTSTART"), date) and not isinstance(e.decoded("DTSTART"), datetime)


def test_month_rows_are_all_day_events_over_their_month(cal):
    march = next(e for e in cal.walk("VEVENT") if "召开支部党员大会" in str(e["SUMMARY"]))
    assert (march.decoded("DTSTART"), march.decoded("DTEND")) == (date(2026, 3, 1), date(2026, 4, 1))
    deadline = next(e for e in cal.walk("VEVENT") if "党员信息采集" in str(e["SUMMARY"]))
    assert (deadline.decoded("DTSTART"), deadline.decoded("DTEND")) == (date(2026, 6, 30), date(2026, 7, 1))


def test_periodic_tasks_recur_over_the_plans_period(cal):
    rules = {}
    for e in cal.walk("VEVENT"):
        if e.get("RRULE"):
            text = e["RRULE"].to_ical().decode()
            rule = rrulestr(text, dtstart=datetime.combine(e.decoded("DTSTART"), datetime.min.time()))
            days = list(rule)
            assert days and days[-1] <= datetime(2026, 12, 31)
            rules[str(e["SUMMARY"]).split(" · ")[0]] = (text, days)
    text, days = rules["主题党日"]
    assert "BYMONTHDAY=15" in text and len(days) == 12 and days[0] == datetime(2026, 1, 15)
    text, days = rules["支部委员会"]
    assert text.startswith("FREQ=MONTHLY") and len(days) == 12


def test_uids_are_unique_and_stable(docs):
    first = [str(e["UID"]) for e in Calendar.from_ical(calendar_text(docs)).walk("VEVENT")]
    again = [str(e["UID"]) for e in Calendar.from_ical(calendar_text(extract_text(PLAN).documents)).walk("VEVENT")]
    assert first == again and len(set(first)) == len(first)
    other = [str(e["UID"]) for e in Calendar.from_ical(calendar_text(docs, ["other.txt#0"])).walk("VEVENT")]
    assert not set(other) & set(first)


def test_undated_plans_give_an_empty_but_valid_calendar():
    cal = Calendar.from_ical(calendar_text(extract_text("党支部工作计划\n一、学习\n1.三月组织学习").documents))
    assert cal.walk("VEVENT") == [] and str(cal["VERSION"]) == "2.0"


def test_seed_calendar_validates(corpus_dir):
    docs = extract_file(corpus_dir / "002_115f02c79655d629.txt").documents
    events = Calendar.from_ical(calendar_text(docs)).walk("VEVENT")
    assert len(events) >= 5 and all(e.get("UID") and e.get("DTSTART") and e.get("SUMMARY") for e in events)


# --- SQLite ----------------------------------------------------------------------------------

def test_sqlite_has_tasks_and_compliance(docs, tmp_path):
    result = extract_text(PLAN, "plan.txt")
    path = tmp_path / "p.sqlite"
    path.write_bytes(database_bytes([result]))
    con = sqlite3.connect(path)
    tasks = con.execute('SELECT task_id, what, start, "end", recurrence, who FROM tasks ORDER BY id').fetchall()
    assert len(tasks) == len(docs[0].tasks)
    assert ("召开支部党员大会", "2026-03-01", "2026-03-31") in [(t[1], t[2], t[3]) for t in tasks]
    assert json.loads(next(t[5] for t in tasks if t[1] == "会议准备")) == ["组织委员"]
    rows = dict(con.execute("SELECT practice, outcome FROM compliance").fetchall())
    assert rows["支部委员会"] == "meets" and rows["民主评议党员"] == "vague"


def test_sqlite_records_a_plan_that_is_not_checked(tmp_path):
    con = sqlite3.connect(":memory:")
    con.deserialize(database_bytes([extract_text("校团委2026年工作计划\n一、工作\n1.每月开展团课", "t.txt")]))
    assert con.execute("SELECT checked, organisation, practice FROM compliance").fetchall() == [(0, "团组织", None)]


# --- the command -------------------------------------------------------------------------------

@pytest.fixture
def plan_file(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(PLAN, encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt, name", [("md", "plan.checklist.md"), ("csv", "plan.checklist.csv"),
                                       ("json", "plan.checklist.jsonl"), ("xlsx", "plan.xlsx"), ("ics", "plan.ics")])
def test_checklist_command_writes_each_format(plan_file, tmp_path, fmt, name):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["checklist", str(plan_file), "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [name]  # no temp file left beside it
    data = (out / name).read_bytes()
    if fmt == "csv":
        assert data.startswith(b"\xef\xbb\xbf")
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
        assert not any(v.startswith(("=", "+", "-", "@")) for r in rows for v in r.values() if v)
    elif fmt == "xlsx":
        assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames == ["任务", "承诺", "对照检查"]
    elif fmt == "ics":
        assert Calendar.from_ical(data).walk("VEVENT")
    elif fmt == "json":
        assert all(json.loads(line)["id"].startswith("t") for line in data.decode().splitlines())
    else:
        assert "## 对照检查" in data.decode()


def test_checklist_prints_one_file_to_stdout(plan_file):
    result = CliRunner().invoke(main, ["checklist", str(plan_file)])
    assert result.exit_code == 0 and "\n# 学校2026年党支部工作计划\n" in "\n" + result.output


def test_checklist_with_own_norms(plan_file, tmp_path):
    norms = tmp_path / "norms.tsv"
    norms.write_text("practice\tvalue\tcomparator\tperiod\tsource\n支部委员会\t2\t>=\tmonth\t区规定\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["checklist", str(plan_file), "--norms", str(norms)])
    assert result.exit_code == 0
    table = result.output.split("## 对照检查")[1]
    assert "| 支部委员会 | 每月≥2次 | 区规定 | 每月至少召开1次；每月召开1次 | 偏低 |" in table
    assert "主题党日" not in table and f"规定来自 {norms}" in table


def test_a_bad_norms_file_is_a_usage_error_naming_it(plan_file, tmp_path):
    norms = tmp_path / "bad.tsv"
    norms.write_text("practice\tvalue\tcomparator\tperiod\n党课\tmany\t>=\tmonth\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["checklist", str(plan_file), "--norms", str(norms)])
    assert result.exit_code == 2 and "bad.tsv:2" in result.output and "value 'many'" in result.output
    missing = CliRunner().invoke(main, ["checklist", str(plan_file), "--norms", str(tmp_path / "none.tsv")])
    assert missing.exit_code == 2 and "none.tsv" in missing.output


def test_a_failed_workbook_write_leaves_the_old_file(plan_file, tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    (out / "plan.xlsx").write_bytes(b"old")
    import pipeline.export.files as files

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(files.os, "replace", broken_replace)
    result = CliRunner().invoke(main, ["checklist", str(plan_file), "--format", "xlsx", "-o", str(out)])
    assert result.exit_code == 1
    assert (out / "plan.xlsx").read_bytes() == b"old" and sorted(p.name for p in out.iterdir()) == ["plan.xlsx"]


def test_compare_adds_the_compliance_matrix(plan_file, tmp_path):
    league = tmp_path / "league.txt"
    league.write_text("校团委2026年工作计划\n一、团员教育\n1.每月开展1次团课", encoding="utf-8")
    out = tmp_path / "cmp"
    result = CliRunner().invoke(main, ["compare", str(plan_file), str(league), "-o", str(out)])
    assert result.exit_code == 0, result.output
    md = (out / "compare.md").read_text(encoding="utf-8")
    assert "## 对照检查（plans × norms）" in md and "不检查（团组织）" in md
    data = json.loads((out / "compare.json").read_text(encoding="utf-8"))
    rows = {r["id"]: r for r in data["compliance"]["rows"]}
    assert rows["plan.txt#0"]["cells"]["支部委员会"] == "meets" and not rows["league.txt#0"]["checked"]
    page = (out / "compare.html").read_text(encoding="utf-8")  # the dashboard, its data embedded as JSON
    embedded = re.search(r'<script type="application/json" id="planlens-data">(.*?)</script>', page, re.S)
    board = json.loads(embedded.group(1))
    plans = {p["id"]: i for i, p in enumerate(board["plans"])}
    cells = {board["norms"][n]: outcome for n, outcome, _ in board["compliance"][plans["plan.txt#0"]]}
    assert cells["支部委员会 每月≥1次"] == "meets"
    assert board["compliance"][plans["league.txt#0"]] == []
    assert "团组织" in board["plans"][plans["league.txt#0"]]["compliance_note"]
