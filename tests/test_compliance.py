"""Compliance check: pipeline/compliance.py and lexicons/norms.tsv against plans written here."""
from __future__ import annotations

import doctest

import pytest

from pipeline import compliance
from pipeline.compliance import (compliance_matrix, norm_label, organisation, per_year,
                                 read_norms_text, shipped_norms)
from pipeline.core import extract_file, extract_text
from pipeline.errors import LexiconError
from pipeline.lexicons import lexicon_dir, parse_table
from pipeline.model import Norm, Options

CHINESE_ARTICLES = ("第十一条", "第十二条", "第十三条", "第十五条", "第十六条", "第十七条", "第十八条", "第十九条",
                    "第二十一条")


def test_doctests_pass():
    assert doctest.testmod(compliance).failed == 0


def outcomes(plan: str, **options) -> dict:
    doc = extract_text(plan, options=Options(**options)).documents[0]
    return {c.practice: c.outcome for c in doc.compliance.checks}


def check(plan: str, practice: str):
    doc = extract_text(plan).documents[0]
    return next(c for c in doc.compliance.checks if c.practice == practice)


# --- the shipped norms ------------------------------------------------------------------------

def test_the_shipped_norms_cover_the_issue_list():
    norms = {n.practice: n for n in shipped_norms()}
    assert set(norms) >= {"支部党员大会", "支部委员会", "党小组会", "主题党日", "组织生活会", "民主评议党员",
                          "谈心谈话", "党课", "按期换届"}
    assert [(norms[p].value, norms[p].period) for p in ("支部党员大会", "支部委员会", "党小组会", "主题党日",
                                                        "组织生活会", "民主评议党员", "谈心谈话")] == [
        (1, "quarter"), (1, "month"), (1, "month"), (1, "month"), (1, "year"), (1, "year"), (1, "year")]
    assert norms["按期换届"].period is None and norms["按期换届"].unit == "年"


def test_norm_sources_name_the_articles():
    norms = {n.practice: n for n in shipped_norms()}
    assert norms["支部党员大会"].source.endswith("第十一条")
    assert norms["支部委员会"].source.endswith("第十二条")
    assert norms["党小组会"].source.endswith("第十三条")
    assert norms["主题党日"].source.endswith("第十六条")
    assert norms["组织生活会"].source.endswith("第十七条")
    assert norms["民主评议党员"].source.endswith("第十八条")
    assert norms["谈心谈话"].source.endswith("第十九条")
    assert "第二十一条" in norms["按期换届"].source
    for n in shipped_norms():
        assert n.source.startswith("《中国共产党支部工作条例（试行）》") and n.quote, n.practice


def test_the_party_lecture_norm_says_the_tiaoli_leaves_it_to_local_rules():
    lecture = next(n for n in shipped_norms() if n.practice == "党课")
    assert lecture.basis == "地方规定"
    assert "未定党支部党课频次" in lecture.source and "每年至少讲1次" in lecture.quote


def test_every_norm_practice_is_a_measure():
    measures = {r["name"] for r in parse_table((lexicon_dir() / "measures.tsv").read_text(encoding="utf-8"),
                                                "measures.tsv")}
    assert {n.practice for n in shipped_norms()} <= measures


@pytest.mark.parametrize("norm, label", [
    (Norm("支部党员大会", 1, ">=", "quarter"), "每季度≥1次"),
    (Norm("民主评议党员", 1, "=", "year"), "每年1次"),
    (Norm("主题党日", 1, ">=", "month", unit="天"), "每月≥1天"),
    (Norm("按期换届", 3, "<=", None, unit="年"), "任期≤3年"),
])
def test_norm_label(norm, label):
    assert norm_label(norm) == label


@pytest.mark.parametrize("value, period, rate", [
    (1, "semester", 2.0), (1, "month", 12.0), (4, "year", 4.0), (1, "quarter", 4.0), (2, "week", 104.0),
    (1, "biweekly", 26.0), (1, None, None),
])
def test_rates_per_year(value, period, rate):
    assert per_year(value, period) == rate


# --- outcomes ----------------------------------------------------------------------------------

PARTY = "学校党支部2026年工作计划\n一、组织生活\n"


@pytest.mark.parametrize("line, practice, outcome", [
    ("1.支部委员会每月至少召开1次。", "支部委员会", "meets"),
    ("1.支委会每学期召开1次。", "支部委员会", "weaker"),  # 2/年 against 12/年
    ("1.支部党员大会全年不少于4次。", "支部党员大会", "meets"),
    ("1.支部党员大会每半年召开1次。", "支部党员大会", "weaker"),
    ("1.党小组会每月开展1-2次。", "党小组会", "meets"),
    ("1.党小组每季度组织1次党小组会。", "党小组会", "weaker"),
    ("1.固定每月15日为主题党日。", "主题党日", "meets"),
    ("1.每年召开1次组织生活会。", "组织生活会", "meets"),
    ("1.定期召开组织生活会。", "组织生活会", "vague"),
    ("1.年底开展民主评议党员。", "民主评议党员", "vague"),
    ("1.认真开展谈心谈话。", "谈心谈话", "vague"),
    ("1.支部书记每季度讲1次党课。", "党课", "meets"),
    ("1.党支部书记全年上党课不少于2次。", "党课", "weaker"),  # the local rule: 每季度1次
    ("1.严格执行按期换届制度。", "按期换届", "vague"),
    ("1.支部委员会每届任期3年，按期换届。", "按期换届", "meets"),
    ("1.开展志愿服务。", "组织生活会", "missing"),
    ("1.开展志愿服务。", "支部党员大会", "missing"),
])
def test_each_outcome(line, practice, outcome):
    assert check(PARTY + line, practice).outcome == outcome


def test_a_count_without_period_counts_over_a_one_year_plan():
    c = check(PARTY + "1.年终对党员进行一次民主评议。", "民主评议党员")
    assert (c.outcome, c.plan_per_year) == ("meets", 1.0)


def test_the_plans_commitment_stands_beside_the_norm():
    c = check(PARTY + "1.支委会每学期召开1次，研究重要工作。", "支部委员会")
    assert (c.required, c.plan, c.required_per_year, c.plan_per_year) == ("每月≥1次", "每学期召开1次", 12.0, 2.0)
    assert c.quote.startswith("1.支委会每学期召开1次") and c.span is not None


def test_vague_quotes_the_sentence_that_names_the_practice():
    c = check(PARTY + "1.加强学习。定期召开组织生活会，开展批评和自我批评。", "组织生活会")
    assert c.outcome == "vague" and c.quote.startswith("定期召开组织生活会") and not c.plan


# --- whose plan ---------------------------------------------------------------------------------

@pytest.mark.parametrize("title, name, party", [
    ("校团委2026年工作计划", "团组织", False),
    ("学校团支部工作计划", "团组织", False),
    ("共青团某校委员会2026年工作要点", "团组织", False),
    ("学校工会2026年工作计划", "工会", False),
    ("少先队大队部2026年工作计划", "少先队", False),
    ("学校党支部2026年工作计划", "党组织", True),
    ("2026年党建工作要点", "党组织", True),
    ("党建带团建工作方案", "党组织", True),  # a party cue in the title wins
    ("2026年三会一课工作计划", "党组织", True),
])
def test_organisation_from_the_title(title, name, party):
    assert organisation(title, "")[:2] == (name, party)


def test_untitled_plan_goes_by_its_text():
    assert organisation("2026年工作计划", "团委组织团员学习，团支部开展活动，党支部指导")[:2] == ("团组织", False)
    assert organisation("工作计划", "") == ("未识别", False, "标题和正文都未指明党组织")


def test_a_league_plan_is_not_checked_and_says_so():
    doc = extract_text("校团委2026年工作计划\n一、团员教育\n1.每月开展1次团课\n2.支部委员会每月召开1次").documents[0]
    comp = doc.compliance
    assert not comp.checked and comp.checks == () and comp.organisation == "团组织"
    assert "不对照党支部工作的规定检查" in comp.reason and "团委" in comp.reason


def test_a_union_plan_is_not_checked():
    doc = extract_text("学校工会2026年工作计划\n一、工作\n1.每学期召开1次教代会").documents[0]
    assert not doc.compliance.checked and doc.compliance.organisation == "工会"


# --- a bureau's own norms -----------------------------------------------------------------------

OWN = ("# a bureau's rules\npractice\tvalue\tcomparator\tperiod\tsource\n"
       "党课\t1\t>=\tmonth\t某区委组织部通知\n支部委员会\t2\t>=\tmonth\t某区规定\n")


def test_own_norms_replace_the_shipped_ones():
    norms = read_norms_text(OWN, "district.tsv")
    doc = extract_text(PARTY + "1.支委会每月召开1次。\n2.每月讲1次党课。",
                       options=Options(norms=norms, norms_name="district.tsv")).documents[0]
    assert [(c.practice, c.outcome, c.source) for c in doc.compliance.checks] == [
        ("党课", "meets", "某区委组织部通知"), ("支部委员会", "weaker", "某区规定")]
    assert doc.compliance.norms == "district.tsv"


@pytest.mark.parametrize("text, problem", [
    ("practice\tvalue\tcomparator\tperiod\n党课\tx\t>=\tmonth\n", "value 'x'"),
    ("practice\tvalue\tcomparator\tperiod\n党课\t1\t>>\tmonth\n", "comparator '>>'"),
    ("practice\tvalue\tcomparator\tperiod\n党课\t1\t>=\tfortnight\n", "period 'fortnight'"),
    ("practice\tvalue\n党课\t1\n", "header lacks column(s) comparator, period"),
    ("# only a comment\n", "no header row"),
    ("practice\tvalue\tcomparator\tperiod\n", "no norms"),
])
def test_a_bad_norms_file_names_its_line(text, problem):
    with pytest.raises(LexiconError) as info:
        read_norms_text(text, "bad.tsv")
    assert problem in str(info.value) and not str(info.value).startswith("lexicons/")


# --- the seeds ------------------------------------------------------------------------------------

def test_sanhui_seed_meets_the_three_meetings(corpus_dir):
    [doc] = extract_file(corpus_dir / "002_115f02c79655d629.txt").documents
    checks = {c.practice: c for c in doc.compliance.checks}
    assert doc.compliance.checked
    assert (checks["支部党员大会"].outcome, checks["支部党员大会"].plan) == ("meets", "全年不少于4次；每季度至少1次")
    assert (checks["支部委员会"].outcome, checks["支部委员会"].plan) == ("meets", "每月至少召开1次")
    assert (checks["党小组会"].outcome, checks["党小组会"].plan) == ("meets", "每月开展1-2次")
    # the plan names 组织生活会 only as a topic (组织生活会问题整改) and never 民主评议党员
    assert checks["组织生活会"].outcome == "vague" and "组织生活会问题整改" in checks["组织生活会"].quote
    assert checks["民主评议党员"].outcome == "missing"


def test_first_seed_plans_are_checked_as_the_text_supports(corpus_dir):
    docs = extract_file(corpus_dir / "000_113e1a21caf55f9a.txt").documents
    assert all(d.compliance.checked for d in docs)
    first = {c.practice: c.outcome for c in docs[0].compliance.checks}
    # 定期组织开好组织生活会，对党员进行一次民主评议
    assert first["组织生活会"] == "vague" and first["民主评议党员"] == "meets"
    fourth = {c.practice: c.outcome for c in docs[3].compliance.checks}
    assert fourth["主题党日"] == "meets"  # 确保每月15日按时开展活动


# --- plans × norms --------------------------------------------------------------------------------

def test_compliance_matrix_rows():
    party = extract_text(PARTY + "1.支委会每月召开1次。").documents[0]
    league = extract_text("校团委2026年工作计划\n一、工作\n1.开展团课").documents[0]
    m = compliance_matrix([("A", party.compliance), ("B", league.compliance), ("C", None)])
    assert m["practices"][:3] == ["支部党员大会", "支部委员会", "党小组会"]
    a, b, c = m["rows"]
    assert a["checked"] and a["cells"]["支部委员会"] == "meets" and a["plan_text"]["支部委员会"] == "每月召开1次"
    assert not b["checked"] and b["cells"] == {} and b["organisation"] == "团组织"
    assert not c["checked"]


# --- the JSON Schema holds tasks and compliance ---------------------------------------------------

def test_schema_is_strict_on_tasks_and_compliance():
    import copy
    import json
    from importlib import resources
    from jsonschema import Draft202012Validator
    from pipeline.export.json import result_to_dict
    schema = json.loads(resources.files("pipeline").joinpath("schema/plan.schema.json").read_text(encoding="utf-8"))
    v = Draft202012Validator(schema)
    data = json.loads(json.dumps(result_to_dict(extract_text(PARTY + "1.支委会每月召开1次（责任人：组织委员）"))))
    assert list(v.iter_errors(data)) == []
    doc = data["documents"][0]
    assert doc["tasks"] and doc["compliance"]["checks"] and doc["period"]["kind"] == "year"
    for path, value in ((("tasks", 0, "start"), "March"), (("tasks", 0, "recurrence"), "EVERY MONTH"),
                        (("compliance", "checks", 0, "outcome"), "ok"), (("period", "kind"), "decade")):
        bad = copy.deepcopy(data)
        node = bad["documents"][0]
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
        assert list(v.iter_errors(bad)), path
    league = json.loads(json.dumps(result_to_dict(extract_text("校团委2026年工作计划\n一、工作\n1.开展团课"))))
    assert list(v.iter_errors(league)) == [] and league["documents"][0]["compliance"]["checked"] is False


def _mentions_as_regex_reads_them(text, names):
    import re
    spans = sorted(m.span() for name in names for m in re.finditer(re.escape(name), text))
    return spans[0] if spans else None


@pytest.mark.parametrize("text, names", [
    ("召开组织生活会和民主生活会", ("民主生活会", "组织生活会", "生活会")),
    ("党课党课", ("党课", "党")),
    ("没有", ("党课",)),
    ("abc", ("", "b")),
    ("支部党员大会", ("党员大会", "支部党员大会")),
])
def test_first_mention_is_the_earliest_match(text, names):
    assert compliance._first_mention(text, names) == _mentions_as_regex_reads_them(text, names)


def test_check_norm_alone_agrees_with_check_plan():
    doc = extract_text("学校党支部2026年工作计划\n一、每季度召开1次支部党员大会。\n二、定期开展组织生活会。").documents[0]
    assert tuple(compliance.check_norm(doc, n) for n in shipped_norms()) == doc.compliance.checks


def _plain_sentence_around(text, span):
    start = max(text.rfind(c, 0, span[0]) for c in "。；;\n！？") + 1
    ends = [i for i in (text.find(c, span[1]) for c in "。；;\n！？") if i >= 0]
    end = min(ends) if ends else len(text)
    while start < end and text[start] in " \t　":
        start += 1
    return text[start:end], (start, end)


def test_sentence_around_as_the_plain_reading():
    from hypothesis import given, settings, strategies as st

    @settings(max_examples=300, deadline=None)
    @given(st.text(alphabet="党课。；;\n！？ 　a", max_size=30), st.integers(0, 30), st.integers(0, 5))
    def check(text, at, width):
        at = min(at, len(text))
        span = (at, min(len(text), at + width))
        assert compliance._sentence_around(text, span) == _plain_sentence_around(text, span)
    check()


def test_checks_know_every_field_of_compliance_check():
    # compliance._made builds a ComplianceCheck positionally; a field added must be added there too
    import dataclasses
    from pipeline.model import ComplianceCheck
    assert [f.name for f in dataclasses.fields(ComplianceCheck)] == \
        ["practice", "outcome", "required", "basis", "source", "plan", "required_per_year", "plan_per_year",
         "commitment_ids", "quote", "span", "note"]
