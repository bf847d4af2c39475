"""Hostile input shapes, generated to a size: the texts that once made planlens super-linear.

Shared by bench/bench_hostile.py (timings per MB) and tests/test_hostile.py (generous bounds).
Every generator takes a size in characters and returns (text, format) where format is
"txt" or "html"; the text is made of ordinary plan material, repeated in a pathological way.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Dict, Tuple

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = REPO_ROOT / "corpus"


def _fill(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def repeated_comparators(size: int) -> Tuple[str, str]:
    """One clause of `每月不少于` repeated without a number ever coming."""
    return "学校党支部工作计划\n一、主要工作\n" + _fill("每月不少于", size), "txt"


def repeated_comparators_numbers(size: int) -> Tuple[str, str]:
    """`每月不少于1次` over and over in one sentence (no full stop)."""
    return "学校党支部工作计划\n一、主要工作\n" + _fill("每月不少于1次，", size), "txt"


def repeated_labels(size: int) -> Tuple[str, str]:
    """Heading labels back to back on one line: `一、（一）1.（1）①`."""
    return "学校党支部工作计划\n" + _fill("一、（一）1.（1）①", size), "txt"


def label_lines(size: int) -> Tuple[str, str]:
    """Thousands of short numbered lines (`一、` … over and over), each a heading candidate."""
    return "学校党支部工作计划\n" + _fill("一、加强党建\n（一）组织学习\n1.每月学习1次\n", size), "txt"


def unclosed_quote(size: int) -> Tuple[str, str]:
    """A quotation mark opened at the start and never closed, then plan text."""
    return "学校党支部工作计划\n一、主要工作\n“" + _fill("开展三会一课主题党日活动每季度至少1次", size), "txt"


def numeral_run(size: int) -> Tuple[str, str]:
    """A run of Chinese and Arabic numerals with no unit or comparator between them."""
    return "学校党支部工作计划\n一、主要工作\n" + _fill("一二三四五六七八九十百千万0123456789", size), "txt"


def _seed_lines():
    """Lines of the seed corpus that are plan text (site chrome left out)."""
    from pipeline.normalize import chrome_action

    lines = [line.strip() for p in sorted(CORPUS_DIR.glob("*.txt"))
             for line in p.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line and chrome_action(line) is None]


def single_line_plan(size: int) -> Tuple[str, str]:
    """Ordinary plan text (the seed corpus) with every line break removed: one huge line."""
    return _fill("".join(_seed_lines()), size), "txt"


def single_line_punctuated(size: int) -> Tuple[str, str]:
    """The seed text as one line, line breaks turned into spaces."""
    return _fill(" ".join(_seed_lines()), size), "txt"


def nested_html(size: int) -> Tuple[str, str]:
    """HTML nested `size // 11` elements deep (`<div><span>` …), plan text at the bottom."""
    depth = max(1, size // 11)
    return ("<html><body>" + "<div><span>" * depth + "一、主要工作 每月召开1次支部委员会"
            + "</span></div>" * depth + "</body></html>"), "html"


def nested_html_unclosed(size: int) -> Tuple[str, str]:
    """HTML with `size // 5` unclosed `<div>` tags, each with a little text."""
    depth = max(1, size // 9)
    return "<html><body>" + "<div>每月1次" * depth + "</body></html>", "html"


SHAPES: Dict[str, Callable[[int], Tuple[str, str]]] = {
    "repeated_comparators": repeated_comparators,
    "repeated_comparators_numbers": repeated_comparators_numbers,
    "repeated_labels": repeated_labels,
    "label_lines": label_lines,
    "unclosed_quote": unclosed_quote,
    "numeral_run": numeral_run,
    "single_line_plan": single_line_plan,
    "single_line_punctuated": single_line_punctuated,
    "nested_html": nested_html,
    "nested_html_unclosed": nested_html_unclosed,
}
