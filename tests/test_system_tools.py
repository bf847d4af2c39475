"""The system tools planlens relies on, used for real: LibreOffice converts .odt/.doc/.rtf for the
.docx reader, and qpdf-encrypted PDFs are read (no user password) or refused (one).

These tools are installed by .ci/run (Debian: libreoffice-writer-nogui, qpdf); a machine without
them fails these tests with the command that installs them, it never skips them.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from pipeline.core import extract_file
from pipeline.errors import InputError
from pipeline.ingest import convert, read_source
from pipeline.ingest.pdf import read_pdf
from pipeline.labels import parse_label
from pipeline.textutil import fold

FIXTURES = Path(__file__).parent / "fixtures"
PLAN_DOCX = FIXTURES / "plans" / "plan_sanhui.docx"
PLAN_PDF = FIXTURES / "plans" / "plan_sanhui.pdf"


def _tool(name: str, package: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"`{name}` is not on PATH: install it (Debian/Ubuntu: apt-get install {package})")
    return found


def _essence(path: Path):
    result = extract_file(path)
    assert result.ok, result.problems
    return [(d.title, [(s.level, fold(s.label), s.title) for s in d.sections],
             sorted((str(c.value), c.unit, c.comparator, c.period or "") for c in d.commitments))
            for d in result.documents]


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """The fixture plan saved by LibreOffice as .odt and .doc."""
    soffice = convert.find_soffice() or _tool("soffice", "libreoffice-writer-nogui")
    folder = tmp_path_factory.mktemp("libreoffice")
    profile = (folder / "profile").as_uri()
    out = {}
    for fmt in ("odt", "doc"):
        subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                        "--convert-to", fmt, "--outdir", str(folder), str(PLAN_DOCX)],
                       check=True, capture_output=True, timeout=300, env={"HOME": str(folder), "PATH": "/usr/bin:/bin"})
        out[fmt] = folder / f"{PLAN_DOCX.stem}.{fmt}"
        assert out[fmt].is_file(), f"LibreOffice made no .{fmt}"
    return out


def _without_label(line: str) -> str:
    label = parse_label(line)
    return line[label.end:] if label else line


@pytest.mark.parametrize("fmt", ["odt", "doc"])
def test_libreoffice_formats_read_like_the_docx(converted, fmt):
    original = read_source(PLAN_DOCX).text.splitlines()
    lines = read_source(converted[fmt]).text.splitlines()
    assert len(lines) == len(original)
    for ours, theirs in zip(lines, original):
        # LibreOffice keeps the list numbering of the outer levels (written back, for Chinese
        # numerals, as taiwaneseCounting*) and drops that of some deep levels; it never changes one
        assert ours in (theirs, _without_label(theirs))
    assert "一、指导思想" in lines and "（一）支部党员大会" in lines and "1.议题准备" in lines
    assert _essence(converted[fmt])[0][2] == _essence(PLAN_DOCX)[0][2]  # the same commitments


RTF_LINES = ["学校党支部2026年工作计划", "一、主要工作", "（一）支部委员会", "支部委员会每月召开1次会议。",
             "二、保障措施", "每季度至少开展1次主题党日活动。"]


def _rtf(lines) -> str:
    """A hand-written RTF document: one paragraph per line, every character as \\uN escape."""
    body = "".join("".join(f"\\u{ord(ch) if ord(ch) < 32768 else ord(ch) - 65536}?" for ch in line) + "\\par\n"
                   for line in lines)
    return "{\\rtf1\\ansi\\ansicpg936\\deff0{\\fonttbl{\\f0 SimSun;}}\\f0\\fs24\n" + body + "}"


def test_a_hand_written_rtf_is_converted_and_read(tmp_path):
    _tool("soffice", "libreoffice-writer-nogui")
    path = tmp_path / "plan.rtf"
    path.write_text(_rtf(RTF_LINES), encoding="ascii")
    assert read_source(path).text.splitlines() == RTF_LINES
    result = extract_file(path)
    assert result.ok and [s.title for s in result.documents[0].sections] == ["主要工作", "支部委员会", "保障措施"]
    assert sorted((c.value, c.period) for c in result.documents[0].commitments) == [(1, "month"), (1, "quarter")]


def test_converted_file_keeps_its_own_name_and_format(converted):
    result = extract_file(converted["odt"])
    assert result.path == str(converted["odt"]) and result.format == "odt"


def _encrypt(tmp_path: Path, user: str, name: str) -> Path:
    qpdf = _tool("qpdf", "qpdf")
    target = tmp_path / name
    subprocess.run([qpdf, "--encrypt", user, "owner-secret", "256", "--", str(PLAN_PDF), str(target)],
                   check=True, capture_output=True, timeout=120)
    assert b"/Encrypt" in target.read_bytes()
    return target


def test_qpdf_encrypted_pdf_with_a_user_password_is_refused_in_one_line(tmp_path):
    locked = _encrypt(tmp_path, "user-secret", "locked.pdf")
    with pytest.raises(InputError, match="password-protected PDF") as error:
        read_pdf(locked)
    assert "\n" not in str(error.value)
    result = extract_file(locked)
    assert not result.ok and "password" in result.problems[0].message


def test_qpdf_encrypted_pdf_without_a_user_password_reads_like_the_plain_one(tmp_path):
    restricted = _encrypt(tmp_path, "", "restricted.pdf")
    assert read_pdf(restricted).text == read_pdf(PLAN_PDF).text


@pytest.mark.parametrize("fmt,expected", [("taiwaneseCounting", "十一"), ("taiwaneseCountingThousand", "十一"),
                                          ("taiwaneseDigital", "一一")])
def test_the_numbering_names_libreoffice_writes_for_chinese_numerals(fmt, expected):
    from pipeline.ingest.docx import format_number

    assert format_number(11, fmt) == expected
