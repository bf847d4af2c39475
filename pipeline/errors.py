"""A small exception family; each names the file and the problem in one line.

Raised at the edges (ingest, lexicons, exports); the CLI turns them into
one-line messages and a non-zero exit.
"""
from __future__ import annotations


class PlanlensError(Exception):
    """Base class: `str(error)` is the one-line message shown to a user."""

    def __init__(self, path: str, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class InputError(PlanlensError):
    """An input file cannot be read as a plan (missing, empty, wrong format…)."""


class UnsupportedFormat(InputError):
    """The file's extension is not one planlens reads."""


class LexiconError(PlanlensError):
    """A lexicon file is malformed; path is `lexicons/FILE:LINE`."""


class OutputError(PlanlensError):
    """An output could not be written."""
