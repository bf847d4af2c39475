#!/usr/bin/env python3
"""Cost of the commitments and measures stages against jieba on the same text, in one process.

Builds a corpus of about --size-mb MB by repeating the seed plans in corpus/ (each copy its own
plan, as `planlens run` would see them), then times, best of --repeat runs each:

  (CPU time of this process, so other load on the machine counts less)
  jieba        `Tokenizer.lcut` of a fresh, initialised `jieba.Tokenizer()` on every plan
  commitments  `pipeline.commitments.extract_commitments` on every plan (no sections)
  measures     `pipeline.measures.find_measures` on every plan, with its commitments

Prints seconds per stage and the ratio (commitments + measures) / jieba: a cost that grows
relative to jieba is a regression. Run it against two checkouts (PYTHONPATH) to compare.

    python bench/bench_commitments_measures.py [--size-mb 1.0] [--repeat 3]
"""
from __future__ import annotations

import argparse
import gc
import logging
import time
from pathlib import Path
from typing import Callable, List

import jieba

from pipeline.commitments import extract_commitments
from pipeline.measures import find_measures

CORPUS_DIR = Path(__file__).resolve().parent.parent / "corpus"


def build_corpus(size_mb: float) -> List[str]:
    """Seed plan texts repeated until their UTF-8 size reaches `size_mb` MB."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted(CORPUS_DIR.glob("*.txt"))]
    out: List[str] = []
    total = 0
    while total < size_mb * 1_000_000:
        for text in seeds:
            out.append(text)
            total += len(text.encode("utf-8"))
    return out


def best_of(repeat: int, run: Callable[[], object]) -> float:
    """Fewest seconds `run` took over `repeat` runs."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    jieba.setLogLevel(logging.WARNING)
    texts = build_corpus(args.size_mb)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    extract_commitments(texts[0])  # compile the lexicons before timing
    find_measures(texts[0])
    commitments = [extract_commitments(t) for t in texts]
    t_jieba = best_of(args.repeat, lambda: [tokenizer.lcut(t) for t in texts])
    t_commit = best_of(args.repeat, lambda: [extract_commitments(t) for t in texts])
    t_measure = best_of(args.repeat, lambda: [find_measures(t, (), c) for t, c in zip(texts, commitments)])
    print(f"plans={len(texts)} jieba={t_jieba:.3f}s commitments={t_commit:.3f}s measures={t_measure:.3f}s "
          f"(commitments+measures)/jieba={(t_commit + t_measure) / t_jieba:.3f}")


if __name__ == "__main__":
    main()
