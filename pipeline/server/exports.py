"""Download formats of one input file, looked up by name: the one registry the web app's
download endpoint reads.

Each entry names the module its writer lives in (imported on first use; a format whose module
is not in this install is simply not offered) and a function FileResult → str or bytes.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import PurePath
from typing import Callable, Dict, List, Optional, Union

from ..model import FileResult


def _plan_keys(result: FileResult) -> List[str]:
    """Per plan, the key that keeps calendar UIDs unique across files: file name and plan index."""
    return [f"{PurePath(result.path).name}#{d.index}" for d in result.documents]


def _markdown(result: FileResult) -> str:
    from ..export.markdown import result_to_markdown
    return result_to_markdown(result)


def _json(result: FileResult) -> str:
    from ..export.json import result_to_json
    return result_to_json(result)


def _xlsx(result: FileResult) -> bytes:
    from ..export.xlsx import workbook_bytes
    return workbook_bytes(result.documents)


def _ics(result: FileResult) -> str:
    from ..export.ics import calendar_text
    return calendar_text(result.documents, _plan_keys(result))


@dataclass(frozen=True)
class Exporter:
    """A download format: its name, the module its writer needs, the writer, what the browser is told."""

    name: str
    module: str
    write: Callable[[FileResult], Union[str, bytes]]
    media_type: str
    extension: str
    label: str


EXPORTERS: Dict[str, Exporter] = {e.name: e for e in (
    Exporter("md", "pipeline.export.markdown", _markdown, "text/markdown; charset=utf-8", ".md", "Markdown outline"),
    Exporter("xlsx", "pipeline.export.xlsx", _xlsx,
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", "Excel workbook"),
    Exporter("ics", "pipeline.export.ics", _ics, "text/calendar; charset=utf-8", ".ics", "Calendar"),
    Exporter("json", "pipeline.export.json", _json, "application/json", ".json", "JSON"),
)}


def writer_of(name: str) -> Optional[Callable[[FileResult], Union[str, bytes]]]:
    """The writer of format `name`, or None when the format is unknown or its module is not installed."""
    exporter = EXPORTERS.get(name)
    if exporter is None:
        return None
    try:
        importlib.import_module(exporter.module)
    except ImportError:
        return None
    return exporter.write


def available_formats() -> List[Exporter]:
    """The registered formats whose writer can be imported here, in registry order."""
    return [e for e in EXPORTERS.values() if writer_of(e.name) is not None]


def export_bytes(name: str, result: FileResult) -> bytes:
    """One file's result in format `name` as bytes (text is UTF-8); KeyError for a format not offered."""
    writer = writer_of(name)
    if writer is None:
        raise KeyError(name)
    out = writer(result)
    return out.encode("utf-8") if isinstance(out, str) else bytes(out)
