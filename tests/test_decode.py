"""The outline decoder: one global decision over every candidate heading, per failure class.

Each table row is a small plan written for the rule it pins; `tree` gives (level, label, title).
"""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.outline import decide_outline, lines_from_text, outline_text
from pipeline.outline.candidates import find_candidates, line_labels
from pipeline.outline.decode import decode, weights


def tree(text, skip_title=False):
    return [(s.level, s.label, s.title) for s in outline_text(text, skip_title)]


BODY = "坚持党建引领，推动工作落实。"

# class 1: one stray line before the first heading takes no level
STRAY = [
    pytest.param("字号 大 中 小\n一、指导思想\n" + BODY + "\n二、工作目标\n" + BODY,
                 [(1, "一、", "指导思想"), (1, "二、", "工作目标")], id="byline-fragment"),
    pytest.param("开通会员免费下载\n一、指导思想\n" + BODY + "\n二、工作目标\n" + BODY,
                 [(1, "一、", "指导思想"), (1, "二、", "工作目标")], id="download-prompt"),
    pytest.param("城东小学2026年党建工作计划\n一、指导思想\n" + BODY + "\n二、工作目标\n" + BODY,
                 [(1, "一、", "指导思想"), (1, "二、", "工作目标")], id="unrecognised-title"),
    pytest.param("2022年1月修订\n一、活动时间\n" + BODY + "\n二、活动对象\n" + BODY,
                 [(1, "一、", "活动时间"), (1, "二、", "活动对象")], id="revision-date"),
    pytest.param("第一章 总则\n第一条 " + BODY + "\n城关中学党员发展工作制度\n第二条 " + BODY,
                 [(1, "第一章", "总则"), (2, "第一条", BODY[:-1]), (2, "第二条", BODY[:-1])],
                 id="repeated-title-inside"),
    pytest.param("总体要求\n1. 深化理论学习。\n2. 加强宣传阐释。",
                 [(1, "", "总体要求"), (2, "1.", "深化理论学习"), (2, "2.", "加强宣传阐释")],
                 id="kept-section-name-over-arabic-list"),
    pytest.param("党员大会\n一、每季度召开。\n二、主题清楚。\n支部委员会\n一、每月召开。\n二、书记主持。",
                 [(1, "", "党员大会"), (2, "一、", "每季度召开"), (2, "二、", "主题清楚"),
                  (1, "", "支部委员会"), (2, "一、", "每月召开"), (2, "二、", "书记主持")],
                 id="kept-series-of-unnumbered-containers"),
]

# class 2: a page cut mid-plan, skipped or repeated numbers
SEQUENCE = [
    pytest.param("三、工作要求\n" + BODY + "\n四、保障措施\n" + BODY,
                 [(1, "三、", "工作要求"), (1, "四、", "保障措施")], id="starts-at-three"),
    pytest.param("（四）强化保障\n" + BODY + "\n（五）加强督查\n" + BODY,
                 [(1, "（四）", "强化保障"), (1, "（五）", "加强督查")], id="starts-at-paren-four"),
    pytest.param("5.开展主题班会。\n6.评选优秀学生。\n四、工作要求\n1.周密组织。\n2.强化宣传。",
                 [(2, "5.", "开展主题班会"), (2, "6.", "评选优秀学生"), (1, "四、", "工作要求"),
                  (2, "1.", "周密组织"), (2, "2.", "强化宣传")], id="items-of-an-unseen-section"),
    pytest.param("一、学习\n1、读书。\n3、演讲。\n4、竞赛。",
                 [(1, "一、", "学习"), (2, "1、", "读书"), (2, "3、", "演讲"), (2, "4、", "竞赛")],
                 id="arabic-skip-then-continues"),
    pytest.param("一、思想建设\n" + BODY + "\n二、组织建设\n" + BODY + "\n二、作风建设\n" + BODY + "\n三、纪律建设",
                 [(1, "一、", "思想建设"), (1, "二、", "组织建设"), (1, "二、", "作风建设"), (1, "三、", "纪律建设")],
                 id="repeated-number"),
]

# a line-initial label right after a line cut mid-sentence, repeating the open number: a hard wrap
WRAPS = [
    pytest.param("一、总体要求\n针对部分支部存在的组织生活形式单调、活动内容重复、参与热情不高、内容单\n一、与业务融合不紧密等问题，持续改进。\n二、重点任务",
                 [(1, "一、", "总体要求"), (1, "二、", "重点任务")], id="wrapped-repeat-is-body"),
]

# heading titles (GUIDELINE §2: up to the first stop; a run-on section name; spaces)
TITLES = [
    pytest.param("一、总体要求始终以新时代党的建设总要求为指引推动发展\n二、组织机构为强化领导成立工作小组",
                 [(1, "一、", "总体要求"), (1, "二、", "组织机构")], id="section-name-running-into-body"),
    pytest.param("一、 广泛动员 强化学习\n" + BODY + "\n二、 统筹推进 务求实效\n" + BODY,
                 [(1, "一、", "广泛动员 强化学习"), (1, "二、", "统筹推进 务求实效")], id="couplet-title-keeps-its-space"),
    pytest.param("二、积分办法（一）基础分(80 分)1.讲政治(20 分)（1）坚定信念。（2）遵守纪律。2.讲道德(20 分)",
                 [(1, "二、", "积分办法"), (2, "（一）", "基础分(80 分)"), (3, "1.", "讲政治(20 分)"), (4, "（1）", "坚定信念"),
                  (4, "（2）", "遵守纪律"), (3, "2.", "讲道德(20 分)")], id="glued-after-bracketed-score"),
    pytest.param("1.讲政治(20 分)（1）坚定信念，不得动摇。(5 分)（2）遵守纪律。(5 分)（3）按时交纳党费。",
                 [(1, "1.", "讲政治(20 分)"), (2, "（1）", "坚定信念，不得动摇"), (2, "（2）", "遵守纪律"),
                  (2, "（3）", "按时交纳党费")], id="after-a-bracketed-note-closing-a-sentence"),
    pytest.param("三、主要内容（一）落实教育方针，营造清明政风1.扎实贯彻方针。2.加强思政教育。",
                 [(1, "三、", "主要内容"), (2, "（一）", "落实教育方针，营造清明政风"), (3, "1.", "扎实贯彻方针"),
                  (3, "2.", "加强思政教育")], id="glued-after-a-title-with-a-comma"),
    pytest.param("（一）基础分(80 分)\n" + BODY + "\n（二）加分项(20 分)\n" + BODY,
                 [(1, "（一）", "基础分(80 分)"), (1, "（二）", "加分项(20 分)")], id="space-inside-brackets"),
]

# unnumbered lines: colon leads, one-line bodies, dates
UNNUMBERED = [
    pytest.param("一、知识竞赛\n具体内容：\n竞赛分两个阶段进行。\n1.初赛\n2.决赛\n二、文艺汇演",
                 [(1, "一、", "知识竞赛"), (2, "", "具体内容"), (3, "1.", "初赛"), (3, "2.", "决赛"),
                  (1, "二、", "文艺汇演")], id="colon-lead-with-a-lead-in-line"),
    pytest.param("三、活动时间\n20xx年05月-07月\n四、参与对象\n全校师生\n五、活动内容\n" + BODY,
                 [(1, "三、", "活动时间"), (1, "四、", "参与对象"), (1, "五、", "活动内容")], id="one-line-bodies"),
    pytest.param("一活动宗旨\n" + BODY + "\n二参与对象：全体党员\n三活动场地\n" + BODY,
                 [(1, "一", "活动宗旨"), (1, "二", "参与对象"), (1, "三", "活动场地")], id="bare-chinese-numerals-in-a-run"),
    pytest.param("一年来，我们坚持学习，效果良好。\n" + BODY, [], id="bare-numeral-word-is-no-label"),
    pytest.param("三、工作安排： 二月份： 1、安全教育 2、主题板报 三月份： 1、学雷锋活动 2、环保教育",
                 [(1, "三、", "工作安排"), (2, "", "二月份"), (3, "1、", "安全教育"), (3, "2、", "主题板报"),
                  (2, "", "三月份"), (3, "1、", "学雷锋活动"), (3, "2、", "环保教育")], id="colon-leads-inside-a-run-on-line"),
    pytest.param("一、学习\n" + BODY + "\n学习要求如下：1.读书；2.演讲。\n二、纪律",
                 [(1, "一、", "学习"), (1, "二、", "纪律")], id="colon-after-a-sentence-opening-is-no-lead-line"),
]

# class 3: headings glued to what precedes them
GLUED = [
    pytest.param("一、指导思想\n" + BODY + "形成合力。2、加强学习\n" + BODY,
                 [(1, "一、", "指导思想")], id="sentence-end-without-sequence-is-body"),
    pytest.param("一、指导思想\n" + BODY + "\n二、工作目标\n1、建强支部。" + BODY + "2、带好队伍。" + BODY,
                 [(1, "一、", "指导思想"), (1, "二、", "工作目标"), (2, "1、", "建强支部"), (2, "2、", "带好队伍")],
                 id="after-sentence-end-continuing"),
    pytest.param("二、积分内容（一）基础分\n1.讲政治。\n2.守纪律。\n（二）加分\n1.获表彰。",
                 [(1, "二、", "积分内容"), (2, "（一）", "基础分"), (3, "1.", "讲政治"), (3, "2.", "守纪律"),
                  (2, "（二）", "加分"), (3, "1.", "获表彰")], id="glued-to-heading-title"),
    pytest.param("城东小学2026年党建工作计划（一）加强组织建设\n" + BODY + "\n（二）加强队伍建设\n" + BODY,
                 [(1, "（一）", "加强组织建设"), (1, "（二）", "加强队伍建设")], id="glued-to-the-plan-title"),
    pytest.param("一、班级活动\n初一(1)班的学生参加了演讲比赛，效果良好。\n二、社团活动",
                 [(1, "一、", "班级活动"), (1, "二、", "社团活动")], id="lone-glued-label-is-none"),
    pytest.param("第一章 总则 第一条 为规范工作，制定本细则。第二条 本细则适用于全体党员。第二章 组织 第三条 支部每月召开会议。",
                 [(1, "第一章", "总则"), (2, "第一条", "为规范工作，制定本细则"), (2, "第二条", "本细则适用于全体党员"),
                  (1, "第二章", "组织"), (2, "第三条", "支部每月召开会议")], id="regulation-on-one-line"),
    pytest.param("第一章总则 第一条\n为规范工作，制定本细则。\n第二条\n本细则适用于全体党员。",
                 [(1, "第一章", "总则"), (2, "第一条", "为规范工作，制定本细则"), (2, "第二条", "本细则适用于全体党员")],
                 id="label-alone-title-below"),
    pytest.param("一、总结\n统一思想，形成团结统 一、同心同德的局面。\n二、计划",
                 [(1, "一、", "总结"), (1, "二、", "计划")], id="wrap-space-inside-a-word-is-no-label"),
]

# class 4: label forms the sequence makes headings
FORMS = [
    pytest.param("第一章 总则\n1.1 目的\n" + BODY + "\n1.2 原则\n" + BODY + "\n第二章 职责\n2.1 党委\n" + BODY,
                 [(1, "第一章", "总则"), (2, "1.1", "目的"), (2, "1.2", "原则"), (1, "第二章", "职责"), (2, "2.1", "党委")],
                 id="decimal-under-chapter"),
    pytest.param("1.总体目标\n1.1 建强支部\n1.2 带好队伍\n2.主要措施\n2.1 抓学习",
                 [(1, "1.", "总体目标"), (2, "1.1", "建强支部"), (2, "1.2", "带好队伍"), (1, "2.", "主要措施"),
                  (2, "2.1", "抓学习")], id="decimal-under-arabic"),
    pytest.param("一.指导思想\n" + BODY + "\n二.工作目标\n1)建强支部\n2)带好队伍",
                 [(1, "一.", "指导思想"), (1, "二.", "工作目标"), (2, "1)", "建强支部"), (2, "2)", "带好队伍")],
                 id="numeral-dot-and-half-bracket"),
    pytest.param("任务一：建强阵地\n" + BODY + "\n任务二：锻造队伍\n" + BODY,
                 [(1, "任务一：", "建强阵地"), (1, "任务二：", "锻造队伍")], id="word-labels"),
    pytest.param("一、学习安排\n1组织集中学习，每月一次。\n2开展专题研讨，每季一次。\n3撰写心得体会。",
                 [(1, "一、", "学习安排"), (2, "1", "组织集中学习，每月一次"), (2, "2", "开展专题研讨，每季一次"),
                  (2, "3", "撰写心得体会")], id="bare-numbers-in-a-run"),
    pytest.param("党校的纪律\n. 严守课堂纪律。\n. 按时完成作业。",
                 [(1, "", "党校的纪律"), (2, ".", "严守课堂纪律"), (2, ".", "按时完成作业")], id="digits-lost"),
    pytest.param("㈠抓学习\n" + BODY + "\n㈡抓队伍\n⑴发展党员\n⑵教育党员",
                 [(1, "㈠", "抓学习"), (1, "㈡", "抓队伍"), (2, "⑴", "发展党员"), (2, "⑵", "教育党员")],
                 id="enclosed-forms"),
]

# numbering typos and damage; translation lines
DAMAGE = [
    pytest.param("一、组织领导\n" + BODY + "\n二、学习时间\n" + BODY + "\n3、学习内容\n" + BODY + "\n4、学习方式\n" + BODY +
                 "\n五、纪律要求\n" + BODY,
                 [(1, "一、", "组织领导"), (1, "二、", "学习时间"), (1, "3、", "学习内容"), (1, "4、", "学习方式"),
                  (1, "五、", "纪律要求")], id="numeral-script-switches-in-one-list"),
    pytest.param("一、支部党员大会\n(-)会议周期\n每季度召开。\n(二)参加人员\n全体党员。",
                 [(1, "一、", "支部党员大会"), (2, "(-)", "会议周期"), (2, "(二)", "参加人员")], id="ocr-hyphen-for-one"),
    pytest.param("一、指导思想\n" + BODY + "\n1. Guiding ideology and general requirements\n二、工作目标\n" + BODY,
                 [(1, "一、", "指导思想"), (1, "二、", "工作目标")], id="english-translation-line"),
]

# class 5: a table of contents before the body
CONTENTS = [
    pytest.param("一、指导思想\n二、工作目标\n三、主要措施\n一、指导思想\n" + BODY + "\n二、工作目标\n" + BODY +
                 "\n三、主要措施\n" + BODY,
                 [(1, "一、", "指导思想"), (1, "二、", "工作目标"), (1, "三、", "主要措施")], id="contents-block"),
    pytest.param("一、指导思想\n二、工作目标\n三、主要措施一、指导思想\n" + BODY + "\n二、工作目标\n" + BODY +
                 "\n三、主要措施\n" + BODY,
                 [(1, "一、", "指导思想"), (1, "二、", "工作目标"), (1, "三、", "主要措施")],
                 id="body-restarts-glued-to-the-last-contents-line"),
    pytest.param("一、思想建设\n1.加强学习\n2.建强队伍\n3.严明纪律\n二、组织建设\n1.加强学习\n2.建强队伍\n3.严明纪律",
                 [(1, "一、", "思想建设"), (2, "1.", "加强学习"), (2, "2.", "建强队伍"), (2, "3.", "严明纪律"),
                  (1, "二、", "组织建设"), (2, "1.", "加强学习"), (2, "2.", "建强队伍"), (2, "3.", "严明纪律")],
                 id="repeated-short-items-are-no-contents"),
]

# inline enumerations stay body; a list after a heading's own colon is its children
INLINE = [
    pytest.param("一、指导思想\n" + BODY + "\n二、工作重点：1、规范队伍建设。2、用好宣传阵地。三、工作安排",
                 [(1, "一、", "指导思想"), (1, "二、", "工作重点"), (2, "1、", "规范队伍建设"), (2, "2、", "用好宣传阵地"),
                  (1, "三、", "工作安排")], id="list-after-a-heading-title-colon"),
    pytest.param("（一）强化三个意识：1、强化服务意识；2、强化维权意识；3、强化创新意识。（二）打造氛围",
                 [(1, "（一）", "强化三个意识"), (2, "1、", "强化服务意识"), (2, "2、", "强化维权意识"),
                  (2, "3、", "强化创新意识"), (1, "（二）", "打造氛围")], id="semicolon-separated-items"),
    pytest.param("一、学习\n" + BODY + "具体如下：  1、读书。\n2、演讲。",
                 [(1, "一、", "学习"), (2, "1、", "读书"), (2, "2、", "演讲")], id="colon-then-lost-line-break"),
    pytest.param("一、组织生活\n1.主题党日\n活动：一、读书。二、演讲。三、竞赛。\n2.谈心谈话\n二、党课",
                 [(1, "一、", "组织生活"), (2, "1.", "主题党日"), (2, "2.", "谈心谈话"), (1, "二、", "党课")],
                 id="colon-opened-list"),
    pytest.param("一、重点工作\n一是加强学习。二是建强队伍。\n二、保障措施",
                 [(1, "一、", "重点工作"), (1, "二、", "保障措施")], id="yishi-openers"),
]


# markup residue in a pasted plan is not a translation line: the heading stays a heading
MARKUP = [
    pytest.param("一、组织生活<img src=x onerror=alert(1)><script>alert(2)</script>\n" + BODY + "\n二、党课\n" + BODY,
                 [(1, "一、", "组织生活<img"), (1, "二、", "党课")], id="tags-after-title"),
    pytest.param("一、组织生活\nI. Organisational life of the branch\n" + BODY + "\n二、党课",
                 [(1, "一、", "组织生活"), (1, "二、", "党课")], id="english-line-still-body"),
]


@pytest.mark.parametrize("text,expected", STRAY + SEQUENCE + WRAPS + TITLES + UNNUMBERED + GLUED + FORMS + DAMAGE +
                         CONTENTS + INLINE + MARKUP)
def test_decoder_reads_the_outline(text, expected):
    assert tree(text) == expected


def test_every_weight_is_used_and_documented():
    import importlib
    import inspect
    source = inspect.getsource(importlib.import_module("pipeline.outline.decode"))
    for name in weights():
        assert f'"{name}"' in source or '"lead_"' in source and name.startswith("lead_") or \
            name.startswith(("form_", "unnumbered_")), name


def test_explain_reasons_name_score_terms():
    decisions = decide_outline(lines_from_text("一、学习\n1.第一项\n3.跳号\n2.第二项"))
    by_label = {d.candidate.label.text: d for d in decisions}
    assert by_label["1."].accepted and "first_of_level" in by_label["1."].reason
    assert not by_label["3."].accepted and "skip" in by_label["3."].reason


def test_weights_file_rows_are_numbers_with_comments():
    from pipeline import lexicons
    rows = lexicons.read_table("outline_weights.tsv", ("name", "value", "comment"))
    assert rows and all(float(r["value"]) >= 0 and r["comment"] for r in rows)


def test_line_labels_leads():
    found = [(c.label.text, c.lead) for c in line_labels("二、目标：1.建强。2.带好 3.落实")]
    assert found == [("二、", "start"), ("1.", "title_colon"), ("2.", "stop"), ("3.", "space")]
    found = [(c.label.text, c.lead) for c in line_labels("学习要求如下：1.读书；2.演讲  3.征文")]
    assert found == [("1.", "colon"), ("2.", "semicolon"), ("3.", "space")]


# --- properties: total, spans inside the text, consecutive levels ------------------------
PIECES = st.sampled_from(["一、", "二、", "三、", "（一）", "（二）", "1.", "2.", "3、", "（1）", "①", "第一章", "第二条",
                          "1.1", "任务一：", "1", "?、", "目标", "学习", "。", "：", " ", "\n", "加强党建", "2026年"])
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.lists(PIECES, max_size=40).map("".join))
def test_decoder_is_total_and_levels_are_consecutive(text):
    lines = lines_from_text(text)
    decisions = decode(find_candidates(lines))
    assert len(decisions) == len(find_candidates(lines))
    sections = outline_text(text)
    by_id = {s.id: s for s in sections}
    first_top = next((s.span[0] for s in sections if s.level == 1), len(text) + 1)
    for s in sections:
        assert 0 <= s.span[0] <= s.span[1] <= len(text)
        assert text[s.heading_span[0]:s.heading_span[1]] == s.heading
        assert text[s.label_span[0]:s.label_span[1]] == s.label
        if s.parent is None:
            assert s.level == 1 or (s.level == 2 and s.span[0] < first_top)
        else:
            assert s.level == by_id[s.parent].level + 1


@SETTINGS
@given(st.text(max_size=300))
def test_decoder_never_raises_on_any_text(text):
    for s in outline_text(text):
        assert 0 <= s.span[0] <= s.span[1] <= len(text)


def test_contents_entries_give_way_to_the_body_headings():
    text = "一、指导思想\n二、工作目标\n三、主要措施一、指导思想\n" + BODY + "\n二、工作目标\n" + BODY
    sections = outline_text(text)
    body_start = text.index("主要措施一、") + len("主要措施")
    assert [s.label for s in sections] == ["一、", "二、"] and sections[0].span[0] == body_start


def test_accepted_headings_are_the_accepted_decisions_and_build_the_same_sections():
    """build_outline takes the decoder's accepted headings without the Decisions (their reasons are
    for --explain): the same headings, depths and parents, the same sections."""
    from pathlib import Path

    from pipeline.ingest import read_source
    from pipeline.outline import build_outline, find_candidates, sections_from_decisions
    from pipeline.outline.decode import accepted_headings, decode

    here = Path(__file__).resolve().parent
    plans = [p for folder in (here.parent / "corpus", here / "devset" / "inputs", here / "fixtures" / "plans")
             for p in sorted(folder.iterdir()) if p.suffix == ".txt"]
    assert plans
    for path in plans:
        text = read_source(path).text
        lines = lines_from_text(text)
        for skip_title in (False, True):
            candidates = find_candidates(lines, 1 if skip_title else 0)
            decisions = decode(candidates)
            assert accepted_headings(candidates) == tuple((d.candidate, d.depth, d.parent)
                                                          for d in decisions if d.accepted), path
            assert build_outline(text, lines, skip_title) == sections_from_decisions(text, lines, decisions), path
