"""planlens: Chinese work plans → outlines, commitments, measures and comparisons.

Public API (everything else is internal):

    extract_file(path) -> FileResult      one input file, any supported format
    extract_text(text) -> FileResult      plan text given as a string
    extract_files(paths) -> [FileResult]  many files, bad ones as problem records
"""
from .model import Commitment, Document, FileResult, Measure, Problem, Section, SourceText

__version__ = "0.1.0"

_CORE = ("build_documents", "extract_file", "extract_files", "extract_source", "extract_text")


def __getattr__(name: str):
    # the pipeline functions are imported on first use, so that `import pipeline` (and
    # `planlens --help`) does not load every stage
    if name in _CORE:
        from . import core

        return getattr(core, name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")

__all__ = [
    "extract_file", "extract_files", "extract_text", "extract_source", "build_documents",
    "FileResult", "Document", "Section", "Commitment", "Measure", "Problem", "SourceText",
    "__version__",
]
