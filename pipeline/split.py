"""One file's logical lines → its plans (documents), each with its title line.

Reads Lines from the normaliser; returns PlanSlices. A short line naming a
计划/要点/安排/方案 starts a plan; after the first plan, such a line starts a
new one only where the numbering restarts after it (or no numbering follows).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import List, Optional, Sequence, Tuple

from . import lexicons
from .labels import parse_label
from .model import Line
from .textutil import SENTENCE_END
from .traditional import to_shadow

_TITLE_MAX = 40
# A "plan" with no numbering and less text than this before the next title is a headline.
_HEADLINE_BODY_MAX = 200
# Less text than this under a title, and no numbered line, and it is no plan.
_PLAN_BODY_MIN = 60
_YEAR = re.compile(r"(?:19|20)\d\d|[二〇零一二三四五六七八九]{4}年|学年|年度|学期")
_TITLE_FORBIDDEN = SENTENCE_END + "：:，,"


@dataclass(frozen=True)
class PlanSlice:
    """The lines of one plan; `has_title` says whether lines[0] is its title line."""

    title: str
    lines: Tuple[Line, ...]
    has_title: bool


@lru_cache(maxsize=1)
def _title_pattern() -> "re.Pattern[str]":
    rows = lexicons.read_table("plan_titles.tsv", ("keyword",))
    return re.compile(lexicons.alternation((r["keyword"] for r in rows), "lexicons/plan_titles.tsv"))


def is_title_line(line: Line) -> bool:
    """True when `line` reads as a plan's title: short, unnumbered, names a plan, no sentence marks."""
    text = line.text
    if line.hint and line.hint.is_title:
        return True
    if not (4 <= len(text) <= _TITLE_MAX) or parse_label(text):
        return False
    if any(c in text for c in _TITLE_FORBIDDEN) or text.endswith(("如下", "的")):
        return False
    return bool(_title_pattern().search(text))


def written(line: Line) -> str:
    """A line's text as written (its `text` may be the simplified matching shadow)."""
    return line.text if line.original is None else line.original


def cut_line(line: Line, start: int, end: Optional[int] = None, **changes) -> Line:
    """The part [start:end] of `line`, shadow and original alike; `source_start` moves with `start`."""
    end = len(line.text) if end is None else end
    original = line.original[start:end] if line.original is not None else None
    return replace(line, text=line.text[start:end], original=original,
                   source_start=line.source_start + start, **changes)


def _first_label(lines: Sequence[Line], start: int, stop: int):
    for line in lines[start:stop]:
        label = parse_label(line.text)
        if label:
            return label
    return None


def _first_label_number(lines: Sequence[Line], start: int, stop: int) -> Optional[int]:
    label = _first_label(lines, start, stop)
    return label.number if label else None


def detach_run_in_titles(lines: Sequence[Line]) -> List[Line]:
    """Split "XX学校2026年党建工作要点 一、指导思想 …" (a title run into its plan) into two lines."""
    out: List[Line] = []
    for line in lines:
        text = line.text
        cut = None
        if len(text) > _TITLE_MAX and not is_title_line(line):
            for m in re.finditer(r"\s+", text[:_TITLE_MAX + 2]):
                label = parse_label(text, m.end())
                if label and label.number == 1 and m.start() >= 4:
                    cut = (m.start(), m.end())
                    break
        if cut and is_title_line(replace(line, text=text[:cut[0]])):
            out.append(cut_line(line, 0, cut[0]))
            out.append(cut_line(line, cut[1], hint=None))
        else:
            out.append(line)
    return out


def _is_plain_title(lines: Sequence[Line]) -> bool:
    """A file's first line as title when it names no plan kind: short, unnumbered, no sentence
    marks, dated or about party work, with the plan's numbered outline starting right after."""
    first = lines[0].text.strip()
    if not (4 <= len(first) <= _TITLE_MAX) or parse_label(first) or any(c in first for c in _TITLE_FORBIDDEN):
        return False
    if not (_YEAR.search(first) or "党" in first or "工作" in first):
        return False
    following = _first_label(lines, 1, min(len(lines), 4))
    return following is not None and following.number == 1


def split_plans(lines: Sequence[Line], declared_title: Optional[str] = None) -> List[PlanSlice]:
    """Cut a file's logical lines into plans.

    Lines before the first title belong to no plan (page headline, lead-in)
    unless they already hold numbered headings. A file with no title line is
    one plan with title "" (or the title a rich format declared).
    """
    lines = detach_run_in_titles(lines)
    candidates = [i for i, line in enumerate(lines) if is_title_line(line)]
    # a title directly followed by another title is a page headline, not a plan
    candidates = [i for k, i in enumerate(candidates)
                  if not (k + 1 < len(candidates) and candidates[k + 1] == i + 1)]
    starts: List[int] = []
    for k, i in enumerate(candidates):
        if not starts:
            starts.append(i)
            continue
        nxt = candidates[k + 1] if k + 1 < len(candidates) else len(lines)
        body_since_last = i - starts[-1]
        after = _first_label(lines, i + 1, nxt)
        before = _first_label(lines, starts[-1] + 1, i)
        has_year = bool(_YEAR.search(lines[i].text))
        if body_since_last < 2:
            continue
        if before is None and after is not None and after.number == 1 and \
                sum(len(l.text) for l in lines[starts[-1] + 1:i]) < _HEADLINE_BODY_MAX:
            starts[-1] = i  # what came before was a page headline and its lead-in, not a plan
            continue
        if after is not None and after.number == 1 and before is not None:
            # the outline restarts: the same outermost style as the plan before, or a dated title
            if after.style == before.style or has_year:
                starts.append(i)
        elif after is None and (has_year or before is None):
            starts.append(i)
    if not starts:
        if lines and _is_plain_title(lines):
            return [PlanSlice(written(lines[0]).strip(), tuple(lines), True)]
        return [PlanSlice(declared_title or "", tuple(lines), False)] if lines else []
    plans = []
    preamble = lines[:starts[0]]
    if preamble and _first_label_number(preamble, 0, len(preamble)) is not None:
        plans.append(PlanSlice(declared_title or "", tuple(preamble), False))
    bounds = starts + [len(lines)]
    for a, b in zip(bounds, bounds[1:]):
        plans.append(PlanSlice(written(lines[a]).strip(), tuple(lines[a:b]), True))
    substantial = [p for p in plans if _has_plan_body(p)]
    # titles with (almost) nothing under them are a related-documents list, not plans
    return substantial or plans[:1]


def _has_plan_body(plan: PlanSlice) -> bool:
    body = plan.lines[1:] if plan.has_title else plan.lines
    return (sum(len(line.text) for line in body) >= _PLAN_BODY_MIN
            or _first_label(body, 0, len(body)) is not None)


@lru_cache(maxsize=1)
def _organisation_pattern() -> "re.Pattern[str]":
    rows = lexicons.read_table("organisations.tsv", ("suffix",))
    suffixes = lexicons.alternation((r["suffix"] for r in rows), "lexicons/organisations.tsv")
    # a name: 2–10 characters that are no function words, then an organisation word,
    # then optionally the party body inside it (XX小学党支部)
    return re.compile(r"[^\s\W的为在和与是了将把对及并等中要让使从向以按据于各全本我该此其这那]{2,10}?"
                      r"(?:" + suffixes + r")(?:党总支|党支部|党委|支部|团委|工会)?")


_NAME_WINDOW = 400


def organisation(text: str) -> str:
    """The first organisation `text` names near its start (`XX小学党支部`), as written; "" if none."""
    head = text[:_NAME_WINDOW]
    m = _organisation_pattern().search(to_shadow(head))
    return head[m.start():m.end()] if m else ""


def document_name(title: str, text: str, path: str) -> str:
    """What to show for a plan: its title; else the file stem and the organisation its text names.

    >>> document_name("", "东风小学党支部将认真落实…", "inputs/p01.txt")
    'p01 · 东风小学党支部'
    """
    if title.strip():
        return title.strip()
    stem = re.split(r"[\\/]", path)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem[1:] else stem
    org = organisation(text)
    return f"{stem} · {org}" if org and stem else (stem or org)
