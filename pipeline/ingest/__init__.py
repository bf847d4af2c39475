"""Readers, one per format: a file path → SourceText (I/O happens here and nowhere below).

`read_source` dispatches on the extension and raises InputError with a
one-line problem for anything it cannot read.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import InputError, UnsupportedFormat
from ..model import SourceText

TEXT_SUFFIXES = (".txt", ".text", ".md")
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
CONVERTIBLE_SUFFIXES = (".doc", ".wps", ".rtf", ".odt")
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + (".docx", ".pdf") + CONVERTIBLE_SUFFIXES


def read_source(path: str | Path) -> SourceText:
    """Read one input file of any supported format into a SourceText."""
    p = Path(path)
    if not p.exists():
        raise InputError(str(path), "no such file")
    if p.is_dir():
        raise InputError(str(path), "is a directory, not a file")
    suffix = p.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        from .text import read_text_file
        return read_text_file(p)
    if suffix in HTML_SUFFIXES:
        from .html import read_html_file
        return read_html_file(p)
    if suffix == ".docx":
        from .docx import read_docx
        return read_docx(p)
    if suffix == ".pdf":
        from .pdf import read_pdf
        return read_pdf(p)
    if suffix in CONVERTIBLE_SUFFIXES:
        from .convert import convert_to_docx
        from .docx import read_docx
        source = read_docx(convert_to_docx(p))
        return SourceText(path=str(p), format=suffix.lstrip("."), text=source.text,
                          encoding=None, line_hints=source.line_hints, title=source.title)
    raise UnsupportedFormat(str(path), f"unsupported file type '{suffix or '(none)'}' "
                                       f"(planlens reads {', '.join(sorted(set(SUPPORTED_SUFFIXES)))})")
