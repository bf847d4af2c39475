"""Golden files for whole documents: every seed in corpus/ and every tests/golden/<name>/input.*
is extracted and compared with tests/golden/<name>/expected.json and outline.txt.

expected.json keeps only what the outline stages decide (document titles; sections' level,
label, title, path), so later stages can add fields without touching the goldens.
A missing or different golden FAILS. To accept a change on purpose:

    python -m pytest tests/test_golden.py --update-golden     (or PLANLENS_UPDATE_GOLDEN=1)

then read the diff of tests/golden/ before committing it.
"""
from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

from pipeline.core import extract_file
from pipeline.export.json import result_to_dict

REPO_ROOT = Path(__file__).resolve().parent.parent
GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
CORPUS_DIR = REPO_ROOT / "corpus"
SECTION_FIELDS = ("level", "label", "title", "path")
UPDATE_HINT = "run `python -m pytest tests/test_golden.py --update-golden` and review the diff"


def seed_inputs() -> List[Path]:
    """The plan files of corpus/, sorted."""
    return sorted(p for p in CORPUS_DIR.iterdir() if p.is_file() and not p.name.startswith("."))


def written_inputs() -> List[Path]:
    """The input.* files of tests/golden/<name>/, sorted by <name>."""
    if not GOLDEN_DIR.is_dir():
        return []
    return sorted(p for d in GOLDEN_DIR.iterdir() if d.is_dir() for p in d.glob("input.*"))


def golden_cases() -> List[Tuple[str, Path]]:
    """(golden name, input path): a seed's name is its stem, a written input's its folder's name."""
    return [(p.stem, p) for p in seed_inputs()] + [(p.parent.name, p) for p in written_inputs()]


def golden_view(path: Path) -> Dict[str, Any]:
    """What the goldens pin for the input at `path`: its documents' titles and outline fields."""
    envelope = result_to_dict(extract_file(path))
    return {
        "input": path.relative_to(REPO_ROOT).as_posix(),
        "problems": envelope["problems"],
        "documents": [
            {"title": doc["title"],
             "sections": [{key: section[key] for key in SECTION_FIELDS} for section in doc["sections"]]}
            for doc in envelope["documents"]
        ],
    }


def render_expected_json(view: Dict[str, Any]) -> str:
    """`view` as JSON with one section per line, so that a diff shows exactly which heading changed."""
    def one_line(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    out = ["{", f'  "input": {one_line(view["input"])},', f'  "problems": {one_line(view["problems"])},',
           '  "documents": [']
    for d, doc in enumerate(view["documents"]):
        out.append("    {")
        out.append(f'      "title": {one_line(doc["title"])},')
        if doc["sections"]:
            out.append('      "sections": [')
            rows = [f"        {one_line(section)}" for section in doc["sections"]]
            out.append(",\n".join(rows))
            out.append("      ]")
        else:
            out.append('      "sections": []')
        out.append("    }" + ("," if d + 1 < len(view["documents"]) else ""))
    out += ["  ]", "}"]
    return "\n".join(out) + "\n"


def render_outline(view: Dict[str, Any]) -> str:
    """An indented tree: each document's title, then its sections as `label title`, two spaces per level."""
    blocks = []
    for doc in view["documents"]:
        lines = [doc["title"] or "(untitled plan)"]
        for section in doc["sections"]:
            text = f'{section["label"]} {section["title"]}' if section["label"] else section["title"]
            lines.append("  " * section["level"] + text)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def check_golden(path: Path, actual: str, update: bool) -> None:
    """Compare `actual` with the golden file at `path` (rewrite it instead when `update`)."""
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(f"missing golden {path.relative_to(REPO_ROOT)}: {UPDATE_HINT}")
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                            "golden", "now", n=2))
        pytest.fail(f"{path.relative_to(REPO_ROOT)} differs from the pipeline's output; if the change "
                    f"is intended, {UPDATE_HINT}\n{diff}")


@pytest.mark.parametrize("name, source", golden_cases(), ids=[name for name, _ in golden_cases()])
def test_document_matches_its_golden(name, source, update_golden):
    view = golden_view(source)
    folder = GOLDEN_DIR / name
    expected_json = render_expected_json(view)
    assert json.loads(expected_json) == view  # the hand-made layout is valid JSON of the same data
    check_golden(folder / "expected.json", expected_json, update_golden)
    check_golden(folder / "outline.txt", render_outline(view), update_golden)


def test_every_golden_folder_belongs_to_an_input():
    names = [name for name, _ in golden_cases()]
    assert len(names) == len(set(names)), "a golden folder name is used twice (seed stem and input folder?)"
    folders = sorted(d.name for d in GOLDEN_DIR.iterdir() if d.is_dir()) if GOLDEN_DIR.is_dir() else []
    orphans = [f for f in folders if f not in names]
    assert not orphans, f"golden folders with no input (corpus seed or input.*): {orphans}"


RENDER_EXAMPLES = [
    # (id, view, outline.txt expected) — written by us, to pin the tree format itself
    ("nested", {"documents": [{"title": "工作计划", "sections": [
        {"level": 1, "label": "一、", "title": "指导思想", "path": "一、"},
        {"level": 2, "label": "（一）", "title": "学习", "path": "一、/（一）"},
        {"level": 2, "label": "", "title": "党课", "path": "一、/党课"}]}]},
     "工作计划\n  一、 指导思想\n    （一） 学习\n    党课\n"),
    ("two-documents", {"documents": [{"title": "甲计划", "sections": []},
                                     {"title": "", "sections": [{"level": 1, "label": "1.", "title": "目标",
                                                                 "path": "1."}]}]},
     "甲计划\n\n(untitled plan)\n  1. 目标\n"),
]


@pytest.mark.parametrize("view, outline", [e[1:] for e in RENDER_EXAMPLES], ids=[e[0] for e in RENDER_EXAMPLES])
def test_outline_tree_format(view, outline):
    assert render_outline(view) == outline
