"""Scraped HTML ingest: declared charset, invisible and furniture elements dropped, blocks as
lines, document-sharing chrome removed, several plans on one page split apart."""
from __future__ import annotations

import pytest

from pipeline.core import extract_file
from pipeline.ingest.html import decode_html, html_to_text

# Written by us: the body of one plan, long enough (well over 200 ideographs) for the
# related-documents block after it to count as the end of the page.
PLAN_TITLE = "学校党支部2026年党建工作计划"
PLAN_BODY = """
<p>学校党支部2026年党建工作计划</p>
<p>为深入学习贯彻党的二十大精神，加强学校党支部建设，结合学校实际，制定本计划。</p>
<p>一、指导思想</p>
<p>坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的教育方针，落实立德树人根本任务，以高质量党建引领学校高质量发展。</p>
<p>二、主要工作</p>
<p>（一）加强思想建设</p>
<p>坚持集中学习与个人自学相结合，每月组织党员集中学习不少于1次，每名党员每学期撰写学习体会不少于2篇。</p>
<p>（二）规范组织生活</p>
<p>严格落实三会一课制度，支部委员会每月召开1次，支部党员大会每季度召开1次，每月开展1次主题党日活动。</p>
<p>三、保障措施</p>
<p>加强组织领导，支部书记履行第一责任人职责，班子成员落实一岗双责，形成层层抓落实的工作格局。</p>
"""


def page(body: str, charset: str = "utf-8", head: str = "") -> str:
    """A whole HTML page around `body`, declaring `charset` in a <meta> tag."""
    return (f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>文库</title>{head}</head>'
            f"<body>{body}</body></html>")


def plan_texts(path):
    """(title, text) of every document extracted from the file at `path`; fails on a problem."""
    result = extract_file(path)
    assert result.problems == ()
    return [(d.title, d.text) for d in result.documents]


# --- encodings --------------------------------------------------------------------------

DECLARED_CHARSETS = [
    # (id, how the page declares it, codec the bytes are written in)
    ("meta-charset-gbk", '<meta charset="gbk">', "gbk"),
    ("meta-charset-gb2312", '<meta charset="gb2312">', "gbk"),
    ("http-equiv-gbk", '<meta http-equiv="Content-Type" content="text/html; charset=GBK">', "gbk"),
    ("meta-charset-gb18030", "<meta charset=gb18030>", "gb18030"),
    ("meta-charset-utf8", '<meta charset="UTF-8">', "utf-8"),
]


@pytest.mark.parametrize("meta, codec", [c[1:] for c in DECLARED_CHARSETS], ids=[c[0] for c in DECLARED_CHARSETS])
def test_declared_charset_is_honoured(write_plan, meta, codec):
    markup = f"<!DOCTYPE html><html><head>{meta}</head><body>{PLAN_BODY}</body></html>"
    path = write_plan(markup, "plan.html", encoding=codec)
    [(title, text)] = plan_texts(path)
    assert title == PLAN_TITLE
    assert "坚持以习近平新时代中国特色社会主义思想为指导" in text
    assert "\ufffd" not in text


def test_short_gbk_page_decodes_under_its_meta_charset():
    # Six ideographs of GBK: short Chinese text is where byte sniffing goes wrong.
    data = page("<p>三会一课计划</p>", charset="gbk").encode("gbk")
    markup, encoding = decode_html(data)
    assert encoding == "gbk"
    assert "三会一课计划" in markup


def test_meta_gbk_page_reports_its_encoding(write_plan):
    path = write_plan(page(PLAN_BODY, charset="gbk"), "plan.html", encoding="gbk")
    assert extract_file(path).encoding == "gbk"


# --- invisible and furniture elements -----------------------------------------------------

DROPPED_ELEMENTS = [
    # (id, markup whose text must not reach the output)
    ("script", "<script>var tip = '一、登录后下载';</script>"),
    ("style", "<style>/* 二、正文样式 */ p { color: red }</style>"),
    ("noscript", "<noscript>请启用脚本后阅读全文</noscript>"),
    ("nav", "<nav><a href='/'>首页</a> 工作计划 党建材料</nav>"),
    ("header", "<header>好文库 文档分享平台</header>"),
    ("footer", "<footer>关于我们 联系我们 京ICP备00000000号</footer>"),
    ("aside", "<aside>热门推荐 侧栏广告位</aside>"),
    ("display-none", '<div style="display:none">隐藏的付费段落</div>'),
    ("display-none-spaced", '<p style="color: #333; display : none">隐藏的付费段落</p>'),
    ("visibility-hidden", '<span style="visibility:hidden">不可见的水印文字</span>'),
    ("hidden-attribute", "<p hidden>隐藏属性的段落</p>"),
    ("aria-hidden", '<span aria-hidden="true">图标文字</span>'),
    ("comment", "<!-- 四、注释里的标题 -->"),
]


@pytest.mark.parametrize("markup", [d[1] for d in DROPPED_ELEMENTS], ids=[d[0] for d in DROPPED_ELEMENTS])
def test_invisible_and_furniture_elements_are_dropped(markup):
    text = html_to_text(page(f"<p>正文开始</p>{markup}<p>正文结束</p>"))
    assert text.split("\n") == ["正文开始", "正文结束"]


def test_hidden_element_inside_visible_paragraph_leaves_the_rest():
    text = html_to_text(page('<p>支部党员大会<span style="display:none">广告</span>每季度召开1次。</p>'))
    assert text == "支部党员大会每季度召开1次。"


# --- blocks, inline elements, line breaks ------------------------------------------------

LINE_LAYOUT = [
    # (id, body markup, lines expected)
    ("paragraphs", "<p>一、指导思想</p><p>坚持党的领导。</p>", ["一、指导思想", "坚持党的领导。"]),
    ("divs", "<div>一、指导思想</div><div>坚持党的领导。</div>", ["一、指导思想", "坚持党的领导。"]),
    ("headings", "<h1>工作计划</h1><h2>一、指导思想</h2>", ["工作计划", "一、指导思想"]),
    ("list-items", "<ul><li>（一）学习</li><li>（二）党课</li></ul>", ["（一）学习", "（二）党课"]),
    ("table-row-is-one-line", "<table><tr><td>三月</td><td>主题党日</td></tr><tr><td>四月</td><td>党课</td></tr></table>",
     ["三月 主题党日", "四月 党课"]),
    ("blocks-inside-a-cell-stay-in-its-row",
     "<table><tr><td><p>3月</p></td><td>召开支部党员大会，<b>制定</b>计划。</td></tr></table>",
     ["3月 召开支部党员大会，制定计划。"]),
    ("bold-inline", "<p><b>一、</b>指导思想</p>", ["一、指导思想"]),
    ("span-inline", "<p>支部<span>党员</span>大会<strong>每季度</strong>召开</p>", ["支部党员大会每季度召开"]),
    ("link-inline", '<p>用好<a href="/x">学习强国</a>平台</p>', ["用好学习强国平台"]),
    ("br-splits", "<p>一、指导思想<br>坚持党的领导。<br/>落实责任。</p>", ["一、指导思想", "坚持党的领导。", "落实责任。"]),
    ("nested-blocks", "<div><div><p>（一）学习</p></div>正文</div>", ["（一）学习", "正文"]),
    ("nbsp-and-spaces", "<p>&nbsp;&nbsp;一、 指导思想&nbsp;</p>", ["一、 指导思想"]),
]


@pytest.mark.parametrize("body, lines", [c[1:] for c in LINE_LAYOUT], ids=[c[0] for c in LINE_LAYOUT])
def test_blocks_become_lines_and_inline_elements_do_not_split(body, lines):
    assert html_to_text(page(body)).split("\n") == lines


# --- document-sharing chrome ----------------------------------------------------------

CHROME_LINES = [
    # (id, markup of one chrome line)
    ("size-badge", "<div>约3.54千字</div>"),
    ("page-badge", "<div>约 8页</div>"),
    ("report-button", "<div><a href='/report'>举报</a></div>"),
    ("vip-badge", "<div>VIP</div>"),
    ("full-width-vip", "<div>ＶＩＰ</div>"),
    ("file-name-headline", "<h1>学校党支部2026年党建工作计划.docx<span>VIP</span></h1>"),
    ("upload-date", "<div>2026-01-29 发布于四川</div>"),
    ("lead-in", "<div>下面由网友为您整理分享的“学校党支部2026年党建工作计划”相关资料，供您参考学习。</div>"),
    ("comment-counter", "<div>文档评论（0）</div>"),
    ("bulleted-counter", "<div>• 0</div>"),
]
# Where chrome goes: lines before a plan's title are cut by the splitter anyway, so the
# chrome is also put inside the plan, where only the chrome rules can remove it.
INSIDE_PLAN = "<p>二、主要工作</p>"


@pytest.mark.parametrize("chrome", [c[1] for c in CHROME_LINES], ids=[c[0] for c in CHROME_LINES])
def test_document_sharing_chrome_lines_are_removed(write_plan, chrome):
    assert html_to_text(page(chrome)), "the chrome line must be visible text for this test to mean anything"
    clean = plan_texts(write_plan(page(PLAN_BODY), "clean.html"))
    body = chrome + PLAN_BODY.replace(INSIDE_PLAN, chrome + INSIDE_PLAN + chrome)
    assert plan_texts(write_plan(page(body), "chrome.html")) == clean


RELATED_BLOCK_HEADS = ["您可能关注的文档", "相关文档", "相关推荐", "猜你喜欢"]


@pytest.mark.parametrize("head", RELATED_BLOCK_HEADS)
def test_related_documents_block_and_everything_after_it_are_removed(write_plan, head):
    related = (f"<h3>{head}</h3><ul><li>初中党支部2026年组织生活计划</li>"
               "<li>一、加强学习，每月集中学习1次。</li></ul><p>网友留言：资料很实用，感谢分享。</p>")
    path = write_plan(page(PLAN_BODY + related), "plan.html")
    [(title, text)] = plan_texts(path)
    assert title == PLAN_TITLE
    assert text.split("\n")[-1] == "加强组织领导，支部书记履行第一责任人职责，班子成员落实一岗双责，形成层层抓落实的工作格局。"
    for gone in (head, "组织生活计划", "每月集中学习1次", "网友留言"):
        assert gone not in text


def test_whole_document_sharing_page_keeps_only_the_plan(write_plan):
    body = ("<nav>首页 &gt; 工作计划</nav>"
            "<div><h1>学校党支部2026年党建工作计划.docxVIP</h1>"
            "<ul><li>● 0</li><li>约3.54千字</li><li>约 8页</li><li>举报</li></ul></div>"
            "<p>下面由网友为您整理分享的“学校党支部2026年党建工作计划”相关资料，供您参考学习。</p>"
            f"<article>{PLAN_BODY}</article>"
            "<div>文档评论（0）</div><h3>您可能关注的文档</h3><ul><li>中学党支部2025年工作总结</li></ul>"
            "<footer>&copy; 2026 好文库</footer>")
    path = write_plan(page(body, charset="gbk"), "plan.html", encoding="gbk")
    [(title, text)] = plan_texts(path)
    expected = html_to_text(page(PLAN_BODY))
    assert text == expected


# --- two plans on one page ---------------------------------------------------------------

SECOND_PLAN_TITLE = "学校2026年三会一课工作计划"
SECOND_PLAN_BODY = """
<p>学校2026年三会一课工作计划</p>
<p>为规范支部组织生活，提高三会一课质量，制定本计划。</p>
<p>一、总体要求</p>
<p>坚持以政治建设为统领，推动三会一课从完成任务向提升质量转变。</p>
<p>二、具体安排</p>
<p>（一）支部党员大会</p>
<p>全年不少于4次，每季度至少1次。</p>
<p>（二）党课</p>
<p>支部书记每年讲党课不少于1次。</p>
"""


@pytest.mark.parametrize("charset", ["utf-8", "gbk"])
def test_page_with_two_plans_gives_two_documents(write_plan, charset):
    body = f"<h1>党建工作计划2篇</h1><div>{PLAN_BODY}</div><div>{SECOND_PLAN_BODY}</div>"
    path = write_plan(page(body, charset=charset), "two.html", encoding=charset)
    documents = plan_texts(path)
    assert [title for title, _ in documents] == [PLAN_TITLE, SECOND_PLAN_TITLE]
    first, second = (text for _, text in documents)
    assert "三会一课从完成任务向提升质量转变" in second and "三会一课从完成任务" not in first
    assert first.endswith("形成层层抓落实的工作格局。")
    assert second.startswith(SECOND_PLAN_TITLE)


def test_two_plans_each_get_their_own_outline(write_plan):
    path = write_plan(page(PLAN_BODY + SECOND_PLAN_BODY), "two.html")
    result = extract_file(path)
    outlines = [[(s.level, s.label, s.title) for s in d.sections] for d in result.documents]
    assert outlines == [
        [(1, "一、", "指导思想"), (1, "二、", "主要工作"), (2, "（一）", "加强思想建设"),
         (2, "（二）", "规范组织生活"), (1, "三、", "保障措施")],
        [(1, "一、", "总体要求"), (1, "二、", "具体安排"), (2, "（一）", "支部党员大会"),
         (2, "（二）", "党课")],
    ]


# --- pages that hold nothing -------------------------------------------------------------

EMPTY_PAGES = [
    ("zero-bytes", b"", "empty"),
    ("markup-only", page("<div><span></span></div>").encode("utf-8"), "no visible text"),
    ("script-only", page("<script>var a = '学校计划';</script>").encode("utf-8"), "no visible text"),
]


@pytest.mark.parametrize("data, words", [e[1:] for e in EMPTY_PAGES], ids=[e[0] for e in EMPTY_PAGES])
def test_page_without_text_is_a_problem(write_plan, data, words):
    path = write_plan(data, "page.html")
    result = extract_file(path)
    assert result.documents == ()
    [problem] = result.problems
    assert problem.path == str(path) and words in problem.message
