"""One plan's logical lines → its section tree (flat, in reading order).

Reads Lines (offsets into the plan's text); returns Sections. The outline is
one global decision: `candidates.find_candidates` collects every candidate
heading with its evidence, `decode.decode` chooses the headings and their
levels that together make the most consistent outline. Levels are depths in
this plan's tree, so a plan that starts at （一） has （一） at level 1.
"""
from __future__ import annotations

from typing import Sequence, Tuple

from ..model import Line, Section
from .candidates import (Candidate, _title_of, find_candidates, heading_title, is_unnumbered_heading, line_labels,
                         title_below)
from .decode import UNNUMBERED, Decision, accepted_headings, decode

__all__ = ["Candidate", "Decision", "UNNUMBERED", "build_outline", "decide_outline", "find_candidates",
           "heading_title", "is_unnumbered_heading", "line_labels", "lines_from_text", "outline_text"]


def decide_outline(lines: Sequence[Line], skip_title: bool = False) -> Tuple[Decision, ...]:
    """Every candidate heading of a plan with the decoder's decision on it (for --explain)."""
    return decode(find_candidates(lines, 1 if skip_title else 0))


def build_outline(text: str, lines: Sequence[Line], skip_title: bool = False) -> Tuple[Section, ...]:
    """Sections of one plan, flat in reading order.

    `text` is the plan's text and `lines` its logical lines (Line.start indexes
    into `text`); with `skip_title` the first line is the plan's title and opens
    no section.
    """
    # the decoder's accepted headings only: the Decisions' reasons are for --explain
    return _sections(text, lines, accepted_headings(find_candidates(lines, 1 if skip_title else 0)))


def sections_from_decisions(text: str, lines: Sequence[Line], decisions: Sequence[Decision]) -> Tuple[Section, ...]:
    """The Sections of the accepted decisions: spans, bodies, titles, parents and paths."""
    return _sections(text, lines, [(d.candidate, d.depth, d.parent) for d in decisions if d.accepted])


def _sections(text: str, lines: Sequence[Line], accepted: Sequence[tuple]) -> Tuple[Section, ...]:
    """The Sections of the accepted headings, (candidate, depth, parent candidate index) each."""
    starts = [lines[h.line].start + h.pos for h, _, _ in accepted]
    starts.append(len(text))  # where the last section ends
    ids = {h.index: k for k, (h, _, _) in enumerate(accepted)}
    names = []  # each section's id: "s1", "s2" …
    paths = []  # each section's path
    out = []
    for k, (h, depth, parent_index) in enumerate(accepted):
        line = lines[h.line]
        start = starts[k]
        next_start = starts[k + 1]
        line_end = line.start + len(line.text)
        # comparisons, not min(): the builtin's call costs several times as much
        heading = text[start:line_end if line_end < next_start else next_start].rstrip()
        heading_end = start + len(heading)
        body = text[heading_end:next_start].rstrip()
        end = heading_end + len(body) if next_start > heading_end else next_start
        label = h.label
        if label:
            label_span = (start, start + len(label.text))
            label_text = label.text
            title = _title_of(heading[label.end - h.pos:], len(heading))
            if not title and h.line + 1 < len(lines):
                below = lines[h.line + 1]
                if next_start >= below.start + len(below.text):
                    title = title_below(below.text)  # the label stood alone; its title is below
        else:
            label_span = (start, start)
            label_text = ""
            title = _title_of(heading, len(heading)).rstrip("：:")
        parent = ids.get(parent_index) if parent_index is not None else None
        # the labels (or titles) from the root joined by "/"
        path = paths[parent] + "/" + (label_text or title) if parent is not None else label_text or title
        paths.append(path)
        names.append(f"s{k + 1}")
        out.append(Section(names[k], names[parent] if parent is not None else None, depth, label_text, title, path,
                           heading, body.lstrip(), (start, end), (start, heading_end), label_span))
    return tuple(out)


def lines_from_text(text: str) -> Tuple[Line, ...]:
    """Logical lines of an already-clean text, one per non-blank line (for tests and tools)."""
    out = []
    offset = 0
    for index, raw in enumerate(text.split("\n")):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            out.append(Line(stripped, offset + lead, offset + lead, (index,)))
        offset += len(raw) + 1
    return tuple(out)


def outline_text(text: str, skip_title: bool = False) -> Tuple[Section, ...]:
    """Sections of a plan given as plain text (one logical line per line)."""
    return build_outline(text, lines_from_text(text), skip_title)
