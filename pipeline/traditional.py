"""Traditional characters and pinyin glosses → a same-length simplified *shadow* for matching.

Reads a string; returns a string of exactly the same length in which
traditional characters are simplified (OpenCC, `t2s`) and pinyin glosses in
brackets after a character (`黨(dǎng)`) are blanked (GLOSS_FILL). Every offset
in the shadow is the same offset in the original, so the stages can match on
the shadow while titles, headings, quotes and spans are cut from the
original text (see `restore_document`). A text holding nothing that t2s converts
(lexicons/t2s_changes.tsv, written from OpenCC's dictionaries) is not handed to OpenCC.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace
from functools import lru_cache
from typing import Callable, List, Optional, Sequence, Tuple

from . import lexicons
from .model import Commitment, Document, Measure, Section
from .textutil import CJK, matches_opening

# A pinyin gloss: a bracket of lower-case Latin letters (tone marks allowed) right after a CJK
# character. Bounded (1–24 letters/spaces), so the scan is linear.
# The bracket comes first and the character before it is looked behind for: a pattern opening with
# its bracket is searched for that bracket alone (one lookbehind at every position was the cost).
_GLOSS = re.compile(r"[(（](?<=[\u3400-\u9fff\uf900-\ufaff][(（])[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ ]{1,24}[)）]")
# What a gloss becomes in the shadow: a private-use character, neither space nor punctuation
# that any stage reads (a title or clause runs on through it), matching nothing.
GLOSS_FILL = "\ue000"
# Only text holding a CJK character can change; the same range as the converter's tables.


# The table names the OpenCC release it was written from (its header: "… of opencc 1.4.2 …").
_TABLE_RELEASE = re.compile(r"^# from the dictionaries of opencc (\S+) ", re.M)
_Finders = Tuple["re.Pattern[str]", "re.Pattern[str]", "re.Pattern[str]"]


def _installed_opencc() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("opencc")
    except PackageNotFoundError:
        return ""


@lru_cache(maxsize=1)
def _change_finders() -> Optional[_Finders]:
    """What t2s changes, from lexicons/t2s_changes.tsv (scripts/t2s_changes.py writes it from
    OpenCC's dictionaries): (any character it converts, or any character outside the BMP; any
    character where a phrase of the table differs from its conversion; any such phrase). None
    when the table was written from another OpenCC release than the one installed: its
    dictionaries may differ, so every text is converted."""
    text = lexicons.read_lexicon_text("t2s_changes.tsv")
    release = _TABLE_RELEASE.search(text)
    if release is None or release.group(1) != _installed_opencc():
        return None
    rows = lexicons.parse_table(text, "t2s_changes.tsv", ("form", "simplified"))
    singles = [r["form"] for r in rows if len(r["form"]) == 1 and r["form"] <= "\uffff"]
    phrases = [(r["form"], r["simplified"]) for r in rows if len(r["form"]) > 1]
    marks = set()
    for form, out in phrases:
        marks.update(form if len(form) != len(out) else (a for a, b in zip(form, out) if a != b))
    # the characters outside the BMP (few, rare in plans) count as converted, all of them: a class
    # of them would be tried one by one at every character
    characters = re.compile("[" + re.escape("".join(sorted(singles))) + "\U00010000-\U0010ffff]")
    marked = re.compile("[" + re.escape("".join(sorted(marks))) + "]" if marks else "(?!)")
    phrase = lexicons.alternation([form for form, _ in phrases], "lexicons/t2s_changes.tsv") if phrases else "(?!)"
    return characters, marked, re.compile(phrase)


def may_change(text: str) -> bool:
    """False when t2s converts `text` to itself for certain: it holds no character and no phrase
    that t2s converts (lexicons/t2s_changes.tsv); True when it may change it (always, when the
    table is not of the installed OpenCC release)."""
    finders = _change_finders()
    if finders is None:
        return True
    characters, marks, phrases = finders
    return characters.search(text) is not None or (marks.search(text) is not None and
                                                    phrases.search(text) is not None)


@lru_cache(maxsize=1)
def _converter() -> Callable[[str], str]:
    import opencc  # the maintained OpenCC binding (PyPI "opencc")

    return opencc.OpenCC("t2s").convert


@lru_cache(maxsize=4096)
def _char(c: str) -> str:
    out = _converter()(c)
    return out if len(out) == 1 else c


def _convert_line(line: str) -> str:
    """One line simplified, same length: phrase conversion, else character by character."""
    if not CJK.search(line) or not may_change(line):
        return line
    out = _converter()(line)
    if len(out) == len(line):
        return out
    # a phrase rule changed the length: fall back to one character for one character
    return "".join(_char(c) if "\u3400" <= c else c for c in line)


def blank_glosses(text: str) -> str:
    """Pinyin glosses after characters replaced by GLOSS_FILL, same length.

    >>> blank_glosses("活動(dòng)時間") == "活動" + GLOSS_FILL * 6 + "時間"
    True
    """
    # brackets are few: the pattern is tried only where one stands (a search for it steps
    # through every character); the text is rewritten only when one opens a gloss
    if not matches_opening(_GLOSS, "(（", text):
        return text
    return _GLOSS.sub(lambda m: GLOSS_FILL * len(m.group()), text)


def to_shadow(text: str) -> str:
    """The matching shadow of `text`: simplified, glosses blanked, exactly as long as `text`.

    Newlines stay where they are, so line structure and every offset carry over.

    >>> to_shadow("黨支部工作計畫")
    '党支部工作计划'
    >>> s = "學(xué)校"; len(to_shadow(s)) == len(s)
    True
    """
    if not CJK.search(text):
        return text
    shadow = "\n".join(_convert_line(line) for line in blank_glosses(text).split("\n"))
    assert len(shadow) == len(text)
    return shadow


def shadow_lines(lines: Sequence[str]) -> List[str]:
    """`to_shadow` of each of `lines` (strings without newlines), converted in one call.

    The converter's dictionaries hold no newline, so no phrase runs across one and the
    text converted whole, split at its newlines, is each line converted alone; a line
    without a CJK character stays as it is (`_convert_line`), and a line whose
    conversion changed its length goes character by character as it would alone.
    """
    joined = "\n".join(lines)
    if not CJK.search(joined):
        return list(lines)
    blanked = blank_glosses(joined)
    # nothing simplified (most text): each line is its blanked self
    whole = _converter()(blanked) if may_change(blanked) else blanked
    if whole == blanked:
        return list(lines) if blanked is joined else blanked.split("\n")
    pieces = blanked.split("\n")
    converted = whole.split("\n")
    if len(converted) != len(pieces):  # pragma: no cover - a converter that makes or takes newlines
        return [to_shadow(line) for line in lines]
    for i, (out, line) in enumerate(zip(converted, pieces)):
        if out != line and (len(out) != len(line) or not CJK.search(line)):
            converted[i] = _convert_line(line)
    return converted


def needs_shadow(text: str) -> bool:
    """True when the shadow of `text` differs from it (traditional characters or glosses present)."""
    return to_shadow(text) != text


def simplified(text: str) -> str:
    """`to_shadow` for one short string (a line, a title candidate); cached."""
    return _simplified_cached(text) if len(text) <= 400 else to_shadow(text)


@lru_cache(maxsize=8192)
def _simplified_cached(text: str) -> str:
    return to_shadow(text)


def without_glosses(text: str, sections: Sequence[Section] = (), commitments: Sequence[Commitment] = ()
                    ) -> Tuple[str, Tuple[Section, ...], Tuple[Commitment, ...]]:
    """The shadow `text` with its blanked glosses taken out, and the spans of `sections` and
    `commitments` moved to match: for matching that must see `學習` whole where the page
    wrote `學(xué)習` (practice names). Records that hold no span are left alone.
    """
    if GLOSS_FILL not in text:
        return text, tuple(sections), tuple(commitments)
    fills = [m.start() for m in re.finditer(GLOSS_FILL, text)]

    def at(offset: int) -> int:
        return offset - bisect_left(fills, offset)

    def span(pair):
        return (at(pair[0]), at(pair[1]))

    moved_sections = tuple(replace(s, span=span(s.span), heading_span=span(s.heading_span),
                                   label_span=span(s.label_span)) for s in sections)
    moved_commitments = tuple(replace(c, span=span(c.span)) for c in commitments)
    return text.replace(GLOSS_FILL, ""), moved_sections, moved_commitments


# --- restoring original text into records computed on the shadow -----------------------------

def _cut(original: str, shadow: str, value: str, start: int, end: int) -> str:
    """The original of `value`, which the shadow holds inside [start, end); `value` if not found."""
    if not value:
        return value
    at = shadow.find(value, max(0, start), max(start, end))
    if at < 0:
        return value
    return original[at:at + len(value)]


def _restore_section(section: Section, original: str, shadow: str) -> Section:
    hs, he = section.heading_span
    ls, le = section.label_span
    heading = original[hs:he] if shadow[hs:he] == section.heading else _cut(original, shadow, section.heading,
                                                                                 hs, section.span[1])
    title = _cut(original, shadow, section.title, hs, section.span[1])  # a lone label's title is on the line below
    label = original[ls:le] if le > ls and shadow[ls:le] == section.label else section.label
    body = _cut(original, shadow, section.body, he, section.span[1])
    return replace(section, heading=heading, title=title, label=label, body=body)


def _restore_path(path: Optional[str], parts: dict) -> Optional[str]:
    """A "/"-joined path of labels and titles with each part mapped to its original."""
    if not path:
        return path
    return "/".join(parts.get(p, p) for p in path.split("/"))


def _restore_commitment(c: Commitment, original: str, shadow: str, paths: dict) -> Commitment:
    s, e = c.span
    quote = original[s:e] if shadow[s:e] == c.quote else c.quote
    window = max(len(c.sentence), 1)
    sentence = _cut(original, shadow, c.sentence, s - window, e + window)
    subject = _cut(original, shadow, c.subject, s - 200, e + 200) if c.subject else c.subject
    verb = _cut(original, shadow, c.verb, s - 200, e + 200) if c.verb else c.verb
    deadline = _cut(original, shadow, c.deadline, s - 200, e + 200) if c.deadline else c.deadline
    raw = _cut(original, shadow, c.raw_value, s, e) if c.raw_value else c.raw_value
    unit = _cut(original, shadow, c.unit, s, e) if c.unit else c.unit  # the unit as written (個, 項)
    path = paths.get(c.section_id, c.section_path) if c.section_id else c.section_path
    return replace(c, quote=quote, sentence=sentence, subject=subject, verb=verb, deadline=deadline,
                   raw_value=raw, unit=unit, section_path=path)


def _restore_measure(m: Measure, original: str, shadow: str) -> Measure:
    seen = tuple(_cut(original, shadow, a, 0, len(shadow)) for a in m.aliases_seen)
    return replace(m, aliases_seen=seen)


def _restore_task(t, original: str, shadow: str, paths: dict):
    s, e = t.span
    quote = original[s:e] if shadow[s:e] == t.quote else t.quote
    what = _cut(original, shadow, t.what, s, e)
    detail = _cut(original, shadow, t.detail, s, e)
    when = _cut(original, shadow, t.when, s, e) if t.when else t.when
    who = tuple(_cut(original, shadow, w, s - 200, e + 200) for w in t.who)
    path = paths.get(t.section_id, t.section_path) if t.section_id else t.section_path
    return replace(t, quote=quote, what=what, detail=detail, when=when, who=who, section_path=path)


def _restore_compliance(compliance, original: str, shadow: str):
    if compliance is None:
        return None
    checks = []
    for c in compliance.checks:
        if c.span is not None and c.quote:
            s, e = c.span
            quote = original[s:e] if shadow[s:e] == c.quote else _cut(original, shadow, c.quote, 0, len(shadow))
            c = replace(c, quote=quote)
        checks.append(c)
    return replace(compliance, checks=tuple(checks))


def restore_document(document: Document, original: str, title: Optional[str] = None) -> Document:
    """`document` (computed on the shadow of `original`) with every text cut from `original`.

    Spans are unchanged (the shadow is as long as the original); the text, the
    lines, section headings/titles/labels/bodies/paths and commitment quotes and
    sentences, task and compliance quotes become the original characters. `title` replaces the title when given.
    """
    shadow = document.text
    if shadow == original:
        return replace(document, title=title) if title is not None else document
    lines = tuple(replace(l, text=original[l.start:l.start + len(l.text)], original=None) for l in document.lines)
    sections = [_restore_section(s, original, shadow) for s in document.sections]
    parts = {}
    for old, new in zip(document.sections, sections):
        parts[old.label] = new.label
        parts[old.title] = new.title
    sections = [replace(s, path=_restore_path(s.path, parts)) for s in sections]
    paths = {s.id: s.path for s in sections}
    commitments = tuple(_restore_commitment(c, original, shadow, paths) for c in document.commitments)
    measures = tuple(_restore_measure(m, original, shadow) for m in document.measures)
    tasks = tuple(_restore_task(t, original, shadow, paths) for t in document.tasks)
    compliance = _restore_compliance(document.compliance, original, shadow)
    return replace(document, text=original, lines=lines, sections=tuple(sections), commitments=commitments,
                   measures=measures, tasks=tasks, compliance=compliance,
                   title=document.title if title is None else title)
