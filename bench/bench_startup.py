#!/usr/bin/env python3
"""Start-up of the command line against bare jieba, as ratios measured in one run.

Times fresh processes, best of --repeat, interleaved so that a busy machine slows all alike:

  jieba      python -c "import jieba; jieba.lcut(text of FILE)"  (jieba's own cache warm)
  help       planlens --help                                   target <= 0.3 x jieba
  version    planlens --version
  extract    planlens extract FILE  (one small file, JSON to stdout) target <= 0.6 x jieba
  run        planlens run FILE -o TMP (segments for the comparison; prebuilt cache warm)
  run-cold   the same with an empty cache folder (the dictionary is built and cached)

Each command runs as `python -m pipeline` from this checkout. Wall-clock and CPU time
(user + system of the child) are both reported; the ratios use wall-clock.

    python bench/bench_startup.py [--file corpus/X.txt] [--repeat 5]
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"help": 0.3, "extract": 0.6}


def timed(args, env) -> tuple:
    """(wall seconds, CPU seconds) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tempfile.gettempdir())
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, args))} failed: {done.stderr.decode(errors='replace')[-500:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default_file = sorted((REPO_ROOT / "corpus").glob("*.txt"))[0]
    parser.add_argument("--file", type=Path, default=default_file, help="the small plan file")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    plan = args.file.resolve()
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    env.pop("PLANLENS_LEXICONS", None)
    py = sys.executable
    out_dir = tempfile.mkdtemp(prefix="planlens-bench-")
    bare = ("import jieba, logging; jieba.setLogLevel(logging.WARNING); "
            f"jieba.lcut(open({str(plan)!r}, encoding='utf-8').read())")
    commands = {
        "jieba": [py, "-c", bare],
        "help": [py, "-m", "pipeline", "--help"],
        "version": [py, "-m", "pipeline", "--version"],
        "extract": [py, "-m", "pipeline", "extract", str(plan)],
        "run": [py, "-m", "pipeline", "run", str(plan), "-o", out_dir],
    }
    for args_ in commands.values():  # warm: caches (jieba's, planlens's) and the OS file cache
        timed(args_, env)
    best = {name: (float("inf"), float("inf")) for name in list(commands) + ["run-cold"]}
    for _ in range(args.repeat):
        for name, command in commands.items():
            wall, cpu = timed(command, env)
            best[name] = (min(best[name][0], wall), min(best[name][1], cpu))
        with tempfile.TemporaryDirectory() as cache:
            wall, cpu = timed(commands["run"], {**env, "PLANLENS_CACHE_DIR": cache})
            best["run-cold"] = (min(best["run-cold"][0], wall), min(best["run-cold"][1], cpu))
    jieba_wall, jieba_cpu = best["jieba"]
    print(f"file: {plan.name} ({plan.stat().st_size} bytes); best of {args.repeat}")
    print(f"{'command':10} {'wall s':>7} {'cpu s':>7} {'wall x jieba':>13} {'cpu x jieba':>12} target")
    failed = False
    for name, (wall, cpu) in best.items():
        target = TARGETS.get(name)
        ratio = wall / jieba_wall
        mark = ""
        if target is not None:
            ok = ratio <= target
            failed |= not ok
            mark = f"<= {target} {'ok' if ok else 'MISSED'}"
        print(f"{name:10} {wall:7.3f} {cpu:7.3f} {ratio:13.2f} {cpu / jieba_cpu:12.2f} {mark}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
