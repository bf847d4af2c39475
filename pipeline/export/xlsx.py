"""Plans → one Excel workbook (opens in Excel and WPS): 任务 (tasks), 承诺 (commitments), 对照检查
(compliance).

Pure: returns the workbook's bytes (built in memory by XlsxWriter); writing is export/files.py's.
Every sheet has a frozen header row and filters, column widths fitted to Chinese text (a CJK
character counts two), dates as real dates, numbers as numbers. Text goes in as text, never as a
formula; a cell that starts like a formula (= + - @) gets Excel's quote prefix as well.
"""
from __future__ import annotations

import io
import unicodedata
from datetime import date
from typing import Dict, Sequence, Tuple

import xlsxwriter

from ..model import Document
from .checklist import (COMMITMENT_COLUMNS, COMPLIANCE_COLUMNS, FORMULA_STARTS, TASK_COLUMNS, commitment_rows,
                        compliance_rows, task_rows)

# Sheet name, column keys, header labels shown (Chinese, for the people who open it).
SHEETS: Tuple[Tuple[str, Tuple[str, ...], Dict[str, str]], ...] = (
    ("任务", TASK_COLUMNS, {"plan": "计划", "id": "编号", "section": "章节", "what": "任务", "detail": "内容",
                           "who": "责任人", "when": "时间", "start": "开始日期", "end": "结束日期",
                           "recurrence": "重复", "how_often": "频次", "practices": "涉及制度", "source": "来源",
                           "item": "清单条目", "quote": "原文", "span_start": "起", "span_end": "止"}),
    ("承诺", COMMITMENT_COLUMNS, {"plan": "计划", "section": "章节", "item": "清单条目", "quote": "原文",
                                "subject": "对象", "period": "周期", "comparator": "比较", "value": "数值",
                                "value_max": "上限", "unit": "单位", "kind": "类型", "verb": "动作",
                                "deadline": "期限", "optional": "可选", "confidence": "置信度",
                                "span_start": "起", "span_end": "止"}),
    ("对照检查", COMPLIANCE_COLUMNS, {"plan": "计划", "organisation": "组织", "checked": "已检查",
                                    "practice": "制度", "required": "规定", "basis": "性质", "source": "依据",
                                    "plan_commitment": "本计划", "outcome": "结论代码", "outcome_label": "结论",
                                    "plan_per_year": "本计划每年次数", "required_per_year": "规定每年次数",
                                    "quote": "原文", "note": "说明"}),
)
DATE_COLUMNS = ("start", "end")
MAX_WIDTH = 60  # characters; longer text wraps
MIN_WIDTH = 6


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: wide (CJK, full-width) characters count two.

    >>> display_width("支部abc")
    7
    """
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _formula_like(value: str) -> bool:
    return value.startswith(FORMULA_STARTS)


def workbook_bytes(documents: Sequence[Document]) -> bytes:
    """The workbook of these plans as .xlsx bytes; same plans, same bytes (fixed creation date)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    book.set_properties({"title": "planlens checklist", "created": _fixed_date(documents)})
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "valign": "top"})
    text = book.add_format({"valign": "top"})
    wrap = book.add_format({"valign": "top", "text_wrap": True})
    quoted = book.add_format({"valign": "top", "quote_prefix": True})
    day = book.add_format({"valign": "top", "num_format": "yyyy-mm-dd"})
    rows_by_sheet = (task_rows(documents), commitment_rows(documents), compliance_rows(documents))
    for (name, columns, labels), rows in zip(SHEETS, rows_by_sheet):
        sheet = book.add_worksheet(name)
        widths = [display_width(labels[c]) for c in columns]
        for col, key in enumerate(columns):
            sheet.write_string(0, col, labels[key], header)
        for r, row in enumerate(rows, 1):
            for col, key in enumerate(columns):
                value = row.get(key, "")
                width = _write(sheet, r, col, key, value, text, quoted, day)
                widths[col] = max(widths[col], width)
        for col, width in enumerate(widths):
            shown = max(MIN_WIDTH, min(MAX_WIDTH, width + 2))
            sheet.set_column(col, col, shown, wrap if width > MAX_WIDTH else None)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)
    book.close()
    return buffer.getvalue()


def _write(sheet, r: int, col: int, key: str, value, text, quoted, day) -> int:
    """Write one cell with its real type; return its display width."""
    if value is None or value == "":
        sheet.write_blank(r, col, None, text)
        return 0
    if isinstance(value, bool):
        sheet.write_boolean(r, col, value, text)
        return 5
    if isinstance(value, (int, float)):
        sheet.write_number(r, col, value, text)
        return len(str(value))
    value = str(value)
    if key in DATE_COLUMNS:
        try:
            sheet.write_datetime(r, col, date.fromisoformat(value), day)
            return 10
        except ValueError:
            pass
    sheet.write_string(r, col, value, quoted if _formula_like(value) else text)
    return display_width(value)


def _fixed_date(documents: Sequence[Document]):
    """A creation date that depends on the plans only (their period's start, else 2000-01-01)."""
    from datetime import datetime
    for d in documents:
        if d.period:
            return datetime.fromisoformat(d.period.start)
    return datetime(2000, 1, 1)
