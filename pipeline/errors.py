"""A small exception family; each names the file and the problem in one line.

Raised at the edges (ingest, lexicons, exports); the CLI turns them into
one-line messages and a non-zero exit.
"""
from __future__ import annotations


class _OneLineError(Exception):
    """`str(error)` is the one-line message shown to a user: `path: problem`."""

    def __init__(self, path: str, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")

    def __reduce__(self):
        # rebuilt from (path, problem) when it crosses from a worker process
        return (type(self), (self.path, self.problem))


class PlanlensError(_OneLineError):
    """Base class of the errors one input or one output causes; the batch goes on past them."""


class InputError(PlanlensError):
    """An input file cannot be read as a plan (missing, empty, wrong format…)."""


class UnsupportedFormat(InputError):
    """The file's extension is not one planlens reads."""


class LexiconError(_OneLineError):
    """A lexicon file is malformed; path is `lexicons/FILE:LINE`.

    Not a PlanlensError: it is the installation's fault, not an input's, so it is never
    recorded against a file; the command stops with this one line."""


class MissingLexicon(LexiconError):
    """A lexicon file the installation should carry is not there: a broken install, not bad input.

    `path` is `lexicons/FILE`; `problem` says where it was looked for."""

    def __init__(self, path: str, problem: str = ""):
        super().__init__(path, problem)

    def line(self) -> str:
        """The one line a user sees."""
        return f"installation is missing {self.path}" + (f" (looked in {self.problem})" if self.problem else "")


class OutputError(PlanlensError):
    """An output could not be written."""
