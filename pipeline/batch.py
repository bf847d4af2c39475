"""Batches of inputs: expanding folders into plan files and naming one output per input.

Reads the file system (listing only); returns paths and Problems. No click here.
"""
from __future__ import annotations

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


def output_names(paths: Iterable[Path], extension: str) -> Dict[Path, str]:
    """One output file name per input, from its stem; clashing stems (with each other or with
    the cross-plan outputs) get the input's suffix too."""
    paths = list(paths)
    stems: Dict[str, int] = {stem: 1 for stem in RESERVED_STEMS}
    for p in paths:
        stems[p.stem] = stems.get(p.stem, 0) + 1
    names: Dict[Path, str] = {}
    used = set()
    for p in paths:
        base = p.stem if stems[p.stem] == 1 else f"{p.stem}_{p.suffix.lstrip('.').lower()}"
        name, n = f"{base}{extension}", 2
        while name in used:
            name, n = f"{base}_{n}{extension}", n + 1
        used.add(name)
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
