"""Batches: streaming run, worker processes with a per-file time budget, the Dask engine,
and outputs byte-identical whatever the engine or the number of workers."""
import json
import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline import cli, runner
from pipeline.runner import Job, RunSpec, guarded_map, outcomes, run_batch

REPO = Path(__file__).resolve().parent.parent
DEVSET = REPO / "tests" / "devset" / "inputs"


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory):
    """The seeds and a few dev-set inputs (several formats, several plans per file)."""
    folder = tmp_path_factory.mktemp("corpus")
    for p in sorted((REPO / "corpus").glob("*.txt")):
        shutil.copy(p, folder / p.name)
    for name in ("dv01_docshare_utf8.html", "dv02_docshare_two_gbk.html", "h08_two_plans_xiaoxue.txt",
                 "h3_07_three_plans.txt", "dv09_utf16_bom.txt"):
        shutil.copy(DEVSET / name, folder / name)
    (folder / "empty.txt").write_bytes(b"")
    return folder


def snapshot(folder: Path):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def cli_run(*args):
    return CliRunner().invoke(cli.main, ["run", *map(str, args)])


@pytest.fixture(scope="module")
def reference(small_corpus, tmp_path_factory):
    """`run` in this process (no time budget, one worker): the outputs every other way must match."""
    out = tmp_path_factory.mktemp("ref")
    result = cli_run(small_corpus, "-o", out, "--timeout", "0")
    assert result.exit_code == 1, result.output  # empty.txt
    return snapshot(out)


@pytest.mark.parametrize("workers", ["1", "2", "3"])
def test_worker_processes_give_byte_identical_outputs(small_corpus, reference, tmp_path, workers):
    result = cli_run(small_corpus, "-o", tmp_path, "--workers", workers)
    assert result.exit_code == 1
    assert snapshot(tmp_path) == reference


def test_dask_engine_on_a_two_worker_local_cluster_is_byte_identical(small_corpus, reference, tmp_path):
    from distributed import LocalCluster
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        result = cli_run(small_corpus, "-o", tmp_path, "--engine", "dask", "--scheduler",
                         cluster.scheduler_address)
    assert result.exit_code == 1, result.output
    assert "empty.txt: empty file" in result.output
    assert snapshot(tmp_path) == reference


def test_scheduler_without_dask_engine_is_a_usage_error(small_corpus, tmp_path):
    result = cli_run(small_corpus, "-o", tmp_path, "--scheduler", "tcp://127.0.0.1:1")
    assert result.exit_code == 2


def test_run_reports_the_bad_file_and_writes_the_rest(small_corpus, reference):
    assert "planlens.sqlite" in reference and "compare.json" in reference
    assert "empty.json" not in reference and "h3_07_three_plans.json" in reference


# --- the time budget --------------------------------------------------------------------

def _stuck_on(name):
    """An extract_file that never returns for files called `name`."""
    from pipeline import core
    real = core.extract_file

    def extract(path, options=None):
        if Path(path).name == name:
            while True:
                time.sleep(0.05)
        return real(path, options) if options is not None else real(path)
    return extract


@pytest.mark.parametrize("workers", [1, 2])
def test_a_stuck_file_is_one_line_and_the_batch_goes_on(small_corpus, tmp_path, monkeypatch, workers):
    # worker processes are forked: they inherit the patched reader
    monkeypatch.setattr("pipeline.core.extract_file", _stuck_on("h08_two_plans_xiaoxue.txt"))
    lines = []
    spec = RunSpec(inputs=(str(small_corpus),), out_dir=tmp_path, outputs=runner.RUN_OUTPUTS, sqlite=True,
                   compare=True, workers=workers, timeout=8)
    start = time.monotonic()
    code = run_batch(spec, lines.append)
    assert time.monotonic() - start < 120
    assert code == 1
    stuck = [l for l in lines if "h08_two_plans_xiaoxue.txt" in l]
    assert stuck == [f"planlens: error: {small_corpus / 'h08_two_plans_xiaoxue.txt'}: "
                     "took longer than 8 s (--timeout); skipped"]
    assert (tmp_path / "h3_07_three_plans.json").exists() and not (tmp_path / "h08_two_plans_xiaoxue.json").exists()
    assert lines[-1].startswith("planlens: 8 file(s), ") and lines[-1].endswith(" 2 error(s)")
    con = sqlite3.connect(tmp_path / "planlens.sqlite")
    status = dict(con.execute("SELECT path, status FROM files"))
    con.close()
    assert status[str(small_corpus / "h08_two_plans_xiaoxue.txt")] == "error"


def test_timeout_option_reaches_the_run(small_corpus, tmp_path, monkeypatch):
    monkeypatch.setattr("pipeline.core.extract_file", _stuck_on("dv09_utf16_bom.txt"))
    result = cli_run(small_corpus, "-o", tmp_path, "--timeout", "5", "--workers", "2")
    assert result.exit_code == 1
    assert "dv09_utf16_bom.txt: took longer than 5 s (--timeout); skipped" in result.output


def _square_or_die(x):
    if x == 3:
        os._exit(9)  # the worker process dies
    if x == 5:
        time.sleep(30)
    return x * x


def test_guarded_map_keeps_order_survives_crashes_and_stuck_items():
    out = list(guarded_map(_square_or_die, range(8), workers=2, timeout=5,
                           on_timeout=lambda x: f"timeout {x}", on_crash=lambda x: f"crash {x}"))
    assert out == [0, 1, 4, "crash 3", 16, "timeout 5", 36, 49]


def _die():
    os._exit(3)


def test_workers_that_die_as_they_start_stop_the_batch():
    from pipeline.errors import PlanlensError
    with pytest.raises(PlanlensError, match="die as they start"):
        list(guarded_map(_square_or_die, range(3), workers=1, timeout=None, on_timeout=str, on_crash=str,
                         prepare=_die))


def test_guarded_map_bounds_work_ahead():
    seen = []
    gen = guarded_map(_square_or_die, [0, 1, 2], workers=1, timeout=None, on_timeout=str, on_crash=str, window=1)
    for x in gen:
        seen.append(x)
    assert seen == [0, 1, 4]


def test_outcomes_carry_no_file_result(small_corpus):
    job = Job(renders=("json",), rows=True, summaries=True)
    [o] = list(outcomes([str(small_corpus / "h3_07_three_plans.txt")], job, workers=1, timeout=None))
    assert o.ok and o.plans == len(o.summaries) == len(o.rows.documents) >= 2
    assert json.loads(o.outputs[0][1])["status"] == "ok"
