"""PDF reader: page furniture removed, wrapped lines rejoined, bad input refused in one line.

PDFs are typeset in tmp_path with reportlab's CID font STSong-Light (through
tests/fixtures/builders.py, or line by line where geometry matters); the
committed fixtures come from make_fixtures.py.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.ingest.pdf import (LABEL_START, PAGE_NUMBER, PdfLine, fix_radicals, join_wrapped,
                                 lines_to_paragraphs, measure_margins, read_pdf)
from pipeline.model import LineHint

FIXTURES = Path(__file__).parent / "fixtures"
_spec = importlib.util.spec_from_file_location("fixture_builders", FIXTURES / "builders.py")
builders = sys.modules.get("fixture_builders") or importlib.util.module_from_spec(_spec)
if "fixture_builders" not in sys.modules:
    sys.modules["fixture_builders"] = builders
    _spec.loader.exec_module(builders)
PdfBlock, write_pdf = builders.PdfBlock, builders.write_pdf

LONG = ("坚持以政治建设为统领，以提升组织力为重点，以服务教育教学中心工作为导向，推动三会一课从完成任务"
        "向提升质量转变，从形式规范向作用发挥深化，切实将组织生活打造成理论学习的主阵地。")
BODY = [PdfBlock("一、总体要求"), PdfBlock(LONG), PdfBlock("二、重点任务"), PdfBlock(LONG)]


SOURCE_TEXT = "".join((FIXTURES / "seeds" / "000_113e1a21caf55f9a.txt").read_text(encoding="utf-8").split())


def paragraphs(count: int):
    """`count` different paragraphs of 40-90 characters (identical ones would line up as running headers)."""
    return [SOURCE_TEXT[i * 97: i * 97 + 40 + (i * 7) % 50] for i in range(count)]


def draw_lines(path: Path, pages, size: float = 12.0) -> Path:
    """A PDF with text drawn exactly where asked: pages = [[(x, y, text, size?), …], …]."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    builders._register_font()
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for page in pages:
        for item in page:
            x, y, text = item[:3]
            pdf.setFont(builders.FONT, item[3] if len(item) > 3 else size)
            pdf.drawString(x, y, text)
        pdf.showPage()
    pdf.save()
    return path


def full_line(n_chars: int = 37) -> str:
    return ("党支部全面加强思想政治建设" * 4)[:n_chars]


# --------------------------------------------------------------------------
# page furniture (written by us)


@pytest.mark.parametrize("footer", ["- {n} -", "{n}", "第{n}页 共3页", "{n}/3", "— {n} —", "Page {n} of 3"])
def test_page_numbers_are_removed(footer, tmp_path):
    texts = paragraphs(40)
    path = write_pdf([PdfBlock(t) for t in texts], tmp_path / "p.pdf", header=None, footer=footer)
    assert read_pdf(path).text.split("\n") == texts


def test_running_header_on_every_page_is_removed(tmp_path):
    texts = paragraphs(48)
    path = write_pdf([PdfBlock(t) for t in texts], tmp_path / "h.pdf", header="XX学校党建工作资料汇编")
    assert read_pdf(path).text.split("\n") == texts


def test_running_header_of_a_one_page_document_is_removed(tmp_path):
    path = write_pdf(BODY, tmp_path / "one.pdf", header="XX学校党建工作资料汇编")
    assert read_pdf(path).text.split("\n") == [b.text for b in BODY]


def test_body_line_that_looks_like_a_number_mid_page_is_kept(tmp_path):
    path = draw_lines(tmp_path / "n.pdf", [[(96, 760, "一、目标"), (72, 740, "2026"), (96, 720, "二、任务"),
                                            (96, 700, "正文一"), (96, 680, "正文二")]])
    assert "2026" in read_pdf(path).text.split("\n")


@pytest.mark.parametrize("text,is_page_number", [
    ("- 3 -", True), ("3", True), ("第3页 共8页", True), ("第 3 页", True), ("3/8", True),
    ("共8页 第3页", True), ("—12—", True), ("2026年", False), ("3次", False), ("一、3", False),
])
def test_page_number_pattern(text, is_page_number):
    assert bool(PAGE_NUMBER.match(text)) == is_page_number


# --------------------------------------------------------------------------
# paragraphs (written by us)


def test_wrapped_lines_are_joined_without_spaces(tmp_path):
    path = write_pdf([PdfBlock(LONG * 3)], tmp_path / "w.pdf", header=None)
    text = read_pdf(path).text
    assert text == LONG * 3


def test_paragraph_continuing_on_the_next_page_is_joined(tmp_path):
    texts = paragraphs(33) + [LONG * 4]
    path = write_pdf([PdfBlock(t) for t in texts], tmp_path / "across.pdf", header="页眉文字")
    assert read_pdf(path).text.split("\n") == texts


def test_label_line_starts_a_new_paragraph_even_after_a_full_line(tmp_path):
    full = full_line()
    path = draw_lines(tmp_path / "l.pdf", [[(72, 760, full), (72, 740, "二、重点任务"),
                                            (72, 720, full), (72, 700, "（一）支部党员大会"),
                                            (72, 680, full), (72, 660, "1.5万元用于活动经费")]])
    lines = read_pdf(path).text.split("\n")
    assert lines == [full, "二、重点任务", full, "（一）支部党员大会", full + "1.5万元用于活动经费"]


def test_indented_line_starts_a_new_paragraph(tmp_path):
    full = full_line()
    indented = full_line(35)
    path = draw_lines(tmp_path / "i.pdf", [[(72, 760, full), (96, 740, indented), (72, 720, full),
                                            (72, 700, "续行")]])
    assert read_pdf(path).text.split("\n") == [full, indented + full + "续行"]


def test_latin_words_split_by_a_wrap_get_one_space(tmp_path):
    words = "Party building work plan for the new school year " * 4
    path = write_pdf([PdfBlock(words.strip(), indent=False)], tmp_path / "en.pdf", header=None)
    assert read_pdf(path).text == words.strip()


def test_fake_bold_printed_twice_reads_once(tmp_path):
    path = write_pdf([PdfBlock("一、加强组织建设", bold=True), PdfBlock(LONG)], tmp_path / "b.pdf", header=None)
    assert read_pdf(path).text.split("\n") == ["一、加强组织建设", LONG]


def test_table_row_cells_are_separated(tmp_path):
    blocks = [PdfBlock(LONG), PdfBlock(kind="row", cells=("月份", "主题", "责任人")),
              PdfBlock(kind="row", cells=("三月", "学雷锋", "组织委员"))]
    path = write_pdf(blocks, tmp_path / "t.pdf", header=None)
    assert read_pdf(path).text.split("\n") == [LONG, "月份 主题 责任人", "三月 学雷锋 组织委员"]


def test_centred_larger_line_is_the_title(tmp_path):
    path = write_pdf([PdfBlock("学校2026年三会一课工作计划", kind="title")] + BODY, tmp_path / "t.pdf")
    source = read_pdf(path)
    assert source.title == "学校2026年三会一课工作计划"
    assert source.line_hints[0] == LineHint(is_title=True)
    assert len(source.line_hints) == len(source.text.split("\n"))


def test_long_title_wrapped_over_two_centred_lines_is_one_title(tmp_path):
    title = "XX市XX区XX中学第二党支部2026年度“三会一课”暨主题党日活动工作计划"
    source = read_pdf(write_pdf([PdfBlock(title, kind="title")] + BODY, tmp_path / "long-title.pdf"))
    assert source.title == title
    assert source.text.split("\n") == [title] + [b.text for b in BODY]


def test_cjk_text_from_cid_font_is_exact(tmp_path):
    text = "“三会一课”全年不少于4次（每季度至少1次）；①②③，《条例》、—…"
    path = draw_lines(tmp_path / "cid.pdf", [[(72, 760, text)]])
    assert read_pdf(path).text == text


@pytest.mark.parametrize("text,expected", [("⼀、总体要求", "一、总体要求"), ("⼆是", "二是"), ("正常", "正常")])
def test_kangxi_radicals_become_ideographs(text, expected):
    assert fix_radicals(text) == expected


@pytest.mark.parametrize("text,starts", [
    ("一、总体要求", True), ("（一）学习", True), ("(二)实践", True), ("1.内容", True), ("3、作风", True),
    ("（1）细则", True), ("①要点", True), ("第一章 总则", True), ("1.5万元", False), ("12.5%的", False),
    ("一是加强", False), ("、开展", False),
])
def test_label_start(text, starts):
    assert bool(LABEL_START.match(text)) == starts


@pytest.mark.parametrize("left,right,joined", [("加强", "建设", "加强建设"), ("plan", "for", "plan for"),
                                               ("2026", "年", "2026年"), ("第", "3", "第3")])
def test_join_wrapped(left, right, joined):
    assert join_wrapped(left, right) == joined


# --------------------------------------------------------------------------
# bad input (written by us)


def test_scan_without_text_layer_needs_ocr(tmp_path):
    from PIL import Image
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("L", (60, 80), 200)
    path = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    pdf.drawImage(ImageReader(image), 0, 0, width=A4[0], height=A4[1])
    pdf.showPage()
    pdf.save()
    with pytest.raises(InputError, match="no text layer.*OCR"):
        read_pdf(path)


def test_password_protected_pdf_is_refused_clearly(tmp_path):
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    builders._register_font()
    path = tmp_path / "locked.pdf"
    pdf = canvas.Canvas(str(path), encrypt=pdfencrypt.StandardEncryption("secret", canPrint=0))
    pdf.setFont(builders.FONT, 12)
    pdf.drawString(72, 700, "一、总体要求")
    pdf.showPage()
    pdf.save()
    with pytest.raises(InputError, match="password"):
        read_pdf(path)


@pytest.mark.parametrize("content,problem", [
    (b"", "empty"),
    ("一、总体要求\n二、任务".encode("utf-8"), "not a PDF"),
    (b"PK\x03\x04 a zip renamed", "not a PDF"),
    (b"%PDF-1.7\n1 0 obj << /Type /Catalog", "damaged or unreadable|no text layer"),
])
def test_bad_files_give_one_line_errors(content, problem, tmp_path):
    path = tmp_path / "bad.pdf"
    path.write_bytes(content)
    with pytest.raises(InputError, match=problem) as error:
        read_pdf(path)
    assert "\n" not in str(error.value)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_pdf(tmp_path / "nope.pdf")


# --------------------------------------------------------------------------
# bugs caught


def _line(x0, x1, top, text="字", size=12.0, page=0):
    return PdfLine(text=text, x0=x0, x1=x1, top=top, bottom=top + size, size=size, page=page,
                   page_width=595.0)


def test_regression_left_margin_when_most_lines_are_indented_first_lines():
    # most paragraphs are one indented line; the few continuation lines mark the real margin
    lines = [_line(96, 300, 100 + 20 * i) for i in range(10)] + [_line(72, 523, 320), _line(72, 200, 340)]
    assert measure_margins(lines).left == 72


def test_regression_right_margin_when_most_lines_are_short_headings():
    # the 90th percentile of line ends was a short heading's end, so short lines looked full
    lines = [_line(96, 200, 100 + 20 * i) for i in range(12)] + [_line(72, 523, 400)]
    assert measure_margins(lines).right == 523
    paragraphs = lines_to_paragraphs([_line(96, 250, 100, "４．新任中层干部任前谈话"),
                                      _line(96, 200, 120, "a)谈话记录存档"),
                                      _line(72, 523, 140, "正文" * 10), _line(72, 300, 160, "尾")])
    assert [text for text, _ in paragraphs][:2] == ["４．新任中层干部任前谈话", "a)谈话记录存档"]


def test_regression_wrap_before_an_inline_label_in_an_indented_document_is_joined(tmp_path):
    # a 50-page bench plan split "…活动：一、开展学习…。" at a wrap that fell before "二、"
    full = full_line()
    page = [(96, 760, full_line(35)), (72, 740, "活动。"),
            (96, 720, full_line(35)), (72, 700, "要求。"),
            (96, 680, full_line(35)), (72, 660, full), (72, 640, "二、开展演讲活动。三、开展评比活动。"),
            (96, 620, "三、下一节")]
    lines = read_pdf(draw_lines(tmp_path / "inline.pdf", [page])).text.split("\n")
    assert lines[2] == full_line(35) + full + "二、开展演讲活动。三、开展评比活动。"
    assert lines[3] == "三、下一节"


def test_regression_header_on_a_short_last_page_is_removed(tmp_path):
    # the small-line rule used to drop page 1's header first, leaving page 2's unmatched
    blocks = [PdfBlock(t) for t in paragraphs(34)] + [PdfBlock("三、监督检查")]
    path = write_pdf(blocks, tmp_path / "short-last.pdf", header="学校党建工作资料汇编")
    assert "资料汇编" not in read_pdf(path).text


# --------------------------------------------------------------------------
# committed fixtures (from the seeds and plans written for the tests)

PDF_FIXTURES = sorted((FIXTURES / "seeds").glob("*.pdf")) + sorted((FIXTURES / "plans").glob("*.pdf"))


@pytest.mark.parametrize("path", PDF_FIXTURES, ids=lambda p: p.stem)
def test_fixture_pdf_reads_as_its_text(path):
    expected = path.with_suffix(".pdf.txt").read_text(encoding="utf-8").rstrip("\n")
    assert read_pdf(path).text == expected


@pytest.mark.parametrize("path", PDF_FIXTURES, ids=lambda p: p.stem)
def test_fixture_pdf_matches_its_docx_text_up_to_blank_lines_and_tables(path):
    typed = path.with_suffix(".docx.txt").read_text(encoding="utf-8")
    expected = [" ".join(line.split()) for line in typed.split("\n") if line.strip()]
    got = read_pdf(path).text.split("\n")
    if path.stem == "plan_theme_day":  # its table: cells as lines in Word, rows in the PDF
        got = [cell for line in got for cell in line.split(" ")]
    assert got == expected


# --------------------------------------------------------------------------
# through the whole pipeline: a PDF gives the outline its text gives


def _outline(path: Path):
    core = pytest.importorskip("pipeline.core")
    result = core.extract_file(path)
    assert result.ok, result.problems
    return [(doc.title, [(s.level, s.label, s.title[:6]) for s in doc.sections]) for doc in result.documents]


# plan_theme_day is left out: its table reads as rows in a PDF but as cells in the text
@pytest.mark.parametrize("path", sorted((FIXTURES / "seeds").glob("*.pdf"))
                         + [FIXTURES / "plans" / "plan_sanhui.pdf", FIXTURES / "plans" / "plan_integrity.pdf"],
                         ids=lambda p: p.stem)
def test_pdf_outline_equals_text_outline(path):
    assert _outline(path) == _outline(path.with_suffix(".txt"))


def test_mutated_pdf_files_give_input_error_or_text(tmp_path):
    # a damaged /Pages tree made pdfplumber fail again in close(), escaping as a traceback
    import random

    rng = random.Random(20260101)
    original = (FIXTURES / "seeds" / "002_115f02c79655d629.pdf").read_bytes()
    for round_no in range(40):
        data = bytearray(original)
        if round_no % 3 == 0:
            data = data[: rng.randrange(len(data))]
        else:
            for _ in range(rng.randint(1, 300)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        path = tmp_path / f"mutated{round_no}.pdf"
        path.write_bytes(bytes(data))
        try:
            read_pdf(path)
        except InputError as error:
            assert "\n" not in str(error)
