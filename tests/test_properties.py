"""Properties on arbitrary input: splitting and outlining never raise, every section quotes the
document text exactly and the tree is well formed; decoding never raises on any bytes."""
from __future__ import annotations

import codecs
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.core import extract_text
from pipeline.export.json import result_to_json
from pipeline.export.markdown import result_to_markdown
from pipeline.ingest.text import decode_bytes, looks_binary

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces plans are made of, so that generated text is dense in labels, headings and sentence ends.
LABELS = ["一、", "二、", "三、", "十一、", "（一）", "（二）", "(三)", "㈠", "1.", "2.", "3、", "１．",
          "（1）", "(2)", "⑴", "①", "②", "第一章", "第二章", "第一节", "第1条", "1.1", "1.2.3", "一是"]
WORDS = ["指导思想", "工作目标", "主要工作", "支部党员大会", "三会一课", "每月", "召开", "不少于", "次",
         "学校党支部2026年党建工作计划", "工作要点", "党课", "主题党日", "学习强国", "约3.54千字", "举报",
         "VIP", "目录", "您可能关注的文档", "第3页", "- 2 -", "12.5%", "1.5万", "2026年"]
PUNCTUATION = ["。", "：", "；", "，", "、", "！", "？", ":", ";", "“", "”", "（", "）", "……", ".", "·"]
SPACING = ["\n", "\n", "\n\n", " ", "\u3000", "\t", "\r\n", "\r"]

piece = st.one_of(
    st.sampled_from(LABELS),
    st.sampled_from(WORDS),
    st.sampled_from(PUNCTUATION),
    st.sampled_from(SPACING),
    st.integers(min_value=0, max_value=2030).map(str),
    st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=8),
)
planlike_text = st.lists(piece, max_size=120).map("".join)
# Lines that start with a label, so that nested outlines come up often.
planlike_lines = st.lists(
    st.tuples(st.sampled_from(LABELS), st.sampled_from(WORDS), st.sampled_from(PUNCTUATION + [""]),
              st.lists(piece, max_size=6).map("".join)).map("".join),
    max_size=40,
).map("\n".join)


def check_documents(text: str) -> None:
    """Run the pipeline on `text`, export it, and check every document's sections against its text."""
    result = extract_text(text)
    json.loads(result_to_json(result))
    result_to_markdown(result)
    for document in result.documents:
        doc_text = document.text
        ids = [s.id for s in document.sections]
        assert ids == [f"s{n}" for n in range(1, len(ids) + 1)]
        by_id = {s.id: s for s in document.sections}
        previous_start = 0
        for section in document.sections:
            start, end = section.span
            assert 0 <= start <= end <= len(doc_text)
            assert start >= previous_start  # reading order
            previous_start = start
            h_start, h_end = section.heading_span
            assert start == h_start <= h_end <= end
            assert doc_text[h_start:h_end] == section.heading
            l_start, l_end = section.label_span
            assert h_start <= l_start <= l_end <= h_end
            assert doc_text[l_start:l_end] == section.label
            assert section.body in doc_text[h_end:end]
            assert section.level >= 1
            if section.parent is None:
                # a page cut mid-plan: sections before the first level-1 heading may sit under
                # an outer level the page no longer holds (GUIDELINE §2, mid-plan start)
                first_top = next((s.span[0] for s in document.sections if s.level == 1), len(doc_text) + 1)
                assert section.level == 1 or (section.level == 2 and start < first_top)
            else:
                parent = by_id[section.parent]
                assert ids.index(parent.id) < ids.index(section.id)
                assert section.level == parent.level + 1
                assert parent.span[1] <= start  # a span stops where the next heading starts


@SETTINGS
@given(st.text())
def test_any_text_is_split_and_outlined_without_error(text):
    check_documents(text)


@SETTINGS
@given(planlike_text)
def test_planlike_text_gives_well_formed_sections(text):
    check_documents(text)


@SETTINGS
@given(planlike_lines)
def test_labelled_lines_give_well_formed_sections(text):
    check_documents(text)


@SETTINGS
@given(st.binary(max_size=2048))
def test_decode_bytes_never_raises(data):
    text, encoding = decode_bytes(data)
    assert isinstance(text, str) and isinstance(encoding, str) and encoding
    looks_binary(text)


@SETTINGS
@given(st.text(max_size=300).filter(lambda t: not t.startswith("\ufeff")))
def test_decode_bytes_reads_utf8_back_exactly(text):
    assert decode_bytes(text.encode("utf-8")) == (text, "utf-8")


@SETTINGS
@given(st.text(max_size=300).filter(lambda t: not t.startswith("\x00")),  # FF FE 00 00 is the UTF-32 BOM
       st.sampled_from([(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")]))
def test_decode_bytes_reads_utf16_with_a_bom_back_exactly(text, bom_and_codec):
    bom, codec = bom_and_codec
    assert decode_bytes(bom + text.encode(codec)) == (text, "utf-16")


# Every character fold maps, a few next to them, and plain CJK: the regex-driven fold must give
# exactly what a per-character table lookup gives.
fold_alphabet = st.one_of(st.characters(min_codepoint=0xFEF0, max_codepoint=0xFF70),
                          st.sampled_from(["\u3000", "\u00a0", "\u3001", "\u3002", " ", "\n"]),
                          st.characters(min_codepoint=0x4E00, max_codepoint=0x4E40),
                          st.characters(max_codepoint=0x7F))


@SETTINGS
@given(st.text(alphabet=fold_alphabet, max_size=80))
def test_fold_is_the_table_lookup_same_length(text):
    from pipeline.textutil import _FOLD, fold

    fold.cache_clear()
    assert fold(text) == text.translate(_FOLD)
    assert len(fold(text)) == len(text)
