"""Batches of uploaded files the web app works on: each in its own temp folder, removed when read.

I/O edge: writes uploads under a fresh temp folder with names made here
(`00000.txt`, never a name from the upload), extracts them, deletes the folder.
The store keeps results in memory for the pages and downloads that ask later.
"""
from __future__ import annotations

import os
import re
import secrets
import shutil
import tempfile
import threading
import time
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, BinaryIO, Callable, Dict, List, Optional, Sequence, Tuple

from ..core import extract_file, extract_text
from ..errors import PlanlensError
from ..model import FileResult, Problem, Options

_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,6}$")
MAX_NAME = 200


def display_name(raw: Optional[str], position: int) -> str:
    """An upload's name as shown to people: its relative path with '..', '.', empty parts, control
    characters and drive letters dropped, at most MAX_NAME characters. Never used on disk.

    >>> display_name("../../etc/passwd", 0)
    'etc/passwd'
    >>> display_name("C:\\\\plans\\\\a.txt", 3)
    'plans/a.txt'
    >>> display_name("", 7)
    'upload-8'
    """
    text = "".join(ch for ch in (raw or "") if unicodedata.category(ch)[0] != "C")
    parts = [p.strip() for p in re.split(r"[\\/]+", text)]
    parts = [p for p in parts if p and p not in (".", "..") and not re.fullmatch(r"[A-Za-z]:", p)]
    name = "/".join(parts)[-MAX_NAME:].lstrip("/")
    return name or f"upload-{position + 1}"


def disk_name(display: str, position: int) -> str:
    """The name an upload gets in the run's temp folder: its position and, when it has a plain
    one, its extension (the reader chooses by extension).

    >>> disk_name("学校/计划.DOCX", 4), disk_name("x.tar.gz;rm", 5), disk_name("noext", 6)
    ('00004.docx', '00005', '00006')
    """
    m = _SUFFIX.search(display)
    return f"{position:05d}{m.group(0).lower() if m else ''}"


def renamed(result: FileResult, name: str) -> FileResult:
    """`result` with the temp path replaced by the upload's display name (in its problems too)."""
    problems = tuple(Problem(name, p.message) for p in result.problems)
    return replace(result, path=name, problems=problems)


@dataclass
class Run:
    """One batch: its files as they are read, then the dashboard once compared."""

    id: str
    names: List[str]
    kind: str = "batch"  # "batch" (read in the background) or "extract" (read in the request)
    status: str = "reading"  # reading → comparing → done, or error
    results: List[Optional[FileResult]] = field(default_factory=list)
    dashboard: Optional[Dict[str, Any]] = None
    error: Optional[str] = None
    started: float = field(default_factory=time.time)
    finished: Optional[float] = None

    @property
    def done(self) -> int:
        return sum(r is not None for r in self.results)


class RunStore:
    """Runs by id, the newest `keep` of them; thread-safe."""

    def __init__(self, keep: int = 16):
        self.keep = keep
        self._runs: Dict[str, Run] = {}
        self._lock = threading.Lock()

    def new(self, names: Sequence[str], kind: str) -> Run:
        run = Run(id=secrets.token_urlsafe(9), names=list(names), kind=kind, results=[None] * len(names))
        with self._lock:
            self._runs[run.id] = run
            while len(self._runs) > self.keep:
                oldest = min(self._runs.values(), key=lambda r: r.started)
                del self._runs[oldest.id]
        return run

    def get(self, run_id: str) -> Optional[Run]:
        with self._lock:
            return self._runs.get(run_id)

    def drop(self, run_id: str) -> bool:
        with self._lock:
            return self._runs.pop(run_id, None) is not None


def stage_uploads(uploads: Sequence[Tuple[str, BinaryIO]], temp_root: Optional[str] = None
                  ) -> Tuple[Path, List[Path]]:
    """Copy (display name, binary file) uploads into a new temp folder under names made here
    (`disk_name`); (folder, paths in upload order)."""
    folder = Path(tempfile.mkdtemp(prefix="planlens-upload-", dir=temp_root))
    paths = []
    try:
        for i, (name, handle_in) in enumerate(uploads):
            path = folder / disk_name(name, i)
            with open(path, "xb") as handle:
                shutil.copyfileobj(handle_in, handle, 1 << 20)
            paths.append(path)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder, paths


def read_staged(run: Run, folder: Path, paths: Sequence[Path], options: Options = Options(),
                on_file: Optional[Callable[[int], None]] = None) -> None:
    """Extract each staged file into `run.results` (in order), then remove the folder, whatever happens."""
    try:
        for i, path in enumerate(paths):
            run.results[i] = renamed(extract_file(path, options), run.names[i])
            if on_file:
                on_file(i)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def read_text_upload(text: str, name: str) -> FileResult:
    """Pasted plan text → FileResult named `name` (nothing touches disk); like `extract_file`, a
    failure becomes the result's problem, never an exception."""
    try:
        return extract_text(text, path=name)
    except PlanlensError as exc:
        return FileResult(path=name, format="txt", encoding=None, problems=(Problem(name, exc.problem),))
    except Exception as exc:  # a bug costs this text, not the server; PLANLENS_DEBUG=1 shows it
        if os.environ.get("PLANLENS_DEBUG"):
            raise
        return FileResult(path=name, format="txt", encoding=None,
                          problems=(Problem(name, f"internal error ({type(exc).__name__}: {exc})"),))


def temp_folders(temp_root: Optional[str] = None) -> List[str]:
    """The upload folders currently on disk (what tests check is cleaned up)."""
    root = temp_root or tempfile.gettempdir()
    return sorted(n for n in os.listdir(root) if n.startswith("planlens-upload-"))
