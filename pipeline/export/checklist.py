"""Tasks → a checklist a secretary can work from: Markdown boxes, CSV rows, JSON lines; the
compliance table under it.

Pure: every function takes Documents (tasks, commitments and compliance built) and returns rows
or a string; writing (UTF-8 with BOM for CSV, so that Excel reads it) is the caller's.

One task reads `what · how often · when — what the plan says（责任人：who）`, e.g.
`支部委员会 · 每月≥1次 · 召开 — 细化责任落实，推动融合共进（责任人：组织委员）`.
"""
from __future__ import annotations

import csv
import io
import json
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from ..commitments import amount_phrase
from ..compliance import OUTCOME_LABELS
from ..model import Commitment, Compliance, Document, Section, Task
from .json import commitment_to_dict, task_to_dict

SEPARATOR = " · "
UNTITLED = "（未命名计划）"
OPTIONAL_MARK = "（可选）"
DEADLINE_MARK = "期限"
DETAIL_SHOWN = 40  # characters of a task's detail on its checklist line
CONDITIONS = "条例 = 《中国共产党支部工作条例（试行）》"
CONDITIONS_PREFIX = "《中国共产党支部工作条例（试行）》"

TASK_COLUMNS = ("plan", "id", "section", "what", "detail", "who", "when", "start", "end", "recurrence",
                "how_often", "practices", "source", "item", "quote", "span_start", "span_end")
COMMITMENT_COLUMNS = ("plan", "section", "item", "quote", "subject", "period", "comparator", "value",
                      "value_max", "unit", "kind", "verb", "deadline", "optional", "confidence",
                      "span_start", "span_end")
COMPLIANCE_COLUMNS = ("plan", "organisation", "checked", "practice", "required", "basis", "source",
                      "plan_commitment", "outcome", "outcome_label", "plan_per_year", "required_per_year",
                      "quote", "note")
# Cells a spreadsheet would run as a formula (=, +, -, @; tab and carriage return too).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# --- commitments (kept for the commitments sheet and a task's `how often`) --------------------

def item_text(commitment: Commitment) -> str:
    """One commitment without its box: subject · amount · verb · deadline (those present)."""
    parts = [commitment.subject, amount_phrase(commitment), commitment.verb]
    if commitment.deadline:
        parts.append(f"{DEADLINE_MARK} {commitment.deadline}")
    text = SEPARATOR.join(p for p in parts if p)
    return text + OPTIONAL_MARK if commitment.optional else text


# --- one task ------------------------------------------------------------------------------------

def _one_line(text: str) -> str:
    """Text on one line: a hard wrap inside it becomes nothing (Chinese needs no space)."""
    return text.replace("\r", "").replace("\n", "")


def when_label(task: Task) -> str:
    """`三月（2026-03-01—2026-03-31）`, `每月15日`, `6月底前（2026-06-30）`, or ""."""
    if not task.when:
        return ""
    if task.start and task.end and task.start != task.end:
        return f"{task.when}（{task.start}—{task.end}）"
    if task.start:
        return f"{task.when}（{task.start}）"
    return task.when


def task_head(task: Task, commitments: Sequence[Commitment] = ()) -> str:
    """A task's head: what · how often (with the practice it governs when that differs) · the verb
    of a lone frequency · when."""
    parts = [task.what]
    counts = [commitments[i] for i in task.commitment_ids
              if i < len(commitments) and commitments[i].kind == "frequency" and not commitments[i].optional]
    phrases = []
    for c in counts:
        phrase = amount_phrase(c).replace(" ", "")
        if c.subject and c.subject not in task.what and c.subject not in "".join(phrases):
            phrase = f"{c.subject}{phrase}"
        if phrase not in phrases:
            phrases.append(phrase)
    if phrases:
        parts.append("；".join(phrases))
        verbs = {c.verb for c in counts if c.verb}
        if len(verbs) == 1:
            parts.append(verbs.pop())
    when = when_label(task)
    if when:
        parts.append(when)
    return SEPARATOR.join(parts)


def task_line(task: Task, commitments: Sequence[Commitment] = ()) -> str:
    """One checklist line without its box: head — detail…（责任人：who）.

    >>> t = Task("t1", "质量把控", "会前3天发布会议通知，附学习资料和议事清单", "s6", "二、/(一)/3.",
    ...          "3.质量把控：…", (0, 9), who=("组织委员",))
    >>> task_line(t)
    '质量把控 — 会前3天发布会议通知，附学习资料和议事清单（责任人：组织委员）'
    """
    line = task_head(task, commitments)
    detail = _one_line(task.detail)
    if detail:
        if len(detail) > DETAIL_SHOWN:
            detail = detail[:DETAIL_SHOWN - 1] + "…"
        line += f" — {detail}"
    if task.who:
        line += f"（责任人：{'、'.join(task.who)}）"
    return line


# --- grouping ----------------------------------------------------------------------------------

def _section_heading(section: Section) -> str:
    """`二、/(二)` + `支部委员会` → `二、/(二)支部委员会` (a space only after an unnumbered step)."""
    path, title = section.path, section.title
    if not title or path.endswith(title):
        return path
    joiner = "" if path[-1:] in "、.．)）" or path.endswith(("章", "节", "条")) else " "
    return f"{path}{joiner}{title}"


def _groups(document: Document) -> List[Tuple[Optional[Section], List[Task]]]:
    """Tasks grouped by the section they belong under (an item under its parent heading, a
    heading's own text and its schedule rows under that heading), in reading order."""
    by_id = {s.id: s for s in document.sections}
    groups: Dict[Optional[str], List[Task]] = {}
    for task in document.tasks:
        section = by_id.get(task.section_id) if task.section_id else None
        key = section.parent if section is not None and task.source == "item" else (section.id if section else None)
        groups.setdefault(key, []).append(task)
    return [(by_id.get(k) if k else None, v) for k, v in groups.items()]


# --- compliance ---------------------------------------------------------------------------------

def short_source(source: str) -> str:
    """A norm's source with the 条例's full name shortened to 条例 (the table's footnote names it)."""
    return source.replace(CONDITIONS_PREFIX, "条例")


def compliance_markdown(compliance: Optional[Compliance]) -> List[str]:
    """The compliance table of one plan as Markdown lines (or the one line saying why it is not checked)."""
    if compliance is None:
        return []
    out = ["## 对照检查：支部工作制度", ""]
    if not compliance.checked:
        return out + [f"未检查：{compliance.reason}。", ""]
    out += ["| 制度 | 规定 | 依据 | 本计划 | 结论 |", "|---|---|---|---|---|"]
    for c in compliance.checks:
        required = c.required + ("（地方规定）" if c.basis != "条例" else "")
        out.append("| " + " | ".join(_md_cell(x) for x in (
            c.practice, required, short_source(c.source).split("；")[0], _plan_cell(c),
            OUTCOME_LABELS.get(c.outcome, c.outcome))) + " |")
    out += ["", f"{CONDITIONS}。规定来自 {compliance.norms}；结论：符合 = 承诺不少于规定（按每年次数比较），"
                "偏低 = 少于规定，未量化 = 提到但无次数，未提及 = 计划未提。", ""]
    return out


def _plan_cell(check) -> str:
    """What the plan says for a norm: its commitment, or for a vague one where it names the practice."""
    if check.plan:
        return check.plan
    if check.outcome == "vague" and check.quote:
        quote = _one_line(check.quote)
        return "提到：" + (quote if len(quote) <= 24 else quote[:23] + "…")
    return "—"


def _md_cell(text: object) -> str:
    return _one_line(str(text)).replace("\\", "\\\\").replace("|", "\\|").strip()


# --- the renderings -------------------------------------------------------------------------------

def checklist_markdown(documents: Sequence[Document]) -> str:
    """Plans → Markdown: `# title` per plan (with its period), `## section` per group, one `- [ ]`
    box per task, then the compliance table.

    >>> from pipeline.core import extract_text
    >>> plan = "学校2026年党支部工作计划\\n一、组织生活\\n1.支委会每月至少召开1次（责任人：组织委员）"
    >>> print(checklist_markdown(extract_text(plan).documents).split("## 对照")[0])
    # 学校2026年党支部工作计划
    <BLANKLINE>
    计划期：2026年（2026-01-01—2026-12-31）
    <BLANKLINE>
    ## 一、组织生活
    <BLANKLINE>
    - [ ] 支委会每月至少召开1次 · 每月≥1次 · 召开（责任人：组织委员）
    <BLANKLINE>
    <BLANKLINE>
    """
    out: List[str] = []
    for document in documents:
        out += [f"# {document.title or UNTITLED}", ""]
        if document.period:
            p = document.period
            out += [f"计划期：{p.label}（{p.start}—{p.end}）", ""]
        for section, tasks in _groups(document):
            if section is not None:
                out += [f"## {_section_heading(section)}", ""]
            out += [f"- [ ] {task_line(t, document.commitments)}" for t in tasks]
            out.append("")
        out += compliance_markdown(document.compliance)
    return "\n".join(out).rstrip("\n") + "\n" if out else ""


def task_rows(documents: Sequence[Document]) -> List[Dict[str, object]]:
    """Plans → one flat dict per task, keys as in TASK_COLUMNS, in reading order."""
    rows: List[Dict[str, object]] = []
    for document in documents:
        for t in document.tasks:
            rows.append({
                "plan": document.title, "id": t.id, "section": t.section_path or "", "what": t.what,
                "detail": t.detail, "who": "、".join(t.who), "when": t.when, "start": t.start or "",
                "end": t.end or "", "recurrence": t.recurrence or "", "how_often": t.how_often,
                "practices": "、".join(t.practices), "source": t.source,
                "item": task_line(t, document.commitments), "quote": _one_line(t.quote),
                "span_start": t.span[0], "span_end": t.span[1],
            })
    return rows


def commitment_rows(documents: Sequence[Document], include_optional: bool = True) -> List[Dict[str, object]]:
    """Plans → one flat dict per commitment, keys as in COMMITMENT_COLUMNS."""
    rows: List[Dict[str, object]] = []
    for document in documents:
        for c in document.commitments:
            if c.optional and not include_optional:
                continue
            d = commitment_to_dict(c)
            rows.append({
                "plan": document.title, "section": c.section_path or "", "item": item_text(c),
                "quote": _one_line(c.quote), "subject": c.subject or "", "period": c.period or "",
                "comparator": c.comparator, "value": d["value"],
                "value_max": "" if d["value_max"] is None else d["value_max"], "unit": c.unit, "kind": c.kind,
                "verb": c.verb or "", "deadline": c.deadline or "", "optional": c.optional,
                "confidence": c.confidence, "span_start": c.span[0], "span_end": c.span[1],
            })
    return rows


def compliance_rows(documents: Sequence[Document]) -> List[Dict[str, object]]:
    """Plans → one flat dict per (plan, norm), keys as in COMPLIANCE_COLUMNS; a plan that is not
    checked gives one row saying why (practice and outcome empty)."""
    rows: List[Dict[str, object]] = []
    for document in documents:
        comp = document.compliance
        if comp is None:
            continue
        if not comp.checked:
            rows.append({k: "" for k in COMPLIANCE_COLUMNS} | {
                "plan": document.title, "organisation": comp.organisation, "checked": False,
                "note": comp.reason, "plan_per_year": None, "required_per_year": None})
            continue
        for c in comp.checks:
            rows.append({
                "plan": document.title, "organisation": comp.organisation, "checked": True,
                "practice": c.practice, "required": c.required, "basis": c.basis, "source": c.source,
                "plan_commitment": c.plan, "outcome": c.outcome,
                "outcome_label": OUTCOME_LABELS.get(c.outcome, c.outcome), "plan_per_year": c.plan_per_year,
                "required_per_year": c.required_per_year, "quote": _one_line(c.quote), "note": c.note,
            })
    return rows


def neutralise(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first)
    gets a leading apostrophe; numbers and other text pass unchanged.

    >>> neutralise("=HYPERLINK(\\"x\\")"), neutralise("-1次"), neutralise("支部"), neutralise(-1)
    ('\\'=HYPERLINK("x")', "'-1次", '支部', -1)
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def rows_to_csv(rows: Iterable[Dict[str, object]], columns: Sequence[str]) -> str:
    """Rows → CSV text (header first, CRLF lines, formula-like cells neutralised).

    No BOM: the caller writes it as UTF-8 with BOM (`utf-8-sig`) so that Excel reads the Chinese.
    """
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: neutralise(_one_line(v) if isinstance(v, str) else v) for k, v in row.items()})
    return buffer.getvalue()


def checklist_csv(documents: Sequence[Document]) -> str:
    """Plans → CSV of tasks: a header row (TASK_COLUMNS), then one row per task."""
    return rows_to_csv(task_rows(documents), TASK_COLUMNS)


def checklist_jsonl(documents: Sequence[Document]) -> str:
    """Plans → JSON lines: one object per task, the task record (as `extract --format json` writes
    it) plus `plan` (the title) and `item` (the checklist line)."""
    lines = []
    for document in documents:
        for t in document.tasks:
            record = {"plan": document.title, "item": task_line(t, document.commitments)}
            record.update(task_to_dict(t))
            lines.append(json.dumps(record, ensure_ascii=False))
    return "\n".join(lines) + "\n" if lines else ""
