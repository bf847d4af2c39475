"""Outline stage: plan text → flat sections with level, label, title, path."""
import pytest

from pipeline.outline import heading_title, outline_text


def tree(text, skip_title=False):
    """(level, label, title) triples of the outline of `text`."""
    return [(s.level, s.label, s.title) for s in outline_text(text, skip_title)]


# --- written by us -------------------------------------------------------
WRITTEN_BY_US = [
    pytest.param(
        "一、指导思想\n坚持党建引领。\n二、工作目标\n1、建强支部。\n2、带好队伍。\n三、主要措施\n（一）抓学习\n1.每月学习。\n（二）抓队伍\n1.发展党员。",
        [(1, "一、", "指导思想"), (1, "二、", "工作目标"), (2, "1、", "建强支部"), (2, "2、", "带好队伍"),
         (1, "三、", "主要措施"), (2, "（一）", "抓学习"), (3, "1.", "每月学习"), (2, "（二）", "抓队伍"),
         (3, "1.", "发展党员")],
        id="gbt-order-levels-are-depths"),
    pytest.param(
        "（一）加强理论学习\n1．每月开展一次集中学习。\n（二）规范组织生活\n1、严格落实制度\n（1）支委会每月召开。\n（2）党小组会每月召开。",
        [(1, "（一）", "加强理论学习"), (2, "1．", "每月开展一次集中学习"), (1, "（二）", "规范组织生活"),
         (2, "1、", "严格落实制度"), (3, "（1）", "支委会每月召开"), (3, "（2）", "党小组会每月召开")],
        id="plan-starting-at-paren-cn-is-level-1"),
    pytest.param(
        "(一)半角括号\n(二)也一样\n１．全角数字\n",
        [(1, "(一)", "半角括号"), (1, "(二)", "也一样"), (2, "１．", "全角数字")],
        id="half-and-full-width-forms"),
    pytest.param(
        "一、加强思想建设\n1.组织学习\n活动安排如下：一、开展读书活动。二、开展演讲比赛。\n三、开展知识竞赛。四、开展征文活动。\n2.建强阵地\n二、加强组织建设",
        [(1, "一、", "加强思想建设"), (2, "1.", "组织学习"), (2, "2.", "建强阵地"), (1, "二、", "加强组织建设")],
        id="wrapped-inline-enumeration-is-body"),
    pytest.param(
        "一、总体目标\n提升质量。\n二、重点工作\n具体安排：\n1.开展主题党日。\n2.落实谈心谈话。\n加强作风建设\n严格落实一岗双责。\n规范党费收缴\n按时足额收缴党费。\n三、保障措施\n明确分工。",
        [(1, "一、", "总体目标"), (1, "二、", "重点工作"), (2, "", "具体安排"), (3, "1.", "开展主题党日"),
         (3, "2.", "落实谈心谈话"), (2, "", "加强作风建设"), (2, "", "规范党费收缴"), (1, "三、", "保障措施")],
        id="unnumbered-subheadings-and-colon-list"),
    pytest.param(
        "一、指导思想 坚持以习近平新时代中国特色社会主义思想为指导。二、工作目标 1.强化理论武装。2.建强支部。三、主要措施 （一）抓学习 1.每月学习1次。",
        [(1, "一、", "指导思想"), (1, "二、", "工作目标"), (2, "1.", "强化理论武装"), (2, "2.", "建强支部"),
         (1, "三、", "主要措施"), (2, "（一）", "抓学习"), (3, "1.", "每月学习1次")],
        id="lost-line-breaks"),
    pytest.param(
        "第一章 总则\n第一条 为规范组织生活，制定本方案。\n第二条 适用于全体党员。\n第二章 组织生活\n第三条 支部党员大会每季度召开。",
        [(1, "第一章", "总则"), (2, "第一条", "为规范组织生活，制定本方案"), (2, "第二条", "适用于全体党员"),
         (1, "第二章", "组织生活"), (2, "第三条", "支部党员大会每季度召开")],
        id="chapters-and-articles-numbered-through"),
    pytest.param(
        "一、党员大会\n每季度召开一次。一是学习传达；二是研究事项。\n12.5%的党员参加培训。\n1.5万元经费已到位。\n2026年是关键一年。\n二、支委会",
        [(1, "一、", "党员大会"), (1, "二、", "支委会")],
        id="not-labels-yishi-percent-decimal-year"),
    pytest.param(
        "一、学习\n1.第一项\n3.跳号不算\n2.第二项",
        [(1, "一、", "学习"), (2, "1.", "第一项"), (2, "2.", "第二项")],
        id="arabic-number-out-of-sequence-is-body"),
    pytest.param(
        "一、学习\n三、跳过一个中文序号\n四、继续",
        [(1, "一、", "学习"), (1, "三、", "跳过一个中文序号"), (1, "四、", "继续")],
        id="strong-style-tolerates-one-skipped-number"),
    pytest.param(
        "一、组织生活\n①会前准备。\n②会中讨论。\n二、党课",
        [(1, "一、", "组织生活"), (2, "①", "会前准备"), (2, "②", "会中讨论"), (1, "二、", "党课")],
        id="circled-numbers"),
    pytest.param(
        "一、工作安排\n按月推进。\nXX小学党支部\n2026年2月",
        [(1, "一、", "工作安排")],
        id="signature-and-date-are-not-headings"),
    pytest.param(
        "一、时间安排\n第一阶段：学习研讨（3月1日—3月15日）\n集中学习。\n第二阶段：谈心谈话\n全覆盖。\n二、工作要求",
        [(1, "一、", "时间安排"), (2, "第一阶段：", "学习研讨（3月1日—3月15日）"), (2, "第二阶段：", "谈心谈话"),
         (1, "二、", "工作要求")],
        id="phases-are-labels"),
    pytest.param(
        "（2026—2027学年度第一学期）\n一、指导思想\n坚持立德树人。\n二、月度安排\n3月：召开支部党员大会。",
        [(1, "一、", "指导思想"), (1, "二、", "月度安排")],
        id="bracketed-subtitle-is-not-a-heading"),
    pytest.param(
        "夯实党的政治建设。认真贯彻落实上级要求。\n加强党的全面领导。落实校长负责制。",
        [],
        id="lead-phrase-paragraphs-are-not-headings"),
]


@pytest.mark.parametrize("text,expected", WRITTEN_BY_US)
def test_outline_written_by_us(text, expected):
    assert tree(text) == expected


# --- from the seeds (shapes, not sentences, kept short) -------------------
def test_seed_shape_colon_title_and_inline_formula():
    text = "(一)支部党员大会:强化政治引领\n1.内容设置:聚焦“三个结合”——结合党中央部署。\n2.形式创新:推行模式。"
    assert tree(text) == [(1, "(一)", "支部党员大会"), (2, "1.", "内容设置"), (2, "2.", "形式创新")]


def test_title_line_is_skipped_when_asked():
    assert tree("学校2026年党建工作计划\n一、指导思想", skip_title=True) == [(1, "一、", "指导思想")]


@pytest.mark.parametrize("heading,title", [
    ("1.内容设置：聚焦“三个结合”", "内容设置"),
    ("1、加强思想理论武装，努力提升党员思想政治素养。开展学习", "加强思想理论武装，努力提升党员思想政治素养"),
    ("（二）支部委员会；细化责任", "支部委员会"),
    ("一、指导思想 坚持党的领导", "指导思想"),
    ("具体安排：", "具体安排"),
])
def test_heading_title_cut(heading, title):
    assert heading_title(heading) == title


def test_paths_parents_and_spans():
    text = "一、总体要求\n坚持党建引领。\n二、重点任务\n（一）支部委员会\n每月至少召开1次。"
    sections = outline_text(text)
    by_id = {s.id: s for s in sections}
    assert [s.path for s in sections] == ["一、", "二、", "二、/（一）"]
    assert by_id["s3"].parent == "s2" and by_id["s1"].parent is None
    for s in sections:
        assert text[s.heading_span[0]:s.heading_span[1]] == s.heading
        assert text[s.label_span[0]:s.label_span[1]] == s.label
    assert sections[2].body == "每月至少召开1次。"
    assert sections[0].body == "坚持党建引领。"


# --- bugs caught ---------------------------------------------------------
def test_bug_inline_list_third_item_not_taken_for_skipped_heading():
    # "三、" at a line start after an inline 一、二、 must not open level 1 via typo tolerance
    text = "一、思想建设\n1.组织学习\n安排：一、读书。二、演讲。\n三、竞赛。"
    assert [s.label for s in outline_text(text)] == ["一、", "1."]


def test_bug_short_subheading_followed_by_short_paragraph():
    text = "一、重点工作\n严格落实制度。\n规范党费收缴\n按时收缴党费。"
    assert tree(text)[-1] == (2, "", "规范党费收缴")


# --- known misses ----------------------------------------------------------
def test_bug_label_whose_punctuation_became_a_space():
    assert tree("一 指导思想\n坚持党的领导。\n二 工作目标") == [(1, "一", "指导思想"), (1, "二", "工作目标")]


@pytest.mark.parametrize("text", ["一 年来，我们坚持学习。", "2 名党员教师参加培训，效果良好。"])
def test_spaced_numeral_in_a_sentence_is_not_a_label(text):
    assert tree("一、总结\n" + text) == [(1, "一、", "总结")]


@pytest.mark.parametrize("line,label", [
    ("1.3月完成支部年度计划。", "1."),
    ("2.10月至11月开展示范课展示。", "2."),
    ("3.12日前上报材料。", "3."),
    ("1.5小时的专题辅导由书记主讲。", None),
    ("2.5学时计入学分。", None),
    ("1.2 加强理论学习", "1.2"),
])
def test_bug_item_number_before_a_month_is_no_decimal(line, label):
    from pipeline.labels import parse_label
    found = parse_label(line)
    assert (found.text if found else None) == label
