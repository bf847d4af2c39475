"""Numbering labels: every form of GUIDELINE §2, full and half width, and what is no label."""
import pytest

from pipeline.labels import parse_label

# (line, label text, style, number) — None when the line opens with no label
STANDARD = [
    ("一、指导思想", "一、", "cn", 1),
    ("十二、附则", "十二、", "cn", 12),
    ("二.工作目标", "二.", "cn", 2),
    ("三．主要措施", "三．", "cn", 3),
    ("（一）加强学习", "（一）", "pcn", 1),
    ("(二)规范组织生活", "(二)", "pcn", 2),
    ("（一）、聚焦主业", "（一）、", "pcn", 1),
    ("㈢抓好队伍", "㈢", "pcn", 3),
    ("㈠.抓学习", "㈠.", "pcn", 1),
    ("1.每月学习", "1.", "ar", 1),
    ("１．全角数字", "１．", "ar", 1),
    ("2、建强支部", "2、", "ar", 2),
    ("3)落实制度", "3)", "par", 3),
    ("4）落实制度", "4）", "par", 4),
    ("（5）党小组会", "（5）", "par", 5),
    ("⑴支委会", "⑴", "par", 1),
    ("①会前准备", "①", "circ", 1),
    ("第一章 总则", "第一章", "第章", 1),
    ("第三节学习", "第三节", "第节", 3),
    ("第十二条 附则", "第十二条", "第条", 12),
    ("第二部分 重点任务", "第二部分", "第部分", 2),
    ("1.1 学习制度", "1.1", "ar2", 1),
    ("2.1.3 会议记录", "2.1.3", "ar3", 3),
    ("二、 聚焦主责", "二、", "cn", 2),
    ("（一）2025年全国两会精神", "（一）", "pcn", 1),
    ("15.2025年全国教育工作会议", "15.", "ar", 15),
    ("(-)会议周期", "(-)", "pcn", 1),
]

NOT_LABELS = ["1.5万元用于活动", "12.5%的党员", "2026年是关键一年", "一是加强学习", "、开头", "3个支部"]


@pytest.mark.parametrize("line,text,style,number", STANDARD)
def test_standard_forms(line, text, style, number):
    label = parse_label(line)
    assert (label.text, label.style, label.number) == (text, style, number)


@pytest.mark.parametrize("line", NOT_LABELS)
def test_not_labels(line):
    assert parse_label(line) is None and parse_label(line, extended=True) is None


def test_decimal_labels_carry_their_parent_numbers():
    assert parse_label("2.1.3 会议").prefix == (2, 1) and parse_label("1.2 目标").prefix == (1,)


# extended forms: labels only where a sequence makes them so (the decoder weighs them)
EXTENDED = [
    ("任务一：建强阵地", "任务一：", "word", 1, "word"),
    ("专题二 理论学习", "专题二", "word", 2, "word"),
    ("1组织集中学习", "1", "ar", 1, "bare"),
    ("?、会议记录", "?、", "lost", 0, "lost"),
    (". 严守纪律", ".", "lost", 0, "lost"),
]


@pytest.mark.parametrize("line,text,style,number,form", EXTENDED)
def test_extended_forms(line, text, style, number, form):
    assert parse_label(line) is None or parse_label(line).form == ""
    label = parse_label(line, extended=True)
    assert (label.text, label.style, label.number, label.form) == (text, style, number, form)


@pytest.mark.parametrize("line", ["3月完成总结", "5项重点工作", "2026年工作", "12个支部", "一是加强", "任务一是"])
def test_extended_forms_exclude_units_and_openers(line):
    assert parse_label(line, extended=True) is None


def test_label_at_agrees_with_parse_label_at_every_position():
    from pipeline.labels import label_at
    from pipeline.textutil import fold

    lines = [row[0] for row in STANDARD + EXTENDED] + NOT_LABELS + [
        "一、目标 1.建强支部。2.带好队伍", "内容：（1）学习；(2)讨论", "一 指导思想", "?、严守纪律。 . 抓好落实"]
    for line in lines:
        for pos in range(len(line) + 1):
            for extended in (False, True):
                assert label_at(line, pos, fold(line), extended) == parse_label(line, pos, extended=extended), \
                    (line, pos, extended)


def test_no_label_starts_where_may_start_label_says_none_can():
    from pipeline.labels import label_at, may_start_label
    from pipeline.textutil import fold

    for tail in ("加强学习", " 指导思想", "、建强支部", ".严守纪律", "）抓落实"):
        for code in range(0x20, 0x10000):
            ch = chr(code)
            if 0xD800 <= code < 0xE000 or may_start_label(fold(ch)):
                continue
            line = ch + tail
            assert label_at(line, 0, fold(line), extended=True) is None, line


def test_one_alternation_per_first_character_matches_as_the_patterns_tried_in_order():
    """labels reads a label with one alternation of the patterns a character may open (its
    _PATTERNS_BY_FIRST), which must find what trying _PATTERNS one by one finds first."""
    import random
    from pathlib import Path

    from pipeline.ingest import read_source
    from pipeline.labels import _PATTERNS, _PATTERNS_BY_FIRST, _first_chars
    from pipeline.textutil import fold

    here = Path(__file__).resolve().parent
    plans = [p for folder in (here.parent / "corpus", here / "devset" / "inputs", here / "fixtures" / "plans")
             for p in sorted(folder.iterdir()) if p.suffix == ".txt"]
    lines = [fold(line.strip()) for p in plans for line in read_source(p).text.splitlines() if line.strip()]
    alphabet = "一二三十第章节条部分(-)1290.、:： 年月万%㈢⑴①甲学"
    rng = random.Random(7)
    lines += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 9))) for _ in range(20000)]
    for line in lines:
        for pos, ch in enumerate(line):
            if ch not in _PATTERNS_BY_FIRST:
                continue
            pattern, branches = _PATTERNS_BY_FIRST[ch]
            m = pattern.match(line, pos)
            first = next(((kind, found) for kind, p in _PATTERNS if ch in _first_chars(kind)
                          for found in [p.match(line, pos)] if found), None)
            if first is None:
                assert m is None, (line, pos)
                continue
            kind, g = branches[m.lastindex]
            groups = m.groups()[g:g + first[1].re.groups]
            assert (kind, m.span(), groups) == (first[0], first[1].span(), first[1].groups()), (line, pos)


def test_extended_forms_are_tried_only_where_they_can_start():
    """_parse_extended tries each extended pattern only at a character its pattern can start with
    (_WORD_FIRST, _BARE_CN_FIRST or a decimal digit, _LOST_FIRST): no pattern matches elsewhere,
    and extended_label_at is label_at's extended reading where no standard label stands."""
    from pipeline.labels import (_BARE, _BARE_CN_FIRST, _LOST, _LOST_FIRST, _WORD_FIRST, _WORD_LABEL,
                                 extended_label_at, label_at)
    from pipeline.textutil import fold

    for tail in ("务二：建强", "组织学习", "、严守纪律", " 抓好落实", "1项", "二、"):
        for code in range(0x20, 0x10000):
            ch = chr(code)
            if 0xD800 <= code < 0xE000:
                continue
            line = fold(ch + tail)
            ch = line[0]  # the patterns read folded text
            if ch not in _WORD_FIRST:
                assert _WORD_LABEL.match(line) is None, line
            if ch not in _BARE_CN_FIRST and not ch.isdecimal():
                assert _BARE.match(line) is None, line
            if ch not in _LOST_FIRST:
                assert _LOST.match(line) is None, line
    for line in ("任务二：建强阵地", "2组织学习", "?、严守纪律", "一活动宗旨", "1.5万元", "（一）总体要求", ""):
        for pos in range(len(line) + 1):
            if label_at(line, pos, fold(line)) is None:
                assert extended_label_at(line, pos, fold(line)) == label_at(line, pos, fold(line), extended=True)
