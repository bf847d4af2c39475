"""Batches of inputs: expanding folders into plan files and naming one output per input.

Reads the file system (listing only); returns paths and Problems. No click here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Tuple

from .ingest import SUPPORTED_SUFFIXES
from .model import FileResult, Problem


@dataclass(frozen=True)
class BatchSummary:
    """Counts for the one-line summary at the end of a run."""

    files: int
    plans: int
    sections: int
    commitments: int
    errors: int

    def line(self) -> str:
        return (f"planlens: {self.files} file(s), {self.plans} plan(s), {self.sections} section(s), "
                f"{self.commitments} commitment(s), {self.errors} error(s)")


def collect_inputs(paths: Iterable[str | Path]) -> Tuple[List[Path], List[Problem]]:
    """Expand folders (recursively, sorted) into supported plan files; missing paths become Problems.

    A folder with no plan files is a Problem; a file of any extension is kept, so that
    its reader can say what is wrong with it.
    """
    files: List[Path] = []
    problems: List[Problem] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES
                           and not any(part.startswith(".") for part in f.relative_to(p).parts))
            if not found:
                problems.append(Problem(str(p), "folder holds no plan files "
                                                "(.txt .html .docx .pdf .doc .wps .rtf .odt)"))
            files.extend(found)
        elif p.exists():
            files.append(p)
        else:
            problems.append(Problem(str(p), "no such file or folder"))
    return files, problems


# Stems the cross-plan outputs of `run` use (compare.*, graph.*, planlens.sqlite).
RESERVED_STEMS = frozenset({"compare", "graph", "planlens"})


# Characters never put in an output name: path separators, control characters, and what
# Windows forbids; a name is also kept short enough for any file system (bytes of UTF-8).
_UNSAFE_IN_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
_WINDOWS_DEVICES = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                              *(f"LPT{i}" for i in range(1, 10))})
STEM_MAX_BYTES = 150


def safe_stem(stem: str) -> str:
    """An input's stem made safe as an output name: no separators, control characters, `..`,
    leading dots or device names, at most STEM_MAX_BYTES bytes; never empty.

    >>> safe_stem("学校计划"), safe_stem("../../etc/passwd"), safe_stem("a:b"), safe_stem("..")
    ('学校计划', 'etc_passwd', 'a_b', 'plan')
    """
    name = _UNSAFE_IN_NAME.sub("_", stem)
    name = re.sub(r"\.{2,}", ".", name).strip(" ._")
    while len(name.encode("utf-8")) > STEM_MAX_BYTES:
        name = name[:-1]
    name = name.rstrip(" .") or "plan"
    if name.split(".")[0].upper() in _WINDOWS_DEVICES:
        name = f"_{name}"
    return name


def output_names(paths: Iterable[Path], extension: str) -> Dict[Path, str]:
    """One output file name per input, from its (sanitised, see `safe_stem`) stem; clashing
    stems (with each other or with the cross-plan outputs, compared ignoring case, as some file
    systems do) get the input's suffix too, then a number."""
    paths = list(paths)
    stems: Dict[str, int] = {stem: 1 for stem in RESERVED_STEMS}
    safe = {p: safe_stem(p.stem) for p in paths}
    for p in paths:
        key = safe[p].casefold()
        stems[key] = stems.get(key, 0) + 1
    names: Dict[Path, str] = {}
    used = set()
    for p in paths:
        stem = safe[p]
        suffix = safe_stem(p.suffix.lstrip(".").lower()) if p.suffix.strip(".") else "file"
        base = stem if stems[stem.casefold()] == 1 else f"{stem}_{suffix}"
        name, n = f"{base}{extension}", 2
        while name.casefold() in used:
            name, n = f"{base}_{n}{extension}", n + 1
        used.add(name.casefold())
        names[p] = name
    return names


def summarize(results: Iterable[FileResult], extra_problems: int = 0) -> BatchSummary:
    """Totals over results; `extra_problems` counts inputs that never became a result."""
    results = list(results)
    return BatchSummary(
        files=len(results),
        plans=sum(len(r.documents) for r in results),
        sections=sum(len(d.sections) for r in results for d in r.documents),
        commitments=sum(len(d.commitments) for r in results for d in r.documents),
        errors=sum(1 for r in results if not r.ok) + extra_problems,
    )
