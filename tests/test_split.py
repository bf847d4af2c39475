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
