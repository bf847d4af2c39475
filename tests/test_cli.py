"""The command line: output formats, one-line errors and exit codes, batches that go on past bad
files, the default `run` over corpus/, and outputs written whole."""
from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main

# Written by us: a small plan with three levels of numbering.
PLAN = """学校党支部2026年三会一课工作计划
为加强支部建设，结合学校实际，制定本计划。
一、指导思想
坚持以习近平新时代中国特色社会主义思想为指导。
二、主要工作
（一）支部党员大会
每季度至少召开1次支部党员大会。
1.内容设置：学习党的理论。
2.质量把控：会前3天发布会议通知。
（二）党课
支部书记每年讲党课不少于1次。
三、保障措施
加强组织领导，落实工作责任。
"""
PLAN_TITLE = "学校党支部2026年三会一课工作计划"
SECTION_KEYS = {"level", "label", "title", "id", "parent", "path", "body", "span"}
SUMMARY = re.compile(r"^planlens: \d+ file\(s\), \d+ plan\(s\), \d+ section\(s\), \d+ commitment\(s\), \d+ error\(s\)$")


def invoke(*args: str):
    """Run the planlens command in-process with `args`; stdout and stderr are kept apart."""
    return CliRunner().invoke(main, [str(a) for a in args])


def assert_clean_exit(result, code: int) -> None:
    """The command ended through sys.exit(`code`), not through an uncaught exception."""
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stderr


def stderr_lines(result):
    """The non-blank lines the command wrote on stderr."""
    return [line for line in result.stderr.splitlines() if line.strip()]


def assert_one_line_problem(result, path, words: str) -> None:
    """Exactly one stderr line names `path`, and it says `words`; the others are problems or the summary."""
    naming = [line for line in stderr_lines(result) if str(path) in line]
    assert len(naming) == 1, result.stderr
    assert words in naming[0]
    for line in stderr_lines(result):
        assert line.startswith("planlens: error: ") or SUMMARY.match(line), line


@pytest.fixture
def good_plan(write_plan) -> Path:
    """PLAN saved as good.txt in a temp folder."""
    return write_plan(PLAN, "good.txt")


# --- one file to stdout -------------------------------------------------------------------

def test_extract_prints_the_json_envelope(good_plan):
    result = invoke("extract", good_plan)
    assert_clean_exit(result, 0)
    envelope = json.loads(result.stdout)
    assert envelope["schema_version"]
    assert envelope["source"] == {"path": str(good_plan), "format": "txt", "encoding": "utf-8"}
    [document] = envelope["documents"]
    assert document["title"] == PLAN_TITLE
    sections = document["sections"]
    assert [(s["level"], s["label"], s["title"]) for s in sections] == [
        (1, "一、", "指导思想"), (1, "二、", "主要工作"), (2, "（一）", "支部党员大会"),
        (3, "1.", "内容设置"), (3, "2.", "质量把控"), (2, "（二）", "党课"), (1, "三、", "保障措施")]
    for section in sections:
        assert SECTION_KEYS <= section.keys()
        start, end = section["span"]
        assert document["text"][start:end].startswith(section["label"] + section["title"])
    by_id = {s["id"]: s for s in sections}
    assert by_id[sections[3]["parent"]]["label"] == "（一）"
    assert sections[3]["path"] == "二、/（一）/1."
    assert sections[0]["body"] == "坚持以习近平新时代中国特色社会主义思想为指导。"


def test_extract_markdown_prints_headings(good_plan):
    result = invoke("extract", good_plan, "--format", "md")
    assert_clean_exit(result, 0)
    lines = result.stdout.splitlines()
    assert lines[0] == f"# {PLAN_TITLE}"
    for heading in ("## 一、指导思想", "### （一）支部党员大会", "#### 1.内容设置", "## 三、保障措施"):
        assert heading in lines
    with pytest.raises(ValueError):
        json.loads(result.stdout)


def test_python_dash_m_pipeline_help_works():
    done = subprocess.run([sys.executable, "-m", "pipeline", "--help"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "extract" in done.stdout and "run" in done.stdout


def test_python_dash_m_pipeline_reports_a_missing_file_without_traceback(tmp_path):
    missing = tmp_path / "nowhere.txt"
    done = subprocess.run([sys.executable, "-m", "pipeline", "extract", str(missing)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 1
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    naming = [line for line in done.stderr.splitlines() if str(missing) in line]
    assert len(naming) == 1 and "no such file" in naming[0]


# --- bad inputs: one line each, exit 1, the rest still done -------------------------------

def make_missing(tmp_path: Path) -> Path:
    """A path where no file is."""
    return tmp_path / "missing.txt"


def make_empty(tmp_path: Path) -> Path:
    """A zero-byte .txt file."""
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    return path


def make_garbage(tmp_path: Path) -> Path:
    """A .txt file holding binary bytes."""
    path = tmp_path / "garbage.txt"
    path.write_bytes(bytes(range(256)) * 8)
    return path


def make_unsupported(tmp_path: Path) -> Path:
    """A file with an extension planlens does not read."""
    path = tmp_path / "plan.xyz"
    path.write_text(PLAN, encoding="utf-8")
    return path


def make_folder_without_plans(tmp_path: Path) -> Path:
    """A folder that holds only files planlens does not read."""
    folder = tmp_path / "no-plans"
    folder.mkdir()
    (folder / "readme.xyz").write_text("nothing here", encoding="utf-8")
    return folder


BAD_INPUTS = [
    # (id, maker, words the problem line says)
    ("missing-path", make_missing, "no such file"),
    ("empty-file", make_empty, "empty file"),
    ("binary-garbage", make_garbage, "binary data"),
    ("unsupported-extension", make_unsupported, "unsupported file type '.xyz'"),
    ("folder-without-plans", make_folder_without_plans, "folder holds no plan files"),
]


@pytest.mark.parametrize("make, words", [b[1:] for b in BAD_INPUTS], ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_alone_gives_one_line_and_exit_1(tmp_path, make, words):
    bad = make(tmp_path)
    result = invoke("extract", bad)
    assert_clean_exit(result, 1)
    assert result.stdout == ""
    assert_one_line_problem(result, bad, words)


@pytest.mark.parametrize("make, words", [b[1:] for b in BAD_INPUTS], ids=[b[0] for b in BAD_INPUTS])
def test_batch_goes_on_past_a_bad_input(tmp_path, write_plan, make, words):
    first = write_plan(PLAN, "in/first.txt")
    last = write_plan(PLAN.replace("三会一课", "组织生活"), "in/last.txt")
    bad = make(tmp_path)
    out = tmp_path / "out"
    result = invoke("extract", first, bad, last, "-o", out)
    assert_clean_exit(result, 1)
    assert_one_line_problem(result, bad, words)
    assert sorted(p.name for p in out.iterdir()) == ["first.json", "last.json"]
    assert json.loads((out / "last.json").read_text(encoding="utf-8"))["documents"][0]["title"] == \
        "学校党支部2026年组织生活工作计划"


def test_several_bad_inputs_give_one_line_each(tmp_path, good_plan):
    bads = [make(tmp_path) for _, make, _ in BAD_INPUTS]
    result = invoke("extract", good_plan, *bads, "-o", tmp_path / "out")
    assert_clean_exit(result, 1)
    for bad, (_, _, words) in zip(bads, BAD_INPUTS):
        assert_one_line_problem(result, bad, words)
    assert SUMMARY.match(stderr_lines(result)[-1])
    assert (tmp_path / "out" / "good.json").is_file()


def test_several_files_without_out_dir_is_a_usage_error(good_plan, write_plan):
    other = write_plan(PLAN, "other.txt")
    result = invoke("extract", good_plan, other)
    assert result.exit_code == 2
    assert "Usage" in result.stderr and "-o" in result.stderr
    assert result.stdout == ""


def test_extract_without_files_is_a_usage_error():
    assert invoke("extract").exit_code == 2


# --- -o DIR: one output per input, named from the stem -------------------------------------

@pytest.mark.parametrize("fmt, extension", [("json", ".json"), ("md", ".md")])
def test_out_dir_gets_one_output_per_input_named_from_the_stem(tmp_path, write_plan, fmt, extension):
    text_plan = write_plan(PLAN, "in/三会一课计划.txt")
    html_plan = write_plan("<html><body>" + "".join(f"<p>{line}</p>" for line in PLAN.splitlines())
                           + "</body></html>", "in/page.html")
    out = tmp_path / "out"
    result = invoke("extract", text_plan, html_plan, "--format", fmt, "-o", out)
    assert_clean_exit(result, 0)
    assert result.stdout == ""
    assert sorted(p.name for p in out.iterdir()) == sorted([f"三会一课计划{extension}", f"page{extension}"])
    written = (out / f"page{extension}").read_text(encoding="utf-8")
    assert PLAN_TITLE in written


def test_out_dir_accepts_a_folder_of_inputs(tmp_path, write_plan):
    write_plan(PLAN, "in/a.txt")
    write_plan(PLAN, "in/sub/b.txt")
    write_plan("ignored", "in/.hidden/c.txt")
    out = tmp_path / "out"
    result = invoke("extract", tmp_path / "in", "-o", out)
    assert_clean_exit(result, 0)
    assert sorted(p.name for p in out.iterdir()) == ["a.json", "b.json"]


# --- run: the main job over corpus/ ------------------------------------------------------

@pytest.fixture
def corpus_copy(tmp_path, corpus_dir, monkeypatch) -> Path:
    """A temp folder holding a copy of corpus/, made the working directory."""
    shutil.copytree(corpus_dir, tmp_path / "corpus")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "corpus"


CROSS_PLAN_OUTPUTS = ["compare.html", "compare.json", "compare.md", "graph.gexf", "graph.graphml", "graph.json",
                      "planlens.sqlite"]


def run_outputs(stems):
    """Every file `planlens run` writes for inputs with these stems."""
    per_file = [f"{stem}{ext}" for stem in stems
                for ext in (".json", ".outline.md", ".checklist.md", ".checklist.csv", ".checklist.jsonl",
                            ".xlsx", ".ics")]
    return sorted(per_file + CROSS_PLAN_OUTPUTS)


def test_run_without_arguments_processes_corpus_into_outputs(corpus_copy, seed_paths):
    result = invoke("run")
    assert_clean_exit(result, 0)
    outputs = corpus_copy.parent / "outputs"
    assert sorted(p.name for p in outputs.iterdir()) == run_outputs(p.stem for p in seed_paths)
    plans = 0
    for seed in seed_paths:
        envelope = json.loads((outputs / f"{seed.stem}.json").read_text(encoding="utf-8"))
        assert envelope["status"] == "ok" and envelope["documents"]
        plans += len(envelope["documents"])
        outline = (outputs / f"{seed.stem}.outline.md").read_text(encoding="utf-8")
        assert outline.startswith("# " + envelope["documents"][0]["title"])
    [summary] = stderr_lines(result)
    assert SUMMARY.match(summary)
    assert summary.startswith(f"planlens: {len(seed_paths)} file(s), {plans} plan(s), ")


def test_run_goes_on_past_a_bad_file(corpus_copy, seed_paths):
    (corpus_copy / "broken.txt").write_bytes(b"")
    result = invoke("run", "-o", "elsewhere")
    assert_clean_exit(result, 1)
    assert_one_line_problem(result, Path("corpus") / "broken.txt", "empty file")
    written = sorted(p.name for p in (corpus_copy.parent / "elsewhere").iterdir())
    assert written == run_outputs(p.stem for p in seed_paths)


# --- outputs written whole ---------------------------------------------------------------

def test_pre_existing_output_is_replaced_whole(tmp_path, good_plan):
    out = tmp_path / "out"
    out.mkdir()
    stale = out / "good.json"
    stale.write_text("{" + '"stale": "x", ' * 5000 + "}", encoding="utf-8")  # longer than the real output
    result = invoke("extract", good_plan, "-o", out)
    assert_clean_exit(result, 0)
    assert sorted(p.name for p in out.iterdir()) == ["good.json"]  # no temp file left behind
    assert stale.read_text(encoding="utf-8") == invoke("extract", good_plan).stdout


def test_failed_write_leaves_old_output_and_no_temp_file(tmp_path, good_plan, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    old = out / "good.json"
    old.write_text("old output", encoding="utf-8")

    def refuse(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("pipeline.export.files.os.replace", refuse)
    result = invoke("extract", good_plan, "-o", out)
    assert_clean_exit(result, 1)
    assert_one_line_problem(result, old, "cannot write")
    assert sorted(p.name for p in out.iterdir()) == ["good.json"]
    assert old.read_text(encoding="utf-8") == "old output"


def test_bug_output_file_mode_follows_the_umask(tmp_path, good_plan):
    old_umask = os.umask(0o022)
    try:
        result = invoke("extract", good_plan, "-o", tmp_path / "out")
    finally:
        os.umask(old_umask)
    assert_clean_exit(result, 0)
    assert stat.S_IMODE((tmp_path / "out" / "good.json").stat().st_mode) == 0o644
