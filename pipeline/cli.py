"""Command line: thin click wrappers over pipeline.core and pipeline.export.

Reads arguments and files, writes outputs and one-line errors; exit 1 when
any input failed, 2 for usage errors.
"""
from __future__ import annotations

import functools
import sys
from itertools import repeat
from pathlib import Path
from typing import Callable, Iterator, List, Optional, Sequence

import click

from . import __version__
from .batch import collect_inputs, output_names, summarize
from .errors import LexiconError, MissingLexicon, PlanlensError
from .export.files import write_bytes_atomic, write_text_atomic
from .export.json import result_to_json
from .export.markdown import result_to_markdown
from .model import FileResult, Options, Problem
from .runner import DEFAULT_TIMEOUT, ENGINES, RUN_OUTPUTS, RunSpec, checklist_output, run_batch

# Stages and exporters that pull in jieba, networkx or the rule tables are imported where a
# command uses them (`planlens --help` and `--version` load none of them).


def extract_file(path, options: Options = Options()) -> FileResult:
    """`pipeline.core.extract_file`, imported on first use."""
    from .core import extract_file as extract

    return extract(path, options)


DEFAULT_CORPUS = Path("corpus")
DEFAULT_OUTPUTS = Path("outputs")

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
    if files:
        from .core import prepare

        prepare(options)  # tables loaded once and settled, before any worker forks
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
                      render: Callable[[FileResult], str | bytes], bom: bool = False) -> Callable[[Path, FileResult], None]:
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
    except (PlanlensError, LexiconError) as exc:  # a user's table: their usage, not the installation
        raise click.UsageError(f"{exc.path}: {exc.problem}")
    return Options(norms=table, norms_name=str(norms))


WORKERS_OPTION = click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
                              help="Processes (or Dask workers) to work in: extraction and the similarity "
                                   "blocks; outputs are the same for any number.")


def batch_options(fn: Callable) -> Callable:
    """The options `run` and `compare` share: workers, engine, scheduler, timeout, top-k."""
    for option in reversed([
        WORKERS_OPTION,
        click.option("--engine", type=click.Choice(ENGINES), default="local", show_default=True,
                     help="local: worker processes here; dask: dask.distributed tasks (pip install "
                          "'planlens[dask]'), same outputs byte for byte."),
        click.option("--scheduler", metavar="ADDRESS",
                     help="With --engine dask: a running scheduler (tcp://host:8786); default: a LocalCluster "
                          "of --workers processes."),
        click.option("--timeout", type=click.FloatRange(min=0), default=DEFAULT_TIMEOUT, show_default=True,
                     help="Seconds one file may take; a file past it is a one-line error and the batch goes "
                          "on (0: no limit)."),
        click.option("--top-k", type=click.IntRange(min=1), default=10, show_default=True,
                     help="Most similar plans kept per plan in the comparison."),
    ]):
        fn = option(fn)
    return fn


def _run_spec(inputs: Sequence[str], out_dir: Path, workers: int, engine: str, scheduler: Optional[str],
              timeout: float, top_k: int, **what) -> RunSpec:
    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler needs --engine dask")
    return RunSpec(inputs=tuple(inputs), out_dir=out_dir, workers=workers, engine=engine, scheduler=scheduler,
                   timeout=timeout or None, top_k=top_k, **what)


def _say(line: str) -> None:
    click.echo(line, err=True)


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
@batch_options
@NORMS_OPTION
def run(inputs: Sequence[str], out_dir: Path, norms: Path | None, **how) -> None:
    """The main job: every plan file in INPUTS (default: corpus/) → JSON, outline Markdown and the
    checklist (md, csv, jsonl, xlsx, ics) per file, the comparison and graph files, and
    planlens.sqlite in -o."""
    _check_out_dir(out_dir)
    spec = _run_spec(inputs or (str(DEFAULT_CORPUS),), out_dir, outputs=RUN_OUTPUTS, sqlite=True, compare=True,
                     options=_options(norms), **how)
    sys.exit(run_batch(spec, _say, progress=sys.stderr.isatty()))


@main.command("compare")
@click.argument("files", nargs=-1, required=True)
@click.option("-o", "--out-dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for graph.graphml, graph.gexf, graph.json, compare.md, compare.html, compare.json.")
@batch_options
@NORMS_OPTION
def compare_plans(files: Sequence[str], out_dir: Path, norms: Path | None, **how) -> None:
    """Compare the plans in FILE... (files or folders): the practices each names, their numbers, the
    graph, and each plan against the norms (plans × norms)."""
    _check_out_dir(out_dir)
    sys.exit(run_batch(_run_spec(files, out_dir, compare=True, options=_options(norms), **how), _say,
                       progress=sys.stderr.isatty()))


# checklist --format → (file name suffix, BOM for Excel); renderings: runner.checklist_output
CHECKLIST_FORMATS = {
    "md": (".checklist.md", False),
    "csv": (".checklist.csv", True),
    "json": (".checklist.jsonl", False),
    "xlsx": (".xlsx", False),
    "ics": (".ics", False),
}


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
    extension, bom = CHECKLIST_FORMATS[fmt]
    render = functools.partial(checklist_output, fmt)
    if fmt == "xlsx" and out_dir is None and sys.stdout.isatty():
        raise click.UsageError("--format xlsx writes a binary workbook: give -o DIR or redirect stdout")
    emit = _per_input_writer(files, out_dir, extension, render, bom)
    sys.exit(_process(files, _options(norms), emit))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but this machine's loopback needs --token.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True, help="Port to listen on.")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the default browser once it is up.")
@click.option("--token", help="Secret every request must carry (?token=… in the address, then a cookie; "
                              "or 'Authorization: Bearer …').")
@click.option("--max-upload-mb", type=click.IntRange(min=1), default=256, show_default=True,
              help="Largest upload one request may send.")
@click.option("--max-files", type=click.IntRange(min=1), default=5000, show_default=True,
              help="Most files one request may send.")
def serve(host: str, port: int, open_browser: bool, token: str | None, max_upload_mb: int, max_files: int) -> None:
    """The web app: drop plans in a browser page to see outline, checklist, compliance and the comparison."""
    from .server.app import ServerConfig, is_loopback, serve as run_server
    loopback = is_loopback(host)
    if not loopback and not token:
        raise click.UsageError(f"--host {host} makes the app reachable from other machines: give --token SECRET")
    if not loopback:
        click.echo(f"planlens: warning: listening on {host}, reachable from other machines; "
                   "every request must carry the token", err=True)
    run_server(ServerConfig(host=host, port=port, token=token or None, max_upload_bytes=max_upload_mb * 1024 * 1024,
                            max_files=max_files, allowed_hosts=None if not loopback else ServerConfig.allowed_hosts),
               open_browser=open_browser)


if __name__ == "__main__":
    main()
