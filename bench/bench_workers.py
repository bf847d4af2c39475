#!/usr/bin/env python3
"""`planlens run --workers N` against `--workers 1` on a generated corpus: wall time and identical outputs.

Generates --files plan files in a temporary folder from the seeds in corpus/
(each copy renames the school, takes its own year and drops one body line, so
no two files are the same), runs `python -m pipeline run` on it once with
`--workers 1` and once with `--workers N` (separate output folders, fresh
processes, wall time includes start-up), prints both times and the speed-up,
and checks that the two output folders hold the same files with the same
bytes. Exit 1 when they differ or a run fails.

    python bench/bench_workers.py [--files 200] [--workers 2] [--keep]
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Sequence

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = REPO_ROOT / "corpus"
SEED = 7


def make_corpus(folder: Path, count: int) -> List[Path]:
    """Write `count` plan files into `folder`, varied copies of the seeds (deterministic)."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted(CORPUS_DIR.glob("*.txt"))]
    if not seeds:
        raise SystemExit(f"no seed plans (*.txt) in {CORPUS_DIR}")
    rnd = random.Random(SEED)
    paths = []
    for i in range(count):
        text = seeds[i % len(seeds)].replace("XX", f"第{i + 1}").replace("2026", str(2024 + i % 4))
        lines = text.split("\n")
        body = [k for k, line in enumerate(lines) if len(line) > 60]
        if body:
            del lines[rnd.choice(body)]
        path = folder / f"plan_{i:04d}.txt"
        path.write_text("\n".join(lines), encoding="utf-8")
        paths.append(path)
    return paths


def run(corpus: Path, out: Path, workers: int) -> float:
    """Wall time of one `planlens run` (a fresh interpreter); raises SystemExit when it fails."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pipeline", "run", str(corpus), "-o", str(out),
                           "--workers", str(workers)], cwd=REPO_ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"run --workers {workers} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return seconds


def snapshot(folder: Path) -> Dict[str, bytes]:
    """{relative path: bytes} of every file under `folder`."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=200, help="files in the generated corpus (default 200)")
    parser.add_argument("--workers", type=int, default=2, help="processes of the parallel run (default 2)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    args = parser.parse_args(argv)
    if args.files < 1 or args.workers < 2:
        parser.error("--files must be >= 1 and --workers >= 2")

    tmp = Path(tempfile.mkdtemp(prefix="planlens-bench-"))
    try:
        corpus = tmp / "corpus"
        corpus.mkdir()
        paths = make_corpus(corpus, args.files)
        megabytes = sum(p.stat().st_size for p in paths) / 1_000_000
        serial = run(corpus, tmp / "out-1", 1)
        parallel = run(corpus, tmp / f"out-{args.workers}", args.workers)
        a, b = snapshot(tmp / "out-1"), snapshot(tmp / f"out-{args.workers}")
        differing = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
        print(f"corpus: {args.files} files, {megabytes:.2f} MB (from {CORPUS_DIR.relative_to(REPO_ROOT)}/), "
              f"{os.cpu_count()} CPUs")
        print(f"  --workers 1          {serial:8.2f} s")
        print(f"  --workers {args.workers:<10} {parallel:8.2f} s   speed-up {serial / parallel:.2f}x")
        print(f"  outputs: {len(a)} files; " + ("identical" if not differing else
                                                 f"{len(differing)} DIFFER: {', '.join(differing[:10])}"))
        if args.keep:
            print(f"  kept: {tmp}")
        return 1 if differing else 0
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
