"""Plain-text ingest: every common encoding and line ending of one plan gives the same documents;
bad bytes are replaced, empty and binary files become one-line problems."""
from __future__ import annotations

import codecs
import random
import zlib

import pytest

from pipeline.core import extract_file
from pipeline.export.json import result_to_dict
from pipeline.ingest.text import decode_bytes

# Written by us: a short plan using full-width punctuation, nested labels and a circled number,
# all of it encodable in GBK so that every encoding below can carry it.
PLAN = """学校党支部2026年三会一课工作计划
为加强支部建设，结合学校实际，制定本计划。
一、指导思想
坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的教育方针。
二、主要工作
（一）支部党员大会
每季度至少召开1次支部党员大会。
1.内容设置：学习党的理论，审议支部年度计划。
2.质量把控：会前3天发布会议通知。
（二）党课
①书记讲党课：每年不少于1次。
三、保障措施
加强组织领导，落实工作责任。
"""
PLAN_TITLE = "学校党支部2026年三会一课工作计划"
PLAN_LABELS = ["一、", "二、", "（一）", "1.", "2.", "（二）", "①", "三、"]


def bom_then(bom: bytes, codec: str):
    """An encoder that writes `bom` and then the text in BOM-less `codec`."""
    return lambda text: bom + text.encode(codec)


def plain(codec: str):
    """An encoder that writes the text in `codec` with no BOM."""
    return lambda text: text.encode(codec)


ENCODINGS = [
    # (id, encoder, encoding name the reader reports)
    ("utf-8", plain("utf-8"), "utf-8"),
    ("utf-8-bom", bom_then(codecs.BOM_UTF8, "utf-8"), "utf-8-sig"),
    ("utf-16-le-bom", bom_then(codecs.BOM_UTF16_LE, "utf-16-le"), "utf-16"),
    ("utf-16-be-bom", bom_then(codecs.BOM_UTF16_BE, "utf-16-be"), "utf-16"),
    ("gb18030", plain("gb18030"), "gb18030"),
    ("gbk", plain("gbk"), "gb18030"),
]


def documents_of(path):
    """The `documents` part of the extract JSON for the file at `path`."""
    return result_to_dict(extract_file(path))["documents"]


@pytest.fixture
def utf8_documents(write_plan):
    """Documents of PLAN saved as plain UTF-8 with LF line ends: the reference every variant must equal."""
    documents = documents_of(write_plan(PLAN, "reference.txt"))
    assert [d["title"] for d in documents] == [PLAN_TITLE]
    assert [s["label"] for s in documents[0]["sections"]] == PLAN_LABELS
    return documents


@pytest.mark.parametrize("name, encode, reported", ENCODINGS, ids=[e[0] for e in ENCODINGS])
def test_every_encoding_gives_the_same_documents(write_plan, utf8_documents, name, encode, reported):
    path = write_plan(encode(PLAN), f"plan-{name}.txt")
    result = extract_file(path)
    assert result.problems == ()
    assert result.encoding == reported
    assert result_to_dict(result)["documents"] == utf8_documents


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "cr"])
@pytest.mark.parametrize("name, encode, reported", ENCODINGS, ids=[e[0] for e in ENCODINGS])
def test_crlf_and_cr_line_ends_read_like_lf(write_plan, utf8_documents, newline, name, encode, reported):
    path = write_plan(encode(PLAN.replace("\n", newline)), f"plan-{name}.txt")
    assert documents_of(path) == utf8_documents


def test_mixed_line_ends_read_like_lf(write_plan, utf8_documents):
    lines = PLAN.split("\n")
    mixed = "".join(line + ("\r\n", "\r", "\n")[i % 3] for i, line in enumerate(lines[:-1]))
    assert documents_of(write_plan(mixed, "mixed.txt")) == utf8_documents


# --- bad bytes: replaced, never fatal -------------------------------------------------------

def insert_before(data: bytes, marker: bytes, bad: bytes = b"\xff") -> bytes:
    """`data` with the undecodable `bad` inserted just before the first `marker`."""
    assert marker in data
    return data.replace(marker, bad + marker, 1)


def test_gbk_file_with_a_stray_byte_is_read_with_a_replacement(write_plan):
    data = insert_before(PLAN.encode("gbk"), "指导思想".encode("gbk"))
    result = extract_file(write_plan(data))
    assert result.ok
    [document] = result.documents
    assert document.title == PLAN_TITLE
    assert "\ufffd" in document.text
    assert "坚持以习近平新时代中国特色社会主义思想为指导" in document.text


# Known miss: strict UTF-8 fails on one bad byte, GB18030 fails too, and the scored fallback
# list has no UTF-8 with replacement, so the whole file comes out as GB18030 mojibake.
UTF8_DAMAGE = [
    ("stray-byte", lambda data: insert_before(data, "指导思想".encode("utf-8"))),
    ("truncated-mid-character", lambda data: data.rstrip(b"\n")[:-1]),
]


@pytest.mark.parametrize("damage", [d[1] for d in UTF8_DAMAGE], ids=[d[0] for d in UTF8_DAMAGE])
def test_damaged_utf8_keeps_its_good_characters(damage):
    text, encoding = decode_bytes(damage(PLAN.encode("utf-8")))
    assert encoding.replace("_", "-").startswith("utf-8")
    assert PLAN_TITLE in text


@pytest.mark.parametrize("damage", [d[1] for d in UTF8_DAMAGE], ids=[d[0] for d in UTF8_DAMAGE])
def test_damaged_utf8_file_is_still_read(write_plan, damage):
    result = extract_file(write_plan(damage(PLAN.encode("utf-8"))))
    assert result.problems == ()


ODD_BYTES = [
    # (id, bytes) that are no proper text in any encoding; decoding must not raise
    ("lone-continuation", b"\x80"),
    ("bom-only-utf8", codecs.BOM_UTF8),
    ("bom-only-utf16", codecs.BOM_UTF16_LE),
    ("utf16-bom-odd-length", codecs.BOM_UTF16_LE + "党".encode("utf-16-le") + b"\x41"),
    ("utf16-lone-surrogate", codecs.BOM_UTF16_LE + b"\x00\xd8\x41\x00"),
    ("utf32-bom-short", codecs.BOM_UTF32_LE + b"\x41\x00"),
    ("gb18030-cut-four-byte", "𠀀".encode("gb18030")[:3]),
    ("all-0xff", b"\xff" * 7),
]


@pytest.mark.parametrize("data", [b[1] for b in ODD_BYTES], ids=[b[0] for b in ODD_BYTES])
def test_decode_bytes_never_raises_on_odd_bytes(data):
    text, encoding = decode_bytes(data)
    assert isinstance(text, str) and encoding
    codecs.lookup(encoding)  # the reported name is a real codec


# --- empty files and binary garbage: one clear problem ----------------------------------------

EMPTY_FILES = [
    ("zero-bytes", b""),
    ("blank-lines", b"\n\n  \r\n\t\n"),
    ("utf8-bom-only", codecs.BOM_UTF8),
    ("utf16-bom-and-spaces", codecs.BOM_UTF16_LE + "  \n ".encode("utf-16-le")),
    ("ideographic-spaces", "\u3000\u3000\n".encode("utf-8")),
]


@pytest.mark.parametrize("data", [e[1] for e in EMPTY_FILES], ids=[e[0] for e in EMPTY_FILES])
def test_empty_file_is_a_problem(write_plan, data):
    path = write_plan(data, "empty.txt")
    result = extract_file(path)
    assert result.status == "error" and result.documents == ()
    [problem] = result.problems
    assert problem.path == str(path)
    assert "empty" in problem.message
    assert str(problem) == f"{path}: {problem.message}" and "\n" not in str(problem)


def random_bytes(seed: int, size: int) -> bytes:
    """`size` reproducible pseudo-random bytes."""
    rng = random.Random(seed)
    return bytes(rng.randrange(256) for _ in range(size))


BINARY_FILES = [
    pytest.param(random_bytes(1, 4096), id="random"),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random_bytes(2, 600), id="png-header"),
    pytest.param(zlib.compress(PLAN.encode("utf-8") * 20), id="zlib-stream"),
    pytest.param(b"\x00" * 256, id="nul-bytes"),
    pytest.param(b"\x7fELF\x02\x01\x01" + b"\x00" * 9 + random_bytes(3, 300), id="elf-header"),
    pytest.param(b"\x00\x01\x02\xff" * 10, id="bug-repeated-4-byte-pattern-read-as-utf16"),
]


@pytest.mark.parametrize("data", BINARY_FILES)
def test_binary_garbage_is_a_problem_not_a_plan(write_plan, data):
    path = write_plan(data, "garbage.txt")
    result = extract_file(path)
    assert result.documents == ()
    [problem] = result.problems
    assert problem.path == str(path)
    assert "binary" in problem.message
