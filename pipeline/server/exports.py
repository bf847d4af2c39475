"""Download formats of one input file, looked up by name: the one registry the web app's
download endpoint reads.

Each entry names its writer as "module:function" (FileResult → str or bytes), imported on
first use; a format whose writer module is not in this install is simply not offered.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional

from ..model import FileResult


@dataclass(frozen=True)
class Exporter:
    """A download format: its name, the writer it calls, what the browser is told."""

    name: str
    writer: str  # "module:function", the function takes a FileResult
    media_type: str
    extension: str
    label: str


EXPORTERS: Dict[str, Exporter] = {e.name: e for e in (
    Exporter("md", "pipeline.export.markdown:result_to_markdown", "text/markdown; charset=utf-8", ".md",
             "Markdown outline"),
    Exporter("xlsx", "pipeline.export.xlsx:result_to_xlsx",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", "Excel workbook"),
    Exporter("ics", "pipeline.export.ics:result_to_ics", "text/calendar; charset=utf-8", ".ics", "Calendar"),
    Exporter("json", "pipeline.export.json:result_to_json", "application/json", ".json", "JSON"),
)}


def writer_of(name: str) -> Optional[Callable[[FileResult], object]]:
    """The writer function of format `name`, or None when the format is unknown or not installed."""
    exporter = EXPORTERS.get(name)
    if exporter is None:
        return None
    module_name, _, function = exporter.writer.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return None
    return getattr(module, function, None)


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
