"""Why the pipeline read a file as it did: an ordered list of sections, one per stage.

Reads a FileResult; returns ExplainSections (a stage name, a heading and lines),
each made by a pure per-stage function listed in EXPLAINERS, and renders them as
plain text for `planlens extract FILE --explain`. A stage that weighs evidence
adds its function to EXPLAINERS; the order of the list is the order printed.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, List, Tuple

from .model import Document, FileResult
from .outline import decide_outline


@dataclass(frozen=True)
class ExplainSection:
    """One stage's account of one document."""

    stage: str  # "outline", …
    heading: str
    lines: Tuple[str, ...]


def _has_title_line(document: Document) -> bool:
    return bool(document.title) and bool(document.lines) and document.lines[0].text.strip() == document.title


def explain_outline(document: Document) -> ExplainSection:
    """Every candidate heading of `document`: accepted or rejected, its level, and the score terms why.

    >>> from pipeline.core import extract_text
    >>> doc = extract_text("一、目标\\n建强支部。\\n二、措施").documents[0]
    >>> explain_outline(doc).lines[0]
    'L1 + level 1  一、目标  heading at level 1: first_of_level+2.0'
    """
    out: List[str] = []
    for d in decide_outline(document.lines, _has_title_line(document)):
        c = d.candidate
        text = document.lines[c.line].text
        label = c.label.text if c.label else "(unnumbered)"
        shown = text[c.pos:c.pos + 30].replace("\t", " ")
        where = "L%d" % (c.line + 1) + ("" if c.lead == "start" else ":%d %s" % (c.pos, c.lead))
        mark = "+ level %d" % d.depth if d.accepted else "- rejected"
        out.append("%s %s  %s  %s" % (where, mark, shown if c.label else label + " " + shown, d.reason))
    heading = "outline: %d candidates, %d headings" % (len(out), len(document.sections))
    return ExplainSection("outline", heading, tuple(out))


def explain_numbers(document: Document) -> ExplainSection:
    """Every number of `document` read with a unit: kept as a commitment (with its value, unit,
    comparator, period, kind) or dropped, and the rule why (`commitments.explain_commitments`,
    run on the same matching shadow the pipeline reads). Numbers are shown as written.

    >>> from pipeline.core import extract_text
    >>> doc = extract_text("一、目标\\n2026年每月至少召开1次支委会。").documents[0]
    >>> explain_numbers(doc).heading
    'commitments: 2 numbers read, 1 kept'
    >>> [line.split()[1] for line in explain_numbers(doc).lines]
    ['dropped', 'kept']
    """
    from dataclasses import replace

    from .commitments import explain_commitments, render_explanation as render_numbers
    from .traditional import to_shadow

    decisions = [replace(d, text=document.text[d.span[0]:d.span[1]] or d.text)
                 for d in explain_commitments(to_shadow(document.text), document.sections)]
    kept = sum(d.kept for d in decisions)
    lines = tuple(render_numbers(decisions).splitlines())
    return ExplainSection("commitments", "commitments: %d numbers read, %d kept" % (len(decisions), kept), lines)


# Per-document explainers in the order their stages run.
EXPLAINERS: Tuple[Callable[[Document], ExplainSection], ...] = (explain_outline, explain_numbers)


def explain_result(result: FileResult) -> Tuple[Tuple[Document, Tuple[ExplainSection, ...]], ...]:
    """For each document of `result`, the sections of every explainer, in stage order."""
    return tuple((doc, tuple(fn(doc) for fn in EXPLAINERS)) for doc in result.documents)


def render_explanation(result: FileResult) -> str:
    """Plain-text rendering of `explain_result`, one block per document."""
    out = [f"# {result.path}"]
    for problem in result.problems:
        out.append(f"problem: {problem.message}")
    for doc, sections in explain_result(result):
        out.append("")
        out.append(f"## document {doc.index + 1}: {doc.title or '(no title)'}")
        for section in sections:
            out.append(f"### {section.heading}")
            out.extend(section.lines)
    return "\n".join(out) + "\n"
