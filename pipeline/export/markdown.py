"""FileResult → the outline as Markdown a person reads: nested headings with their bodies.

Pure: returns a string.
"""
from __future__ import annotations

from typing import List

from ..model import Document, FileResult


def document_to_markdown(document: Document) -> str:
    """One plan as Markdown: '#' title, one heading per section (deeper ones as bold lines), bodies."""
    out: List[str] = [f"# {document.title or '(untitled plan)'}", ""]
    first = document.sections[0].span[0] if document.sections else len(document.text)
    preamble = document.text[:first].strip()
    if document.title and preamble.startswith(document.title):
        preamble = preamble[len(document.title):].strip()
    if preamble:
        out += [preamble, ""]
    for section in document.sections:
        heading = f"{section.label}{section.title}" if section.label else section.title
        if section.level <= 5:
            out.append(f"{'#' * (section.level + 1)} {heading}")
        else:
            out.append(f"{'  ' * (section.level - 6)}- **{heading}**")
        rest = section.heading[len(section.label) + len(section.title):].lstrip("。：:；; ")
        body = "\n".join(x for x in (rest, section.body) if x)
        out += ["", body, ""] if body else [""]
    return "\n".join(out).rstrip() + "\n"


def result_to_markdown(result: FileResult) -> str:
    """All plans of a file, separated by rules; problems listed at the top."""
    parts = [f"> {p}" for p in result.problems]
    parts += [document_to_markdown(d) for d in result.documents]
    return "\n---\n\n".join(parts) if parts else ""
