"""Command line: thin click wrappers over pipeline.core and pipeline.export.

Reads arguments and files, writes outputs and one-line errors; exit 1 when
any input failed, 2 for usage errors.
"""
from __future__ import annotations

import sys
from concurrent.futures import ProcessPoolExecutor
from itertools import repeat
from pathlib import Path
from typing import Callable, Iterator, List, Sequence

import click

from . import __version__  # noqa: F401
from .batch import collect_inputs, output_names, summarize
from .core import extract_file
from .errors import PlanlensError
from .export.checklist import checklist_csv, checklist_jsonl, checklist_markdown
from .export.compare import write_comparison
from .export.files import write_bytes_atomic, write_text_atomic
from .export.json import result_to_json
from .export.markdown import result_to_markdown
from .export.sqlite import write_sqlite
from .graph import features_by_plan, plan_texts, text_features
from .model import FileResult, Options, Problem

DEFAULT_CORPUS = Path("corpus")
DEFAULT_OUTPUTS = Path("outputs")
SQLITE_NAME = "planlens.sqlite"

RENDERERS = {"json": (result_to_json, ".json"), "md": (result_to_markdown, ".md")}


def _say_problem(problem: Problem) -> None:
    click.echo(f"planlens: error: {problem}", err=True)


def _ordered_map(fn: Callable, items: Sequence, workers: int, *args) -> Iterator:
    """fn(item, *args) for each item, in order; in `workers` processes when more than one."""
    if workers <= 1 or len(items) < 2:
        yield from (fn(item, *args) for item in items)
        return
    with ProcessPoolExecutor(max_workers=min(workers, len(items))) as pool:
        yield from pool.map(fn, items, *(repeat(a) for a in args))


def _process(paths: Sequence[str], options: Options, on_result: Callable[[Path, FileResult], None],
             workers: int = 1) -> int:
    """Extract every input (in `workers` processes), hand each result to `on_result` in input order;
    print problems and the summary; exit code."""
    files, problems = collect_inputs(paths)
    for problem in problems:
        _say_problem(problem)
    results: List[FileResult] = []
    show_progress = sys.stderr.isatty() and len(files) > 1
    for n, (path, result) in enumerate(zip(files, _ordered_map(extract_file, files, workers, options)), 1):
        if show_progress:
            click.echo(f"\r[{n}/{len(files)}] {path.name[:60]:<60}", err=True, nl=False)
        for problem in result.problems:
            if show_progress:
                click.echo("", err=True)
            _say_problem(problem)
        try:
            on_result(path, result)
        except PlanlensError as exc:
            _say_problem(Problem(exc.path, exc.problem))
            result = FileResult(result.path, result.format, result.encoding, result.documents,
                                result.problems + (Problem(exc.path, exc.problem),))
        results.append(result)
    if show_progress:
        click.echo("", err=True)
    summary = summarize(results, extra_problems=len(problems))
    click.echo(summary.line(), err=True)
    return 1 if summary.errors else 0


def _write_cross_plan(results: Sequence[FileResult], out_dir: Path, workers: int,
                      sqlite_path: Path | None = None) -> int:
    """The comparison and graph files over all plans (and the SQLite database); 1 when one fails."""
    readable = [r for r in results if r.documents]
    try:
        if readable:
            features = list(_ordered_map(text_features, plan_texts(readable), workers))
            write_comparison(readable, out_dir, features_by_plan(readable, features))
        if sqlite_path is not None:
            write_sqlite(results, sqlite_path)
    except PlanlensError as exc:
        _say_problem(Problem(exc.path, exc.problem))
        return 1
    return 0


def _per_input_writer(files: Sequence[str], out_dir: Path | None, extension: str,
                      render: Callable[[FileResult], str | bytes], bom: bool = False) -> Callable[[Path, FileResult], None]:
    """An `on_result` that prints one file's rendering to stdout, or with `out_dir` writes one
    output per input (name from its stem + `extension`); several files without `out_dir` is a usage error."""
    if out_dir is None and len(files) > 1:
        raise click.UsageError("several files need -o DIR (one output per input)")
    names = output_names(collect_inputs(files)[0], extension) if out_dir is not None else {}

    def emit(path: Path, result: FileResult) -> None:
        if not result.documents:
            return
        output = render(result)
        if isinstance(output, bytes):  # a workbook
            if out_dir is None:
                sys.stdout.flush()
                sys.stdout.buffer.write(output)
                sys.stdout.buffer.flush()
            else:
                write_bytes_atomic(out_dir / names[path], output)
        elif out_dir is None:
            sys.stdout.write(output)
        else:
            write_text_atomic(out_dir / names[path], output, bom=bom)
    return emit


NORMS_OPTION = click.option(
    "--norms", type=click.Path(dir_okay=False, path_type=Path),
    help="A norms table (columns as lexicons/norms.tsv) that replaces the shipped norms of the 支部工作条例.")


def _options(norms: Path | None) -> Options:
    """Options for a run; `--norms FILE` read and checked here (a bad file is a usage error naming it)."""
    if norms is None:
        return Options()
    from .compliance import read_norms_text
    try:
        text = norms.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise click.UsageError(f"{norms}: cannot read the norms file ({getattr(exc, 'strerror', None) or exc})")
    try:
        table = read_norms_text(text, norms.name)
    except PlanlensError as exc:
        raise click.UsageError(f"{exc.path}: {exc.problem}")
    return Options(norms=table, norms_name=str(norms))


WORKERS_OPTION = click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
                              help="Processes to work in (extraction, text features); outputs are the same for any number.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="planlens")
def main() -> None:
    """planlens: Chinese work plans → outlines, commitments, measures and comparisons."""


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(sorted(RENDERERS)), default="json", show_default=True,
              help="json for tools, md for people.")
@click.option("-o", "--out-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write one output per input here (name from the input's stem) instead of stdout.")
def extract(files: Sequence[str], fmt: str, out_dir: Path | None) -> None:
    """Extract the plans in FILE... (.txt .html .docx .pdf) with their outline."""
    render, extension = RENDERERS[fmt]
    emit = _per_input_writer(files, out_dir, extension, render)
    sys.exit(_process(files, Options(), emit))


@main.command()
@click.argument("inputs", nargs=-1)
@click.option("-o", "--out-dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUTPUTS,
              show_default=True, help="Folder the run writes into.")
@WORKERS_OPTION
@NORMS_OPTION
def run(inputs: Sequence[str], out_dir: Path, workers: int, norms: Path | None) -> None:
    """The main job: every plan file in INPUTS (default: corpus/) → JSON, outline Markdown and the
    checklist (md, csv, jsonl, xlsx, ics) per file, the comparison and graph files, and
    planlens.sqlite in -o."""
    inputs = inputs or (str(DEFAULT_CORPUS),)
    names = output_names(collect_inputs(inputs)[0], "")
    results: List[FileResult] = []

    def emit(path: Path, result: FileResult) -> None:
        results.append(result)
        if not result.documents:
            return
        stem = names[path]
        write_text_atomic(out_dir / f"{stem}.json", result_to_json(result))
        write_text_atomic(out_dir / f"{stem}.outline.md", result_to_markdown(result))
        for render, extension, bom in CHECKLIST_FORMATS.values():
            output = render(result)
            if isinstance(output, bytes):
                write_bytes_atomic(out_dir / f"{stem}{extension}", output)
            else:
                write_text_atomic(out_dir / f"{stem}{extension}", output, bom=bom)

    code = _process(inputs, _options(norms), emit, workers)
    sys.exit(max(code, _write_cross_plan(results, out_dir, workers, out_dir / SQLITE_NAME)))


@main.command("compare")
@click.argument("files", nargs=-1, required=True)
@click.option("-o", "--out-dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for graph.graphml, graph.gexf, graph.json, compare.md, compare.html, compare.json.")
@WORKERS_OPTION
@NORMS_OPTION
def compare_plans(files: Sequence[str], out_dir: Path, workers: int, norms: Path | None) -> None:
    """Compare the plans in FILE... (files or folders): the practices each names, their numbers, the
    graph, and each plan against the norms (plans × norms)."""
    results: List[FileResult] = []
    code = _process(files, _options(norms), lambda path, result: results.append(result), workers)
    sys.exit(max(code, _write_cross_plan(results, out_dir, workers)))


CHECKLIST_FORMATS = {
    "md": (lambda result: checklist_markdown(result.documents), ".checklist.md", False),
    "csv": (lambda result: checklist_csv(result.documents), ".checklist.csv", True),  # BOM: Excel reads the Chinese
    "json": (lambda result: checklist_jsonl(result.documents), ".checklist.jsonl", False),
    "xlsx": (lambda result: _workbook(result), ".xlsx", False),
    "ics": (lambda result: _calendar(result), ".ics", False),
}


def _workbook(result: FileResult) -> bytes:
    from .export.xlsx import workbook_bytes  # XlsxWriter loads only when a workbook is written
    return workbook_bytes(result.documents)


def _calendar(result: FileResult) -> str:
    from .export.ics import calendar_text  # icalendar loads only when a calendar is written
    return calendar_text(result.documents, _plan_keys(result))


def _plan_keys(result: FileResult) -> List[str]:
    """Keys that make calendar UIDs unique across files: file name and plan index."""
    return [f"{Path(result.path).name}#{doc.index}" for doc in result.documents]


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(list(CHECKLIST_FORMATS)), default="md", show_default=True,
              help="md with [ ] boxes and the compliance table for people, csv for Excel, json (JSON Lines) "
                   "for tools, xlsx (tasks, commitments, compliance sheets), ics for calendars.")
@click.option("-o", "--out-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write one checklist per input here instead of stdout.")
@NORMS_OPTION
def checklist(files: Sequence[str], fmt: str, out_dir: Path | None, norms: Path | None) -> None:
    """Each plan in FILE... as a checklist of tasks (what, who, when, how often) grouped by section,
    with the plan checked against the norms of the 支部工作条例."""
    render, extension, bom = CHECKLIST_FORMATS[fmt]
    if fmt == "xlsx" and out_dir is None and sys.stdout.isatty():
        raise click.UsageError("--format xlsx writes a binary workbook: give -o DIR or redirect stdout")
    emit = _per_input_writer(files, out_dir, extension, render, bom)
    sys.exit(_process(files, _options(norms), emit))


if __name__ == "__main__":
    main()
