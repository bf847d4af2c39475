#!/usr/bin/env python3
"""Hostile inputs: time of the whole extraction per shape and size, and seconds per MB.

For each shape of bench/hostile_shapes.py (repeated comparators, repeated labels, an
unclosed quote, numeral runs, a 2 MB single line, deeply nested HTML …) and each size,
times `extract_source` (HTML: its reader's `html_to_text` first), one run each, in one
process whose rule tables are compiled before timing. Prints seconds, s/MB (of UTF-8)
and the growth factor between successive sizes (2.0 for a doubling is linear; 4.0 is
quadratic), and flags any shape over the budget (default 3 s per MB, with a floor of
1 s for small inputs).

    python bench/bench_hostile.py [--sizes 100000,200000,500000] [--shapes a,b] [--budget 3.0]
    python bench/bench_hostile.py --sizes 2000000 --shapes single_line_plan
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hostile_shapes import SHAPES  # noqa: E402

from pipeline.core import extract_source, extract_text  # noqa: E402
from pipeline.ingest.html import html_to_text  # noqa: E402
from pipeline.ingest.text import text_to_source  # noqa: E402


def run_shape(name: str, size: int) -> tuple:
    """(seconds, MB, plans, commitments) for one shape at one size."""
    text, fmt = SHAPES[name](size)
    mb = len(text.encode("utf-8")) / 1e6
    start = time.perf_counter()
    if fmt == "html":
        text = html_to_text(text)
    result = extract_source(text_to_source(text, name, fmt=fmt))
    seconds = time.perf_counter() - start
    return seconds, mb, len(result.documents), sum(len(d.commitments) for d in result.documents)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,200000,500000", help="sizes in characters, comma-separated")
    parser.add_argument("--shapes", default=",".join(SHAPES), help="shapes, comma-separated")
    parser.add_argument("--budget", type=float, default=3.0, help="seconds per MB allowed (default 3.0)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    shapes = [s for s in args.shapes.split(",") if s]
    unknown = [s for s in shapes if s not in SHAPES]
    if unknown:
        parser.error(f"unknown shape(s) {unknown}; known: {', '.join(SHAPES)}")

    extract_text("学校党支部工作计划\n一、主要工作\n每月召开1次支部委员会。\n")  # compile the rules first
    print(f"{'shape':30} {'chars':>9} {'MB':>6} {'s':>7} {'s/MB':>6} {'growth':>6} {'plans':>5} {'commit':>6}")
    over = []
    for name in shapes:
        previous = None
        for size in sizes:
            seconds, mb, plans, commitments = run_shape(name, size)
            growth = f"{seconds / previous:.2f}" if previous else ""
            previous = max(seconds, 1e-6)
            flag = ""
            if seconds > max(1.0, args.budget * mb):
                flag = "  OVER BUDGET"
                over.append((name, size))
            print(f"{name:30} {size:>9} {mb:>6.2f} {seconds:>7.2f} {seconds / mb:>6.2f} {growth:>6} {plans:>5} "
                  f"{commitments:>6}{flag}", flush=True)
    if over:
        print(f"over {args.budget} s/MB: {over}")
        return 1
    print(f"every shape within {args.budget} s/MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
