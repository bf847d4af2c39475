"""Hostile inputs finish in time linear in their size, with no traceback.

The shapes (bench/hostile_shapes.py) are ones that once took super-linear time: a clause of
`每月不少于` repeated to 200 k characters took 12.7 s, 500 k more than 45 s, a 2 MB single
line of plan text did not finish in 90 s, HTML nested 20,000 deep took 41 s. The bounds here
are generous and still far below those figures. They are on the process's CPU time, which a
machine shared with other work does not inflate (wall time only has to stay under a far looser
bound that catches a hang); the benchmark bench/bench_hostile.py measures seconds per MB.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from hostile_shapes import SHAPES  # noqa: E402

from pipeline.core import extract_file, extract_source, extract_text  # noqa: E402
from pipeline.ingest.html import html_to_text  # noqa: E402
from pipeline.ingest.text import text_to_source  # noqa: E402

BOUND_SECONDS = 20.0  # CPU seconds
WALL_FACTOR = 6  # wall time may be this many times the CPU bound on a busy machine


@pytest.fixture(scope="module", autouse=True)
def compiled_rules():
    extract_text("学校党支部工作计划\n一、主要工作\n每月召开1次支部委员会。\n")  # rule tables compiled once


def _timed(name: str, size: int):
    text, fmt = SHAPES[name](size)
    start, wall = time.process_time(), time.perf_counter()
    if fmt == "html":
        text = html_to_text(text)
    result = extract_source(text_to_source(text, name, fmt=fmt))
    seconds = time.process_time() - start
    assert time.perf_counter() - wall < WALL_FACTOR * BOUND_SECONDS, f"{name}: hung"
    return seconds, result


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_each_shape_at_100k_characters_is_quick(name):
    seconds, result = _timed(name, 100_000)
    assert seconds < BOUND_SECONDS / 2, f"{name}: {seconds:.1f} s for 100 k characters"
    assert not any("internal error" in p.message for p in result.problems)


def test_repeated_comparator_clause_at_500k_characters():
    seconds, result = _timed("repeated_comparators", 500_000)
    assert seconds < BOUND_SECONDS, f"{seconds:.1f} s"
    assert result.documents


def test_a_2mb_single_line_of_plan_text():
    seconds, result = _timed("single_line_plan", 2_000_000 // 3)  # 3 bytes a character in UTF-8
    assert seconds < 45, f"{seconds:.1f} s"
    assert result.documents and result.documents[0].commitments


def test_html_nested_20000_deep():
    text, _ = SHAPES["nested_html"](20_000 * 11)
    start = time.process_time()
    plain = html_to_text(text)
    assert time.process_time() - start < 10
    assert "每月召开1次支部委员会" in plain


def test_a_hostile_file_is_read_through_the_file_path_without_traceback(tmp_path):
    text, _ = SHAPES["unclosed_quote"](100_000)
    path = tmp_path / "hostile.txt"
    path.write_text(text, encoding="utf-8")
    result = extract_file(path)
    assert result.ok, result.problems


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_each_shape_gives_the_same_answer_twice(name):
    # windows and indexes are deterministic: the same text gives the same records
    text, fmt = SHAPES[name](5_000)
    if fmt == "html":
        text = html_to_text(text)
    assert extract_source(text_to_source(text, name)) == extract_source(text_to_source(text, name))
