"""Normaliser: chrome and page furniture dropped, hard wraps joined, headings never joined."""
import re

import pytest

from pipeline.ingest.text import text_to_source
from pipeline.normalize import chrome_action, is_heading_like, source_to_lines


def lines(text):
    return [l.text for l in source_to_lines(text_to_source(text))]


@pytest.mark.parametrize("line", [
    "- 3 -", "－ 12 －", "第3页 共8页", "第 3 页", "3/8", "12", "• 0", "约3.54千字", "约 8页",
    "2026-01-29 发布于四川", "举报", "VIP", "学校2026年三会一课工作计划.docxVIP", "文档评论(0)",
    "1亿VIP精品文档", "下面由网友为您整理分享的“工作计划”相关资料,供您参考学习。", "5篇小学党支部工作计划精编范文",
    "发布时间：2026-03-01", "上一篇：学校工作总结", "阅读已结束，下载文档到电脑",
])
def test_chrome_lines_are_dropped(line):
    assert chrome_action(line) == "drop_line"


@pytest.mark.parametrize("line", [
    "一、指导思想", "每月至少召开1次支委会。", "2026年是关键一年。", "学校2026年三会一课工作计划",
    "全年不少于4次(每季度至少1次)", "1.5万元", "三会一课",
])
def test_plan_lines_are_kept(line):
    assert chrome_action(line) is None


@pytest.mark.parametrize("text,expected", [
    pytest.param("2、开展好组织生活会。严格执行“三会\n一课”制度，定期召开。", ["2、开展好组织生活会。严格执行“三会一课”制度，定期召开。"],
                 id="wrap-inside-quoted-term"),
    pytest.param("全面贯彻党的二十大精神,以习近平新时代中国特色社\n会主义思想为指导。", ["全面贯彻党的二十大精神,以习近平新时代中国特色社会主义思想为指导。"],
                 id="wrap-after-comma-sentence"),
    pytest.param("1.加强党的政策学习\n利用三会一课组织学习。", ["1.加强党的政策学习", "利用三会一课组织学习。"],
                 id="short-numbered-heading-not-joined"),
    pytest.param("坚持党建引领，推动发展，\n二、工作目标", ["坚持党建引领，推动发展，", "二、工作目标"],
                 id="never-join-into-a-label-line"),
    pytest.param("深入开展党建研究\n推进党建品牌建设。", ["深入开展党建研究", "推进党建品牌建设。"],
                 id="short-unnumbered-heading-not-joined"),
    pytest.param("一、\n指导思想", ["一、指导思想"], id="label-alone-joins-its-text"),
    pytest.param("支部党员大会每季度召开一次\n- 2 -\n，全年不少于4次。", ["支部党员大会每季度召开一次，全年不少于4次。"],
                 id="page-number-between-wrapped-halves"),
    pytest.param("第一段。\n\n第二段", ["第一段。", "第二段"], id="blank-line-ends-paragraph"),
    pytest.param("南湖职业技术学校党总支2026年度组织生活会和民主评议党员工作方案\n根据上级部署，制定本方案。",
                 ["南湖职业技术学校党总支2026年度组织生活会和民主评议党员工作方案", "根据上级部署，制定本方案。"],
                 id="bug-long-plan-title-never-runs-on"),
])
def test_wrap_repair(text, expected):
    assert lines(text) == expected


def test_wrap_width_detected_from_pasted_text():
    # pasted at a fixed width of 20 characters: short unpunctuated halves still join
    text = ("党支部要坚持以习近平新时代中国特色社会\n主义思想为指导，认真落实三会一课制度，\n"
            "全面提升组织力，推动党建和业务深度融合\n发展。党员教师要带头学习，带头创先争优\n率先垂范。")
    out = lines(text)
    assert len(out) == 1 and out[0].endswith("率先垂范。")


@pytest.mark.parametrize("text,expected", [
    ("一、指导思想", True), ("加强作风建设", True), ("1、开展好组织生活会。严格执行“三会", False),
    ("一、", False), ("推进党建品牌建设。进一步丰富", False),
])
def test_is_heading_like(text, expected):
    assert is_heading_like(text) is expected


def test_lines_keep_source_offsets():
    text = "标题计划\n  一、指导思想\n"
    src = text_to_source(text)
    out = source_to_lines(src)
    assert [src.text[l.source_start:l.source_start + len(l.text)] for l in out] == ["标题计划", "一、指导思想"]


# --- clean-up by span: rules remove their match, a long line of plan text is never dropped ----

@pytest.mark.parametrize("line", [
    pytest.param("字号 大 中 小", id="font-size-switch"),
    pytest.param("【字体:大 中 小】", id="font-size-brackets"),
    pytest.param("发布时间:2026-02-01 09:30 来源:区教育局 浏览次数:120", id="byline-fields"),
    pytest.param("编辑:张三    发布时间: 2026/02/01 16:29     来源:     点击次数:", id="byline-editor-first"),
    pytest.param("2026年02月01日  阅读次数:[ ]", id="date-and-counter"),
    pytest.param("首页 > 党建园地 > 规章制度 >正文", id="breadcrumb"),
    pytest.param("范文大全 > 党建工作计划", id="breadcrumb-one-step"),
    pytest.param("首页|学校概况|党建工作|教学科研|招生就业", id="pipe-menu"),
    pytest.param("网站首页 范文文档 个人总结 工作总结 心得体会 演讲稿", id="word-menu"),
    pytest.param("开通会员免费下载", id="download-prompt"),
    pytest.param("还剩3页未读,继续阅读", id="viewer-residue"),
    pytest.param("已阅读5页,还剩7页未读", id="viewer-residue-read"),
    pytest.param("用户名 密码", id="login-box"),
    pytest.param("• 39.50 KB", id="file-size"),
    pytest.param("2. 2、本文档内容版权归属内容提供方，所产生的收益归提供方所有。", id="disclaimer-list"),
    pytest.param("网站客服QQ:123456", id="site-contact"),
    pytest.param("- 3、如文档侵犯您的权益，请联系客服反馈，我们会尽快为您处理。", id="disclaimer-with-sentence"),
    pytest.param("《学校三会一课制度.docx》由会员上传分享，支持在线阅读，更多相关内容请到本站搜索。", id="uploader-note-sentence"),
    pytest.param("亲，本文档共有7页，已全部预览完毕，喜欢的话就下载吧！", id="preview-done"),
    pytest.param("某某学校三会一课制度.docx_第2页", id="page-image-caption"),
    pytest.param("下载 相关 举报", id="button-row"),
    pytest.param("2026年1月修订", id="revision-date"),
    pytest.param("2026年3月15日", id="signature-date"),
    pytest.param("文本内容:", id="viewer-text-label"),
    pytest.param("此处隐藏1200字", id="paywall-alone"),
    pytest.param("全文共3256字", id="size-line"),
    pytest.param("本文档共8页", id="page-count-line"),
    pytest.param("【第一篇】", id="piece-marker-alone"),
    pytest.param("篇二：", id="piece-marker-colon"),
    pytest.param("学校党支部工作计划_第3页", id="page-caption-without-extension"),
])
def test_more_chrome_lines_are_dropped(line):
    assert chrome_action(line) == "drop_line"


@pytest.mark.parametrize("line", [
    pytest.param("时间:2026年3月1日", id="plan-time-line"),
    pytest.param("地点:学校会议室", id="plan-place-line"),
    pytest.param("三月份:", id="month-subheading"),
    pytest.param("具体安排如下:", id="colon-lead-line"),
    pytest.param("组长: 副组长: 成员:", id="empty-slots"),
    pytest.param("3月 4月 5月 6月 7月 8月", id="schedule-months"),
    pytest.param("一、 指导思想", id="label-space-title"),
])
def test_plan_lines_that_look_like_chrome_are_kept(line):
    assert chrome_action(line) is None


PLAN = "坚持以习近平新时代中国特色社会主义思想为指导，全面加强学校党的建设，每月开展一次主题党日活动。"


@pytest.mark.parametrize("line,expected", [
    pytest.param("下面是小编为大家整理分享的工作计划，欢迎阅读参考。" + PLAN, PLAN, id="lead-in-inside-one-line-page"),
    pytest.param(PLAN + "此处隐藏2380字" + PLAN, PLAN + PLAN, id="paywall-cut-inside"),
    pytest.param("还剩2页未读,继续阅读" + PLAN, PLAN, id="viewer-residue-glued"),
    pytest.param(PLAN + "开通会员免费下载全文。" + PLAN, PLAN + PLAN, id="download-prompt-inside"),
    pytest.param("学校意识形态工作制度[本文共1346字]", "学校意识形态工作制度", id="word-count-badge"),
    pytest.param("以下是小编精心整理的学校党建工作计划，希望对大家有所帮助。" + PLAN, PLAN, id="lead-in-yixia"),
    pytest.param("小编为大家收集了几篇党支部计划，一起来看看吧。" + PLAN, PLAN, id="lead-in-xiaobian"),
    pytest.param(PLAN + "预览已结束，剩余3页可下载查看。", PLAN, id="preview-ended"),
    pytest.param(PLAN + "点击下载完整版文档。", PLAN, id="download-full-version"),
    pytest.param("摘要:某某文库网小编为您精选了多篇相关的《学校党建工作计划》,希望能给您带来帮助,此外您在某某文库网还能查阅更多《学校党建工作计划》。" + PLAN,
                 PLAN, id="site-abstract-lead-in"),
])
def test_chrome_spans_are_cut_and_plan_text_stays(line, expected):
    assert lines(line) == [expected]


@pytest.mark.parametrize("line", [
    pytest.param("发布时间" + PLAN * 2, id="byline-word-opening-a-long-line"),
    pytest.param("首页 > " + PLAN * 2, id="breadcrumb-mark-in-a-long-line"),
    pytest.param("下面是" + PLAN * 3, id="lead-in-word-without-lead-in"),
])
def test_a_long_plan_line_is_never_dropped(line):
    assert "".join(lines(line))


def test_one_line_page_with_lead_in_still_has_plan_text():
    from pipeline.core import extract_text
    page = "下面是网友为大家分享的学校党建工作计划，供您参考。" + "一、指导思想 " + PLAN + " 二、工作措施 " + PLAN
    result = extract_text(page)
    assert result.ok and result.documents and "指导思想" in result.documents[0].text


CHUNK = "坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的教育方针，落实立德树人根本任务，扎实推进学校党建工作，"


@pytest.mark.parametrize("text,expected", [
    pytest.param("1、" + CHUNK * 4 + "加强党员教\n2、育管理。" + CHUNK * 4 + "每月开\n3、展一次学习。",
                 ["".join([CHUNK * 4, "加强党员教育管理。", CHUNK * 4, "每月开展一次学习。"])], id="chunks-joined-markers-gone"),
    pytest.param("1、" + CHUNK * 4 + "加强党员教\n\n2、育管理。", [CHUNK * 4 + "加强党员教育管理。"], id="blank-line-between-chunks"),
    pytest.param("1、" + CHUNK * 4 + "完成。\n2、" + CHUNK * 4 + "完成。", ["1、" + CHUNK * 4 + "完成。", "2、" + CHUNK * 4 + "完成。"],
                 id="numbered-paragraphs-that-end-stay"),
    pytest.param("1、学习理论\n2、开展活动", ["1、学习理论", "2、开展活动"], id="short-list-stays"),
    pytest.param("1、" + CHUNK + "\n2、" + CHUNK * 4, ["1、" + CHUNK, "2、" + CHUNK * 4], id="short-first-item-is-no-chunk"),
    pytest.param("1、" + CHUNK * 4 + "加强\n2、" + CHUNK * 6 + "党员\n3、教育。",
                 ["1、" + CHUNK * 4 + "加强", "2、" + CHUNK * 6 + "党员", "3、教育。"], id="chunks-of-unequal-length-are-items"),
])
def test_page_chunk_markers(text, expected):
    assert lines(text) == expected


@pytest.mark.parametrize("text,expected", [
    pytest.param("一、目标。Р1.学习理论。Р2.开展实践。Р3.总结提高。", ["一、目标。", "1.学习理论。", "2.开展实践。", "3.总结提高。"],
                 id="cyrillic-letter-for-line-break"),
    pytest.param("学习俄语字母Р的读音。", ["学习俄语字母Р的读音。"], id="one-letter-is-kept"),
])
def test_lost_line_breaks(text, expected):
    assert lines(text) == expected


def test_stacked_titles_are_not_joined_as_a_wrap():
    assert lines("20260530:东风区中小学党组织标准化建设实施方案\n东风区中小学党组织标准化建设实施方案") == [
        "20260530:东风区中小学党组织标准化建设实施方案", "东风区中小学党组织标准化建设实施方案"]


def test_site_address_glued_before_a_heading_is_cut():
    assert lines("www.example1234.com六、组织领导") == ["六、组织领导"]


@pytest.mark.parametrize("text,expected", [
    pytest.param("加强党支部标准化1/3建设，每月开展活动。\n完善制度2/3，落实责任。\n总结提高3/3。",
                 ["加强党支部标准化建设，每月开展活动。", "完善制度，落实责任。", "总结提高。"], id="counters-glued-into-words"),
    pytest.param("党员占比达到1/3以上。", ["党员占比达到1/3以上。"], id="one-fraction-stays"),
    pytest.param("三分之一即1/3，二分之一即1/2。", ["三分之一即1/3，二分之一即1/2。"], id="fractions-over-different-totals-stay"),
    pytest.param("时间为2026/3/1至2026/6/1。", ["时间为2026/3/1至2026/6/1。"], id="dates-stay"),
])
def test_page_counters(text, expected):
    assert lines(text) == expected


@pytest.mark.parametrize("text,expected", [
    pytest.param("二、工作要求\n认真落实。\n东风小学党支部\n2026年3月1日", ["二、工作要求", "认真落实。"], id="signature-over-date"),
    pytest.param("二、工作要求\n认真落实。\n东风小学党支部", ["二、工作要求", "认真落实。"], id="signature-at-the-end"),
    pytest.param("东风小学党支部\n一、指导思想\n认真落实。", ["东风小学党支部", "一、指导思想", "认真落实。"], id="issuing-body-over-the-plan-stays"),
    pytest.param("第五条 认真落实。\n第六条学校党委", ["第五条 认真落实。", "第六条学校党委"], id="article-cut-after-a-body-name-stays"),
    pytest.param("认真落实。\n3、学校党委", ["认真落实。", "3、学校党委"], id="numbered-item-stays"),
])
def test_signatures(text, expected):
    assert lines(text) == expected


def test_a_page_of_short_chrome_like_lines_is_never_read_as_empty():
    from pipeline.core import extract_text
    # every line is a short "来源:"-style line, as a badly marked-up page can have
    page = "\n".join("来源:学校党支部每月开展一次主题党日活动" for _ in range(5))
    result = extract_text(page)
    assert result.ok and "主题党日" in result.documents[0].text


# --- the chrome prefilter decides nothing on its own ------------------------------------------

CHROME_PROBES = ["- 3 -", "第3页 共8页", "• 0", "约3.54千字", "收藏", "• 下载文档", "  分享到：微信 微博",
                 "一、指导思想", "支部委员会每月召开1次会议。", "本文共2,315字 阅读约6分钟", "上一篇：下一篇：",
                 "ＶＩＰ", "相关推荐", "１/８", "page 12", "", "。。。",
                 "一、组织建设（此处隐藏1024字）全年发展党员2名。", "• 已阅读5页,还剩7页未读"]


def _devset_lines():
    from pathlib import Path
    from pipeline.ingest import read_source
    root = Path(__file__).parent / "devset" / "inputs"
    lines = []
    for path in sorted(root.iterdir()):
        lines += [line.strip() for line in read_source(path).text.split("\n") if line.strip()][:400]
    return lines


def test_prefiltered_chrome_verdicts_equal_rule_by_rule_verdicts(monkeypatch):
    from pipeline import normalize
    from pipeline.traditional import to_shadow
    lines = [to_shadow(line) for line in CHROME_PROBES + _devset_lines()]
    fast = [normalize.judge_chrome(line) for line in lines]
    class Everything:  # a filter that lets every line through to the rule-by-rule pass
        @staticmethod
        def found(text):
            return True
    monkeypatch.setattr(normalize, "chrome_prefilters", lambda: (Everything, Everything))
    assert fast == [normalize.judge_chrome(line) for line in lines]
    assert any(v.action for v in fast) and any(v.cuts for v in fast)  # the probes reach both kinds of rule


# --- runs of spaces in a long line are lost line breaks ---------------------------------------

FLAT = ("学校党支部2024年工作计划  为加强支部建设，结合学校实际，制定本计划。  一、指导思想  "
        "坚持以党的政治建设为统领，落实全面从严治党要求。  二、主要工作  （一）组织生活  支部委员会每月召开1次。")


@pytest.mark.parametrize("text,pieces", [
    (FLAT, 7),
    (FLAT.replace("  ", "\u3000\u3000"), 7),
    (FLAT.replace("  ", "\u00a0 "), 7),
    ("组长：张三  副组长：李四", 1),  # short: a table row's spacing, not a break
    (FLAT.replace("  ", " "), 1),  # single spaces are spaces
])
def test_runs_of_spaces_in_a_long_line_become_lines(text, pieces):
    from pipeline.normalize import physical_lines
    lines = physical_lines(text_to_source(text, "t.txt"))
    assert len(lines) == pieces
    assert all(text[l.source_start:l.source_start + len(l.text)] == l.text for l in lines)


def test_a_plan_flattened_with_double_spaces_keeps_its_outline():
    from pipeline.core import extract_text
    doc = extract_text(FLAT, "t.txt").documents[0]
    assert doc.title == "学校党支部2024年工作计划"
    assert [(s.level, s.label, s.title) for s in doc.sections] == [
        (1, "一、", "指导思想"), (1, "二、", "主要工作"), (2, "（一）", "组织生活")]


@pytest.mark.parametrize("text,expected", [
    ("第一章\n\n总则\n\n第一条 为加强管理，制定本制度。", ["第一章总则", "第一条 为加强管理，制定本制度。"]),
    ("二、\n\n主要工作\n\n支部每月召开1次支委会。", ["二、主要工作", "支部每月召开1次支委会。"]),
    ("一、指导思想\n\n坚持党建引领", ["一、指导思想", "坚持党建引领"]),  # a label with its title is a line
    ("支部每月召开1次支委会\n\n党小组每月学习1次", ["支部每月召开1次支委会", "党小组每月学习1次"]),
])
def test_a_lone_label_reaches_over_a_blank_line_to_its_title(text, expected):
    lines = source_to_lines(text_to_source(text, "t.txt"))
    assert [l.text for l in lines] == expected


@pytest.mark.parametrize("pattern,required", [
    (r"^.{0,60}(?:\d+|[一二三]+)篇\s*$", ("篇",)),
    (r"(?:下面|以下)(?:是|为)[^。\n]{0,20}", ("下面", "以下")),
    (r"^(?:首页|当前位置)\s*[:：]", ("当前位置", "首页")),
    (r"[(（]?\s*此处隐藏", ("此处隐藏",)),
    (r"^(?:page\s*)?\d{1,3}$", None),  # only classes and optional parts: nothing required
    (r"(?i)vip", None),  # case folded: no literal to look for
    (r"a?b*", None),
])
def test_required_literals_of_a_rule(pattern, required):
    import re
    from pipeline.normalize import _required_literals
    assert _required_literals(re.compile(pattern)) == required


def test_every_chrome_match_holds_its_rules_required_literal():
    from pipeline.normalize import _required_literals, chrome_rules
    from pipeline.traditional import to_shadow
    lines = [to_shadow(line) for line in CHROME_PROBES + _devset_lines()]
    seen = 0
    for rule in chrome_rules():
        required = _required_literals(rule.matcher)
        for line in lines:
            for m in rule.matcher.finditer(line):
                if required and m.group():
                    seen += 1
                    assert any(s in m.group() for s in required), (rule.matcher.pattern, line)
    assert seen


def test_logical_lines_built_positionally_keep_every_field():
    """normalize._logical_line builds Line positionally: its fields must stay in this order."""
    import dataclasses
    from pipeline.model import Line, LineHint
    from pipeline.normalize import PhysicalLine, _logical_line
    assert [f.name for f in dataclasses.fields(Line)] == ["text", "start", "source_start", "source_lines",
                                                          "hint", "original"]
    hint = LineHint(numbered=True)
    parts = [PhysicalLine("党支部", 3, 17, hint, "黨支部"), PhysicalLine("工作", 4, 21, None, None)]
    assert _logical_line(parts) == Line(text="党支部工作", start=0, source_start=17, source_lines=(3, 4),
                                        hint=hint, original="黨支部工作")


def test_chrome_dropped_alike_when_the_prefilters_are_asked_for_all_lines_at_once(monkeypatch):
    from pathlib import Path
    from pipeline import normalize
    from pipeline.ingest import read_source
    root = Path(__file__).parent / "devset" / "inputs"
    sources = [text_to_source("\n".join(CHROME_PROBES), "probes.txt")] + \
        [read_source(path) for path in sorted(root.iterdir())]
    physical = [normalize.physical_lines(s) for s in sources]
    fast = [normalize.drop_chrome(lines) for lines in physical]

    class Everything:  # lets every line through to the rule-by-rule pass
        @staticmethod
        def found(text):
            return True

        @staticmethod
        def found_in_lines(keys, joined, longest):
            return [True] * len(keys)
    monkeypatch.setattr(normalize, "chrome_prefilters", lambda: (Everything, Everything))
    assert fast == [normalize.drop_chrome(lines) for lines in physical]
    assert sum(len(p) - len(f) for p, f in zip(physical, fast)) > 0  # some chrome was dropped


def test_related_documents_block_ends_the_page_only_after_plan_text():
    # drop_rest: the block ends the page once 200 CJK characters of plan text stand before it;
    # before that the heading alone goes and the text after it stays
    sentence = "全面加强学校党的建设，切实提高党建工作质量和水平。"  # 23 CJK characters
    after = "一、指导思想坚持以新时代中国特色社会主义思想为指导。"
    short = "\n".join([sentence] * 3 + ["相关文档", after])
    assert [l.text for l in source_to_lines(text_to_source(short))][-1] == after
    long = "\n".join([sentence] * 9 + ["相关文档", after])
    assert [l.text for l in source_to_lines(text_to_source(long))] == [sentence] * 9


def test_ends_complete_strips_closing_marks_one_by_one():
    # ends_complete strips trailing spaces, then closing quotes and brackets, then reads the last mark
    from hypothesis import given, settings, strategies as st

    from pipeline.textutil import LINE_COMPLETE, ends_complete

    def by_hand(text):
        t = text.rstrip()
        while t and t[-1] in "”’」』）)】\"'":
            t = t[:-1]
        return bool(t) and t[-1] in LINE_COMPLETE

    @settings(max_examples=500, deadline=None)
    @given(st.text(alphabet="”’」』）)】\"' \u3000\t。！？!?；;：:…a中", max_size=8))
    def check(text):
        assert ends_complete(text) == by_hand(text)
    check()


@pytest.mark.parametrize("patterns", [
    [r"^https?://\S+$", r"^\d+\s*页$", r"^\s*返回顶部"],  # anchored rules opening with named characters and kinds
    [r"^www\.", r"^(?:来源|作者)[:：]"],
    [r"^.{0,10}点击(?:下载|查看)", r"^第\d+页"],  # a rule opening with any character
    [r"本文共\d+字", r"^相关推荐$"],
])
def test_prefilter_asked_for_all_lines_equals_one_line_at_a_time(patterns):
    from pipeline.normalize import ChromeRule, _Prefilter

    prefilter = _Prefilter([ChromeRule("cut", re.compile(p)) for p in patterns])
    keys = ["http://a.cn/x", "", " 返回顶部", "12 页", "１２页", "www.x.cn", "来源：网络", "一、目标",
            "", "", "第3页", "请点击下载全文", "本文共300字", "相关推荐", "\u3000返回顶部", "h", "w"]
    for lines in (keys, keys[1:], keys[::-1], ["", ""], ["http://b"]):
        joined = "\n".join(lines)
        assert prefilter.found_in_lines(lines, joined, len(joined)) == [prefilter.found(k) for k in lines]
        assert prefilter.found_in_lines(lines, joined, 5) == [len(k) <= 5 and prefilter.found(k) for k in lines]
