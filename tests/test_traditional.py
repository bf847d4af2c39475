"""Traditional characters and pinyin glosses: matched as simplified, reported as written."""
import pytest

from pipeline.core import extract_text
from pipeline.traditional import GLOSS_FILL, blank_glosses, to_shadow


@pytest.mark.parametrize("text,expected", [
    pytest.param("黨支部工作計畫", "党支部工作计划", id="phrase-conversion"),
    pytest.param("學校三會一課", "学校三会一课", id="characters"),
    pytest.param("「主題黨日」", "「主题党日」", id="corner-quotes-kept"),
    pytest.param("学校党支部", "学校党支部", id="simplified-unchanged"),
    pytest.param("一、指導思想\n二、工作目標", "一、指导思想\n二、工作目标", id="newlines-kept"),
    pytest.param("abc 123", "abc 123", id="no-cjk"),
])
def test_shadow_is_simplified(text, expected):
    assert to_shadow(text) == expected


@pytest.mark.parametrize("text", [
    "黨(dǎng)支部", "活動(dòng)時(shí)間", "學(xué)校（xué xiào）", "計畫\n\n學校", "乾隆年間的頭髮", "臺灣的後面",
    "每月組織活動(dòng)一次。" * 50,
])
def test_shadow_keeps_length_and_line_breaks(text):
    shadow = to_shadow(text)
    assert len(shadow) == len(text)
    assert [i for i, c in enumerate(shadow) if c == "\n"] == [i for i, c in enumerate(text) if c == "\n"]


@pytest.mark.parametrize("text,expected", [
    pytest.param("黨(dǎng)日", "黨" + GLOSS_FILL * 6 + "日", id="toned-pinyin"),
    pytest.param("學（xué）生", "學" + GLOSS_FILL * 5 + "生", id="full-width-brackets"),
    pytest.param("会员(VIP)专享", "会员(VIP)专享", id="capitals-are-no-gloss"),
    pytest.param("(一)加强学习", "(一)加强学习", id="label-is-no-gloss"),
    pytest.param("試行(shi xing)", "試行" + GLOSS_FILL * 10, id="two-syllables"),
])
def test_glosses_are_blanked(text, expected):
    assert blank_glosses(text) == expected


def test_traditional_plan_is_read_like_a_simplified_one():
    text = ("某某小學2026年黨支部工作計畫\n一、指導思想\n堅持黨建引領。\n二、主要措施\n"
            "1.每月開展一次主題黨日活動。\n2.全年召開組織生活會不少於2次。")
    doc, = extract_text(text).documents
    assert doc.title == "某某小學2026年黨支部工作計畫"
    assert [s.label for s in doc.sections] == ["一、", "二、", "1.", "2."]
    assert [s.title for s in doc.sections][:2] == ["指導思想", "主要措施"]
    assert "主題黨日" in doc.text
    for c in doc.commitments:
        assert doc.text[c.span[0]:c.span[1]] == c.quote
        assert c.sentence in doc.text
    assert {m.name for m in doc.measures} >= {"主题党日"}
    for m in doc.measures:
        assert all(a in doc.text for a in m.aliases_seen)


def test_glossed_heading_titles_keep_their_glosses():
    text = "黨(dǎng)支部工作制度\n一、活動(dòng)時(shí)間。每月組織活動(dòng)一次。\n二、活動(dòng)對象。全體黨員。"
    doc, = extract_text(text).documents
    assert [s.title for s in doc.sections] == ["活動(dòng)時(shí)間", "活動(dòng)對象"]
    assert all(doc.text[s.heading_span[0]:s.heading_span[1]] == s.heading for s in doc.sections)
    assert any(c.value == 1 and c.period == "month" for c in doc.commitments)


def test_long_single_line_converts_in_linear_time():
    text = "黨支部每月開展一次主題黨日活動，" * 60000  # ~1 MB on one line
    assert len(to_shadow(text)) == len(text)


BILINGUAL = ("东风小学2026年党支部工作计划\nDongfeng Primary School Party Branch Work Plan 2026\n"
             "一、指导思想\nI. Guiding Ideology\n坚持党建引领，推动学校发展。\nWe will let party building lead the school.\n"
             "二、主要措施\nII. Main Measures\n1. Study Sessions\n1.每月组织一次集中学习。\n2. Party Day\n2.每季度召开一次组织生活会。")


def test_bilingual_page_keeps_its_chinese_title_and_text():
    doc, = extract_text(BILINGUAL).documents
    assert doc.title == "东风小学2026年党支部工作计划"
    assert "Guiding Ideology" in doc.text  # translation lines stay body text


def test_bilingual_translation_lines_are_never_headings():
    doc, = extract_text(BILINGUAL).documents
    assert [s.label for s in doc.sections] == ["一、", "二、", "1.", "2."]
    assert all(s.title[:1] not in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" for s in doc.sections)


def test_practice_names_are_found_through_glosses():
    text = "黨(dǎng)支部工作制度\n一、活動(dòng)內容。組織集中學(xué)習(xí)，開展主題黨(dǎng)日活動。\n二、活動(dòng)要求。全體黨員參加。"
    doc, = extract_text(text).documents
    names = {m.name for m in doc.measures}
    assert {"集中学习", "主题党日"} <= names
    assert doc.measures[0].section_ids  # spans moved with the text: sections still found


@pytest.mark.parametrize("text,unit", [
    pytest.param("東風小學黨支部工作計畫\n一、主要工作\n全年建設3個學習陣地。\n", "個", id="classifier-as-written"),
    pytest.param("東風小學黨支部工作計畫\n一、主要工作\n每學期完成2項課題研究。\n", "項", id="item-as-written"),
])
def test_commitment_units_are_reported_as_written(text, unit):
    [doc] = extract_text(text).documents
    assert [c.unit for c in doc.commitments] == [unit]
    assert all(doc.text[c.span[0]:c.span[1]] == c.quote for c in doc.commitments)


@pytest.mark.parametrize("text,title", [
    ("學校黨委意識形態工作實施細則\n第一章\n總則 第一條\n爲認真落實上級黨委部署，結合本校實際，制定本細則。\n"
     "第二條\n黨委書記是第一責任人。\n", "爲認真落實上級黨委部署"),
    ("學校黨支部工作計劃\n爲做好本年度工作，現制定計劃如下。一、\n加強黨員隊伍建設\n支部每月召開1次支委會。\n",
     "加強黨員隊伍建設"),
])
def test_a_lone_labels_title_from_the_line_below_is_reported_as_written(text, title):
    doc = extract_text(text, "t.txt").documents[0]
    titles = [s.title for s in doc.sections]
    assert any(t.startswith(title) for t in titles), titles


def test_lines_shadowed_together_as_each_alone():
    from pipeline.traditional import shadow_lines, to_shadow
    lines = ["黨支部工作計畫", "", "活動(dòng)時間", "ABC 123", "𠀋𡈽 ok", "學校黨", "委員會", "乾隆", "頭髮",
             "頭", "髮", "一、組織學習", "（一）每月開展1次主題黨日活動。"]
    assert shadow_lines(lines) == [to_shadow(line) for line in lines]
    for cut in range(1, len("學校黨委意識形態工作實施細則")):  # a phrase split across two lines
        text = "學校黨委意識形態工作實施細則"
        assert shadow_lines([text[:cut], text[cut:]]) == [to_shadow(text[:cut]), to_shadow(text[cut:])]
    assert shadow_lines([]) == []


def _t2s_changes_script():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "scripts" / "t2s_changes.py"
    spec = importlib.util.spec_from_file_location("t2s_changes", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_t2s_changes_table_is_what_the_installed_opencc_holds():
    # lexicons/t2s_changes.tsv is written from OpenCC's dictionaries: rerun scripts/t2s_changes.py after updating opencc
    # (a table of another release is not used: see the next test)
    from pipeline import traditional

    script = _t2s_changes_script()
    share, tool, version = script.opencc_paths()
    table = script.TABLE.read_text(encoding="utf-8")
    if traditional._TABLE_RELEASE.search(table).group(1) != version:
        assert traditional._change_finders() is None and traditional.may_change("学校")
        return
    assert tool.exists() and (share / "t2s.json").exists(), "opencc ships no opencc_dict tool or t2s.json"
    assert script.table_text() == table


def test_a_table_of_another_opencc_release_is_not_used(monkeypatch):
    from pipeline import traditional

    traditional._change_finders.cache_clear()
    monkeypatch.setattr(traditional, "_installed_opencc", lambda: "0.0.0")
    try:
        assert traditional._change_finders() is None
        assert traditional.may_change("学校党支部工作计划")
        assert traditional.shadow_lines(["黨支部工作計畫"]) == ["党支部工作计划"]
    finally:
        traditional._change_finders.cache_clear()


def test_characters_the_table_does_not_name_convert_to_themselves():
    # OpenCC's own behaviour, without its dictionaries: every CJK character that no row names
    # (and no phrase differs at) converts to itself, so skipping texts made of them changes nothing
    from pipeline.traditional import _change_finders, _converter, may_change

    characters, marks, _ = _change_finders()
    unnamed = [chr(c) for r in ((0x3400, 0xA000), (0xF900, 0xFB00)) for c in range(*r)
               if not characters.match(chr(c)) and not marks.match(chr(c))]
    assert len(unnamed) > 20000
    assert _converter()("\n".join(unnamed)) == "\n".join(unnamed)
    assert not may_change("".join(unnamed[:5000]))


@pytest.mark.parametrize("text", [
    "学校党支部2026年工作计划", "黨支部工作計畫", "實現全覆盖", "重覆", "答覆上级", "覆盖面", "深沈的夜", "毛坏房",
    "𠁞字", "回覆(huí fù)意见", "活動(dòng)時間",
])
def test_shadows_are_the_same_with_opencc_asked_about_every_text(text, monkeypatch):
    from pipeline import traditional

    lines = [text, "", text + "。", "abc"]
    skipped = (traditional.shadow_lines(lines), traditional.to_shadow(text))
    monkeypatch.setattr(traditional, "may_change", lambda text: True)
    assert skipped == (traditional.shadow_lines(lines), traditional.to_shadow(text))


def test_blank_glosses_equals_one_substitution_over_the_text():
    # blank_glosses tries the pattern only at the brackets: the same as substituting over the whole text
    from hypothesis import given, settings, strategies as st

    from pipeline.traditional import _GLOSS

    @settings(max_examples=500, deadline=None)
    @given(st.text(alphabet="黨學(（)）dangxéü 1中a", max_size=30))
    def check(text):
        assert blank_glosses(text) == _GLOSS.sub(lambda m: GLOSS_FILL * len(m.group()), text)
    check()
