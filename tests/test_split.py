"""Split stage: a file's lines → plans with titles; chrome and headlines belong to none."""
import pytest

from pipeline.core import extract_text


def titles(text):
    return [d.title for d in extract_text(text).documents]


@pytest.mark.parametrize("text,expected", [
    pytest.param("学校2026年党建工作计划\n一、指导思想\n坚持。\n二、目标\n达成。", ["学校2026年党建工作计划"],
                 id="one-plan-with-title"),
    pytest.param("一、指导思想\n坚持。\n二、目标\n达成。", [""], id="no-title-line-is-one-untitled-plan"),
    pytest.param("3篇学校党建工作计划精编范文\n学校党支部2026年工作计划\n一、指导思想\n坚持。\n二、措施\n落实。\n"
                 "中学党支部2026年工作要点\n一、总体要求\n坚持。\n二、主要任务\n完成。",
                 ["学校党支部2026年工作计划", "中学党支部2026年工作要点"], id="collection-headline-is-chrome"),
    pytest.param("学校党支部2026年工作计划\n一、指导思想\n坚持。\n二、活动安排\n具体工作安排\n1.三月开展学雷锋活动。\n2.四月清明祭扫。",
                 ["学校党支部2026年工作计划"], id="title-like-subheading-without-restart-stays-inside"),
    pytest.param("某某小学2026年党建工作要点 一、指导思想 坚持党建引领。二、工作目标 建强支部。",
                 ["某某小学2026年党建工作要点"], id="title-run-into-the-plan"),
    pytest.param("学校2026年三会一课工作计划.docxVIP\n约3.54千字\n约 8页\n举报\n学校2026年三会一课工作计划\n一、总体要求\n坚持。",
                 ["学校2026年三会一课工作计划"], id="site-chrome-before-title"),
])
def test_split_titles(text, expected):
    assert titles(text) == expected


def test_preamble_lead_in_belongs_to_no_plan():
    text = ("下面由网友为您整理分享的“党建计划”相关资料，供您参考学习。\n学校党支部2026年工作计划\n"
            "一、指导思想\n坚持。")
    doc, = extract_text(text).documents
    assert "网友" not in doc.text


def test_related_documents_block_ends_the_page():
    body = "学校党支部2026年工作计划\n一、指导思想\n" + "坚持以习近平新时代中国特色社会主义思想为指导，全面加强党的建设。" * 10
    doc, = extract_text(body + "\n您可能关注的文档\n另一个计划\n相关文档").documents
    assert "另一个计划" not in doc.text


def test_first_line_without_plan_word_is_title_when_outline_follows():
    assert titles("东风小学2026年党建工作\n一、指导思想\n坚持。\n二、目标\n完成。") == ["东风小学2026年党建工作"]


def test_first_sentence_is_not_a_title():
    assert titles("按照上级要求，现将工作安排如下。\n（一）抓学习\n每月学习。") == [""]


def test_related_titles_listed_at_the_end_are_not_plans():
    text = ("学校党支部2026年工作计划\n一、指导思想\n坚持党建引领，推动学校高质量发展。\n二、主要措施\n每月开展一次主题党日。\n"
            "2026年小学党建工作计划范文\n2026年中学党支部工作要点\n2026年三会一课计划")
    assert titles(text) == ["学校党支部2026年工作计划"]


BODY = "坚持党建引领，推动学校高质量发展，每月开展一次主题党日活动。"


@pytest.mark.parametrize("text,expected", [
    # title words beyond 计划/要点/安排/方案, each only as the line's last word
    pytest.param("东风小学党支部三会一课制度\n一、支部党员大会\n" + BODY, ["东风小学党支部三会一课制度"], id="zhidu"),
    pytest.param("东风学院发展党员工作细则\n第一章 总则\n第一条 " + BODY, ["东风学院发展党员工作细则"], id="xize"),
    pytest.param("东风小学党员积分管理办法\n一、适用范围\n" + BODY, ["东风小学党员积分管理办法"], id="banfa"),
    pytest.param("东风中学党支部职责\n一、政治责任\n" + BODY, ["东风中学党支部职责"], id="zhize"),
    pytest.param("东风区中小学党建工作基本规范\n第一章 总则\n" + BODY, ["东风区中小学党建工作基本规范"], id="guifan"),
    pytest.param("东风小學黨支部三會一課制度\n一、支部黨員大會\n" + BODY, ["东风小學黨支部三會一課制度"], id="traditional-title-kept-as-written"),
    pytest.param("东风学院意识形态工作实施细则(试 行)\n第一条 " + BODY, ["东风学院意识形态工作实施细则(试 行)"], id="trial-suffix-with-space"),
    pytest.param("关于开展2026年4月主题党日活动的通知\n一、活动主题\n" + BODY, ["关于开展2026年4月主题党日活动的通知"], id="notice"),
    pytest.param("关于印发《东风区教育局2026年工作要点》的通知\n现将工作要点印发给你们。\n东风区教育局2026年工作要点\n一、总体要求\n" + BODY,
                 ["东风区教育局2026年工作要点"], id="forwarding-notice-is-no-title"),
    pytest.param("规章制度\n东风小学党支部工作制度\n一、学习制度\n" + BODY, ["东风小学党支部工作制度"], id="column-name-is-no-title"),
    pytest.param("东风小学党支部工作制度\n一、学习制度\n" + BODY + "\n二、党员学习制度\n" + BODY, ["东风小学党支部工作制度"],
                 id="topic-line-inside-is-no-new-plan"),
])
def test_title_words(text, expected):
    assert titles(text) == expected


@pytest.mark.parametrize("text,expected", [
    pytest.param("东风中学2026年第一学期工作计划一、指导思想 " + BODY + "二、工作重点 " + BODY,
                 ["东风中学2026年第一学期工作计划"], id="glued-to-first-heading"),
    pytest.param("东风中学党支部工作计划（一）加强组织建设\n" + BODY + "\n（二）加强队伍建设\n" + BODY,
                 ["东风中学党支部工作计划"], id="glued-to-first-paren-heading"),
    pytest.param("【东风小学党建工作规章制度】为加强学校党的建设，特制定本制度。\n一、指导思想\n" + BODY,
                 ["【东风小学党建工作规章制度】"], id="bracketed-title-glued-to-preamble"),
    pytest.param("2026年东风学校清廉建设实施方案依照上级要求，结合实际，特制定本方案。一、总体要求 " + BODY,
                 ["2026年东风学校清廉建设实施方案"], id="glued-to-preamble"),
    pytest.param("东风小学党建工作计划2026年东风小学党建工作计划伴随学校发展，现制定计划如下。\n一、加强学习\n" + BODY,
                 ["东风小学党建工作计划"], id="glued-to-its-repeat-with-year"),
    pytest.param("*学区党员积分管理办法*学区党员积分制管理方案 为规范党员管理，特拟定本方案。一、适用范围 " + BODY,
                 ["*学区党员积分制管理方案"], id="file-name-glued-before-title"),
    pytest.param("大队部工作计划2 2025-2026学年度第二学期大队部工作计划 一、指导思想 " + BODY,
                 ["2025-2026学年度第二学期大队部工作计划"], id="file-name-space-title"),
    pytest.param("东风小学党支部工作制度\n发布日期:2026-01-05\n东风小学党支部工作制度\n一、学习制度\n" + BODY,
                 ["东风小学党支部工作制度"], id="title-repeated-after-byline"),
    pytest.param("东风小学党支部工作计划\n东风小学党支部工作计划\n东风小学党支部工作计划\n一、指导思想\n" + BODY,
                 ["东风小学党支部工作计划"], id="title-line-three-times"),
    pytest.param("东风学院教职工理论学习工作细则\n- 1、下载文档前请自行甄别文档内容的完整性。\n东风学院理论学习细则\n第一条 " + BODY,
                 ["东风学院理论学习细则"], id="site-headline-then-title"),
    pytest.param("东风区教育党工委开展创优活动的实施方案\n东风区教育党工委关于在全系统开展创优活动的实施方案 为落实上级要求，现制定如下方案。 一、指导思想 " + BODY,
                 ["东风区教育党工委开展创优活动的实施方案"], id="title-then-formal-title-repeated-inline"),
    pytest.param("现就2026年4月理论学习的相关安排通知如下，请抓好落实。\n一、学习内容\n" + BODY, [""], id="notice-sentence-is-no-title"),
    pytest.param("学校工作计划是学校工作的重要依据，" + BODY + "\n一、指导思想\n" + BODY, [""], id="title-word-opening-a-sentence"),
])
def test_glued_and_repeated_titles(text, expected):
    assert titles(text) == expected


@pytest.mark.parametrize("text,expected", [
    pytest.param("幼儿园党支部工作计划精选十六篇\n【篇一】幼儿园党支部工作计划2026年\n一、指导思想\n" + BODY + "\n【篇二】幼儿园党支部工作计划2027年\n一、指导思想\n" + BODY,
                 ["【篇一】幼儿园党支部工作计划2026年", "【篇二】幼儿园党支部工作计划2027年"], id="pieces-in-brackets"),
    pytest.param("少先队上半年工作计划(精选5篇)\n少先队上半年工作计划 篇1\n一、指导思想\n" + BODY,
                 ["少先队上半年工作计划 篇1"], id="piece-number-after-title"),
    pytest.param("学校党支部工作计划范文（3篇）\n篇一：小学党支部工作计划\n一、指导思想\n" + BODY + "\n篇二：中学党支部工作计划\n一、指导思想\n" + BODY,
                 ["篇一：小学党支部工作计划", "篇二：中学党支部工作计划"], id="piece-marker-with-colon-before-title"),
    pytest.param("学校工会工作计划范例多篇\n学校工会工作计划篇1\n一、指导思想\n" + BODY, ["学校工会工作计划篇1"], id="many-pieces-headline"),
    pytest.param("东风小学党支部工作制度(完整版)\n一、学习制度\n" + BODY, ["东风小学党支部工作制度(完整版)"], id="version-tail"),
    pytest.param("东风小学党支部三会一课制度（2026年3月修订）\n一、支部党员大会\n" + BODY, ["东风小学党支部三会一课制度（2026年3月修订）"],
                 id="dated-revision-tail"),
    pytest.param("—学年度第一学期东风小学德育工作计划\n一、指导思想\n" + BODY, ["—学年度第一学期东风小学德育工作计划"], id="year-stripped-dash"),
    pytest.param("学年度第一学期东风小学德育工作计划\n一、指导思想\n" + BODY, ["学年度第一学期东风小学德育工作计划"], id="year-stripped"),
    pytest.param("东风小学党支部工作制度范文二\n一、学习制度\n" + BODY, ["东风小学党支部工作制度范文二"], id="numbered-model-tail"),
    pytest.param("【第一篇】\n东风小学党支部工作计划\n一、指导思想\n" + BODY + "\n【第二篇】\n东风中学党支部工作计划\n一、指导思想\n" + BODY,
                 ["东风小学党支部工作计划", "东风中学党支部工作计划"], id="piece-marker-lines-over-titles"),
    pytest.param("东风中学师德建设推进方案(3篇) (篇一) 为落实上级要求，健全长效机制，特制定本方案。一、目标 " + BODY, [""],
                 id="headline-glued-before-untitled-piece"),
    pytest.param("学校意识形态工作系列制度\n一、报告制度。" + BODY + "\n学校意识形态工作研判制度\n一、设立机构。" + BODY,
                 ["", "学校意识形态工作研判制度"], id="series-headline-is-chrome"),
])
def test_collection_pieces(text, expected):
    assert titles(text) == expected


@pytest.mark.parametrize("text,name", [
    pytest.param("东风小学2026年党建工作计划\n一、指导思想\n" + BODY, "东风小学2026年党建工作计划", id="title-is-the-name"),
    pytest.param("为加强东风小学党支部建设，结合实际。\n一、指导思想\n" + BODY, "p07 · 东风小学党支部", id="stem-and-organisation"),
    pytest.param("一、指导思想\n" + BODY, "p07", id="stem-alone"),
])
def test_document_name(text, name):
    doc = extract_text(text, path="some/dir/p07.txt").documents[0]
    assert doc.name == name
