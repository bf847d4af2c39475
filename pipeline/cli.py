"""Command line: thin click wrappers over pipeline.core and pipeline.export.

Reads arguments and files, writes outputs and one-line errors; exit 1 when
any input failed, 2 for usage errors.
"""
from __future__ import annotations

import sys
from itertools import repeat
from pathlib import Path
from typing import Callable, Iterator, List, Sequence

import click

from . import __version__
from .batch import collect_inputs, output_names, summarize
from .errors import LexiconError, MissingLexicon, PlanlensError
from .export.files import write_text_atomic
from .export.json import result_to_json
from .export.markdown import result_to_markdown
from .model import FileResult, Options, Problem

# Stages and exporters that pull in jieba, networkx or the rule tables are imported where a
# command uses them (`planlens --help` and `--version` load none of them).


def extract_file(path, options: Options = Options()) -> FileResult:
    """`pipeline.core.extract_file`, imported on first use."""
    from .core import extract_file as extract

    return extract(path, options)


def _checklist(name: str) -> Callable:
    def render(*args, **kwargs):
        from .export import checklist as module

        return getattr(module, name)(*args, **kwargs)
    render.__name__ = name
    return render


checklist_csv, checklist_jsonl, checklist_markdown = (_checklist(n) for n in ("checklist_csv", "checklist_jsonl",
                                                                              "checklist_markdown"))

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
    from concurrent.futures import ProcessPoolExecutor

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
    from .export.compare import write_comparison
    from .export.sqlite import write_sqlite
    from .graph import features_by_plan, plan_texts, text_features

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


def _check_out_dir(out_dir: Path) -> None:
    """Create the output folder and make sure a file can be written there; if not, one line
    naming the folder and exit 1 (before any input is read)."""
    import os
    import tempfile

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".planlens-probe-", dir=out_dir)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        click.echo(f"planlens: error: {out_dir}: cannot write to the output folder ({exc.strerror or exc})",
                   err=True)
        sys.exit(1)


def _per_input_writer(files: Sequence[str], out_dir: Path | None, extension: str,
                      render: Callable[[FileResult], str], bom: bool = False) -> Callable[[Path, FileResult], None]:
    """An `on_result` that prints one file's rendering to stdout, or with `out_dir` writes one
    output per input (name from its stem + `extension`); several files without `out_dir` is a usage error."""
    if out_dir is None and len(files) > 1:
        raise click.UsageError("several files need -o DIR (one output per input)")
    if out_dir is not None:
        _check_out_dir(out_dir)
    names = output_names(collect_inputs(files)[0], extension) if out_dir is not None else {}

    def emit(path: Path, result: FileResult) -> None:
        if not result.documents:
            return
        if out_dir is None:
            sys.stdout.write(render(result))
        else:
            write_text_atomic(out_dir / names[path], render(result), bom=bom)
    return emit


WORKERS_OPTION = click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
                              help="Processes to work in (extraction, text features); outputs are the same for any number.")


class _Group(click.Group):
    """The command group; a broken installation (a lexicon file missing or malformed) ends the
    run with one line naming it, never blamed on an input."""

    def invoke(self, ctx: click.Context):
        try:
            from .segment import project_words

            project_words()  # the dictionaries every run needs are there (reads no jieba)
            return super().invoke(ctx)
        except MissingLexicon as exc:
            click.echo(f"planlens: {exc.line()}", err=True)
            ctx.exit(1)
        except LexiconError as exc:
            click.echo(f"planlens: broken installation: {exc}", err=True)
            ctx.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="planlens", message="%(prog)s %(version)s")
def main() -> None:
    """planlens: Chinese work plans → outlines, commitments, measures and comparisons."""


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(sorted(RENDERERS)), default="json", show_default=True,
              help="json for tools, md for people.")
@click.option("-o", "--out-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write one output per input here (name from the input's stem) instead of stdout.")
@click.option("--explain", is_flag=True,
              help="Instead of the output, print each candidate heading: accepted or rejected, level, and why.")
def extract(files: Sequence[str], fmt: str, out_dir: Path | None, explain: bool) -> None:
    """Extract the plans in FILE... (.txt .html .docx .pdf) with their outline."""
    render, extension = RENDERERS[fmt]
    if explain:
        from .explain import render_explanation
        render, extension = render_explanation, ".explain.txt"
    emit = _per_input_writer(files, out_dir, extension, render)
    sys.exit(_process(files, Options(), emit))


@main.command()
@click.argument("inputs", nargs=-1)
@click.option("-o", "--out-dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUTPUTS,
              show_default=True, help="Folder the run writes into.")
@WORKERS_OPTION
def run(inputs: Sequence[str], out_dir: Path, workers: int) -> None:
    """The main job: every plan file in INPUTS (default: corpus/) → JSON and outline Markdown per file,
    the comparison and graph files, and planlens.sqlite in -o."""
    inputs = inputs or (str(DEFAULT_CORPUS),)
    _check_out_dir(out_dir)
    names = output_names(collect_inputs(inputs)[0], "")
    results: List[FileResult] = []

    def emit(path: Path, result: FileResult) -> None:
        results.append(result)
        if not result.documents:
            return
        stem = names[path]
        write_text_atomic(out_dir / f"{stem}.json", result_to_json(result))
        write_text_atomic(out_dir / f"{stem}.outline.md", result_to_markdown(result))
        write_text_atomic(out_dir / f"{stem}.checklist.md", checklist_markdown(checklist_plans(result)))
        write_text_atomic(out_dir / f"{stem}.checklist.csv", checklist_csv(checklist_plans(result)), bom=True)

    code = _process(inputs, Options(), emit, workers)
    sys.exit(max(code, _write_cross_plan(results, out_dir, workers, out_dir / SQLITE_NAME)))


@main.command("compare")
@click.argument("files", nargs=-1, required=True)
@click.option("-o", "--out-dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for graph.graphml, graph.gexf, graph.json, compare.md, compare.html, compare.json.")
@WORKERS_OPTION
def compare_plans(files: Sequence[str], out_dir: Path, workers: int) -> None:
    """Compare the plans in FILE... (files or folders): the practices each names, their numbers, the graph."""
    _check_out_dir(out_dir)
    results: List[FileResult] = []
    code = _process(files, Options(), lambda path, result: results.append(result), workers)
    sys.exit(max(code, _write_cross_plan(results, out_dir, workers)))


CHECKLIST_FORMATS = {
    "md": (checklist_markdown, ".checklist.md", False),
    "csv": (checklist_csv, ".checklist.csv", True),  # BOM: Excel then reads the Chinese right
    "json": (checklist_jsonl, ".checklist.jsonl", False),
}


def checklist_plans(result: FileResult):
    """(title, commitments, section titles by path) per plan of a result, as the checklist exports take them."""
    return [(doc.title, doc.commitments, {s.path: s.title for s in doc.sections}) for doc in result.documents]


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(sorted(CHECKLIST_FORMATS)), default="md", show_default=True,
              help="md with [ ] boxes for people, csv for Excel, json (JSON Lines) for tools.")
@click.option("-o", "--out-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write one checklist per input here instead of stdout.")
@click.option("--no-optional", is_flag=True, help="Leave out borderline items (bare months, weekly slots).")
def checklist(files: Sequence[str], fmt: str, out_dir: Path | None, no_optional: bool) -> None:
    """Each plan in FILE... as an actionable checklist: one line per commitment, grouped by section."""
    render, extension, bom = CHECKLIST_FORMATS[fmt]
    emit = _per_input_writer(files, out_dir, extension,
                             lambda result: render(checklist_plans(result), include_optional=not no_optional), bom)
    sys.exit(_process(files, Options(), emit))


if __name__ == "__main__":
    main()
