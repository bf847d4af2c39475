#!/usr/bin/env python3
"""`planlens run` at 1×, 4× and 16× a generated corpus: time, peak memory and output sizes per size,
then `--workers 1` against `--workers 2` and `--engine dask` on one size (outputs compared byte for byte).

The corpus is generated (deterministically) from the shipped plans in corpus/, the plans
written for the project in tests/devset/inputs/, and a bank of sentences written here:
each file is a new plan with its own school, year and title, 3-7 sections drawn from the
pool and renumbered, body lines dropped or kept at random, single-digit numbers varied
(每月1次 → 每月3次), and now and then a second plan in the same file. No two files are alike.

Every run is a fresh `python -m pipeline run` subprocess; wall time includes start-up; peak
memory is the largest sum over the run's process tree (parent, workers, their children) of
each process's proportional set size (PSS: resident memory, pages shared between forked
processes split among them), sampled every 100 ms with psutil; without psutil, the largest
single process's peak RSS from getrusage.

    python bench/bench_scale.py [--base 250] [--sizes 1,4,16] [--workers 2] [--compare-at 500]
    python bench/bench_scale.py --only 10000        # one run of 10,000 files: time and peak memory
"""
from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

REPO_ROOT = Path(__file__).resolve().parent.parent
SEED = 13
HEADING = re.compile(r"^[一二三四五六七八九十]{1,3}、")
NUMERALS = "一二三四五六七八九十"
CITIES = ["临江", "青山", "东湖", "南岭", "西平", "北川", "安宁", "长丰", "永和", "清源", "白河", "石门"]
LEVELS = ["小学", "中学", "实验学校", "职业学校", "幼儿园", "第二中学", "外国语学校", "高级中学"]
KINDS = ["党支部党建工作计划", "党建工作要点", "三会一课工作计划", "党支部工作计划", "组织生活计划"]
# Sentences written for this benchmark (not from any page): openings and extra body lines.
OPENINGS = [
    "为深入贯彻落实上级党组织工作部署，进一步加强学校基层党组织建设，结合我校实际，制定本计划。",
    "本年度，学校党支部坚持把党的政治建设摆在首位，以高质量党建引领学校教育教学工作高质量发展。",
    "为推动全面从严治党向基层延伸，提升支部组织力和党员教育管理水平，现制定如下工作计划。",
    "围绕立德树人根本任务，支部将持续深化党建与业务融合，努力建设让人民满意的学校。",
]
EXTRA_LINES = [
    "支部委员会每月至少召开1次，研究支部重要工作。",
    "党小组会每月开展1次，由党小组长组织党员学习讨论。",
    "每季度召开1次党员大会，通报支部工作情况。",
    "书记每学期为全体党员讲党课不少于1次。",
    "每月15日开展主题党日活动，组织党员参加志愿服务。",
    "全年开展谈心谈话不少于2轮，做到支部委员与党员全覆盖。",
    "每学期组织1次党员示范课展示活动。",
    "年底召开组织生活会，开展民主评议党员。",
    "每半年向上级党组织报告1次党建工作情况。",
    "认真做好发展党员工作，全年培养入党积极分子不少于2名。",
]


def seed_plans() -> List[Tuple[str, List[Tuple[str, List[str]]]]]:
    """(title, [(heading title, body lines)]) of every seed plan file, decoded by planlens itself."""
    sys.path.insert(0, str(REPO_ROOT))
    from pipeline.ingest import read_source
    files = sorted((REPO_ROOT / "corpus").glob("*.txt")) + sorted((REPO_ROOT / "tests" / "devset" / "inputs").glob("*.txt"))
    out = []
    for f in files:
        lines = [l.strip() for l in read_source(f).text.split("\n") if l.strip()]
        sections: List[Tuple[str, List[str]]] = []
        for line in lines[1:]:
            if HEADING.match(line):
                sections.append((HEADING.sub("", line), []))
            elif sections:
                sections[-1][1].append(line)
        sections = [s for s in sections if s[1]]
        if sections:
            out.append((lines[0], sections))
    if not out:
        raise SystemExit("no seed plans with numbered sections found")
    return out


def _vary_digits(line: str, rnd: random.Random) -> str:
    """Lone digits 1-4 (counts such as 每月1次, not years or dates) changed at random."""
    return re.sub(r"(?<![\d.])[1-4](?![\d.%])", lambda m: str(rnd.randint(1, 4)), line)


def make_plan(rnd: random.Random, pool, i: int) -> str:
    """One generated plan's text."""
    title = (f"{rnd.choice(CITIES)}市{rnd.choice(CITIES)}区第{i % 97 + 1}{rnd.choice(LEVELS)}"
             f"{2023 + i % 5}年{rnd.choice(KINDS)}")
    out = [title, rnd.choice(OPENINGS)]
    picked = []
    for _ in range(rnd.randint(3, 7)):
        picked.append(rnd.choice(rnd.choice(pool)[1]))
    for k, (heading, body) in enumerate(picked):
        out.append(f"{NUMERALS[k] if k < 10 else k + 1}、{heading}")
        for line in body:
            if rnd.random() < 0.8:
                out.append(_vary_digits(line, rnd))
        if rnd.random() < 0.5:
            out.append(rnd.choice(EXTRA_LINES).replace("1", str(rnd.randint(1, 3))))
    return "\n".join(out)


def make_corpus(folder: Path, count: int) -> int:
    """Write `count` generated plan files into `folder`; their total size in bytes."""
    pool = seed_plans()
    rnd = random.Random(SEED)
    total = 0
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        text = make_plan(rnd, pool, i)
        if rnd.random() < 0.15:  # a page carrying two plans
            text += "\n\n" + make_plan(rnd, pool, i + 100_000)
        data = text.encode("utf-8")
        (folder / f"plan_{i:05d}.txt").write_bytes(data)
        total += len(data)
    return total


def measure(cmd: Sequence[str]) -> Tuple[float, float, int, str]:
    """(seconds, peak MB of the process tree, exit code, stderr tail) of one command."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    start = time.perf_counter()
    try:
        import psutil
    except ImportError:
        psutil = None
    proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    peak = 0
    if psutil is not None:
        import threading
        err: List[str] = []
        reader = threading.Thread(target=lambda: err.append(proc.stderr.read()), daemon=True)
        reader.start()
        top = psutil.Process(proc.pid)
        while proc.poll() is None:
            try:
                tree = [top] + top.children(recursive=True)
                total = 0
                for p in tree:
                    try:  # PSS: pages shared by forked workers counted once in all
                        total += p.memory_full_info().pss
                    except (psutil.Error, AttributeError):
                        try:
                            total += p.memory_info().rss
                        except psutil.Error:
                            pass
                peak = max(peak, total)
            except psutil.Error:
                pass
            time.sleep(0.1)
        reader.join()
        stderr = err[0] if err else ""
    else:
        stderr = proc.communicate()[1]
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    seconds = time.perf_counter() - start
    return seconds, peak / 1e6, proc.returncode, stderr[-1500:]


def run_cmd(corpus: Path, out: Path, *extra: str) -> List[str]:
    return [sys.executable, "-m", "pipeline", "run", str(corpus), "-o", str(out), *extra]


def sizes_of(out: Path) -> Dict[str, int]:
    files = [p for p in out.iterdir() if p.is_file()]
    return {"compare.json": (out / "compare.json").stat().st_size,
            "compare.md": (out / "compare.md").stat().st_size,
            "compare.html": (out / "compare.html").stat().st_size,
            "graph.*": sum((out / n).stat().st_size for n in ("graph.graphml", "graph.gexf", "graph.json")),
            "sqlite": (out / "planlens.sqlite").stat().st_size,
            "all": sum(p.stat().st_size for p in files)}


def snapshot(folder: Path) -> Dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", type=int, default=250, help="files at 1× (default 250)")
    parser.add_argument("--sizes", default="1,4,16", help="multiples of --base to run (default 1,4,16; '' for none)")
    parser.add_argument("--workers", type=int, default=2, help="--workers of the size runs (default 2)")
    parser.add_argument("--compare-at", type=int, default=500,
                        help="files for the --workers 1/2 and dask comparison (default 500; 0 skips)")
    parser.add_argument("--only", type=int, help="just one run of this many files (time, peak memory, sizes)")
    parser.add_argument("--no-dask", action="store_true", help="leave out the --engine dask run")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="planlens-scale-"))
    print(f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}; corpus from corpus/ and "
          "tests/devset/inputs/ plus generated sentences", flush=True)
    bad = 0
    try:
        rows = []
        sizes = [args.only] if args.only else [args.base * int(x) for x in args.sizes.split(",") if x.strip()]
        print(f"{'files':>7} {'MB in':>6} {'seconds':>8} {'peak MB':>8} {'compare.json':>13} {'compare.md':>11} "
              f"{'graph.*':>10} {'sqlite':>10} {'all out':>10}", flush=True)
        for n in sizes:
            corpus = tmp / f"corpus-{n}"
            size_in = make_corpus(corpus, n)
            out = tmp / f"out-{n}"
            seconds, peak, code, err = measure(run_cmd(corpus, out, "--workers", str(args.workers)))
            if code != 0:
                print(f"run of {n} files failed ({code}):\n{err}")
                return 1
            s = sizes_of(out)
            rows.append((n, seconds, peak, s))
            print(f"{n:>7} {size_in / 1e6:>6.1f} {seconds:>8.1f} {peak:>8.0f} {s['compare.json'] / 1e6:>11.2f}MB "
                  f"{s['compare.md'] / 1e6:>9.2f}MB {s['graph.*'] / 1e6:>8.1f}MB {s['sqlite'] / 1e6:>8.1f}MB "
                  f"{s['all'] / 1e6:>8.1f}MB", flush=True)
            shutil.rmtree(out)
        for (n0, t0, m0, s0), (n1, t1, m1, s1) in zip(rows, rows[1:]):  # each size against the one before
            f = n1 / n0
            print(f"{f:.0f}× files ({n0} → {n1}): time ×{t1 / t0:.2f}, peak memory ×{m1 / m0:.2f}, "
                  f"compare.json ×{s1['compare.json'] / s0['compare.json']:.2f}, "
                  f"all outputs ×{s1['all'] / s0['all']:.2f}", flush=True)
        if args.only:
            print(f"{args.only} files: peak {rows[0][2]:.0f} MB ({'under' if rows[0][2] < 1000 else 'OVER'} 1 GB)")
        if args.compare_at and not args.only:
            corpus = tmp / "corpus-cmp"
            make_corpus(corpus, args.compare_at)
            t1, m1, c1, e1 = measure(run_cmd(corpus, tmp / "w1", "--workers", "1"))
            t2, m2, c2, e2 = measure(run_cmd(corpus, tmp / "w2", "--workers", "2"))
            same = snapshot(tmp / "w1") == snapshot(tmp / "w2")
            print(f"{args.compare_at} files: --workers 1 {t1:.1f} s ({m1:.0f} MB), --workers 2 {t2:.1f} s "
                  f"({m2:.0f} MB): speed-up ×{t1 / t2:.2f}; outputs {'identical' if same else 'DIFFER'}",
                  flush=True)
            bad |= not same or c1 != 0 or c2 != 0
            if not args.no_dask:
                td, md, cd, ed = measure(run_cmd(corpus, tmp / "dask", "--engine", "dask", "--workers", "2"))
                same_d = cd == 0 and snapshot(tmp / "dask") == snapshot(tmp / "w1")
                print(f"{args.compare_at} files: --engine dask (LocalCluster, 2 worker processes) {td:.1f} s "
                      f"({md:.0f} MB): ×{t1 / td:.2f} of --workers 1; outputs "
                      f"{'identical' if same_d else 'DIFFER'}" + ("" if cd == 0 else f"\n{ed}"), flush=True)
                bad |= not same_d
        if args.keep:
            print(f"kept: {tmp}")
        return 1 if bad else 0
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
