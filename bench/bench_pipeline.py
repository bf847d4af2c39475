#!/usr/bin/env python3
"""Throughput of planlens against jieba on the same text, in one process.

Builds a corpus of about --size-mb MB (UTF-8) by repeating the seed plans in
corpus/, decodes it once, then times, best of --repeat runs each:

  jieba     `Tokenizer.lcut` of a fresh `jieba.Tokenizer()` (initialised before timing)
  outline   normalise → split → outline (`pipeline.core.build_documents` with the later
            stages switched off in Options)
  extract   the whole extraction (`pipeline.core.build_documents` with default Options,
            the body of `extract_text`): commitments and measures too once they are wired

Each copy of a seed is processed as its own source, as `planlens run` would
process files. Prints MB/s for each and the throughput ratios outline/jieba
and extract/jieba (target: extract/jieba >= 0.5).

Then the outline stage alone on ONE plan made of the largest seed plan's
lines repeated 1×, 4× and 16× (candidates + decoder, `pipeline.outline.
build_outline`): time per character at 16× must stay within 1.5× of the
time per character at 1× (linear in the text's length).

    python bench/bench_pipeline.py [--size-mb 1.0] [--repeat 3]
"""
from __future__ import annotations

import argparse
import gc
import logging
import sys
import time
from pathlib import Path
from typing import Callable, List, Sequence

import jieba

from pipeline.core import _relocate, build_documents
from pipeline.outline import build_outline
from pipeline.ingest import read_source
from pipeline.model import Options, SourceText

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = REPO_ROOT / "corpus"
TARGET_EXTRACT_RATIO = 0.5
SCALES = (1, 4, 16)
LINEAR_SLACK = 1.5  # time per character at 16x may exceed the 1x figure by this factor at most


def build_corpus(size_mb: float) -> List[SourceText]:
    """Copies of the decoded seeds of corpus/, cycled until their UTF-8 size reaches `size_mb` MB."""
    seeds = [read_source(p) for p in sorted(CORPUS_DIR.iterdir()) if p.is_file() and not p.name.startswith(".")]
    if not seeds:
        raise SystemExit(f"no seed plans in {CORPUS_DIR}")
    target = int(size_mb * 1_000_000)
    sources: List[SourceText] = []
    total = 0
    while total < target:
        for seed in seeds:
            sources.append(seed)
            total += len(seed.text.encode("utf-8"))
            if total >= target:
                break
    return sources


def best_time(run: Callable[[], object], repeat: int) -> float:
    """The fastest of `repeat` timed calls of `run`, in seconds (garbage collector off while timing)."""
    times = []
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            run()
            times.append(time.perf_counter() - start)
        finally:
            gc.enable()
    return min(times)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=1.0, help="corpus size in MB of UTF-8 (default 1.0)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per stage; the best counts (default 3)")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.size_mb <= 0:
        parser.error("--repeat must be >= 1 and --size-mb > 0")

    sources = build_corpus(args.size_mb)
    texts = [s.text for s in sources]
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1_000_000
    chars = sum(len(t) for t in texts)

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()  # dictionary load is not part of the timing
    outline_options = Options(with_commitments=False, with_measures=False)
    full_options = Options()
    # one untimed pass of each, so that lazy lexicons and tokenizers are loaded before timing
    build_documents(sources[0], full_options)
    tokenizer.lcut(texts[0])

    timings = {
        "jieba": best_time(lambda: [tokenizer.lcut(t) for t in texts], args.repeat),
        "outline": best_time(lambda: [build_documents(s, outline_options) for s in sources], args.repeat),
        "extract": best_time(lambda: [build_documents(s, full_options) for s in sources], args.repeat),
    }
    outline_docs = [d for s in sources for d in build_documents(s, outline_options)]
    extract_docs = [d for s in sources for d in build_documents(s, full_options)]

    print(f"corpus: {megabytes:.2f} MB, {chars} characters, {len(sources)} sources "
          f"(seeds of {CORPUS_DIR.relative_to(REPO_ROOT)}/ repeated), "
          f"{len(extract_docs)} plans, best of {args.repeat}")
    rates = {name: megabytes / seconds for name, seconds in timings.items()}
    for name, seconds in timings.items():
        print(f"  {name:<8} {seconds:8.3f} s  {rates[name]:8.2f} MB/s")
    outline_ratio = rates["outline"] / rates["jieba"]
    extract_ratio = rates["extract"] / rates["jieba"]
    print(f"  outline/jieba {outline_ratio:.2f}   extract/jieba {extract_ratio:.2f} "
          f"(target >= {TARGET_EXTRACT_RATIO}: {'met' if extract_ratio >= TARGET_EXTRACT_RATIO else 'NOT met'})")
    if any(d.commitments or d.measures for d in outline_docs):
        print("  note: the outline run produced commitments/measures, so Options do not switch the later "
              "stages off and the outline timing includes them", file=sys.stderr)
    print(f"  found: {sum(len(d.sections) for d in extract_docs)} sections, "
          f"{sum(len(d.commitments) for d in extract_docs)} commitments, "
          f"{sum(len(d.measures) for d in extract_docs)} measures")
    return 0 if outline_scaling(extract_docs, args.repeat) else 1


def outline_scaling(documents, repeat: int) -> bool:
    """Time the outline stage on one plan of the largest document's lines repeated SCALES times.

    Prints the time per character at each scale; True when the largest scale stays within
    LINEAR_SLACK of the smallest (the stage is linear in the length of the text).
    """
    plan = max(documents, key=lambda d: len(d.text))
    per_char = {}
    print(f"outline scaling: one plan of {len(plan.lines)} lines ({len(plan.text)} characters) repeated")
    for scale in SCALES:
        text, lines = _relocate(list(plan.lines) * scale)
        seconds = best_time(lambda: build_outline(text, lines), repeat)
        sections = len(build_outline(text, lines))
        per_char[scale] = seconds / len(text)
        print(f"  {scale:>3}x  {len(text):>8} chars  {seconds:8.3f} s  {per_char[scale] * 1e6:7.2f} us/char  "
              f"{sections} sections")
    ratio = per_char[SCALES[-1]] / per_char[SCALES[0]]
    linear = ratio <= LINEAR_SLACK
    print(f"  time per character {SCALES[-1]}x / {SCALES[0]}x = {ratio:.2f} "
          f"(linear if <= {LINEAR_SLACK}: {'met' if linear else 'NOT met'})")
    return linear


if __name__ == "__main__":
    sys.exit(main())
