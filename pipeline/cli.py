"""Command line: thin click wrappers over pipeline.core and pipeline.export.

Reads arguments and files, writes outputs and one-line errors; exit 1 when
any input failed, 2 for usage errors.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable, List, Sequence

import click

from . import __version__  # noqa: F401
from .batch import collect_inputs, output_names, summarize
from .core import extract_file
from .errors import PlanlensError
from .export.files import write_text_atomic
from .export.json import result_to_json
from .export.markdown import result_to_markdown
from .model import FileResult, Options, Problem

DEFAULT_CORPUS = Path("corpus")
DEFAULT_OUTPUTS = Path("outputs")

RENDERERS = {"json": (result_to_json, ".json"), "md": (result_to_markdown, ".md")}


def _say_problem(problem: Problem) -> None:
    click.echo(f"planlens: error: {problem}", err=True)


def _process(paths: Sequence[str], options: Options, on_result: Callable[[Path, FileResult], None]) -> int:
    """Extract every input, hand each result to `on_result`; print problems and the summary; exit code."""
    files, problems = collect_inputs(paths)
    for problem in problems:
        _say_problem(problem)
    results: List[FileResult] = []
    show_progress = sys.stderr.isatty() and len(files) > 1
    for n, path in enumerate(files, 1):
        if show_progress:
            click.echo(f"\r[{n}/{len(files)}] {path.name[:60]:<60}", err=True, nl=False)
        result = extract_file(path, options)
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
    if out_dir is None and len(files) > 1:
        raise click.UsageError("several files need -o DIR (one output per input)")
    if out_dir is None:
        def emit(path: Path, result: FileResult) -> None:
            if result.documents:
                sys.stdout.write(render(result))
    else:
        names = {}

        def emit(path: Path, result: FileResult) -> None:
            if not result.documents:
                return
            if not names:
                names.update(output_names(collect_inputs(files)[0], extension))
            write_text_atomic(out_dir / names[path], render(result))
    sys.exit(_process(files, Options(), emit))


@main.command()
@click.argument("inputs", nargs=-1)
@click.option("-o", "--out-dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUTPUTS,
              show_default=True, help="Folder the run writes into.")
def run(inputs: Sequence[str], out_dir: Path) -> None:
    """The main job: every plan file in INPUTS (default: corpus/) → JSON and outline Markdown in -o."""
    inputs = inputs or (str(DEFAULT_CORPUS),)
    names = output_names(collect_inputs(inputs)[0], "")

    def emit(path: Path, result: FileResult) -> None:
        if not result.documents:
            return
        stem = names[path]
        write_text_atomic(out_dir / f"{stem}.json", result_to_json(result))
        write_text_atomic(out_dir / f"{stem}.outline.md", result_to_markdown(result))

    sys.exit(_process(inputs, Options(), emit))


if __name__ == "__main__":
    main()
