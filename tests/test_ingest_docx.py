"""Word reader: numbering rebuilt from numbering.xml, body order, hints, guards, LibreOffice conversion.

Documents are built in tmp_path with python-docx plus raw numbering XML
(tests/fixtures/builders.py); the committed fixtures come from make_fixtures.py.
"""
from __future__ import annotations

import importlib.util
import os
import stat
import sys
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.ingest import convert
from pipeline.ingest.convert import convert_to_docx
from pipeline.ingest.docx import format_number, int_to_chinese, read_docx
from pipeline.model import LineHint

FIXTURES = Path(__file__).parent / "fixtures"
_spec = importlib.util.spec_from_file_location("fixture_builders", FIXTURES / "builders.py")
builders = importlib.util.module_from_spec(_spec)
sys.modules["fixture_builders"] = builders
_spec.loader.exec_module(builders)
DocxBuilder, Level = builders.DocxBuilder, builders.Level

CHINESE_OUTLINE = (Level("chineseCounting", "%1、"), Level("chineseCounting", "（%2）"),
                   Level("decimal", "%3."), Level("decimal", "（%4）"), Level("decimalEnclosedCircle", "%5"))


def lines_of(builder: DocxBuilder, tmp_path: Path, name: str = "doc.docx"):
    return read_docx(builder.save(tmp_path / name)).text.split("\n")


# --------------------------------------------------------------------------
# number formats (written by us)

FORMAT_CASES = [
    ("decimal", 7, "7"),
    ("decimalZero", 7, "07"),
    ("chineseCounting", 1, "一"),
    ("chineseCounting", 10, "十"),
    ("chineseCounting", 11, "十一"),
    ("chineseCounting", 20, "二十"),
    ("chineseCounting", 21, "二十一"),
    ("chineseCounting", 100, "一百"),
    ("chineseCounting", 101, "一百零一"),
    ("chineseCounting", 110, "一百一十"),
    ("chineseCountingThousand", 1000, "一千"),
    ("chineseCountingThousand", 1001, "一千零一"),
    ("chineseCountingThousand", 1010, "一千零一十"),
    ("chineseCountingThousand", 12, "十二"),
    ("ideographDigital", 10, "一〇"),
    ("chineseLegalSimplified", 11, "壹拾壹"),
    ("ideographTraditional", 1, "甲"),
    ("ideographTraditional", 3, "丙"),
    ("ideographTraditional", 10, "癸"),
    ("ideographTraditional", 11, "甲"),
    ("ideographZodiac", 2, "丑"),
    ("decimalEnclosedCircle", 1, "①"),
    ("decimalEnclosedCircle", 11, "⑪"),
    ("decimalEnclosedCircle", 20, "⑳"),
    ("decimalEnclosedCircle", 21, "21"),
    ("decimalEnclosedCircleChinese", 3, "③"),
    ("decimalEnclosedParen", 2, "⑵"),
    ("decimalFullWidth", 12, "１２"),
    ("upperLetter", 1, "A"),
    ("upperLetter", 26, "Z"),
    ("upperLetter", 27, "AA"),
    ("lowerLetter", 3, "c"),
    ("upperRoman", 4, "IV"),
    ("upperRoman", 14, "XIV"),
    ("lowerRoman", 9, "ix"),
    ("ordinal", 2, "2nd"),
    ("bullet", 3, ""),
    ("none", 3, ""),
    ("someFutureFormat", 5, "5"),
]


@pytest.mark.parametrize("num_fmt,value,expected", FORMAT_CASES)
def test_format_number(num_fmt, value, expected):
    assert format_number(value, num_fmt) == expected


@pytest.mark.parametrize("value,expected", [(0, "〇"), (15, "十五"), (99, "九十九"), (205, "二百零五"),
                                            (10000, "一万"), (10001, "一万零一")])
def test_int_to_chinese(value, expected):
    assert int_to_chinese(value) == expected


# --------------------------------------------------------------------------
# numbering in documents (written by us)

# (levels, [(ilvl, text)], expected lines)
NUMBERING_CASES = {
    "chinese outline, deeper levels restart when a higher one advances": (
        CHINESE_OUTLINE,
        [(0, "总体要求"), (1, "学习"), (2, "读书"), (2, "研讨"), (1, "实践"), (2, "走访"),
         (0, "主要任务"), (1, "组织"), (3, "细则"), (4, "要点")],
        ["一、总体要求", "（一）学习", "1.读书", "2.研讨", "（二）实践", "1.走访", "二、主要任务",
         "（一）组织", "（1）细则", "①要点"]),
    "level text quotes the higher level in that level's own format": (
        (Level("chineseCounting", "%1、"), Level("decimal", "%1.%2")),
        [(0, "甲"), (1, "乙"), (1, "丙")],
        ["一、甲", "一.1乙", "一.2丙"]),
    "lvlRestart=1: level 3 runs on across level 2 and restarts at level 1": (
        (Level("chineseCounting", "%1、"), Level("chineseCounting", "（%2）"),
         Level("decimal", "%3.", restart=1)),
        [(0, "a"), (1, "b"), (2, "c"), (2, "d"), (1, "e"), (2, "f"), (0, "g"), (1, "h"), (2, "i")],
        ["一、a", "（一）b", "1.c", "2.d", "（二）e", "3.f", "二、g", "（一）h", "1.i"]),
    "lvlRestart=0: never restarts": (
        (Level("chineseCounting", "%1、"), Level("decimal", "%2.", restart=0)),
        [(0, "a"), (1, "b"), (0, "c"), (1, "d")],
        ["一、a", "1.b", "二、c", "2.d"]),
    "start value of a level": (
        (Level("decimal", "%1.", start=3),),
        [(0, "a"), (0, "b")],
        ["3.a", "4.b"]),
    "more than ten items: 十一 and ⑪": (
        (Level("chineseCounting", "（%1）"), Level("decimalEnclosedCircle", "%2")),
        [(0, "x")] * 11 + [(1, "y")] * 11,
        ["（%s）x" % int_to_chinese(n) for n in range(1, 12)]
        + ["①y", "②y", "③y", "④y", "⑤y", "⑥y", "⑦y", "⑧y", "⑨y", "⑩y", "⑪y"]),
    "ideographTraditional and full-width levels": (
        (Level("ideographTraditional", "%1、"), Level("decimalFullWidth", "%2．"),
         Level("upperLetter", "%3)"), Level("lowerRoman", "%4.")),
        [(0, "a"), (1, "b"), (1, "c"), (2, "d"), (3, "e"), (0, "f")],
        ["甲、a", "１．b", "２．c", "A)d", "i.e", "乙、f"]),
    "bullet and none levels give no label": (
        (Level("bullet", "•"), Level("none", "")),
        [(0, "a"), (1, "b")],
        ["a", "b"]),
    "a skipped level shows the deeper level's own start": (
        CHINESE_OUTLINE,
        [(0, "a"), (2, "b"), (2, "c")],
        ["一、a", "1.b", "2.c"]),
}


@pytest.mark.parametrize("case", sorted(NUMBERING_CASES))
def test_numbering_renders(case, tmp_path):
    levels, paragraphs, expected = NUMBERING_CASES[case]
    builder = DocxBuilder()
    num = builder.add_list(levels)
    for ilvl, text in paragraphs:
        builder.paragraph(text, num=(num, ilvl))
    assert lines_of(builder, tmp_path) == expected


def test_numbered_paragraph_hint_is_set(tmp_path):
    builder = DocxBuilder()
    num = builder.add_list(CHINESE_OUTLINE)
    builder.paragraph("总体要求", num=(num, 0))
    builder.paragraph("正文")
    source = read_docx(builder.save(tmp_path / "d.docx"))
    assert source.line_hints == (LineHint(numbered=True), None)
    assert source.format == "docx" and source.encoding is None


def test_start_override_restarts_a_list(tmp_path):
    builder = DocxBuilder()
    abstract = builder.add_abstract(CHINESE_OUTLINE)
    first = builder.add_num(abstract)
    for text in "abc":
        builder.paragraph(text, num=(first, 2))
    restarted = builder.add_num(abstract, start_overrides={2: 1})
    for text in "de":
        builder.paragraph(text, num=(restarted, 2))
    later = builder.add_num(abstract, start_overrides={2: 5})
    builder.paragraph("f", num=(later, 2))
    assert lines_of(builder, tmp_path) == ["1.a", "2.b", "3.c", "1.d", "2.e", "5.f"]


def test_nums_sharing_an_abstract_without_override_continue_one_list(tmp_path):
    builder = DocxBuilder()
    abstract = builder.add_abstract(CHINESE_OUTLINE)
    one, two = builder.add_num(abstract), builder.add_num(abstract)
    builder.paragraph("a", num=(one, 0))
    builder.paragraph("b", num=(two, 0))
    builder.paragraph("c", num=(one, 0))
    assert lines_of(builder, tmp_path) == ["一、a", "二、b", "三、c"]


def test_lvl_override_replaces_a_level(tmp_path):
    builder = DocxBuilder()
    abstract = builder.add_abstract(CHINESE_OUTLINE)
    num = builder.add_num(abstract, level_overrides={0: Level("decimal", "第%1条", start=1)})
    builder.paragraph("a", num=(num, 0))
    builder.paragraph("b", num=(num, 0))
    assert lines_of(builder, tmp_path) == ["第1条a", "第2条b"]


def test_numbering_through_style_and_basedon_chain(tmp_path):
    builder = DocxBuilder()
    num = builder.add_list(CHINESE_OUTLINE)
    builder.add_paragraph_style("PlanH1", "计划一级", num=(num, 0))
    builder.add_paragraph_style("PlanH2", "计划二级", num=(num, 1))
    builder.add_paragraph_style("PlanH2Red", "计划二级红", based_on="PlanH2")  # inherits numPr
    builder.paragraph("总体要求", style="PlanH1")
    builder.paragraph("学习", style="PlanH2")
    builder.paragraph("实践", style="PlanH2Red")
    builder.paragraph("正文")
    builder.paragraph("主要任务", style="PlanH1")
    assert lines_of(builder, tmp_path) == ["一、总体要求", "（一）学习", "（二）实践", "正文", "二、主要任务"]


def test_style_numbered_without_ilvl_takes_the_level_linked_to_the_style(tmp_path):
    builder = DocxBuilder()
    levels = (Level("chineseCounting", "%1、", paragraph_style="LinkedH1"),
              Level("chineseCounting", "（%2）", paragraph_style="LinkedH2"))
    num = builder.add_list(levels)
    builder.add_paragraph_style("LinkedH1", "链接一级", num=(num, None))
    builder.add_paragraph_style("LinkedH2", "链接二级", num=(num, None))
    builder.paragraph("a", style="LinkedH1")
    builder.paragraph("b", style="LinkedH2")
    builder.paragraph("c", style="LinkedH2")
    assert lines_of(builder, tmp_path) == ["一、a", "（一）b", "（二）c"]


def test_num_id_zero_switches_style_numbering_off(tmp_path):
    builder = DocxBuilder()
    num = builder.add_list(CHINESE_OUTLINE)
    builder.add_paragraph_style("PlanH1", "计划一级", num=(num, 0))
    builder.paragraph("a", style="PlanH1")
    paragraph = builder.raw_paragraph('<w:pPr><w:pStyle w:val="PlanH1"/><w:numPr><w:ilvl w:val="0"/>'
                                      '<w:numId w:val="0"/></w:numPr></w:pPr><w:r><w:t>b</w:t></w:r>')
    assert paragraph is not None
    builder.paragraph("c", style="PlanH1")
    assert lines_of(builder, tmp_path) == ["一、a", "b", "二、c"]


def test_num_style_link_follows_to_the_real_definition(tmp_path):
    builder = DocxBuilder()
    real = builder.add_abstract(CHINESE_OUTLINE, style_link="PlanList")
    real_num = builder.add_num(real)
    builder.add_paragraph_style("PlanList", "计划列表", based_on="", num=(real_num, None),
                                style_type="numbering")
    linked = builder.add_abstract((Level("decimal", "%1)"),), num_style_link="PlanList")
    linked_num = builder.add_num(linked)
    builder.paragraph("a", num=(linked_num, 0))
    builder.paragraph("b", num=(linked_num, 1))
    assert lines_of(builder, tmp_path) == ["一、a", "（一）b"]


def test_missing_definitions_give_plain_text(tmp_path):
    builder = DocxBuilder()
    builder.paragraph("a", num=(42, 0))  # no such numId
    num = builder.add_list((Level("decimal", "%1."),))
    builder.paragraph("b", num=(num, 5))  # no such level
    assert lines_of(builder, tmp_path) == ["a", "b"]


def test_space_suffix_is_kept(tmp_path):
    builder = DocxBuilder()
    num = builder.add_list((Level("decimal", "%1.", suffix="space"),))
    builder.paragraph("a", num=(num, 0))
    assert lines_of(builder, tmp_path) == ["1. a"]


# --------------------------------------------------------------------------
# body order, exclusions, inline content (written by us)


def test_table_cells_read_row_by_row(tmp_path):
    builder = DocxBuilder()
    builder.paragraph("前")
    builder.table([["月份", "主题"], ["三月", "学雷锋\n志愿服务"]])
    builder.paragraph("后")
    assert lines_of(builder, tmp_path) == ["前", "月份", "主题", "三月", "学雷锋", "志愿服务", "后"]


def test_numbering_inside_table_cells_counts_in_reading_order(tmp_path):
    builder = DocxBuilder()
    num = builder.add_list((Level("decimal", "%1."),))
    table = builder.table([["", ""]])
    from docx.oxml import parse_xml

    for column, text in enumerate(("a", "b")):
        cell_p = table.cell(0, column).paragraphs[0]
        cell_p.text = text
        cell_p._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr xmlns:w="{builders.W_NS}"><w:ilvl w:val="0"/><w:numId w:val="{num}"/></w:numPr>'))
    builder.paragraph("c", num=(num, 0))
    assert lines_of(builder, tmp_path) == ["1.a", "2.b", "3.c"]


def test_headers_and_footers_are_excluded(tmp_path):
    builder = DocxBuilder()
    builder.header_footer("学校党建工作资料汇编", "第 1 页")
    builder.paragraph("正文")
    assert lines_of(builder, tmp_path) == ["正文"]


INLINE_CASES = {
    "field code hidden, field result shown": (
        '<w:r><w:t>第</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        '<w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>次</w:t></w:r>',
        ["第3次"]),
    "tracked deletion dropped, insertion kept": (
        '<w:r><w:t>每月</w:t></w:r><w:del w:id="1" w:author="a"><w:r><w:delText>两</w:delText></w:r></w:del>'
        '<w:ins w:id="2" w:author="a"><w:r><w:t>一</w:t></w:r></w:ins><w:r><w:t>次</w:t></w:r>',
        ["每月一次"]),
    "hyperlink text kept": (
        '<w:r><w:t>见</w:t></w:r><w:hyperlink w:anchor="x"><w:r><w:t>附件</w:t></w:r></w:hyperlink>',
        ["见附件"]),
    "soft line break starts a new line": (
        '<w:r><w:t>一、总体要求</w:t><w:br/><w:t>正文</w:t></w:r>',
        ["一、总体要求", "正文"]),
    "page break is not a line": (
        '<w:r><w:t>甲</w:t><w:br w:type="page"/><w:t>乙</w:t></w:r>',
        ["甲乙"]),
    "tab kept, hidden text dropped": (
        '<w:r><w:t>一、</w:t><w:tab/><w:t>要求</w:t></w:r>'
        '<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r>',
        ["一、\t要求"]),
    "footnote reference mark is not text": (
        '<w:r><w:t>会议</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r>',
        ["会议"]),
    "content control text kept": (
        '<w:sdt><w:sdtPr/><w:sdtContent><w:r><w:t>控件</w:t></w:r></w:sdtContent></w:sdt>',
        ["控件"]),
}


@pytest.mark.parametrize("case", sorted(INLINE_CASES))
def test_inline_content(case, tmp_path):
    xml, expected = INLINE_CASES[case]
    builder = DocxBuilder()
    builder.raw_paragraph(xml)
    assert lines_of(builder, tmp_path) == expected


# --------------------------------------------------------------------------
# hints and title (written by us)


def test_heading_styles_give_heading_level_hints(tmp_path):
    builder = DocxBuilder()
    builder.add_paragraph_style("CnHeading3", "标题 3")
    builder.add_paragraph_style("Outline0", "自定义大标题", outline_level=0)
    builder.add_paragraph_style("MyHeading", "我的标题", based_on="Heading2")
    builder.paragraph("总体要求", style="Heading1")
    builder.paragraph("学习", style="Heading2")
    builder.paragraph("细则", style="CnHeading3")
    builder.paragraph("大标题", style="Outline0")
    builder.paragraph("继承", style="MyHeading")
    builder.paragraph("直接大纲级别", outline_level=1)
    builder.paragraph("正文")
    source = read_docx(builder.save(tmp_path / "h.docx"))
    levels = [hint.heading_level if hint else None for hint in source.line_hints]
    assert levels == [1, 2, 3, 1, 2, 2, None]


def test_title_from_title_style(tmp_path):
    builder = DocxBuilder()
    builder.paragraph("学校2026年三会一课工作计划", style="Title")
    builder.paragraph("正文")
    source = read_docx(builder.save(tmp_path / "t.docx"))
    assert source.title == "学校2026年三会一课工作计划"
    assert source.line_hints[0] == LineHint(is_title=True)


def test_title_from_centred_bold_paragraph(tmp_path):
    builder = DocxBuilder()
    builder.paragraph("说明", centred=True)  # centred but not bold: not a title
    builder.paragraph("党支部2026年党建工作计划", centred=True, bold=True)
    builder.paragraph("正文", bold=True)  # bold but not centred
    source = read_docx(builder.save(tmp_path / "t.docx"))
    assert source.title == "党支部2026年党建工作计划"
    assert [bool(h and h.is_title) for h in source.line_hints] == [False, True, False]


def test_hints_stay_aligned_with_lines(tmp_path):
    builder = DocxBuilder()
    num = builder.add_list(CHINESE_OUTLINE)
    builder.raw_paragraph('<w:r><w:t>甲</w:t><w:br/><w:t>乙</w:t></w:r>')
    builder.paragraph("要求", num=(num, 0))
    source = read_docx(builder.save(tmp_path / "a.docx"))
    assert len(source.line_hints) == len(source.text.split("\n")) == 3
    assert source.line_hints[2].numbered


# --------------------------------------------------------------------------
# guards: bad input gives one-line InputError, never a traceback (written by us)


def test_not_a_zip_is_refused(tmp_path):
    path = tmp_path / "plan.docx"
    path.write_text("一、总体要求", encoding="utf-8")
    with pytest.raises(InputError, match="not a zip"):
        read_docx(path)


def test_empty_and_missing_files_are_refused(tmp_path):
    (tmp_path / "empty.docx").write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        read_docx(tmp_path / "empty.docx")
    with pytest.raises(InputError, match="no such file"):
        read_docx(tmp_path / "missing.docx")


def test_ole_file_is_refused_as_encrypted_or_old_doc(tmp_path):
    path = tmp_path / "locked.docx"
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 512)
    with pytest.raises(InputError, match="password-protected"):
        read_docx(path)


def test_zip_without_word_document_is_refused(tmp_path):
    path = tmp_path / "other.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(InputError) as error:
        read_docx(path)
    assert "\n" not in str(error.value)


def test_damaged_document_xml_is_refused(tmp_path):
    builder = DocxBuilder()
    builder.paragraph("正文")
    good = builder.save(tmp_path / "good.docx")
    bad = tmp_path / "bad.docx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bad, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                data = data[: len(data) // 2]
            target.writestr(info, data)
    with pytest.raises(InputError, match="cannot be read as a .docx"):
        read_docx(bad)


def _zip_with_member(path: Path, name: str, size: int) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(name, "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(size >> 20):
                member.write(chunk)
    return path


def test_zip_bomb_member_over_limit_is_refused_before_parsing(tmp_path, monkeypatch):
    import pipeline.ingest.docx as docx_module

    bomb = _zip_with_member(tmp_path / "bomb.docx", "word/document.xml", 101 << 20)
    assert bomb.stat().st_size < 2 << 20  # small on disk, huge inside

    def never(*args, **kwargs):
        raise AssertionError("parsed a zip bomb")

    monkeypatch.setattr(docx_module, "_load_parts", never)
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match="zip bomb"):
            read_docx(bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 10 << 20  # nothing was decompressed


def test_zip_bomb_by_compression_ratio_is_refused(tmp_path):
    bomb = _zip_with_member(tmp_path / "ratio.docx", "word/media/image1.bin", 20 << 20)
    with pytest.raises(InputError, match="compression ratio"):
        read_docx(bomb)


# --------------------------------------------------------------------------
# LibreOffice conversion (written by us)


def _fake_soffice(folder: Path, script: str) -> None:
    folder.mkdir()
    path = folder / "soffice"
    path.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


def test_convert_without_soffice_names_the_fix(tmp_path, monkeypatch):
    source = tmp_path / "plan.doc"
    source.write_bytes(b"\xd0\xcf\x11\xe0 not really")
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    with pytest.raises(InputError, match="install it") as error:
        convert_to_docx(source)
    assert "LibreOffice" in str(error.value) and "\n" not in str(error.value)


@pytest.mark.skipif(os.name != "posix", reason="fake soffice is a shell script")
def test_convert_runs_soffice_and_returns_the_docx(tmp_path, monkeypatch):
    builder = DocxBuilder()
    num = builder.add_list(CHINESE_OUTLINE)
    builder.paragraph("总体要求", num=(num, 0))
    made = builder.save(tmp_path / "made.docx")
    # the fake copies a ready .docx to --outdir under the source's stem, as soffice does
    _fake_soffice(tmp_path / "bin", 'for last; do :; done\n'
                  'while [ "$1" != "--outdir" ]; do shift; done\n'
                  f'cp "{made}" "$2/$(basename "${{last%.*}}").docx"\n')
    monkeypatch.setenv("PATH", str(tmp_path / "bin") + os.pathsep + os.environ["PATH"])
    source = tmp_path / "plan.wps"
    source.write_bytes(b"old format")
    converted = convert_to_docx(source)
    assert converted.name == "plan.docx"
    assert read_docx(converted).text == "一、总体要求"


@pytest.mark.skipif(os.name != "posix", reason="fake soffice is a shell script")
def test_convert_failure_is_one_line_error(tmp_path, monkeypatch):
    _fake_soffice(tmp_path / "bin", 'echo "Error: source file could not be loaded" >&2\nexit 1\n')
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    source = tmp_path / "plan.rtf"
    source.write_bytes(b"{\\rtf1 broken")
    with pytest.raises(InputError, match="could not convert") as error:
        convert_to_docx(source)
    assert "\n" not in str(error.value)


def test_find_soffice_also_accepts_libreoffice_name(tmp_path, monkeypatch):
    folder = tmp_path / "bin"
    folder.mkdir()
    exe = folder / "libreoffice"
    exe.write_text("#!/bin/sh\n", encoding="utf-8")
    exe.chmod(0o755)
    monkeypatch.setenv("PATH", str(folder))
    assert convert.find_soffice() == str(exe)


# --------------------------------------------------------------------------
# committed fixtures (from the seeds and plans written for the tests)

SEED_FIXTURES = sorted((FIXTURES / "seeds").glob("*.docx"))
PLAN_FIXTURES = sorted((FIXTURES / "plans").glob("*.docx"))


@pytest.mark.parametrize("path", SEED_FIXTURES + PLAN_FIXTURES, ids=lambda p: p.stem)
def test_fixture_docx_reads_as_its_typed_text(path):
    expected = path.with_suffix(".docx.txt").read_text(encoding="utf-8")
    assert read_docx(path).text == expected.rstrip("\n")


@pytest.mark.parametrize("path", SEED_FIXTURES + PLAN_FIXTURES, ids=lambda p: p.stem)
def test_fixture_docx_labels_exist_only_as_word_numbering(path):
    with zipfile.ZipFile(path) as archive:
        body = archive.read("word/document.xml").decode("utf-8")
    assert "<w:numPr>" in body or "Heading" in body
    source = read_docx(path)
    numbered = [line for line, hint in zip(source.text.split("\n"), source.line_hints)
                if hint and hint.numbered]
    assert numbered
    for line in numbered:  # the rebuilt label is not typed in the XML
        assert f">{line}<" not in body


def test_fixture_sanhui_uses_title_and_heading_styles():
    source = read_docx(FIXTURES / "plans" / "plan_sanhui.docx")
    assert source.title == "XX中学第二党支部2026年“三会一课”工作计划"
    hints = dict(zip(source.text.split("\n"), source.line_hints))
    assert hints["一、指导思想"] == LineHint(heading_level=1, numbered=True)
    assert hints["（一）支部党员大会"] == LineHint(heading_level=2, numbered=True)
    assert hints["（1）记录本统一编号"] == LineHint(numbered=True)


# --------------------------------------------------------------------------
# through the whole pipeline: a .docx gives the outline its text gives


def _outline(path: Path):
    core = pytest.importorskip("pipeline.core")
    result = core.extract_file(path)
    assert result.ok, result.problems
    return [(doc.title, [(s.level, s.label, s.title[:6]) for s in doc.sections]) for doc in result.documents]


@pytest.mark.parametrize("name", [p.stem for p in SEED_FIXTURES]
                         + ["plan_sanhui", "plan_integrity", "plan_theme_day"])
def test_docx_outline_equals_text_outline(name):
    folder = FIXTURES / ("seeds" if (FIXTURES / "seeds" / f"{name}.docx").exists() else "plans")
    assert _outline(folder / f"{name}.docx") == _outline(folder / f"{name}.txt")


# --------------------------------------------------------------------------
# bugs caught (by a mutation run over the fixtures)


def test_regression_zip_needing_a_newer_zip_version_is_one_line_error(tmp_path):
    # zipfile raises NotImplementedError("zip file version 8.0"), which escaped as a traceback
    builder = DocxBuilder()
    builder.paragraph("正文")
    data = bytearray(builder.save(tmp_path / "ok.docx").read_bytes())
    central = data.find(b"PK\x01\x02")
    data[central + 6:central + 8] = (80).to_bytes(2, "little")  # version needed to extract: 8.0
    path = tmp_path / "future.docx"
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match="not a zip archive"):
        read_docx(path)


def test_mutated_docx_files_give_input_error_or_text(tmp_path):
    import io
    import random

    rng = random.Random(20260101)
    original = (FIXTURES / "plans" / "plan_theme_day.docx").read_bytes()
    for round_no in range(40):
        if round_no % 2:
            data = bytearray(original)
            for _ in range(rng.randint(1, 20)):
                data[rng.randrange(len(data))] = rng.randrange(256)
            data = bytes(data)
        else:  # damage the XML inside a well-formed zip
            source, out = zipfile.ZipFile(io.BytesIO(original)), io.BytesIO()
            with zipfile.ZipFile(out, "w") as target:
                for info in source.infolist():
                    part = bytearray(source.read(info.filename))
                    if info.filename in ("word/document.xml", "word/numbering.xml", "word/styles.xml"):
                        for _ in range(rng.randint(1, 30)):
                            part[rng.randrange(len(part))] = rng.randrange(256)
                    target.writestr(info.filename, bytes(part))
            data = out.getvalue()
        path = tmp_path / f"mutated{round_no}.docx"
        path.write_bytes(data)
        try:
            read_docx(path)
        except InputError as error:
            assert "\n" not in str(error)


def test_minimal_package_without_styles_or_numbering_parts(tmp_path):
    path = tmp_path / "minimal.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml",
                         '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                         'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                         'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                         '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                         'officedocument.wordprocessingml.document.main+xml"/></Types>')
        archive.writestr("_rels/.rels",
                         '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
                         '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                         'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
                         '</Relationships>')
        archive.writestr("word/document.xml",
                         f'<?xml version="1.0"?><w:document xmlns:w="{builders.W_NS}"><w:body>'
                         '<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
                         '<w:r><w:t>一、总体要求</w:t></w:r></w:p><w:p/><w:p><w:r><w:t>正文</w:t></w:r></w:p>'
                         '</w:body></w:document>')
    source = read_docx(path)
    assert source.text == "一、总体要求\n\n正文"
