"""Orchestration: a file or a string → FileResult with its plans, outlines, commitments, measures.

Pure below `extract_file` (which only calls the ingest edge); every other
function here takes text or a SourceText and returns frozen records.
"""
from __future__ import annotations

import gc
import os
from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterable, List, Optional, Sequence, Tuple

from .commitments import extract_commitments
from .compliance import check_plan
from .errors import LexiconError, PlanlensError
from .ingest import read_source
from .ingest.text import text_to_source
from .measures import find_measures
from .model import Document, FileResult, Line, Options, Problem, SourceText
from .normalize import source_to_lines
from .outline import build_outline
from .split import document_name, split_plans
from .tasks import build_tasks, plan_period
from .traditional import restore_document, without_glosses


def _relocate(lines: Sequence[Line]) -> Tuple[str, Tuple[Line, ...]]:
    """Join a plan's lines into its text and set each line's offset into it."""
    out = []
    offset = 0
    for line in lines:  # built directly: dataclasses.replace costs three times as much per line
        out.append(Line(line.text, offset, line.source_start, line.source_lines, line.hint, line.original))
        offset += len(line.text) + 1
    return "\n".join(l.text for l in lines), tuple(out)


def build_documents(source: SourceText, options: Options = Options()) -> Tuple[Document, ...]:
    """All plans of one decoded source, each with its outline (and later stages per `options`).

    Every stage matches on the lines' simplified shadow (traditional characters
    simplified, pinyin glosses blanked; same length); the documents returned
    carry the text as written, cut at the same offsets (pipeline/traditional.py).
    """
    lines = source_to_lines(source)
    documents = []
    for index, plan in enumerate(split_plans(lines, source.title)):
        text, plan_lines = _relocate(plan.lines)
        written = "\n".join(l.text if l.original is None else l.original for l in plan.lines)
        sections = build_outline(text, plan_lines, skip_title=plan.has_title)
        doc = Document(index=index, title=plan.title, text=text, lines=plan_lines, sections=sections)
        doc = restore_document(enrich(doc, options), written)
        documents.append(replace(doc, name=document_name(doc.title, doc.text, source.path)))
    return tuple(documents)


def enrich(document: Document, options: Options = Options()) -> Document:
    """Add the commitments, measures, period, tasks and compliance check of a document whose outline is built."""
    commitments = document.commitments
    if options.with_commitments:
        commitments = extract_commitments(document.text, document.sections)
    measures = document.measures
    if options.with_measures:
        measures = find_measures(*without_glosses(document.text, document.sections, commitments))
    if not options.with_tasks:
        return replace(document, commitments=commitments, measures=measures)
    document = replace(document, commitments=commitments, measures=measures,
                       period=plan_period(document.title, document.text))
    return replace(document, tasks=build_tasks(document),
                   compliance=check_plan(document, options.norms, options.norms_name))


def extract_source(source: SourceText, options: Options = Options()) -> FileResult:
    """FileResult for an already-read source; a source holding no plan text is a problem."""
    documents = build_documents(source, options)
    problems: Tuple[Problem, ...] = ()
    if not any(doc.text.strip() for doc in documents):
        problems = (Problem(source.path, "no plan text found"),)
        documents = ()
    return FileResult(path=source.path, format=source.format, encoding=source.encoding,
                      documents=documents, problems=problems)


def extract_text(text: str, path: str = "<text>", options: Options = Options()) -> FileResult:
    """FileResult for plan text given as a string (testable entry point of the whole pipeline)."""
    return extract_source(text_to_source(text, path), options)


def extract_file(path: str | Path, options: Options = Options()) -> FileResult:
    """Read and process one file; any input problem becomes a Problem, never an exception."""
    fmt = Path(path).suffix.lstrip(".").lower() or None
    try:
        source = read_source(path)
        return extract_source(source, options)
    except LexiconError:
        raise  # a broken installation, not this input's fault: the caller stops
    except PlanlensError as exc:
        return FileResult(path=str(path), format=fmt, encoding=None, problems=(Problem(str(path), exc.problem),))
    except Exception as exc:  # a bug must cost one file, not the batch; PLANLENS_DEBUG=1 shows it
        if os.environ.get("PLANLENS_DEBUG"):
            raise
        return FileResult(path=str(path), format=fmt, encoding=None,
                          problems=(Problem(str(path), f"internal error ({type(exc).__name__}: {exc}); "
                                                       "rerun with PLANLENS_DEBUG=1 for details"),))


# A plan small enough to cost nothing, holding what makes every stage load its tables: a heading
# running on into its body, an unnumbered sub-heading, a signature (tests/test_core.py checks).
WARM_PLAN = ("学校党支部工作计划\n一、总体要求坚持以党建引领学校发展全面推进各项工作\n二、主要工作\n组织生活\n"
             "支部委员会每月召开1次会议。\n东风小学党支部\n")

_settled = False


def _settle_loaded() -> None:
    """Move every object alive now into the garbage collector's permanent generation, once per process.

    Called when the per-process tables are loaded (lexicons, compiled rules, the
    segmenter: some 30,000 objects that live as long as the process). Without it
    every full collection walks them again; with hundreds of files that is about a
    tenth of the extraction time (bench/bench_extract.py). Forked workers also keep
    sharing those pages, which the collector would otherwise write to. Objects
    created later are collected as usual.
    """
    global _settled
    if _settled:
        return
    _settled = True
    gc.collect()
    gc.freeze()


def prepare(options: Options = Options(), warm_also: Optional[Callable[[FileResult], object]] = None) -> None:
    """Load what every extraction with `options` needs (by extracting `WARM_PLAN`), hand the
    result to `warm_also` (what else the caller makes of a file: renderings, rows), then
    `_settle_loaded`. A broken installation raises LexiconError here, before any input is
    read; any other failure is left for the first real file to report."""
    try:
        result = extract_text(WARM_PLAN, "<warm-up>", options)
        if warm_also is not None:
            warm_also(result)
    except LexiconError:
        raise
    except Exception:  # noqa: BLE001 - best effort: a real file meets the same problem and reports it
        pass
    _settle_loaded()


def extract_files(paths: Iterable[str | Path], options: Options = Options()) -> List[FileResult]:
    """`extract_file` over many paths, in order; bad files become problem records."""
    return [extract_file(p, options) for p in paths]
