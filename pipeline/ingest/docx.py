"""Word reader: a .docx (.docm/.dotx) file in, a SourceText out.

Reads the body in document order (tables cell by cell, row by row; headers,
footers, footnotes and comments left out) and rebuilds Word auto-numbering
from numbering.xml so that `一、总体要求` reads exactly as if it were typed.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple

from ..errors import InputError
from ..model import LineHint, SourceText
from .text import read_head

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
W = "{%s}" % W_NS

RT_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
RT_NUMBERING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"

# Archive guards, checked on the zip directory before anything is decompressed.
MAX_MEMBER_BYTES = 100 * 1024 * 1024  # any one part, uncompressed
MAX_TOTAL_BYTES = 300 * 1024 * 1024  # all parts together, uncompressed
MAX_MEMBERS = 10_000
MAX_RATIO = 250  # uncompressed / compressed, for parts large enough to matter
RATIO_FLOOR_BYTES = 5 * 1024 * 1024

TITLE_MAX_CHARS = 60
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


# --------------------------------------------------------------------------
# Number formats


CN_DIGITS = "〇一二三四五六七八九"
CN_LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
CN_TRAD_LEGAL_DIGITS = "零壹貳參肆伍陸柒捌玖"
HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
PARENTHESIZED = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
FULLSTOPPED = "⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑⒒⒓⒔⒕⒖⒗⒘⒙⒚⒛"
IDEOGRAPH_CIRCLED = "㊀㊁㊂㊃㊄㊅㊆㊇㊈㊉"
IDEOGRAPH_PARENTHESIZED = "㈠㈡㈢㈣㈤㈥㈦㈧㈨㈩"
ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
         (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def int_to_chinese(n: int, digits: str = CN_DIGITS, units: str = "十百千",
                   zero: str = "零", one_before_ten: bool = False) -> str:
    """Write `n` (0…99999999) in Chinese counting numerals.

    >>> int_to_chinese(11), int_to_chinese(20), int_to_chinese(101), int_to_chinese(110)
    ('十一', '二十', '一百零一', '一百一十')
    """
    if n < 0 or n >= 10 ** 8:
        return str(n)
    if n == 0:
        return digits[0]
    if n >= 10000:
        high, low = divmod(n, 10000)
        text = int_to_chinese(high, digits, units, zero, one_before_ten) + "万"
        if low:
            text += (zero if low < 1000 else "") + int_to_chinese(low, digits, units, zero, True)
        return text
    parts: List[str] = []
    pending_zero = False
    for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        digit = (n // power) % 10
        if digit == 0:
            if parts:
                pending_zero = True
            continue
        if pending_zero:
            parts.append(zero)
            pending_zero = False
        if power == 10 and digit == 1 and not parts and not one_before_ten:
            parts.append(unit)  # 十一, not 一十一
        else:
            parts.append(digits[digit] + unit)
    return "".join(parts)


def _letters(n: int, alphabet: str) -> str:
    if n <= 0:
        return str(n)
    repeat, index = divmod(n - 1, len(alphabet))
    return alphabet[index] * (repeat + 1)  # Word: A … Z, AA, BB …


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = []
    for value, letters in ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _from_table(n: int, table: str, first: int = 1) -> str:
    index = n - first
    return table[index] if 0 <= index < len(table) else str(n)


def _cycle(n: int, table: str) -> str:
    return table[(n - 1) % len(table)] if n > 0 else str(n)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


NUMBER_FORMATS = {
    "decimal": str,
    "decimalHalfWidth": str,
    "decimalZero": lambda n: "%02d" % n if 0 <= n < 10 else str(n),
    "decimalFullWidth": lambda n: str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    "decimalFullWidth2": lambda n: str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    "decimalEnclosedCircle": lambda n: _from_table(n, CIRCLED),
    "decimalEnclosedCircleChinese": lambda n: _from_table(n, CIRCLED),
    "decimalEnclosedParen": lambda n: _from_table(n, PARENTHESIZED),
    "decimalEnclosedFullstop": lambda n: _from_table(n, FULLSTOPPED),
    "chineseCounting": int_to_chinese,
    "chineseCountingThousand": int_to_chinese,
    # LibreOffice writes its Chinese numbering (一, 二, 三 …) under the Taiwanese names
    "taiwaneseCounting": int_to_chinese,
    "taiwaneseCountingThousand": int_to_chinese,
    "taiwaneseDigital": lambda n: "".join(CN_DIGITS[int(d)] for d in str(n)) if n >= 0 else str(n),
    "japaneseCounting": int_to_chinese,
    "ideographDigital": lambda n: "".join(CN_DIGITS[int(d)] for d in str(n)) if n >= 0 else str(n),
    "japaneseDigitalTenThousand": lambda n: "".join(CN_DIGITS[int(d)] for d in str(n)) if n >= 0 else str(n),
    "chineseLegalSimplified": lambda n: int_to_chinese(n, CN_LEGAL_DIGITS, "拾佰仟", "零", True),
    "ideographLegalTraditional": lambda n: int_to_chinese(n, CN_TRAD_LEGAL_DIGITS, "拾佰仟", "零", True),
    "ideographTraditional": lambda n: _cycle(n, HEAVENLY_STEMS),
    "ideographZodiac": lambda n: _cycle(n, EARTHLY_BRANCHES),
    "ideographEnclosedCircle": lambda n: _from_table(n, IDEOGRAPH_CIRCLED),
    "ideographParenthesized": lambda n: _from_table(n, IDEOGRAPH_PARENTHESIZED),
    "upperLetter": lambda n: _letters(n, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    "lowerLetter": lambda n: _letters(n, "abcdefghijklmnopqrstuvwxyz"),
    "upperRoman": _roman,
    "lowerRoman": lambda n: _roman(n).lower(),
    "ordinal": _ordinal,
    "bullet": lambda n: "",
    "none": lambda n: "",
}


def format_number(value: int, num_fmt: str) -> str:
    """Render counter `value` in Word's `numFmt` (unknown formats fall back to decimal).

    >>> [format_number(11, f) for f in ("chineseCounting", "ideographTraditional", "decimalEnclosedCircle")]
    ['十一', '甲', '⑪']
    """
    return NUMBER_FORMATS.get(num_fmt, str)(value)


# --------------------------------------------------------------------------
# Archive checks


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())[:200]


def check_docx_archive(path: Path) -> None:
    """Refuse a file that is not a sane .docx zip, from its directory alone (no decompression).

    Raises InputError for: missing/empty file, an OLE file (password-protected
    or an old .doc renamed), not a zip, too many parts, any part over
    MAX_MEMBER_BYTES, a total over MAX_TOTAL_BYTES, or an absurd compression
    ratio (zip bomb).
    """
    head = read_head(path, 8)
    if head == OLE_MAGIC:
        raise InputError(path, "not a .docx zip but an OLE file: password-protected, or an old "
                               ".doc renamed; remove the password or save it as .docx")
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as error:
        raise InputError(path, f"not a .docx file (not a zip archive: {_one_line(error)})") from None
    if len(infos) > MAX_MEMBERS:
        raise InputError(path, f"refused: {len(infos)} parts in the archive (limit {MAX_MEMBERS})")
    total = 0
    for info in infos:
        size = info.file_size
        if size > MAX_MEMBER_BYTES:
            raise InputError(path, f"refused: part {info.filename} expands to {size // 2**20} MB "
                                   f"(limit {MAX_MEMBER_BYTES // 2**20} MB; zip bomb?)")
        if size > RATIO_FLOOR_BYTES and size > MAX_RATIO * max(info.compress_size, 1):
            raise InputError(path, f"refused: part {info.filename} has compression ratio "
                                   f"{size // max(info.compress_size, 1)}:1 (zip bomb?)")
        total += size
    if total > MAX_TOTAL_BYTES:
        raise InputError(path, f"refused: parts expand to {total // 2**20} MB in all "
                               f"(limit {MAX_TOTAL_BYTES // 2**20} MB; zip bomb?)")


# --------------------------------------------------------------------------
# Styles


def _val(element, name: str = "val") -> Optional[str]:
    return None if element is None else element.get(W + name)


def _on(element) -> bool:
    """A w:b-like toggle: present and not switched off."""
    return element is not None and _val(element) not in ("0", "false", "off")


def _int(text: Optional[str]) -> Optional[int]:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


HEADING_NAME = re.compile(r"^\s*(?:heading|标题)\s*([1-9])\s*$", re.IGNORECASE)
TITLE_NAMES = {"title", "标题"}


@dataclass
class StyleInfo:
    """What a paragraph style (with its basedOn chain resolved) says about numbering and layout."""

    num_id: Optional[int] = None
    ilvl: Optional[int] = None
    heading_level: Optional[int] = None
    is_title: bool = False
    centred: bool = False
    bold: bool = False
    chain: Tuple[str, ...] = ()  # this style's id, then its ancestors' ids


class StyleSheet:
    """Paragraph styles of a document, resolved through `basedOn` on demand."""

    def __init__(self, styles_element):
        self.elements: Dict[str, object] = {}
        self.default_paragraph: Optional[str] = None
        self._cache: Dict[Optional[str], StyleInfo] = {}
        if styles_element is None:
            return
        for style in styles_element.iterfind(W + "style"):
            style_id = style.get(W + "styleId")
            if style_id is None:
                continue
            self.elements.setdefault(style_id, style)
            if style.get(W + "type") == "paragraph" and _on_default(style):
                self.default_paragraph = self.default_paragraph or style_id

    def chain(self, style_id: Optional[str]) -> List[object]:
        """The style element and its basedOn ancestors, nearest first (loops cut)."""
        out, seen = [], set()
        while style_id and style_id in self.elements and style_id not in seen:
            seen.add(style_id)
            style = self.elements[style_id]
            out.append(style)
            style_id = _val(style.find(W + "basedOn"))
        return out

    def info(self, style_id: Optional[str]) -> StyleInfo:
        """Resolved StyleInfo for paragraph style `style_id` (None = the default style)."""
        if style_id not in self._cache:
            self._cache[style_id] = self._resolve(style_id or self.default_paragraph)
        return self._cache[style_id]

    def _resolve(self, style_id: Optional[str]) -> StyleInfo:
        info = StyleInfo()
        chain = self.chain(style_id)
        info.chain = tuple(s.get(W + "styleId") for s in chain)
        heading_found = False
        jc_found = bold_found = False
        for depth, style in enumerate(chain):
            name = (_val(style.find(W + "name")) or "").strip()
            if depth == 0 and (name.lower() in TITLE_NAMES or style.get(W + "styleId") == "Title"):
                info.is_title = True
            ppr = style.find(W + "pPr")
            if ppr is not None:
                num_pr = ppr.find(W + "numPr")
                if num_pr is not None:
                    if info.num_id is None:
                        info.num_id = _int(_val(num_pr.find(W + "numId")))
                    if info.ilvl is None:
                        info.ilvl = _int(_val(num_pr.find(W + "ilvl")))
                if not jc_found and ppr.find(W + "jc") is not None:
                    jc_found = True
                    info.centred = _val(ppr.find(W + "jc")) == "center"
            rpr = style.find(W + "rPr")
            if not bold_found and rpr is not None and rpr.find(W + "b") is not None:
                bold_found = True
                info.bold = _on(rpr.find(W + "b"))
            if not heading_found:
                match = HEADING_NAME.match(name)
                outline = _int(_val(ppr.find(W + "outlineLvl"))) if ppr is not None else None
                if match:
                    info.heading_level, heading_found = int(match.group(1)), True
                elif outline is not None:
                    heading_found = True
                    info.heading_level = outline + 1 if 0 <= outline < 9 else None
        return info


def _on_default(style) -> bool:
    return style.get(W + "default") in ("1", "true", "on")


# --------------------------------------------------------------------------
# Numbering


@dataclass
class LevelDef:
    """One `w:lvl` of a list definition."""

    ilvl: int
    start: int = 0
    num_fmt: str = "decimal"
    text: Optional[str] = None  # lvlText, with %1…%9 placeholders
    restart: Optional[int] = None  # lvlRestart (1-based level; 0 = never)
    is_legal: bool = False
    suffix: str = "tab"
    paragraph_style: Optional[str] = None


def _level_def(lvl) -> LevelDef:
    ilvl = _int(lvl.get(W + "ilvl")) or 0
    level = LevelDef(ilvl=ilvl)
    level.start = _int(_val(lvl.find(W + "start"))) or 0
    fmt = lvl.find(W + "numFmt")
    if fmt is None:  # Word 2010+ puts custom formats in mc:AlternateContent with a fallback
        fmt = lvl.find("{%s}AlternateContent/{%s}Fallback/%snumFmt" % (MC_NS, MC_NS, W))
    level.num_fmt = _val(fmt) or "decimal"
    text = lvl.find(W + "lvlText")
    level.text = _val(text) if text is not None else None
    restart = lvl.find(W + "lvlRestart")
    level.restart = _int(_val(restart)) if restart is not None else None
    level.is_legal = _on(lvl.find(W + "isLgl"))
    level.suffix = _val(lvl.find(W + "suff")) or "tab"
    level.paragraph_style = _val(lvl.find(W + "pStyle"))
    return level


@dataclass
class ListDef:
    """A `w:num` resolved: its levels (overrides applied) and the key of the counter it uses."""

    counter_key: Tuple[str, int]
    levels: Dict[int, LevelDef] = field(default_factory=dict)


class Numbering:
    """Word's list counters: renders the label of each numbered paragraph in reading order."""

    def __init__(self, numbering_element, styles: StyleSheet):
        self.styles = styles
        self.abstracts: Dict[int, object] = {}
        self.nums: Dict[int, object] = {}
        if numbering_element is not None:
            for abstract in numbering_element.iterfind(W + "abstractNum"):
                key = _int(abstract.get(W + "abstractNumId"))
                if key is not None:
                    self.abstracts.setdefault(key, abstract)
            for num in numbering_element.iterfind(W + "num"):
                key = _int(num.get(W + "numId"))
                if key is not None:
                    self.nums.setdefault(key, num)
        self._lists: Dict[int, Optional[ListDef]] = {}
        self._counters: Dict[Tuple[str, int], Dict[int, int]] = {}

    # -- definitions --------------------------------------------------------

    def _abstract_for(self, num_id: int, seen: frozenset = frozenset()) -> Optional[Tuple[int, object]]:
        """(abstractNumId, element) behind `num_id`, following numStyleLink to the real definition."""
        num = self.nums.get(num_id)
        if num is None or num_id in seen:
            return None
        abstract_id = _int(_val(num.find(W + "abstractNumId")))
        abstract = self.abstracts.get(abstract_id)
        if abstract is None:
            return None
        link = _val(abstract.find(W + "numStyleLink"))
        if link:
            for style in self.styles.chain(link):
                num_pr = style.find("%spPr/%snumPr" % (W, W))
                linked = _int(_val(num_pr.find(W + "numId"))) if num_pr is not None else None
                if linked is not None:
                    resolved = self._abstract_for(linked, seen | {num_id})
                    if resolved is not None:
                        return resolved
        return abstract_id, abstract

    def list_def(self, num_id: int) -> Optional[ListDef]:
        """The resolved list behind `num_id`, or None when it has no definition."""
        if num_id not in self._lists:
            self._lists[num_id] = self._build_list(num_id)
        return self._lists[num_id]

    def _build_list(self, num_id: int) -> Optional[ListDef]:
        resolved = self._abstract_for(num_id)
        if resolved is None:
            return None
        abstract_id, abstract = resolved
        levels = {}
        for lvl in abstract.iterfind(W + "lvl"):
            level = _level_def(lvl)
            levels.setdefault(level.ilvl, level)
        overridden = False
        for override in self.nums[num_id].iterfind(W + "lvlOverride"):
            ilvl = _int(override.get(W + "ilvl"))
            if ilvl is None:
                continue
            replacement = override.find(W + "lvl")
            if replacement is not None:
                level = _level_def(replacement)
                level.ilvl = ilvl
                levels[ilvl] = level
                overridden = True
            start = _int(_val(override.find(W + "startOverride")))
            if start is not None:
                base = levels.get(ilvl, LevelDef(ilvl=ilvl))
                levels[ilvl] = LevelDef(**{**base.__dict__, "start": start})
                overridden = True
        # Word: w:num instances of one abstractNum continue one list, unless a
        # num overrides levels, which makes it a list of its own.
        key = ("num", num_id) if overridden else ("abstract", abstract_id)
        return ListDef(counter_key=key, levels=levels)

    def level_for_style(self, num_id: int, style_chain: Tuple[str, ...]) -> Optional[int]:
        """The level whose `w:pStyle` names the paragraph's style (numbering through a style)."""
        list_def = self.list_def(num_id)
        if list_def is None:
            return None
        for style_id in style_chain:
            for level in list_def.levels.values():
                if level.paragraph_style == style_id:
                    return level.ilvl
        return None

    # -- counting -----------------------------------------------------------

    def next_label(self, num_id: int, ilvl: int) -> Tuple[str, str]:
        """Advance the counter of (`num_id`, `ilvl`); return (label, suffix), label "" for none/bullet."""
        list_def = self.list_def(num_id)
        if list_def is None:
            return "", ""
        level = list_def.levels.get(ilvl)
        if level is None:
            return "", ""
        counters = self._counters.setdefault(list_def.counter_key, {})
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else level.start
        for deeper in [d for d in counters if d > ilvl]:
            restart = list_def.levels[deeper].restart if deeper in list_def.levels else None
            if restart == 0:
                continue  # never restarts
            if restart is None or restart > deeper or ilvl <= restart - 1:
                del counters[deeper]
        if level.num_fmt == "bullet":
            return "", ""
        label = self._render(level, list_def, counters)
        suffix = {"space": " "}.get(level.suffix, "")
        return label, suffix

    @staticmethod
    def _render(level: LevelDef, list_def: ListDef, counters: Dict[int, int]) -> str:
        template = level.text if level.text is not None else ""

        def substitute(match: re.Match) -> str:
            ilvl = int(match.group(1)) - 1
            referenced = list_def.levels.get(ilvl, LevelDef(ilvl=ilvl, start=1))
            value = counters.get(ilvl, referenced.start)
            fmt = "decimal" if level.is_legal and referenced.num_fmt != "none" else referenced.num_fmt
            return format_number(value, fmt)

        return re.sub(r"%([1-9])", substitute, template)


# --------------------------------------------------------------------------
# Body walk


@dataclass
class Paragraph:
    """One body paragraph as read: its text pieces (split at soft line breaks) and its hint."""

    pieces: List[str]
    hint: Optional[LineHint]


class BodyReader:
    """Walks w:body in reading order and yields Paragraphs with labels rebuilt."""

    def __init__(self, styles: StyleSheet, numbering: Numbering):
        self.styles = styles
        self.numbering = numbering
        self.field_stack: List[bool] = []  # per open complex field: True once its result shows
        self.title: Optional[str] = None

    def blocks(self, container) -> Iterator[Paragraph]:
        """Paragraphs of `container` (body, cell, text box, content control) in order."""
        for child in container:
            tag = child.tag
            if tag == W + "p":
                yield from self.paragraph(child)
            elif tag == W + "tbl":
                yield from self.table(child)
            elif tag in (W + "sdt", W + "customXml", W + "sdtContent"):
                inner = child.find(W + "sdtContent") if tag == W + "sdt" else child
                if inner is not None:
                    yield from self.blocks(inner)
            elif tag == "{%s}AlternateContent" % MC_NS:
                choice = child.find("{%s}Choice" % MC_NS)
                if choice is not None:
                    yield from self.blocks(choice)

    def table(self, table) -> Iterator[Paragraph]:
        """Each cell's paragraphs as lines, cell by cell, row by row."""
        for row in _unwrapped(table, W + "tr"):
            for cell in _unwrapped(row, W + "tc"):
                yield from self.blocks(cell)

    def paragraph(self, paragraph) -> Iterator[Paragraph]:
        """The paragraph itself, then any text boxes anchored in it."""
        ppr = paragraph.find(W + "pPr")
        style_id = _val(ppr.find(W + "pStyle")) if ppr is not None else None
        style = self.styles.info(style_id)
        buffer: List[str] = []
        boxes: List[object] = []
        self._inline(paragraph, buffer, boxes, hidden=False)
        text = "".join(buffer)

        label, suffix = self._label(ppr, style)
        if label.strip():
            text = label + suffix + text
        pieces = text.split("\n")

        heading = style.heading_level
        outline = _int(_val(ppr.find(W + "outlineLvl"))) if ppr is not None else None
        if outline is not None:
            heading = outline + 1 if 0 <= outline < 9 else None
        centred = style.centred
        if ppr is not None and ppr.find(W + "jc") is not None:
            centred = _val(ppr.find(W + "jc")) == "center"
        is_title = style.is_title or (
            centred and not label.strip() and 0 < len(text.strip()) <= TITLE_MAX_CHARS
            and self._all_bold(paragraph, style.bold))
        if is_title and text.strip():
            heading = None
            if self.title is None:
                self.title = text.strip()
        else:
            is_title = False
        hint = None
        if heading is not None or is_title or label.strip():
            hint = LineHint(heading_level=heading, is_title=is_title, numbered=bool(label.strip()))
        yield Paragraph(pieces=pieces, hint=hint)
        for box in boxes:
            yield from self.blocks(box)

    def _label(self, ppr, style: StyleInfo) -> Tuple[str, str]:
        num_pr = ppr.find(W + "numPr") if ppr is not None else None
        num_id = _int(_val(num_pr.find(W + "numId"))) if num_pr is not None else None
        ilvl = _int(_val(num_pr.find(W + "ilvl"))) if num_pr is not None else None
        if num_id is None:
            num_id = style.num_id
        if num_id is None or num_id == 0:  # numId 0 switches numbering off
            return "", ""
        if ilvl is None:
            ilvl = style.ilvl
        if ilvl is None:
            ilvl = self.numbering.level_for_style(num_id, style.chain) or 0
        return self.numbering.next_label(num_id, ilvl)

    def _all_bold(self, paragraph, style_bold: bool) -> bool:
        seen_text = False
        for run in paragraph.iter(W + "r"):
            if not "".join(t.text or "" for t in run.iterfind(W + "t")).strip():
                continue
            seen_text = True
            rpr = run.find(W + "rPr")
            bold = rpr.find(W + "b") if rpr is not None else None
            if not (_on(bold) if bold is not None else style_bold):
                return False
        return seen_text

    def _inline(self, element, buffer: List[str], boxes: List[object], hidden: bool) -> None:
        """Append the visible text under `element` to `buffer`; text boxes go to `boxes`."""
        for child in element:
            tag = child.tag
            if tag == W + "r":
                self._run(child, buffer, boxes)
            elif tag in (W + "del", W + "moveFrom", W + "pPr", W + "rPr"):
                continue
            elif tag == "{%s}AlternateContent" % MC_NS:
                choice = child.find("{%s}Choice" % MC_NS)
                if choice is not None:
                    self._inline(choice, buffer, boxes, hidden)
            elif tag == "{%s}t" % M_NS:
                if self._showing():
                    buffer.append(child.text or "")
            elif isinstance(tag, str):
                self._inline(child, buffer, boxes, hidden)

    def _run(self, run, buffer: List[str], boxes: List[object]) -> None:
        rpr = run.find(W + "rPr")
        hidden = rpr is not None and _on(rpr.find(W + "vanish"))
        for child in run:
            tag = child.tag
            if tag == W + "fldChar":
                kind = child.get(W + "fldCharType")
                if kind == "begin":
                    self.field_stack.append(False)
                elif kind == "separate" and self.field_stack:
                    self.field_stack[-1] = True
                elif kind == "end" and self.field_stack:
                    self.field_stack.pop()
                continue
            if tag in (W + "drawing", W + "pict", "{%s}AlternateContent" % MC_NS):
                boxes.extend(_text_boxes(child))
                continue
            if hidden or not self._showing():
                continue
            if tag == W + "t":
                buffer.append(child.text or "")
            elif tag in (W + "tab", W + "ptab"):
                buffer.append("\t")
            elif tag == W + "br":
                if child.get(W + "type") not in ("page", "column"):
                    buffer.append("\n")
            elif tag == W + "cr":
                buffer.append("\n")
            elif tag == W + "noBreakHyphen":
                buffer.append("-")
            elif tag == W + "sym":
                char = _int_hex(child.get(W + "char"))
                if char is not None and not 0xE000 <= char <= 0xF8FF:  # symbol-font glyphs have no text
                    buffer.append(chr(char))

    def _showing(self) -> bool:
        return all(self.field_stack)


def _int_hex(text: Optional[str]) -> Optional[int]:
    try:
        return int(text, 16) if text else None
    except ValueError:
        return None


def _unwrapped(parent, tag: str) -> Iterator[object]:
    """Children of `parent` with `tag`, looking through content controls and customXml."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in (W + "sdt", W + "customXml"):
            inner = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
            if inner is not None:
                yield from _unwrapped(inner, tag)


def _text_boxes(element) -> List[object]:
    """Outermost w:txbxContent under a drawing, taking only the first choice of mc:AlternateContent."""
    if element.tag == "{%s}AlternateContent" % MC_NS:
        choice = element.find("{%s}Choice" % MC_NS)
        return [box for child in (choice if choice is not None else []) for box in _text_boxes(child)]
    found = []
    for box in element.iter(W + "txbxContent"):
        if not any(parent.tag == W + "txbxContent" for parent in box.iterancestors()):
            found.append(box)
    return found


# --------------------------------------------------------------------------
# Entry point


def _load_parts(path: Path):
    """(document, styles, numbering) root elements of the package at `path` (None when absent)."""
    from docx.opc.exceptions import PackageNotFoundError
    from docx.opc.package import OpcPackage
    from docx.oxml.parser import parse_xml

    try:
        package = OpcPackage.open(str(path))
        main = package.main_document_part
    except (PackageNotFoundError, KeyError) as error:
        raise InputError(path, f"not a Word document (no main document part: {_one_line(error)})") from None

    def element_of(part):
        element = getattr(part, "element", None)
        return element if element is not None else parse_xml(part.blob)

    def related(part, reltype):
        try:
            return element_of(part.part_related_by(reltype))
        except KeyError:
            return None

    document = element_of(main)
    return document, related(main, RT_STYLES), related(main, RT_NUMBERING)


def read_docx(path: str | Path) -> SourceText:
    """Read a Word .docx (also .docm/.dotx) into a SourceText.

    In: a path. Out: SourceText(format="docx") whose text holds one body
    paragraph per line (table cells row by row; soft line breaks start a new
    line) with Word auto-numbering labels rebuilt in front of the text, and
    line_hints giving heading level (Heading/标题 styles, outlineLvl), title
    (Title style or centred bold) and whether a label was rebuilt.
    Raises InputError for anything that is not a sane .docx.
    """
    path = Path(path)
    check_docx_archive(path)
    try:
        document, styles_element, numbering_element = _load_parts(path)
        body = document.find(W + "body")
        if body is None:
            raise InputError(path, "not a Word document (no w:body in the main part)")
        styles = StyleSheet(styles_element)
        reader = BodyReader(styles, Numbering(numbering_element, styles))
        lines: List[str] = []
        hints: List[Optional[LineHint]] = []
        for paragraph in reader.blocks(body):
            for index, piece in enumerate(paragraph.pieces):
                lines.append(piece)
                hints.append(paragraph.hint if index == 0 else None)
    except InputError:
        raise
    except Exception as error:  # any parse failure of a damaged package is bad input
        raise InputError(path, f"cannot be read as a .docx ({type(error).__name__}: {_one_line(error)})") from None
    return SourceText(path=str(path), format="docx", text="\n".join(lines), encoding=None,
                      line_hints=tuple(hints), title=reader.title)
