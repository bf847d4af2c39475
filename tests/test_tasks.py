"""Tasks stage: pipeline/tasks.py (who, when, schedules, plan period, one task per outline leaf)."""
from __future__ import annotations

import doctest

import pytest

from pipeline import tasks
from pipeline.core import extract_file, extract_text
from pipeline.tasks import find_owners, find_times, plan_period, schedule_rows


def test_doctests_pass():
    assert doctest.testmod(tasks).failed == 0


# --- who ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, owners", [
    ("由组织委员负责会议记录", ("组织委员",)),
    ("会议记录由宣传委员具体负责", ("宣传委员",)),
    ("由支部书记和宣传委员共同负责", ("支部书记", "宣传委员")),
    ("由学校党支部统一组织实施", ("党支部",)),
    ("责任人：组织委员、宣传委员", ("组织委员", "宣传委员")),
    ("负责人：张某某", ("张某某",)),
    ("牵头部门：党政办；配合部门：工会", ("党政办", "工会")),
    ("开展廉政教育（责任股室：组织股）", ("组织股",)),
    ("（责任部门：教务处、德育处）", ("教务处", "德育处")),
    ("支部书记负总责，各党小组组织学习", ("支部书记", "各党小组")),
    ("党支部书记全年上党课不少于2次", ("支部书记",)),
    ("党小组组长召集党小组会", ("党小组组长",)),
])
def test_owner_phrases(text, owners):
    assert find_owners(text) == owners


@pytest.mark.parametrize("text", [
    "党小组会每月召开1次",  # the meeting, not the body
    "鼓励和支持各党小组开展学习",  # a body named mid-clause is no owner
    "支部党员大会每季度召开1次",
    "加强支部建设",
])
def test_no_owner_where_the_text_names_none(text):
    assert find_owners(text) == ()


def test_a_body_that_is_a_commitments_subject_is_an_owner():
    assert find_owners("每月召开1次", subjects=["各党小组", "劳动教育"]) == ("各党小组",)


# --- the plan's period ----------------------------------------------------------------------

@pytest.mark.parametrize("title, kind, start, end", [
    ("学校2026年三会一课工作计划", "year", "2026-01-01", "2026-12-31"),
    ("某校2025—2026学年党支部工作计划", "school_year", "2025-09-01", "2026-08-31"),
    ("2025-2026学年度党建工作要点", "school_year", "2025-09-01", "2026-08-31"),
    ("2025至2026学年第二学期党支部工作计划", "semester", "2026-02-01", "2026-07-31"),
    ("2025—2026学年第一学期党建计划", "semester", "2025-09-01", "2026-01-31"),
    ("2026年春季学期党支部工作计划", "semester", "2026-02-01", "2026-07-31"),
    ("2026年秋季学期党支部工作计划", "semester", "2026-09-01", "2027-01-31"),
])
def test_plan_period(title, kind, start, end):
    p = plan_period(title)
    assert (p.kind, p.start, p.end) == (kind, start, end)


def test_plan_period_from_the_opening_when_the_title_has_none():
    assert plan_period("党支部工作计划", "2026年是关键之年……").start == "2026-01-01"


@pytest.mark.parametrize("title", ["党支部工作计划", "2025—2027学年计划", ""])
def test_no_period(title):
    assert plan_period(title) is None


# --- when -----------------------------------------------------------------------------------

YEAR = plan_period("2026年计划")
SCHOOL = plan_period("2025—2026学年计划")


@pytest.mark.parametrize("text, period, start, end", [
    ("三月召开党员大会", YEAR, "2026-03-01", "2026-03-31"),
    ("三月召开党员大会", SCHOOL, "2026-03-01", "2026-03-31"),  # spring of a school year: its second year
    ("九月份开学", SCHOOL, "2025-09-01", "2025-09-30"),
    ("十二月召开组织生活会", SCHOOL, "2025-12-01", "2025-12-31"),
    ("第二学期开展评议", SCHOOL, "2026-02-01", "2026-07-31"),
    ("第一学期开展评议", SCHOOL, "2025-09-01", "2026-01-31"),
    ("下学期开展评议", SCHOOL, "2026-02-01", "2026-07-31"),
    ("第二学期开展评议", YEAR, "2026-02-01", "2026-07-31"),  # a calendar year's spring term
    ("6月底前完成", YEAR, "2026-06-30", "2026-06-30"),
    ("6月30日前完成", YEAR, "2026-06-30", "2026-06-30"),
    ("3月15日召开", YEAR, "2026-03-15", "2026-03-15"),
    ("3—5月开展", YEAR, "2026-03-01", "2026-05-31"),
    ("第三季度开展", YEAR, "2026-07-01", "2026-09-30"),
    ("一季度开展", YEAR, "2026-01-01", "2026-03-31"),
    ("下半年开展", YEAR, "2026-07-01", "2026-12-31"),
    ("年底前完成", YEAR, "2026-12-01", "2026-12-31"),
    ("暑假组织培训", SCHOOL, "2026-07-01", "2026-08-31"),
    ("2月组织学习", YEAR, "2026-02-01", "2026-02-28"),
])
def test_dates_within_the_plans_period(text, period, start, end):
    [w] = find_times(text, period)
    assert (w.start, w.end) == (start, end)


@pytest.mark.parametrize("text, rule", [
    ("每月15日开展主题党日", "FREQ=MONTHLY;BYMONTHDAY=15"),
    ("每月的1号召开", "FREQ=MONTHLY;BYMONTHDAY=1"),
    ("坚持每周一下午集中学习", "FREQ=WEEKLY;BYDAY=MO"),
    ("每星期五学习", "FREQ=WEEKLY;BYDAY=FR"),
])
def test_recurring_days(text, rule):
    assert [w.recurrence for w in find_times(text, YEAR)] == [rule]


@pytest.mark.parametrize("text", ["2026年是关键一年", "第3周", "每月至少召开1次", "13月", "3个月"])
def test_no_date(text):
    assert all(w.start is None for w in find_times(text, YEAR))


def test_without_a_period_times_are_kept_undated():
    [w] = find_times("三月召开", None)
    assert (w.text, w.start) == ("三月", None)


# --- schedules, three layouts ------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("三月：召开支部党员大会\n四月：开展主题党日", [("三月", "召开支部党员大会"), ("四月", "开展主题党日")]),
    ("九月份 开学教育\n十月份 国庆主题党日", [("九月份", "开学教育"), ("十月份", "国庆主题党日")]),
    ("（三月）召开大会\n（四月）开展党日", [("三月", "召开大会"), ("四月", "开展党日")]),
    ("1月：支委会 2月：组织生活会 3月：党员大会", [("1月", "支委会"), ("2月", "组织生活会"), ("3月", "党员大会")]),
    ("1月 召开支委会；2月 召开组织生活会", [("1月", "召开支委会"), ("2月", "召开组织生活会")]),
    ("月份 | 内容 | 负责人\n3月 | 召开党员大会 | 组织委员\n4月 | 主题党日 | 宣传委员",
     [("3月", "召开党员大会"), ("4月", "主题党日")]),
    ("月份\t工作内容\t负责人\n三月\t召开党员大会\t组织委员\n四月\t主题党日\t宣传委员",
     [("三月", "召开党员大会"), ("四月", "主题党日")]),
    ("时间 工作安排 责任人\n3月 召开党员大会 组织委员\n4月 主题党日 宣传委员",  # a web table: single spaces
     [("3月", "召开党员大会"), ("4月", "主题党日")]),
    ("6月底前：完成信息采集\n7月上旬：召开大会", [("6月底前", "完成信息采集"), ("7月上旬", "召开大会")]),
])
def test_schedule_layouts(text, expected):
    assert [(r.when, r.what) for r in schedule_rows(text)] == expected


def test_table_rows_carry_their_owner_column():
    rows = schedule_rows("月份 | 内容 | 负责人\n3月 | 召开党员大会 | 组织委员、宣传委员\n4月 | 主题党日 | 支部书记")
    assert [r.who for r in rows] == [("组织委员", "宣传委员"), ("支部书记",)]


@pytest.mark.parametrize("text", [
    "3月结合期中考试开展分析",  # one month row is prose
    "例如，4月结合期中考试；10月结合搬迁",  # months inside a sentence
    "2026年3月召开\n2026年4月召开",  # not a month-first line
])
def test_not_a_schedule(text):
    assert schedule_rows(text) == ()


def test_row_spans_point_into_the_text():
    text = "前言\n三月：召开大会\n四月：开展党日"
    rows = schedule_rows(text[3:], 3)
    assert [text[a:b] for a, b in (r.span for r in rows)] == ["三月：召开大会", "四月：开展党日"]


# --- whole plans -------------------------------------------------------------------------------

SCHOOL_PLAN = """某校2025—2026学年党支部工作计划
一、工作目标
加强支部建设，提升组织力。
二、月度安排
九月份：召开支部党员大会，由组织委员负责
十月份：开展主题党日
三月：召开组织生活会
四月：开展民主评议党员
"""


def test_month_schedule_becomes_dated_tasks_in_the_school_year():
    doc = extract_text(SCHOOL_PLAN).documents[0]
    dated = [(t.what, t.start, t.who) for t in doc.tasks if t.source == "schedule"]
    assert dated == [("召开支部党员大会", "2025-09-01", ("组织委员",)), ("开展主题党日", "2025-10-01", ()),
                     ("召开组织生活会", "2026-03-01", ()), ("开展民主评议党员", "2026-04-01", ())]


def test_every_task_quotes_its_span():
    doc = extract_text(SCHOOL_PLAN).documents[0]
    assert doc.tasks and all(doc.text[t.span[0]:t.span[1]] == t.quote and t.quote for t in doc.tasks)
    assert [t.id for t in doc.tasks] == [f"t{i}" for i in range(1, len(doc.tasks) + 1)]


def test_a_headed_body_with_a_frequency_is_a_task_and_its_items_too():
    plan = ("学校2026年三会一课计划\n一、支部委员会\n支委会每月至少召开1次。\n"
            "1.会前准备：会前3天发布通知（责任人：组织委员）\n2.会后落实：由各党小组认领任务")
    doc = extract_text(plan).documents[0]
    assert [(t.source, t.what) for t in doc.tasks] == [("body", "支部委员会"), ("item", "会前准备"),
                                                       ("item", "会后落实")]
    assert doc.tasks[0].how_often == "每月≥1次" and doc.tasks[0].recurrence == "FREQ=MONTHLY"
    assert doc.tasks[1].who == ("组织委员",) and "责任人" not in doc.tasks[1].detail
    assert doc.tasks[2].who == ("各党小组",)


def test_a_heading_without_commitments_or_owner_is_no_task_of_its_own():
    doc = extract_text("2026年计划\n一、主要工作\n总的要求是加强建设。\n1.学习：组织学习\n2.活动：开展活动").documents[0]
    assert [t.what for t in doc.tasks] == ["学习", "活动"]


def test_a_plan_without_outline_gives_one_task_per_paragraph():
    doc = extract_text("党支部2026年工作安排\n召开支部党员大会，每季度1次。\n开展主题党日，每月15日。").documents[0]
    assert [(t.source, t.what) for t in doc.tasks] == [("paragraph", "召开支部党员大会"), ("paragraph", "开展主题党日")]
    assert doc.tasks[1].recurrence == "FREQ=MONTHLY;BYMONTHDAY=15"


def test_tasks_can_be_left_out():
    from pipeline.model import Options
    doc = extract_text(SCHOOL_PLAN, options=Options(with_tasks=False)).documents[0]
    assert doc.tasks == () and doc.compliance is None and doc.period is None


def test_a_long_heading_is_cut_at_its_first_clause():
    title = "完善固定主题党日活动制度，以重点项目制的形式推进，确保每月15日按时开展活动，做到六个必须"
    doc = extract_text(f"2026年计划\n一、工作\n1.{title}").documents[0]
    assert doc.tasks[0].what == "完善固定主题党日活动制度" and doc.tasks[0].detail.startswith("以重点项目制")


def test_the_most_frequent_period_sets_the_recurrence():
    doc = extract_text("2026年计划\n一、大会\n1.党员大会：全年不少于4次，每季度至少1次").documents[0]
    assert doc.tasks[0].recurrence == "FREQ=MONTHLY;INTERVAL=3"


# --- the seeds -----------------------------------------------------------------------------------

def _leaves(doc):
    parents = {s.parent for s in doc.sections if s.parent}
    return [s for s in doc.sections if s.id not in parents]


def test_first_seed_every_leaf_is_one_task_and_none_is_empty(corpus_dir):
    docs = extract_file(corpus_dir / "000_113e1a21caf55f9a.txt").documents
    assert len(docs) == 5
    for doc in docs:
        leaves = _leaves(doc)
        items = [t for t in doc.tasks if t.source == "item"]
        assert [t.section_id for t in items] == [s.id for s in leaves], doc.title
        assert all(t.what.strip() and t.quote.strip() for t in doc.tasks), doc.title


def test_sanhui_seed_tasks(corpus_dir):
    [doc] = extract_file(corpus_dir / "002_115f02c79655d629.txt").documents
    by_what = {t.what: t for t in doc.tasks}
    assert by_what["支部党员大会"].how_often == "每年≥4次；每季度≥1次"
    assert by_what["支部委员会"].recurrence == "FREQ=MONTHLY"
    assert by_what["党小组会"].how_often == "每月1–2次"
    assert by_what["成果转化"].who == ("支委成员", "各党小组")
    assert (by_what["学科组党小组"].start, by_what["学科组党小组"].end) == ("2026-03-01", "2026-11-30")


# --- any input -----------------------------------------------------------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

PIECES = ["一、", "（一）", "1.", "三月：", "九月份 ", "1月 ", "每月15日", "由", "负责", "责任人：", "支部书记",
          "各党小组", "每月至少召开1次", "第二学期", "\n", "，", "。", "|", "\t", "  ", "召开会议", "2025—2026学年"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_any_text_gives_tasks_that_quote_their_spans(pieces):
    doc = extract_text("".join(pieces)).documents
    for d in doc:
        for t in d.tasks:
            assert t.what and t.quote and d.text[t.span[0]:t.span[1]] == t.quote
            assert (t.start is None) == (t.end is None) and (t.start is None or t.start <= t.end)
            assert all(0 <= i < len(d.commitments) for i in t.commitment_ids)


@pytest.mark.parametrize("text", [
    "1" + " " * 50000 + "|",  # a long run of spaces after a numeral
    "1月：" * 15000,  # a month marker again and again
    "由" * 50000 + "负责",
    "（" + " " * 50000 + "责任人",
    "三月：召开会议\n" * 6000,
])
def test_hostile_text_finishes(text):
    import time
    t0 = time.perf_counter()
    find_owners(text)
    schedule_rows(text)
    find_times(text, YEAR)
    assert time.perf_counter() - t0 < 20  # generous: linear patterns take well under a second here


# --- the shortcuts agree with the plain reading ------------------------------------------------

TIME_ALPHABET = list("每月个的日号周星期一二三四五六七八九十元0123456789１２—-至到季度第上下半年学期春秋寒暑假底末终前中旬初份 ，。\n")


def _times_without_cues(text, period):
    """find_times as it reads without the cue prefilter: every pattern run on every text."""
    frame = tasks._frame(period)
    found, taken = [], bytearray(len(text))
    for name, pattern, _ in tasks._TIME_PATTERNS:
        for m in pattern.finditer(text):
            if any(taken[m.start():m.end()]):
                continue
            when = tasks._read_time(name, m, frame)
            if when is not None:
                found.append(when)
                taken[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    return tuple(sorted(found, key=lambda w: w.span))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(TIME_ALPHABET), max_size=30),
       st.sampled_from(["2026年计划", "2025—2026学年计划", "2026年春季学期计划", ""]))
def test_time_cues_skip_only_patterns_that_cannot_match(chars, title):
    text, period = "".join(chars), plan_period(title)
    assert find_times(text, period) == _times_without_cues(text, period)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(TIME_ALPHABET), max_size=30))
def test_opening_lookaheads_change_no_match(chars):
    _assert_opening_lookaheads_change_no_match("".join(chars))


def _assert_opening_lookaheads_change_no_match(text):
    # a time pattern behind `_opening`'s lookahead finds what it finds without it
    import re
    for _, pattern, _ in tasks._TIME_PATTERNS:
        bare = re.compile(re.sub(r"^\(\?=\[[^\]]*\]\)", "", pattern.pattern))
        assert [(m.span(), m.groups()) for m in pattern.finditer(text)] == \
            [(m.span(), m.groups()) for m in bare.finditer(text)], (text, pattern.pattern)


@pytest.mark.parametrize("phrase", ["每月15日", "每个月的3号", "每周三", "每星期日", "3月—5月", "三至五月份", "9月10日前",
                                    "6月底前", "十二月份", "第一季度", "3季度", "上半年", "第二学期", "下学期", "春季学期",
                                    "寒假", "暑期", "年底前", "年终"])
def test_every_time_match_holds_its_cues(phrase):
    _assert_opening_lookaheads_change_no_match(phrase)
    _assert_opening_lookaheads_change_no_match("在" + phrase + "内")
    for _, pattern, cues in tasks._TIME_PATTERNS:
        for m in pattern.finditer(phrase):
            assert all(any(w in m.group(0) for w in words) for words in cues), (phrase, m.group(0))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 8)), max_size=12), st.integers(0, 70), st.integers(0, 10))
def test_overlap_finder_agrees_with_a_plain_scan(pieces, start, length):
    spans, pos = [], 0
    for gap, width in pieces:  # spans in reading order, as schedule rows come
        spans.append((pos + gap, pos + gap + width))
        pos += gap + width
    span = (start, start + length)
    plain = any(s[0] < span[1] and span[0] < s[1] for s in spans)
    assert tasks._overlap_finder(spans)(span) == plain
    assert tasks._overlap_finder(list(reversed(spans)))(span) == plain  # unordered: the plain scan


def test_practices_as_the_plain_reading():
    from pipeline.model import Measure
    measures = (Measure("三会一课", "组织生活", 2, ("三会一课",), (), (0,)),
                Measure("主题党日", "组织生活", 1, ("主题党日活动", "党日"), (), ()),
                Measure("候选", "候选", 1, ("候选",), (), (), candidate=True),
                Measure("党课", "组织生活", 1, ("党课",), (), (1,)))
    find = tasks._practice_finder(measures)
    assert find("开展主题党日活动和党课", ()) == ("主题党日", "党课")
    assert find("每月一次", (0,)) == ("三会一课",)
    assert find("党日，候选", (1,)) == ("主题党日", "党课")
    assert find("其他", ()) == ()


_FORM_CHARS = "党课主题日三会一"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.text(_FORM_CHARS, min_size=1, max_size=3),
                          st.lists(st.text(_FORM_CHARS, max_size=4), max_size=3),
                          st.lists(st.integers(0, 4), max_size=3), st.booleans()), max_size=6),
       st.text(_FORM_CHARS + "，", max_size=12), st.lists(st.integers(0, 5), max_size=3))
def test_practice_finder_agrees_with_the_plain_reading(rows, quote, ids):
    # the plain reading: a lexicon measure governing one of the ids, or one of whose forms is in the quote
    from pipeline.model import Measure
    measures = [Measure(name, "c", 1, tuple(seen), (), tuple(governs), candidate=candidate)
                for name, seen, governs, candidate in rows]
    plain = tuple(m.name for m in measures if not m.candidate
                  and (set(m.commitment_ids) & set(ids) or any(f in quote for f in m.aliases_seen + (m.name,))))
    assert tasks._practice_finder(measures)(quote, ids) == plain


def test_tasks_know_every_field_of_task():
    # _make and _tasks build a Task positionally; a field added to Task must be added there too
    import dataclasses
    from pipeline.model import Task
    assert [f.name for f in dataclasses.fields(Task)] == \
        ["id", "what", "detail", "section_id", "section_path", "quote", "span", "source", "who", "when", "start",
         "end", "recurrence", "how_often", "commitment_ids", "practices"]


_OWNER_CHARS = "支部书记副组织委员宣传党小组长各由请要将，。、：\n（ 会"


@settings(max_examples=300, deadline=None)
@given(st.text(_OWNER_CHARS, max_size=24))
def test_body_pattern_reads_as_the_lookbehind_one(text):
    # `body` opens with a clause end and runs on "\n" + text: the matches of the pattern that opens
    # with `^` or a lookbehind for a clause end, read on the text itself
    import re
    g = tasks.owner_grammar()
    plain = re.compile("(?:^|(?<=[，,。；;：:、\n（(]))" + g.body.pattern[len("[，,。；;：:、\n（(]"):])
    assert [(m.start(1) - 1, m.group(1)) for m in g.body.finditer("\n" + text)] == \
        [(m.start(1), m.group(1)) for m in plain.finditer(text)]
