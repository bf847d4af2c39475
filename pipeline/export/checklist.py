"""Commitments → an actionable checklist: Markdown boxes, CSV rows, JSON lines.

Pure: every function takes plans as (title, commitments) pairs and returns rows or a string;
writing (UTF-8 with BOM for CSV, so that Excel reads it) is the caller's.

One item reads `subject · period comparator value unit · verb`, e.g.
`支部委员会 · 每月 ≥1次 · 召开`, with the quote from the plan beside it.
"""
from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from ..commitments import COMPARATOR_SIGNS, period_label
from ..model import Commitment, Number
from .json import commitment_to_dict

# A plan's title and its commitments, in reading order, optionally with its section titles by
# path ({"二、/(二)": "支部委員会"}) for the group headings. A multi-plan file is a sequence of these.
PlanCommitments = Union[Tuple[str, Sequence[Commitment]], Tuple[str, Sequence[Commitment], Mapping[str, str]]]

SEPARATOR = " · "
UNTITLED = "（未命名计划）"
OPTIONAL_MARK = "（可选）"
DEADLINE_MARK = "期限"

CSV_COLUMNS = ("plan", "section", "item", "quote", "subject", "period", "comparator", "value",
               "value_max", "unit", "kind", "verb", "deadline", "optional", "confidence",
               "span_start", "span_end")


def _number_text(value: Optional[Number]) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        value = value.normalize()
        return format(value, "f")
    return str(value)


def amount_phrase(commitment: Commitment) -> str:
    """The amount as a checklist writes it: `每月 ≥1次`, `1–2次`, `约30人`, `≤2工作日`.

    Schedules (每月15日, 4月, 每周一) are written as the plan wrote them.
    """
    if commitment.kind == "schedule":
        return commitment.quote
    value = _number_text(commitment.value)
    if commitment.value_max is not None and commitment.value_max != commitment.value:
        value += "–" + _number_text(commitment.value_max)
    sign = COMPARATOR_SIGNS.get(commitment.comparator, commitment.comparator)
    amount = f"{sign}{value}{commitment.unit}"
    period = period_label(commitment.period)
    return f"{period} {amount}" if period else amount


def item_text(commitment: Commitment) -> str:
    """One checklist line without its box: subject · amount · verb · deadline (those present)."""
    parts = [commitment.subject, amount_phrase(commitment), commitment.verb]
    if commitment.deadline:
        parts.append(f"{DEADLINE_MARK} {commitment.deadline}")
    text = SEPARATOR.join(p for p in parts if p)
    return text + OPTIONAL_MARK if commitment.optional else text


def _section_heading(path: str, title: Optional[str]) -> str:
    """`二、/(二)` + `支部委员会` → `二、/(二)支部委员会` (a space only after an unnumbered step)."""
    if not title or path.endswith(title):
        return path
    joiner = "" if path[-1:] in "、.．)）" or path.endswith(("章", "节", "条")) else " "
    return f"{path}{joiner}{title}"


def _kept(commitments: Iterable[Commitment], include_optional: bool) -> List[Commitment]:
    return [c for c in commitments if include_optional or not c.optional]


def _by_section(commitments: Sequence[Commitment]) -> List[Tuple[Optional[str], List[Commitment]]]:
    """Commitments grouped by section path, groups in order of first appearance."""
    groups: Dict[Optional[str], List[Commitment]] = {}
    for c in commitments:
        groups.setdefault(c.section_path, []).append(c)
    return list(groups.items())


def checklist_markdown(plans: Sequence[PlanCommitments], include_optional: bool = True) -> str:
    """Plans → Markdown: `# title` per plan, `## section path` per section, one `- [ ]` box
    per commitment with its quote. Commitments before the first heading come right under the
    title. Borderline items (bare months, weekday slots) are marked （可选）, or left out with
    `include_optional=False`.

    >>> from pipeline.model import Commitment
    >>> c = Commitment(1, None, "次", ">=", "month", "frequency", "每月至少召开1次", (0, 8),
    ...                "每月至少召开1次", "s2", "二、/(二)", subject="支部委员会", verb="召开")
    >>> print(checklist_markdown([("学校三会一课工作计划", [c])]))
    # 学校三会一课工作计划
    <BLANKLINE>
    ## 二、/(二)
    <BLANKLINE>
    - [ ] 支部委员会 · 每月 ≥1次 · 召开 — 「每月至少召开1次」
    <BLANKLINE>
    """
    out: List[str] = []
    for plan in plans:
        title, commitments = plan[0], plan[1]
        section_titles = plan[2] if len(plan) > 2 else {}
        out += [f"# {title or UNTITLED}", ""]
        kept = _kept(commitments, include_optional)
        for path, group in _by_section(kept):
            if path:
                heading = _section_heading(path, section_titles.get(path))
                out += [f"## {heading}", ""]
            out += [f"- [ ] {item_text(c)} — 「{_one_line(c.quote)}」" for c in group]
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n" if out else ""


def checklist_rows(plans: Sequence[PlanCommitments], include_optional: bool = True) -> List[Dict[str, object]]:
    """Plans → one flat dict per commitment, keys as in CSV_COLUMNS, in reading order."""
    rows: List[Dict[str, object]] = []
    for plan in plans:
        title, commitments = plan[0], plan[1]
        for c in _kept(commitments, include_optional):
            d = commitment_to_dict(c)
            rows.append({
                "plan": title,
                "section": c.section_path or "",
                "item": item_text(c),
                "quote": c.quote,
                "subject": c.subject or "",
                "period": c.period or "",
                "comparator": c.comparator,
                "value": d["value"],
                "value_max": "" if d["value_max"] is None else d["value_max"],
                "unit": c.unit,
                "kind": c.kind,
                "verb": c.verb or "",
                "deadline": c.deadline or "",
                "optional": c.optional,
                "confidence": c.confidence,
                "span_start": c.span[0],
                "span_end": c.span[1],
            })
    return rows


def checklist_csv(plans: Sequence[PlanCommitments], include_optional: bool = True) -> str:
    """Plans → CSV text: a header row (CSV_COLUMNS), then one row per commitment.

    No BOM: the caller writes it as UTF-8 with BOM (`utf-8-sig`) so that Excel reads the Chinese.
    """
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in checklist_rows(plans, include_optional):
        writer.writerow({k: _one_line(str(v)) if isinstance(v, str) else v for k, v in row.items()})
    return buffer.getvalue()


def checklist_jsonl(plans: Sequence[PlanCommitments], include_optional: bool = True) -> str:
    """Plans → JSON lines: one object per commitment, the full record (as `extract --format json`
    writes it) plus `plan` (the title) and `item` (the checklist line)."""
    lines = []
    for plan in plans:
        title, commitments = plan[0], plan[1]
        for c in _kept(commitments, include_optional):
            record = {"plan": title, "item": item_text(c)}
            record.update(commitment_to_dict(c))
            lines.append(json.dumps(record, ensure_ascii=False))
    return "\n".join(lines) + "\n" if lines else ""


def _one_line(text: str) -> str:
    """A quote on one line: a hard wrap inside it becomes nothing (Chinese needs no space)."""
    return text.replace("\r", "").replace("\n", "")
