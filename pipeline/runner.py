"""Batches of plan files: extraction in worker processes (or Dask tasks) with a per-file time
budget, and every result streamed into the writers as it comes.

Per file, a worker makes everything that file contributes (`process_file`): its rendered
outputs, its SQLite rows and its plans' summaries for the comparison, so the parent
only writes bytes, inserts rows and keeps a compact summary per plan. Results reach
the writers in input order whatever the engine or the number of workers, so the
outputs are byte-identical. I/O: reads the inputs (in workers), writes under -o.
"""
from __future__ import annotations

import functools
import logging
import multiprocessing
import os
import sys
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path
from typing import IO, Callable, Dict, Iterator, List, Optional, Sequence, Tuple, Union

from .batch import BatchSummary, collect_inputs, output_names
from .errors import LexiconError, PlanlensError
from .model import FileResult, Options, Problem

DEFAULT_TIMEOUT = 120.0  # seconds one file may take; 0 = no limit
ENGINES = ("local", "dask")


# --- what a worker makes of one file -----------------------------------------------------


def plan_keys(result: FileResult) -> List[str]:
    """Keys that make calendar UIDs unique across files: file name and plan index."""
    return [f"{Path(result.path).name}#{doc.index}" for doc in result.documents]


def checklist_output(fmt: str, result: FileResult) -> Union[str, bytes]:
    """The checklist of `result`'s plans in `fmt` (the `checklist --format` names): md (tasks by
    section, [ ] boxes, compliance table), csv, json (JSON Lines), xlsx (workbook bytes), ics (calendar)."""
    documents = result.documents
    if fmt == "xlsx":
        from .export.xlsx import workbook_bytes
        return workbook_bytes(documents)
    if fmt == "ics":
        from .export.ics import calendar_text
        return calendar_text(documents, plan_keys(result))
    from .export import checklist
    renderers = {"md": checklist.checklist_markdown, "csv": checklist.checklist_csv, "json": checklist.checklist_jsonl}
    if fmt not in renderers:
        raise ValueError(f"unknown checklist format {fmt!r}")
    return renderers[fmt](documents)


# rendering name → checklist format; csv files get a BOM so that Excel reads the Chinese
_CHECKLISTS = {"checklist.md": "md", "checklist.csv": "csv", "checklist.jsonl": "json", "xlsx": "xlsx", "ics": "ics"}


def render(name: str, result: FileResult) -> bytes:
    """One per-file output of `result` as bytes: json, md (outline), checklist.md, checklist.csv
    (with a BOM), checklist.jsonl, xlsx (tasks, commitments, compliance sheets), ics (calendar)."""
    if name == "json":
        from .export.json import result_to_json
        return result_to_json(result).encode("utf-8")
    if name == "md":
        from .export.markdown import result_to_markdown
        return result_to_markdown(result).encode("utf-8")
    if name not in _CHECKLISTS:
        raise ValueError(f"unknown rendering {name!r}")
    output = checklist_output(_CHECKLISTS[name], result)
    if isinstance(output, bytes):
        return output
    return (b"\xef\xbb\xbf" if name == "checklist.csv" else b"") + output.encode("utf-8")


@dataclass(frozen=True)
class Job:
    """What a worker makes of each file (picklable, so any engine can ship it)."""

    renders: Tuple[str, ...] = ()  # per-file outputs (see `render`)
    rows: bool = False  # SQLite rows (export/sqlite.py file_rows)
    summaries: bool = False  # plan summaries for the comparison (graph.summarize_document)
    options: Options = field(default_factory=Options)


@dataclass(frozen=True)
class FileOutcome:
    """Everything one input file gives the writers; no FileResult crosses a process boundary."""

    path: str
    problems: Tuple[str, ...]  # one-line messages, each naming the file
    plans: int = 0
    sections: int = 0
    commitments: int = 0
    outputs: Tuple[Tuple[str, bytes], ...] = ()  # (rendering, bytes), for files holding plans
    rows: object = None  # export.sqlite.FileRows when the job asks for rows
    summaries: Tuple[object, ...] = ()  # graph.PlanSummary per plan when the job asks

    @property
    def ok(self) -> bool:
        return not self.problems


def process_file(path: str, job: Job) -> FileOutcome:
    """Extract one file and make what `job` asks for; never raises for a bad input."""
    from .core import extract_file
    result = extract_file(path, job.options)
    try:
        outputs = tuple((name, render(name, result)) for name in job.renders) \
            if result.documents else ()
        rows = summaries = None
        if job.rows:
            from .export.sqlite import file_rows
            rows = file_rows(result)
        if job.summaries:
            from .graph import summarize_document
            summaries = tuple(summarize_document(d) for d in result.documents)
    except Exception as exc:  # a bug costs one file, not the batch
        if os.environ.get("PLANLENS_DEBUG"):
            raise
        return failed(path, f"internal error ({type(exc).__name__}: {exc}); rerun with PLANLENS_DEBUG=1 "
                            "for details", job)
    return FileOutcome(path=str(path), problems=tuple(str(p) for p in result.problems),
                       plans=len(result.documents), sections=sum(len(d.sections) for d in result.documents),
                       commitments=sum(len(d.commitments) for d in result.documents),
                       outputs=outputs, rows=rows, summaries=summaries or ())


def failed(path: str, message: str, job: Job) -> FileOutcome:
    """The outcome of a file that gave nothing: one problem (and its `files` row when rows are asked)."""
    rows = None
    if job.rows:
        from .export.sqlite import file_rows
        rows = file_rows(FileResult(path=str(path), format=Path(path).suffix.lstrip(".").lower() or None,
                                    encoding=None, problems=(Problem(str(path), message),)))
    return FileOutcome(path=str(path), problems=(f"{path}: {message}",), rows=rows)


def timed_out(path: str, seconds: float, job: Job) -> FileOutcome:
    """The outcome of a file stopped at its time budget."""
    return failed(path, f"took longer than {seconds:g} s (--timeout); skipped", job)


# --- local engine: worker processes with a deadline per file ------------------------------


def _serve(conn, fn: Callable, prepare: Optional[Callable] = None) -> None:
    """Worker process loop: prepare(), say ready, then (index, item) in, (index, fn(item)) out,
    until None or the pipe closes."""
    try:
        import signal
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    except (ImportError, ValueError):
        pass
    if prepare is not None:
        try:
            prepare()
        except Exception:  # the files will say what is wrong, one by one
            pass
    conn.send(READY)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        index, item = message
        try:
            result = fn(item)
        except LexiconError as exc:  # the installation's fault: the parent stops the run with it
            result = _Broken(exc)
        conn.send((index, result))


@dataclass(frozen=True)
class _Broken:
    """A broken installation met in a worker, sent back for the parent to raise."""

    error: LexiconError


READY = "ready"


class _Slot:
    """One worker process, whether it is ready, the task it holds and that task's deadline."""

    def __init__(self, ctx, fn: Callable, prepare: Optional[Callable]) -> None:
        self.ctx, self.fn, self.prepare = ctx, fn, prepare
        self.task: Optional[int] = None
        self.deadline: Optional[float] = None
        self._start()

    def _start(self) -> None:
        self.ready = False
        self.conn, child = self.ctx.Pipe()
        self.proc = self.ctx.Process(target=_serve, args=(child, self.fn, self.prepare), daemon=True)
        self.proc.start()
        child.close()

    def give(self, index: int, item, timeout: Optional[float]) -> None:
        self.conn.send((index, item))
        self.task = index
        self.deadline = time.monotonic() + timeout if timeout else None

    def restart(self) -> None:
        """Kill the worker (stuck or dead) and start a fresh one."""
        self.proc.kill()
        self.proc.join()
        self.conn.close()
        self.task = self.deadline = None
        self._start()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.proc.join(timeout=2)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.conn.close()


def _context():
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def warm_up(job: Job) -> None:
    """Load what every file needs (lexicons, compiled rules, the segmenter, the renderers) once
    in this process and settle it out of the garbage collector's way (core.prepare), so
    forked workers, and the ones started after a timeout, begin warm: a file's time budget
    is spent on the file, not on start-up. Best effort, except that a broken installation
    is raised here, before any worker starts."""
    from .core import prepare

    def what_a_file_gets(result: FileResult) -> None:
        for name in job.renders:
            render(name, result)
        if job.rows:
            from .export.sqlite import file_rows
            file_rows(result)
        if job.summaries:
            from .graph import summarize_document
            for doc in result.documents:
                summarize_document(doc)

    prepare(job.options, what_a_file_gets)


def guarded_map(fn: Callable, items: Sequence, workers: int, timeout: Optional[float],
                on_timeout: Callable, on_crash: Callable, window: Optional[int] = None,
                prepare: Optional[Callable] = None) -> Iterator:
    """fn(item) for each item in `workers` processes, yielded in input order.

    Each process runs prepare() first and takes items once it is done. An
    item still running `timeout` seconds after it was handed out gets
    on_timeout(item) and its process is killed and replaced; a process that
    dies gets on_crash(item). At most `window` items run or wait ahead of the
    next one to yield, which bounds what is held in memory.
    """
    items = list(items)
    n = len(items)
    if n == 0:
        return
    slots = [_Slot(_context(), fn, prepare) for _ in range(max(1, min(workers, n)))]
    window = window or 4 * len(slots) + 8
    done: Dict[int, object] = {}
    next_task = next_out = failed_starts = 0
    try:
        while next_out < n:
            for slot in slots:
                if slot.ready and slot.task is None and next_task < n and next_task - next_out < window:
                    slot.give(next_task, items[next_task], timeout)
                    next_task += 1
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1
            busy = [s for s in slots if s.task is not None or not s.ready]
            deadlines = [s.deadline for s in busy if s.deadline is not None]
            wait_for = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
            ready = set(wait([s.conn for s in busy], timeout=wait_for))
            for slot in busy:
                if slot.conn in ready:
                    try:
                        message = slot.conn.recv()
                    except (EOFError, OSError):
                        if slot.task is not None:
                            done[slot.task] = on_crash(items[slot.task])
                        elif not slot.ready:
                            failed_starts += 1
                            if failed_starts >= 3:
                                raise PlanlensError("planlens", "worker processes die as they start")
                        slot.restart()
                        continue
                    if message == READY:
                        slot.ready = True
                    else:
                        index, result = message
                        if isinstance(result, _Broken):
                            raise result.error
                        done[index] = result
                        slot.task = slot.deadline = None
                elif slot.deadline is not None and time.monotonic() >= slot.deadline:
                    done[slot.task] = on_timeout(items[slot.task])
                    slot.restart()
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1
    finally:
        for slot in slots:
            slot.stop()


# --- dask engine --------------------------------------------------------------------------


_warmed_jobs: set = set()


def _warm_once(job: Job) -> None:
    """`warm_up` the first time a worker process meets a job like this one (the worker lives on)."""
    key = repr(job)
    if key not in _warmed_jobs:
        _warmed_jobs.add(key)
        warm_up(job)


def _dask_task(path: str, job: Job, timeout: Optional[float]) -> FileOutcome:
    """`process_file` inside a Dask worker, with the time budget kept by a watcher thread.

    A Dask task cannot be killed from outside; a file past its budget is
    reported and its thread abandoned (it ends with the worker).
    """
    _warm_once(job)
    if not timeout:
        return process_file(path, job)
    box: List[FileOutcome] = []
    thread = threading.Thread(target=lambda: box.append(process_file(path, job)), daemon=True)
    thread.start()
    thread.join(timeout)
    return box[0] if box else timed_out(path, timeout, job)


def dask_outcomes(paths: Sequence[str], job: Job, workers: int, timeout: Optional[float],
                  scheduler: Optional[str] = None, window: Optional[int] = None) -> Iterator[FileOutcome]:
    """`process_file` of each path as dask.distributed tasks, yielded in input order.

    With `scheduler` (an address such as tcp://host:8786) the tasks go to that
    cluster, whose workers must see the input paths; without, a LocalCluster of
    `workers` single-threaded worker processes is started and closed here.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise PlanlensError("--engine dask", "needs dask.distributed (pip install 'planlens[dask]')") from exc
    cluster = None
    if scheduler:
        client = Client(scheduler, set_as_default=False)
    else:
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR)
        client = Client(cluster, set_as_default=False)
    window = window or 8 * max(1, sum(client.nthreads().values()))
    token = uuid.uuid4().hex[:12]
    pending: deque = deque()
    try:
        submitted = 0
        while submitted < len(paths) or pending:
            while submitted < len(paths) and len(pending) < window:
                path = paths[submitted]
                pending.append((path, client.submit(_dask_task, path, job, timeout, pure=False,
                                                    key=f"planlens-{token}-{submitted}")))
                submitted += 1
            path, future = pending.popleft()
            try:
                yield future.result()
            except LexiconError:  # a broken installation is no file's fault: the run stops
                raise
            except Exception as exc:  # a worker lost or a task that raised: that file only
                yield failed(path, f"dask task failed ({type(exc).__name__}: {exc})", job)
            future.release()
    finally:
        for _, future in pending:
            future.cancel()
        client.close()
        if cluster is not None:
            cluster.close()


# --- choosing the engine ------------------------------------------------------------------


def outcomes(paths: Sequence[str], job: Job, workers: int = 1, timeout: Optional[float] = DEFAULT_TIMEOUT,
             engine: str = "local", scheduler: Optional[str] = None) -> Iterator[FileOutcome]:
    """FileOutcome of every path, in input order, from the chosen engine.

    local: `workers` processes, each file with its time budget (timeout 0 or
    None with one worker: in this process, no budget); dask: see `dask_outcomes`.
    """
    paths = [str(p) for p in paths]
    if engine == "dask":
        yield from dask_outcomes(paths, job, workers, timeout, scheduler)
    elif engine != "local":
        raise ValueError(f"unknown engine {engine!r}")
    elif workers <= 1 and not timeout:
        if paths:
            warm_up(job)
        for path in paths:
            yield process_file(path, job)
    else:
        if paths and _context().get_start_method() == "fork":
            warm_up(job)
        yield from guarded_map(functools.partial(process_file, job=job), paths, workers, timeout,
                               on_timeout=lambda p: timed_out(p, timeout, job),
                               on_crash=lambda p: failed(p, "worker process died while reading it", job),
                               prepare=functools.partial(warm_up, job))


# --- a whole run --------------------------------------------------------------------------

# Per-file outputs of `run`: rendering → file name suffix.
RUN_OUTPUTS = (("json", ".json"), ("md", ".outline.md"), ("checklist.md", ".checklist.md"),
               ("checklist.csv", ".checklist.csv"), ("checklist.jsonl", ".checklist.jsonl"), ("xlsx", ".xlsx"),
               ("ics", ".ics"))
SQLITE_NAME = "planlens.sqlite"


@dataclass(frozen=True)
class RunSpec:
    """One batch: inputs, what to write where, and how to work."""

    inputs: Tuple[str, ...]
    out_dir: Optional[Path]  # None: the renderings go to `stdout` (one input only)
    outputs: Tuple[Tuple[str, str], ...] = ()  # (rendering, file name suffix) per input
    sqlite: bool = False  # write planlens.sqlite in out_dir
    compare: bool = False  # write the comparison and graph files in out_dir
    workers: int = 1
    timeout: Optional[float] = DEFAULT_TIMEOUT
    engine: str = "local"
    scheduler: Optional[str] = None
    top_k: int = 10
    options: Options = field(default_factory=Options)


def run_batch(spec: RunSpec, say: Callable[[str], None], stdout: Optional[IO[bytes]] = None,
              progress: bool = False) -> int:
    """Run `spec`: every input through the engine, outputs written as results come, then the
    SQLite database and the comparison; `say` gets each one-line problem and the summary.
    Returns the exit code: 1 when any input or output failed, else 0."""
    files, problems = collect_inputs(spec.inputs)
    progress = progress and len(files) > 1
    for problem in problems:
        say(f"planlens: error: {problem}")
    job = Job(renders=tuple(r for r, _ in spec.outputs), rows=spec.sqlite, summaries=spec.compare,
              options=spec.options)
    names = output_names(files, "") if spec.out_dir is not None else {}
    plan_bases = None
    writer = collector = None
    code = 0
    counts = {"files": 0, "plans": 0, "sections": 0, "commitments": 0, "errors": len(problems)}
    try:
        if spec.sqlite or spec.compare:
            from .graph import PlanCollector, plan_id_bases
            plan_bases = plan_id_bases([str(f) for f in files])
        if spec.sqlite:
            from .export.sqlite import SqliteWriter
            writer = SqliteWriter(spec.out_dir / SQLITE_NAME, plan_bases)
        if spec.compare:
            collector = PlanCollector()
        by_path = {str(f): f for f in files}
        for n, outcome in enumerate(outcomes([str(f) for f in files], job, spec.workers, spec.timeout,
                                             spec.engine, spec.scheduler), 1):
            path = by_path[outcome.path]
            if progress:
                sys.stderr.write(f"\r[{n}/{len(files)}] {path.name[:60]:<60}")
            lines = list(outcome.problems)
            for rendering, data in outcome.outputs:
                try:
                    if spec.out_dir is None:
                        stdout.write(data)
                    else:
                        from .export.files import write_bytes_atomic
                        suffix = dict(spec.outputs)[rendering]
                        write_bytes_atomic(spec.out_dir / f"{names[path]}{suffix}", data)
                except PlanlensError as exc:
                    lines.append(str(Problem(exc.path, exc.problem)))
                    break
            if lines and progress:
                sys.stderr.write("\n")
            for line in lines:
                say(f"planlens: error: {line}")
            if writer is not None and outcome.rows is not None:
                writer.add(outcome.rows)
            if collector is not None:
                for s in outcome.summaries:
                    collector.add(f"{plan_bases[outcome.path]}#{s.index}", outcome.path, s)
            counts["files"] += 1
            counts["plans"] += outcome.plans
            counts["sections"] += outcome.sections
            counts["commitments"] += outcome.commitments
            counts["errors"] += bool(lines)
        if progress and files:
            sys.stderr.write("\n")
        if writer is not None:
            w, writer = writer, None
            w.close()
        if collector is not None and len(collector):
            from .export.compare import write_comparison_files
            from .graph import compare
            write_comparison_files(compare(collector.plans(), collector.term_matrix(), spec.top_k,
                                           spec.workers), spec.out_dir, spec.workers)
    except PlanlensError as exc:
        say(f"planlens: error: {Problem(exc.path, exc.problem)}")
        code = 1
    finally:
        if writer is not None:
            writer.abort()
    say(BatchSummary(**counts).line())
    return 1 if code or counts["errors"] else 0
