"""Untrusted inputs: no XML entity is resolved (.docx, and so .odt/.doc after conversion; HTML),
output names from input stems are safe and unique, an unwritable output folder is one line."""
from __future__ import annotations

import io
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline import cli
from pipeline.batch import RESERVED_STEMS, output_names, safe_stem
from pipeline.errors import InputError
from pipeline.ingest.docx import read_docx
from pipeline.ingest.html import html_to_text

REPO = Path(__file__).resolve().parent.parent
SECRET = "机密口令XYZZY"
PLAN = "学校党支部2026年工作计划\n一、主要工作\n支部委员会每月召开1次会议。\n"


def _docx_with_document_xml(path: Path, transform) -> Path:
    """A real .docx (python-docx) whose word/document.xml is passed through `transform`."""
    import docx

    document = docx.Document()
    for line in PLAN.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                data = transform(data.decode("utf-8")).encode("utf-8")
            out.writestr(info, data)
    return path


def _with_doctype(xml: str, doctype: str, reference: str) -> str:
    head, rest = xml.split("?>", 1)
    rest = rest.replace("支部委员会每月召开1次会议。", f"支部委员会每月召开1次会议。{reference}", 1)
    return f"{head}?>{doctype}{rest}"


def _read_or_refuse(path: Path) -> str:
    """The text read from `path`, or "" when the reader refuses it as bad input (both are safe)."""
    try:
        return read_docx(path).text
    except InputError:
        return ""


def test_docx_external_entity_is_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    doctype = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    path = _docx_with_document_xml(tmp_path / "xxe.docx", lambda xml: _with_doctype(xml, doctype, "&xxe;"))
    assert SECRET not in _read_or_refuse(path)


def test_docx_internal_entity_bomb_does_not_expand(tmp_path):
    entities = ['<!ENTITY a0 "哈哈哈哈哈哈哈哈哈哈">'] + [f'<!ENTITY a{i} "{("&a%d;" % (i - 1)) * 10}">'
                                                        for i in range(1, 9)]
    doctype = "<!DOCTYPE w:document [" + "".join(entities) + "]>"
    path = _docx_with_document_xml(tmp_path / "bomb.docx", lambda xml: _with_doctype(xml, doctype, "&a8;"))
    start = time.process_time()
    text = _read_or_refuse(path)
    assert time.process_time() - start < 10
    assert "哈哈哈哈哈哈哈哈哈哈哈" not in text and len(text) < 10_000


def test_html_entities_declared_in_the_page_are_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    page = (f'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM "{secret.as_uri()}">'
            '<!ENTITY lol "哈哈哈哈哈哈哈哈哈哈">]>'
            "<html><body><p>一、主要工作</p><p>&xxe;每月1次&lol;&lol;</p></body></html>")
    text = html_to_text(page)
    assert SECRET not in text and "哈哈" not in text and "一、主要工作" in text


def test_html_ordinary_character_references_still_read():
    assert html_to_text("<p>党建&amp;业务&nbsp;融合&#20826;</p>") == "党建&业务 融合党"


@pytest.mark.parametrize("stem,expected", [
    ("学校党支部2026年工作计划", "学校党支部2026年工作计划"),
    ("plan v2 (final)", "plan v2 (final)"),
    ("../../etc/passwd", "etc_passwd"),
    ("..", "plan"),
    ("...", "plan"),
    (".hidden", "hidden"),
    ("a/b\\c", "a_b_c"),
    ("line\nbreak\ttab\x00nul\x7f", "line_break_tab_nul"),
    ('what:*?"<>|', "what"),
    ("CON", "_CON"),
    ("nul.backup", "_nul.backup"),
    ("", "plan"),
    ("trailing dot.", "trailing dot"),
])
def test_safe_stem(stem, expected):
    assert safe_stem(stem) == expected


def test_safe_stem_is_short_enough_for_any_file_system():
    name = safe_stem("很长的计划名" * 100)
    assert len(name.encode("utf-8")) <= 150 and name.startswith("很长的计划名")


def test_output_names_are_unique_ignoring_case_and_never_a_reserved_stem():
    paths = [Path("a/Plan.txt"), Path("b/plan.txt"), Path("c/PLAN.html"), Path("d/compare.txt"),
             Path("e/../x.txt"), Path("f/x.txt"), Path("g/planlens.docx")]
    names = output_names(paths, ".json")
    assert len({n.casefold() for n in names.values()}) == len(paths)
    assert not any(n[:-len(".json")].casefold() in RESERVED_STEMS for n in names.values())
    assert all("/" not in n and "\\" not in n and not n.startswith(".") for n in names.values())


def test_hostile_file_names_write_inside_the_output_folder(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("..txt", "...txt", "a\nb.txt", "-rf.txt", " spaced .txt"):
        (inputs / name).write_text(PLAN, encoding="utf-8")
    out = tmp_path / "out"
    files = sorted(str(p) for p in inputs.iterdir())
    result = CliRunner().invoke(cli.main, ["extract", *files, "-o", str(out)])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in out.iterdir())
    assert len(written) == len(files)
    assert all(p.parent == out for p in out.iterdir())
    assert not any(ch in name for name in written for ch in "\n\x00/")
    assert not any(name.startswith(".") for name in written)


@pytest.mark.parametrize("command", ["extract", "checklist", "run", "compare"])
def test_an_unwritable_output_folder_is_one_line(tmp_path, command):
    plan = tmp_path / "plan.txt"
    plan.write_text(PLAN, encoding="utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    out = blocker / "out"
    done = subprocess.run([sys.executable, "-m", "pipeline", command, str(plan), "-o", str(out)],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path,
                          env={"PYTHONPATH": str(REPO), "PATH": ""})
    assert done.returncode == 1
    assert done.stderr.splitlines() == [f"planlens: error: {out}: cannot write to the output folder (Not a directory)"]
