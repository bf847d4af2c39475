"""FileResult → the per-file JSON that `planlens extract --format json` prints.

Pure: returns dicts and strings; writing happens in pipeline/export/files.py.
"""
from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from typing import Any, Dict

from ..model import (SCHEMA_VERSION, Commitment, Compliance, ComplianceCheck, Document, FileResult, Measure,
                     PlanPeriod, Section, Task)


def _number(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


_FIELDS = {cls: tuple(f.name for f in dataclasses.fields(cls)) for cls in (Section, Commitment, Measure)}


def _fields(record) -> Dict[str, Any]:
    """A flat record's fields as a dict, in field order (what dataclasses.asdict gives for these
    records, whose fields are scalars and tuples of scalars, without its deep copies)."""
    return {name: getattr(record, name) for name in _FIELDS[type(record)]}


def section_to_dict(section: Section) -> Dict[str, Any]:
    """One section as JSON-ready dict (spans as [start, end])."""
    d = _fields(section)
    for key in ("span", "heading_span", "label_span"):
        d[key] = list(d[key])
    return d


def commitment_to_dict(commitment: Commitment) -> Dict[str, Any]:
    """One commitment as JSON-ready dict; Decimal values become numbers."""
    d = _fields(commitment)
    d["value"] = _number(d["value"])
    d["value_max"] = _number(d["value_max"])
    d["span"] = list(d["span"])
    d["section"] = {"id": d.pop("section_id"), "path": d.pop("section_path")}
    return d


def measure_to_dict(measure: Measure) -> Dict[str, Any]:
    """One measure as JSON-ready dict."""
    d = _fields(measure)
    d["aliases_seen"] = list(d["aliases_seen"])
    d["section_ids"] = list(d["section_ids"])
    d["commitment_ids"] = list(d["commitment_ids"])
    return d


def task_to_dict(task: Task) -> Dict[str, Any]:
    """One task as JSON-ready dict (tuples as lists, section as {id, path} like a commitment's)."""
    d = dataclasses.asdict(task)
    d["span"] = list(d["span"])
    for key in ("who", "commitment_ids", "practices"):
        d[key] = list(d[key])
    d["section"] = {"id": d.pop("section_id"), "path": d.pop("section_path")}
    return d


def check_to_dict(check: ComplianceCheck) -> Dict[str, Any]:
    """One compliance check as JSON-ready dict."""
    d = dataclasses.asdict(check)
    d["commitment_ids"] = list(d["commitment_ids"])
    d["span"] = None if d["span"] is None else list(d["span"])
    return d


def compliance_to_dict(compliance: Compliance | None) -> Dict[str, Any] | None:
    """A plan's compliance record (checked or not, and why) as JSON-ready dict; None stays None."""
    if compliance is None:
        return None
    return {"checked": compliance.checked, "organisation": compliance.organisation,
            "reason": compliance.reason, "norms": compliance.norms,
            "checks": [check_to_dict(c) for c in compliance.checks]}


def period_to_dict(period: PlanPeriod | None) -> Dict[str, Any] | None:
    """The plan's period as JSON-ready dict; None stays None."""
    return None if period is None else dataclasses.asdict(period)


def document_to_dict(document: Document) -> Dict[str, Any]:
    """One plan: title, text, flat sections, commitments, measures, period, tasks, compliance."""
    return {
        "index": document.index,
        "title": document.title,
        "name": document.name,
        "text": document.text,
        "sections": [section_to_dict(s) for s in document.sections],
        "commitments": [commitment_to_dict(c) for c in document.commitments],
        "measures": [measure_to_dict(m) for m in document.measures],
        "period": period_to_dict(document.period),
        "tasks": [task_to_dict(t) for t in document.tasks],
        "compliance": compliance_to_dict(document.compliance),
    }


def result_to_dict(result: FileResult) -> Dict[str, Any]:
    """The whole per-file envelope: schema version, source, status, problems, documents."""
    return {
        "schema_version": SCHEMA_VERSION,
        "source": {"path": result.path, "format": result.format, "encoding": result.encoding},
        "status": result.status,
        "problems": [p.message for p in result.problems],
        "documents": [document_to_dict(d) for d in result.documents],
    }


def result_to_json(result: FileResult) -> str:
    """`result_to_dict` serialised: UTF-8 text, Chinese unescaped, 2-space indent."""
    return json.dumps(result_to_dict(result), ensure_ascii=False, indent=2) + "\n"
