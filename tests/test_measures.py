"""Measures stage: plan text (+ sections, commitments) → canonical practices; lexicon shape; candidates."""
import doctest

import pytest

from pipeline import lexicons, measures
from pipeline.core import extract_file
from pipeline.errors import LexiconError
from pipeline.measures import (attach_candidates, find_measures, governed_measures, parse_entries,
                               propose_candidates, scan)
from pipeline.model import Commitment, Document
from pipeline.outline import outline_text


def names(text):
    """Canonical names of the mentions in `text`, in reading order."""
    return [m.name for m in scan(text)]


def commitment(text, quote, sentence=None, subject=None, section_id=None):
    """A Commitment over `quote` in `text` (only the fields linking reads are meaningful)."""
    start = text.index(quote)
    return Commitment(value=1, value_max=None, unit="次", comparator="=", period=None, kind="frequency",
                      quote=quote, span=(start, start + len(quote)), sentence=sentence or quote,
                      section_id=section_id, section_path=None, subject=subject)


# --- the lexicon file ----------------------------------------------------------

def test_lexicon_parses_with_enough_rows_and_columns():
    rows = lexicons.read_table("measures.tsv", measures.COLUMNS)
    entries = parse_entries(rows)
    assert len(entries) >= 80
    assert all(e.category and e.gloss for e in entries)
    assert {"name", "category", "aliases", "gloss", "not_in"} <= set(rows[0])


def test_lexicon_forms_are_unique_and_not_in_holds_a_form():
    entries = parse_entries(lexicons.read_table("measures.tsv"))
    forms = [f for e in entries for f in (e.name,) + e.aliases]
    assert len(forms) == len(set(forms))
    for e in entries:
        for ctx in e.not_in:
            assert any(f in ctx for f in (e.name,) + e.aliases), (e.name, ctx)


BAD_ROWS = [
    pytest.param([{"name": "党课", "category": "组织生活", "aliases": "讲党课"},
                  {"name": "讲党课", "category": "组织生活", "aliases": ""}], "already a form", id="duplicate-form"),
    pytest.param([{"name": "工会", "category": "", "aliases": ""}], "no category", id="empty-category"),
    pytest.param([{"name": "工会", "category": "群团", "aliases": "", "not_in": "教职工大会"}], "holds none",
                 id="not-in-without-the-form"),
]


@pytest.mark.parametrize("rows,problem", BAD_ROWS)
def test_bad_lexicon_rows_fail_naming_file_and_line(rows, problem):
    rows = [dict(r, _where=f"lexicons/measures.tsv:{i + 10}") for i, r in enumerate(rows)]
    with pytest.raises(LexiconError, match=r"lexicons/measures\.tsv:1\d: .*" + problem):
        parse_entries(rows)


def test_doctests():
    assert doctest.testmod(measures).failed == 0


# --- scanning text: written by us -------------------------------------------------
WRITTEN_BY_US = [
    pytest.param("严格落实“三会一课”制度", ["三会一课"], id="quoted-term"),
    pytest.param("严格执行“三会\n一课”制度", ["三会一课"], id="hard-wrap-inside-term"),
    pytest.param("每季度召开支部党员大会", ["支部党员大会"], id="longest-form-no-double-count"),
    pytest.param("按规定召开全体党员大会、支委会议", ["支部党员大会", "支部委员会"], id="aliases-map-to-canonical"),
    pytest.param("开展固定主题党日活动和主题党日", ["主题党日", "主题党日"], id="two-aliases-one-practice"),
    pytest.param("扎实推进党务校务公开", ["党务公开", "校务公开"], id="elliptical-pair"),
    pytest.param("落实党务、校务公开制度", ["党务公开", "校务公开"], id="elliptical-pair-with-comma"),
    pytest.param("召开教职工会议，通报工作", [], id="gonghui-inside-jiaozhigong-huiyi"),
    pytest.param("加强对工会工作的领导", ["工会"], id="gonghui"),
    pytest.param("邀请专家访谈", [], id="jiafang-inside-zhuanjia-fangtan"),
    pytest.param("开展教师家访活动", ["家访"], id="jiafang"),
    pytest.param("教育系统战线", [], id="tongzhan-inside-xitong-zhanxian"),
    pytest.param("集团组织开展培训", [], id="tuanzuzhi-inside-jituan"),
    pytest.param("做好民主评议党员工作", ["民主评议党员"], id="longest-not-minzhu-pingyi"),
    pytest.param("党总支书记带头开展廉政谈心谈话", ["谈心谈话"], id="tanxin-tanhua-after-lianzheng"),
    pytest.param("把骨干教师培养成党员、把党员培养成骨干教师", ["双培养", "双培养"], id="descriptive-alias"),
    pytest.param("完善“学习强国”学习平台积分通报", ["学习强国"], id="platform-alias"),
    pytest.param("坚持每周一下午开展活动", [], id="nothing-named"),
]


@pytest.mark.parametrize("text,expected", WRITTEN_BY_US)
def test_scan_written_by_us(text, expected):
    assert names(text) == expected


@pytest.mark.parametrize("text", [p.values[0] for p in WRITTEN_BY_US])
def test_mention_spans_quote_the_text(text):
    for m in scan(text):
        quoted = "".join(ch for ch in text[m.span[0]:m.span[1]] if ch not in measures.IGNORED)
        assert quoted == m.form


# --- known misses -------------------------------------------------------------------
KNOWN_MISSES = [
    pytest.param("各党小组每月开展1-2次学习", ["党小组会"], id="bare-dangxiaozu-is-an-organ-not-the-meeting"),
]


@pytest.mark.xfail(strict=True, reason="a bare organ name is not read as its meeting")
@pytest.mark.parametrize("text,expected", KNOWN_MISSES)
def test_scan_known_misses(text, expected):
    assert names(text) == expected


# --- find_measures: counts, aliases, sections ---------------------------------------

def test_find_measures_groups_mentions_with_sections():
    text = "一、组织生活\n严格落实三会一课制度，开展主题党日活动。\n二、学习教育\n用好学习强国，每月固定主题党日。"
    sections = outline_text(text)
    found = {m.name: m for m in find_measures(text, sections)}
    assert list(found) == ["组织生活", "三会一课", "主题党日", "学习强国"]  # 组织生活 is a practice (GUIDELINE §4)
    theme = found["主题党日"]
    assert (theme.count, theme.aliases_seen, theme.section_ids) == (2, ("主题党日活动", "固定主题党日"), ("s1", "s2"))
    assert found["学习强国"].category == "学习教育"
    assert not any(m.candidate for m in found.values())


# --- linking commitments to the practices they govern --------------------------------
LINKS = [
    pytest.param("支部委员会作为领导核心，每月至少召开1次。", "每月至少召开1次", {}, ("支部委员会",),
                 id="practice-earlier-in-the-sentence"),
    pytest.param("党员每月开展1次活动。", "每月开展1次", {"subject": "党小组会"}, ("党小组会",),
                 id="subject-wins"),
    pytest.param("完善主题党日制度，将教职工隔周一次的政治理论学习制度整合。", "隔周一次",
                 {"sentence": "将教职工隔周一次的政治理论学习制度整合"}, ("政治理论学习",), id="nearest-in-clause"),
    pytest.param("主题党日每月开展，集中学习时间每月不少于4小时，党课除外。", "每月不少于4小时",
                 {"sentence": "集中学习时间每月不少于4小时"}, ("集中学习",), id="clause-before-sentence"),
    pytest.param("一、支部党员大会\n1.质量把控\n会前3天发布通知。", "3天", {}, ("支部党员大会",),
                 id="section-title-of-an-ancestor"),
    pytest.param("一、组织生活会和民主评议党员\n会前3天征求意见。", "3天", {}, (), id="two-practices-in-title-no-link"),
    pytest.param("一、工作安排\n每月召开1次会议。", "1次", {}, (), id="nothing-named"),
]


@pytest.mark.parametrize("text,quote,fields,expected", LINKS)
def test_governed_measures(text, quote, fields, expected):
    sections = outline_text(text)
    c = commitment(text, quote, **fields)
    assert governed_measures(text, c, measures.find_mentions(text, sections), sections) == expected


def test_find_measures_records_commitment_indexes():
    text = "支部委员会每月至少召开1次。党小组会每月开展1-2次。"
    cs = (commitment(text, "每月至少召开1次"), commitment(text, "每月开展1-2次"))
    found = {m.name: m.commitment_ids for m in find_measures(text, (), cs)}
    assert found == {"支部委员会": (0,), "党小组会": (1,)}


# --- from the seeds: every gold practice is found ------------------------------------
SEED_GOLD = {
    ("000_113e1a21caf55f9a.txt", 0): ["三会一课", "组织生活会", "民主评议党员", "谈心谈话", "党课", "集中学习",
                                      "发展党员", "党务公开", "学习强国", "教代会"],
    ("000_113e1a21caf55f9a.txt", 1): ["三会一课", "民主生活会", "民主评议党员", "校务公开", "教代会"],
    ("000_113e1a21caf55f9a.txt", 2): ["两学一做", "主题党日", "三会一课", "民主生活会", "组织生活会", "党课",
                                      "双培养", "发展党员", "集中学习"],
    ("000_113e1a21caf55f9a.txt", 3): ["党课", "集中学习", "两学一做", "主题党日", "三会一课", "组织生活会",
                                      "谈心谈话", "民主评议党员", "按期换届", "评星定级", "双培养", "党员先锋岗"],
    ("000_113e1a21caf55f9a.txt", 4): ["三会一课", "支部党员大会", "支部委员会", "党课", "主题党日", "组织生活会",
                                      "民主评议党员", "谈心谈话", "集中学习", "发展党员", "党员先锋岗", "党务公开",
                                      "校务公开", "党费收缴", "学习强国"],
    ("002_115f02c79655d629.txt", 0): ["三会一课", "支部党员大会", "支部委员会", "党小组会", "组织生活会", "学习强国",
                                      "党员先锋岗", "党员包联", "青蓝工程"],
}


@pytest.fixture(scope="module")
def seed_documents(seed_paths):
    return {(p.name, d.index): d for p in seed_paths for d in extract_file(p).documents}


def test_form_pattern_finds_what_the_plain_alternation_finds(seed_documents):
    """The lexicon's grouped pattern (FORM_PATTERN_WIDTH, two-character lookahead) matches what
    the plain trie of the same forms matches, on every seed plan's view text."""
    import re

    lex = measures.lexicon()
    plain = re.compile(lexicons.alternation(lex.forms))
    for doc in seed_documents.values():
        view = measures._view(doc.text).text
        assert [m.span() for m in measures.form_pattern().finditer(view)] == [m.span() for m in plain.finditer(view)]


def _pattern_matches(lex, text):
    return [(m.group(), m.span()) for m in measures.form_pattern().finditer(text)]


def _finder_matches(lex, text):
    return [(form, (start, end)) for start, end, form in lex.finder.spans(text)]


def test_form_finder_finds_what_the_pattern_finds(seed_documents):
    """The Aho-Corasick finder `_hits` scans with gives the pattern's matches (leftmost, longest,
    no overlaps), spans in characters, on every seed plan's view text."""
    lex = measures.lexicon()
    for doc in seed_documents.values():
        view = measures._view(doc.text).text
        assert _finder_matches(lex, view) == _pattern_matches(lex, view)


def test_parts_finder_finds_the_words_the_parts_pattern_finds(seed_documents):
    """_part_hits reads the parts words with an Aho-Corasick finder: parts_pattern's matches."""
    lex = measures.lexicon()
    for doc in seed_documents.values():
        view = measures._view(doc.text).text
        pattern = measures.parts_pattern()
        assert lex.parts_finder.spans(view) == [(m.start(), m.end(), m.group()) for m in pattern.finditer(view)]


@pytest.mark.parametrize("text", [
    "支部党员大会党员大会党员", "😀党员大会𠀀主题党日", "", "党", "教职工会议工会", "三会一课三会一课",
])
def test_form_finder_agrees_on_overlaps_and_wide_characters(text):
    lex = measures.lexicon()
    assert _finder_matches(lex, text) == _pattern_matches(lex, text)


@pytest.mark.parametrize("key", sorted(SEED_GOLD), ids=lambda k: f"{k[0][:3]}#{k[1]}")
def test_seed_practices_found(seed_documents, key):
    doc = seed_documents[key]
    found = [m.name for m in find_measures(doc.text, doc.sections, doc.commitments)]
    missing = [g for g in SEED_GOLD[key] if not any(g in f or f in g for f in found)]
    assert missing == []


# --- candidates -----------------------------------------------------------------------
PLAN_A = "开展“红心向党”活动，落实主题党日活动。建立教师值周制度。"
PLAN_B = "继续开展“红心向党”活动。健全教师值周制度和长效机制。"
PLAN_C = "组织“书香校园”活动。"


@pytest.mark.parametrize("texts,min_plans,expected", [
    pytest.param([PLAN_A, PLAN_B, PLAN_C], 2, ("教师值周制度", "红心向党活动"), id="recurring-in-two"),
    pytest.param([PLAN_A, PLAN_B, PLAN_C], 3, (), id="none-in-all-three"),
    pytest.param([PLAN_A], 1, ("红心向党活动", "教师值周制度"), id="one-plan-min-one"),
])
def test_propose_candidates(texts, min_plans, expected):
    assert sorted(propose_candidates(texts, min_plans)) == sorted(expected)


def test_candidates_never_include_known_or_generic_phrases():
    found = propose_candidates([PLAN_A, PLAN_B], 1)
    assert "主题党日活动" not in found and "长效机制" not in found


def test_attach_candidates_appends_flagged_records():
    docs = [Document(index=i, title="", text=t, lines=(), sections=(), measures=find_measures(t))
            for i, t in enumerate([PLAN_A, PLAN_B, PLAN_C])]
    out = attach_candidates(docs)
    first = out[0].measures
    assert first[:len(docs[0].measures)] == docs[0].measures
    added = first[len(docs[0].measures):]
    assert {m.name for m in added} == {"红心向党活动", "教师值周制度"}
    assert all(m.candidate and m.category == measures.CANDIDATE_CATEGORY for m in added)
    assert out[2].measures == docs[2].measures


# --- the practices of school plans and the organisations they come from (GUIDELINE §4) ----

def test_lexicon_holds_at_least_250_practices():
    assert len(measures.lexicon().entries) >= 250


PRACTICES = [
    # 组织生活 is a practice of its own, apart from the yearly 组织生活会
    pytest.param("严肃党内组织生活，按时召开组织生活会。", ["组织生活", "组织生活会"], id="zuzhishenghuo-and-hui"),
    pytest.param("认真落实双重组织生活制度。", ["双重组织生活"], id="shuangchong"),
    pytest.param("依托业余党校培训入党积极分子。", ["党校", "入党积极分子培养"], id="dangxiao"),
    pytest.param("每月上一次主题团课。", ["团课"], id="tuanke"),
    pytest.param("办好业余团校。", ["团校"], id="tuanxiao"),
    pytest.param("组织团员按期完成青年大学习。", ["青年大学习"], id="qingnian-daxuexi"),
    pytest.param("扎实开展主题教育。", ["主题教育"], id="zhuti-jiaoyu"),
    pytest.param("推行党员积分制管理。", ["党员积分制"], id="jifenzhi"),
    pytest.param("全面实行积分管理。", ["党员积分制"], id="jifen-guanli"),
    pytest.param("与村小开展结对帮扶。", ["结对帮扶"], id="jiedui-bangfu"),
    pytest.param("党员与困难学生结对。", ["结对帮扶"], id="jiedui"),
    pytest.param("推进清廉学校建设。", ["清廉学校"], id="qinglian-xuexiao"),
    pytest.param("三月组织学雷锋志愿服务。", ["学雷锋"], id="xueleifeng"),
    pytest.param("健全中心组理论学习制度。", ["中心组学习"], id="zhongxinzu-lilun"),
    pytest.param("党委理论学习中心组每月集中学习一次。", ["中心组学习", "集中学习"], id="lilun-xuexi-zhongxinzu"),
    pytest.param("做好幼儿晨午检和膳食管理。", ["晨检", "膳食管理"], id="kindergarten"),
    pytest.param("开展家园共育活动。", ["家校共育"], id="jiayuan-gongyu"),
    pytest.param("完善教育督导评估。", ["教育督导"], id="bureau-dudao"),
    pytest.param("落实四议两公开，推进村务公开。", ["四议两公开", "村务公开"], id="village"),
    pytest.param("建好教工之家。", ["教工之家"], id="union"),
    pytest.param("举行新队员入队仪式。", ["入队仪式"], id="pioneers"),
    pytest.param("把优秀青年教师吸收入党。", ["发展党员"], id="xishou-rudang"),
    pytest.param("可吸收入党积极分子列席会议。", [], id="xishou-rudang-jijifenzi-is-no-fazhan"),
    pytest.param("抓实师德，严守师风。", ["师德师风建设"], id="shide"),
]


@pytest.mark.parametrize("text, expected", PRACTICES)
def test_practices_of_school_plans(text, expected):
    assert names(text) == expected


# --- a practice named in two parts, by the rule of its lexicon row -------------------------

SPLIT_PARTS = [
    pytest.param("加强对入党积极分子的教育与考察。", ["入党积极分子培养"], id="words-between"),
    pytest.param("做好积极分子的推荐和培养工作。", ["入党积极分子培养"], id="short-form-words-between"),
    pytest.param("认真培养教育入党积极分子。", ["入党积极分子培养"], id="reordered"),
    pytest.param("党委中心组成员集中开展理论学习。", ["中心组学习"], id="zhongxinzu-gap"),
    pytest.param("打造特色鲜明的党建文化品牌。", ["党建品牌"], id="dangjian-pinpai"),
    pytest.param("落实意识形态报告工作责任制。", ["意识形态工作责任制"], id="yishixingtai"),
    pytest.param("与薄弱学校结对联系帮扶。", ["结对帮扶"], id="jiedui-gap"),
    # not across a clause break, and not beyond the row's gap
    pytest.param("名单报入党积极分子，培养对象另报。", [], id="no-clause-break"),
    pytest.param("中心组成员要结合分管工作和本单位实际情况认真学习。", [], id="gap-too-wide"),
    # the order is kept where the row says so
    pytest.param("学习中心组的安排。", [], id="order-kept"),
]


@pytest.mark.parametrize("text, expected", SPLIT_PARTS)
def test_practice_named_in_two_parts(text, expected):
    assert names(text) == expected


def test_parts_mentions_quote_the_text():
    text = "加强对入党\n积极分子的“教育”与考察。"
    (m,) = scan(text)
    assert m.name == "入党积极分子培养"
    assert text[m.span[0]:m.span[1]] == "入党\n积极分子的“教育"  # up to the nearest second part


def test_parts_match_nothing_the_whole_form_already_covers():
    assert names("加强入党积极分子培养。") == ["入党积极分子培养"]


BAD_PARTS = [
    pytest.param({"parts": "中心组", "gap": "8"}, "not two groups", id="one-group"),
    pytest.param({"parts": "中心组 + 学习 & 研讨", "gap": "8"}, "not two groups", id="mixed-joiners"),
    pytest.param({"parts": "中心组 + 学习", "gap": ""}, "gap", id="no-gap"),
    pytest.param({"parts": "中心组 + 学习", "gap": "40"}, "gap", id="gap-too-wide"),
    pytest.param({"parts": "", "gap": "4"}, "gap given without parts", id="gap-alone"),
]


@pytest.mark.parametrize("cells, problem", BAD_PARTS)
def test_bad_parts_cells_fail_naming_file_and_line(cells, problem):
    row = dict({"name": "中心组学习", "category": "学习教育", "aliases": ""}, **cells,
               _where="lexicons/measures.tsv:12")
    with pytest.raises(LexiconError, match=r"lexicons/measures\.tsv:12: .*" + problem):
        parse_entries([row])


def test_parts_scan_stays_linear_on_a_run_of_parts():
    text = "入党积极分子的" * 20000
    assert len(scan(text)) < 40000  # finishes; each word looks only a gap ahead


def test_find_measures_knows_every_field_of_measure():
    # find_measures builds a Measure positionally; a field added to Measure must be added there too
    import dataclasses
    from pipeline.model import Measure
    assert [f.name for f in dataclasses.fields(Measure)] == \
        ["name", "category", "count", "aliases_seen", "section_ids", "commitment_ids", "candidate"]


from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 4), st.integers(0, 30), st.integers(0, 12)), max_size=8), st.integers(0, 45))
def test_innermost_section_as_the_plain_reading(rows, pos):
    # the deepest section whose span holds the offset; of equally deep ones, the last listed
    from pipeline.model import Section
    sections = tuple(Section(f"s{k}", None, level, "", "", "", "", "", (start, start + width), (start, start),
                             (start, start)) for k, (level, start, width) in enumerate(rows))
    holding = [(s.level, k) for k, s in enumerate(sections) if s.span[0] <= pos < s.span[1]]
    plain = sections[max(holding)[1]] if holding else None
    assert measures.innermost_section(sections, pos) is plain


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(sorted(measures.lexicon().forms)[::5] + ["，", "党", "会", "😀", "a", "\n"]),
                max_size=12).map("".join))
def test_form_finder_agrees_with_the_pattern_on_any_run_of_forms(text):
    """Forms run together, cut and overlapping: the finder and the pattern pick the same matches."""
    lex = measures.lexicon()
    assert _finder_matches(lex, text) == _pattern_matches(lex, text)
