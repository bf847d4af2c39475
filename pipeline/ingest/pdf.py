"""PDF reader: a .pdf file with a text layer in, a SourceText out.

Rebuilds lines from character geometry, drops page numbers and running
headers/footers, and rejoins wrapped lines into paragraphs (no space between
Chinese characters; a new paragraph at an indent, a label or a short line).
"""
from __future__ import annotations

import logging
import re
import statistics
import unicodedata
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from ..errors import InputError
from ..model import LineHint, SourceText
from .text import read_head


@dataclass(frozen=True)
class PdfSettings:
    """Geometry thresholds, in multiples of the line's font size unless noted."""

    same_line_overlap: float = 0.5  # chars whose tops differ by less than this share a line
    space_gap: float = 0.25  # a gap this wide between two non-CJK chars is a space
    column_gap: float = 1.5  # a gap this wide between any two chars separates table cells
    indent: float = 0.8  # a line starting this far right of the left margin is indented
    right_slack: float = 1.5  # a line ending within this of the right margin is full
    paragraph_gap: float = 1.6  # vertical gap (× the usual gap between lines) that splits paragraphs
    furniture_lines: int = 3  # lines at the top and bottom of a page checked for headers/footers
    furniture_share: float = 0.5  # repeated on this share of pages → running header/footer
    furniture_drift: float = 8.0  # points a running header may move between pages
    title_size_ratio: float = 1.1  # a centred line this much larger than body text is a title


DEFAULT_SETTINGS = PdfSettings()

CN_NUM = "一二三四五六七八九十百零〇两"
LABEL_START = re.compile(
    r"^\s*(?:第[%s\d]+[章节条部分篇]|[%s]+[、.．]|[（(][%s]+[）)]|\d{1,3}[、.．](?![\d%%])"
    r"|[（(]\d{1,3}[）)]|[①-⑳])" % (CN_NUM, CN_NUM, CN_NUM))
PAGE_NUMBER = re.compile(
    r"^(?:[-—–－~～·\s]*\d{1,4}[-—–－~～·\s]*"
    r"|第\s*\d{1,4}\s*页\s*[,，/、]?\s*(?:共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?)$", re.IGNORECASE)
RADICALS = re.compile("[\u2e80-\u2eff\u2f00-\u2fdf]")  # Kangxi/CJK radicals some fonts map 一, 二 … to


@dataclass
class PdfLine:
    """One visual line of a page."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int
    page_width: float
    is_title: bool = False
    fonts: Tuple[str, ...] = field(default_factory=tuple)


def is_cjk(char: str) -> bool:
    """True for Chinese characters and full-width punctuation, which take no spaces between them."""
    code = ord(char)
    return (0x2E80 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xFF00 <= code <= 0xFFEF
            or 0x20000 <= code <= 0x3FFFF or 0x2460 <= code <= 0x24FF or 0x3000 <= code <= 0x303F
            or char in "“”‘’…—·")


def fix_radicals(text: str) -> str:
    """Map Kangxi/CJK radical code points (⼀ U+2F00) to the ideographs they stand for (一)."""
    return RADICALS.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


# --------------------------------------------------------------------------
# chars → lines


def chars_to_lines(chars: Sequence[dict], page_index: int, page_width: float,
                   settings: PdfSettings = DEFAULT_SETTINGS) -> List[PdfLine]:
    """Group a page's chars into visual lines, top to bottom, each read left to right."""
    upright = [c for c in chars if c.get("upright", True) and c.get("text")]
    upright.sort(key=lambda c: (round(c["top"], 1), c["x0"]))
    rows: List[List[dict]] = []
    for char in upright:
        size = char.get("size") or (char["bottom"] - char["top"]) or 10.0
        if rows:
            row = rows[-1]
            row_top = row[0]["top"]
            if abs(char["top"] - row_top) <= settings.same_line_overlap * size:
                row.append(char)
                continue
        rows.append([char])
    lines = []
    for row in rows:
        row.sort(key=lambda c: c["x0"])
        line = _row_to_line(row, page_index, page_width, settings)
        if line is not None:
            lines.append(line)
    return lines


def _row_to_line(row: List[dict], page_index: int, page_width: float,
                 settings: PdfSettings) -> Optional[PdfLine]:
    parts: List[str] = []
    previous = None
    for char in row:
        text = char["text"]
        if previous is not None:
            gap = char["x0"] - previous["x1"]
            size = char.get("size") or 10.0
            if previous["text"] == text and abs(char["x0"] - previous["x0"]) < 0.3 * size:
                continue  # fake bold: the same glyph printed twice a hair apart
            if not text.isspace() and not previous["text"].isspace() and (
                    gap > settings.column_gap * size
                    or (gap > settings.space_gap * size
                        and not is_cjk(text[0]) and not is_cjk(previous["text"][-1]))):
                parts.append("\u2003" if gap > settings.column_gap * size else " ")
        parts.append(text)
        previous = char
    text = fix_radicals("".join(parts))
    text = re.sub(r"[ \t\u00a0\u3000\u2003]+", " ", text).strip()
    if not text:
        return None
    visible = [c for c in row if not c["text"].isspace()] or row
    sizes = [c.get("size") or 10.0 for c in visible]
    return PdfLine(text=text, x0=visible[0]["x0"], x1=visible[-1]["x1"],
                   top=min(c["top"] for c in visible), bottom=max(c["bottom"] for c in visible),
                   size=statistics.median(sizes), page=page_index, page_width=page_width,
                   fonts=tuple(sorted({c.get("fontname", "") for c in visible})))


# --------------------------------------------------------------------------
# page furniture


def _furniture_key(text: str) -> str:
    """Compare header/footer candidates without spaces; in short lines also without numbers
    (`第3页`, `2026年3月`), so a header carrying the page number still repeats."""
    text = re.sub(r"\s+", "", text)
    return re.sub(r"\d+", "#", text) if len(text) <= 30 else text


def remove_page_furniture(pages: List[List[PdfLine]],
                          settings: PdfSettings = DEFAULT_SETTINGS) -> List[List[PdfLine]]:
    """Drop page numbers at a page's top or bottom, lines repeated there on most pages, and
    small detached lines at a page's very top or bottom."""
    cleaned = [_drop_edge_page_numbers(lines) for lines in pages]
    if len(cleaned) >= 2:
        cleaned = [_drop_edge_page_numbers(lines) for lines in _drop_repeated_edges(cleaned, settings)]
    every = [line for page in cleaned for line in page]
    if len(every) >= 5:
        body_size = Counter(round(line.size, 1) for line in every).most_common(1)[0][0]
        gaps = [b.top - a.bottom for page in cleaned for a, b in zip(page, page[1:])
                if 0 <= b.top - a.bottom < 3 * body_size]
        usual_gap = statistics.median(gaps) if gaps else body_size * 0.5
        cleaned = [_drop_small_detached_edges(lines, body_size, usual_gap) for lines in cleaned]
    return cleaned


def _drop_edge_page_numbers(lines: List[PdfLine]) -> List[PdfLine]:
    """Strip page-number lines off the top and the bottom of a page (never mid-page)."""
    start, end = 0, len(lines)
    while start < end and PAGE_NUMBER.match(lines[start].text.strip()):
        start += 1
    while end > start and PAGE_NUMBER.match(lines[end - 1].text.strip()):
        end -= 1
    return lines[start:end]


def _drop_repeated_edges(cleaned: List[List[PdfLine]], settings: PdfSettings) -> List[List[PdfLine]]:
    """Drop lines found at the same place near the top or bottom of most pages."""
    edge = settings.furniture_lines
    seen: Dict[Tuple[str, str], List[Tuple[int, float]]] = defaultdict(list)
    for page_index, lines in enumerate(cleaned):
        for zone, candidates in (("top", lines[:edge]), ("bottom", lines[-edge:])):
            for line in candidates:
                seen[(zone, _furniture_key(line.text))].append((page_index, line.top))
    needed = max(2, settings.furniture_share * len(cleaned))
    repeated = set()
    for key, hits in seen.items():
        median_top = statistics.median(top for _, top in hits)
        pages_hit = {page for page, top in hits if abs(top - median_top) <= settings.furniture_drift}
        if len(pages_hit) >= needed:
            repeated.add(key)
    result = []
    for lines in cleaned:
        top_zone = {id(line) for line in lines[:edge]}
        bottom_zone = {id(line) for line in lines[-edge:]}
        result.append([
            line for line in lines
            if not ((id(line) in top_zone and ("top", _furniture_key(line.text)) in repeated)
                    or (id(line) in bottom_zone and ("bottom", _furniture_key(line.text)) in repeated))])
    return result


def _drop_small_detached_edges(lines: List[PdfLine], body_size: float, usual_gap: float) -> List[PdfLine]:
    """Drop a page's first/last line when it is set smaller than body text and stands apart
    (a running header or footer that a one-page document cannot show repeating)."""
    if len(lines) < 2:
        return lines
    out = list(lines)
    first, second = out[0], out[1]
    if first.size <= 0.85 * body_size and second.top - first.bottom > 2 * usual_gap + 0.5 * body_size:
        out = out[1:]
    if len(out) < 2:
        return out
    last, before = out[-1], out[-2]
    if last.size <= 0.85 * body_size and last.top - before.bottom > 2 * usual_gap + 0.5 * body_size:
        out = out[:-1]
    return out


# --------------------------------------------------------------------------
# lines → paragraphs


@dataclass(frozen=True)
class Margins:
    """Body text box of pages of one width: left and right edges, usual font size and line gap."""

    left: float
    right: float
    body_size: float
    line_gap: float


def measure_margins(lines: Sequence[PdfLine]) -> Margins:
    """Most common left edge, the right edge full lines reach, body font size, usual line gap."""
    lefts = Counter(round(line.x0) for line in lines)
    # the leftmost edge shared by several lines (most lines may be indented first lines)
    shared = [x for x, count in lefts.items() if count >= max(2, 0.05 * len(lines))]
    left = float(min(shared) if shared else lefts.most_common(1)[0][0])
    sizes = Counter(round(line.size, 1) for line in lines)
    body_size = float(sizes.most_common(1)[0][0])
    # full lines of body text end at the right edge; lines beyond the mirrored
    # left margin (a wide table row) are not trusted to define it
    limit = lines[0].page_width - min(line.x0 for line in lines) + body_size
    rights = [line.x1 for line in lines
              if abs(line.size - body_size) <= 0.15 * body_size and line.x1 <= limit]
    right = max(rights) if rights else max(line.x1 for line in lines)
    page_width = lines[0].page_width
    if right < 0.75 * page_width:  # no line runs full width: assume mirrored margins
        right = max(right, page_width - left - 2 * body_size)
    gaps = [b.top - a.bottom for a, b in zip(lines, lines[1:])
            if a.page == b.page and 0 <= b.top - a.bottom < 3 * body_size]
    line_gap = statistics.median(gaps) if gaps else body_size * 0.5
    return Margins(left=left, right=right, body_size=body_size, line_gap=max(line_gap, 0.5))


def mark_titles(lines: Sequence[PdfLine], margins: Dict[float, Margins],
                settings: PdfSettings = DEFAULT_SETTINGS) -> None:
    """Flag centred lines set larger than body text as titles (a full first line of a wrapped
    title is centred too)."""
    for line in lines:
        box = margins[round(line.page_width)]
        middle = (line.x0 + line.x1) / 2
        centred = any(abs(middle - centre) < 1.5 * line.size
                      for centre in ((box.left + box.right) / 2, line.page_width / 2))
        line.is_title = centred and line.size >= settings.title_size_ratio * box.body_size


def uses_first_line_indent(lines: Sequence[PdfLine], margins: Dict[float, Margins],
                           settings: PdfSettings = DEFAULT_SETTINGS) -> bool:
    """Do paragraphs of this document start indented? Judged on the lines that follow a short line."""
    starts = indented = 0
    for previous, line in zip(lines, lines[1:]):
        box = margins[round(line.page_width)]
        if previous.is_title or line.is_title or previous.x1 >= box.right - settings.right_slack * previous.size:
            continue
        starts += 1
        indented += line.x0 > box.left + settings.indent * line.size
    return starts >= 3 and indented >= 0.6 * starts


def starts_paragraph(previous: PdfLine, line: PdfLine, box: Margins,
                     settings: PdfSettings = DEFAULT_SETTINGS, indent_style: bool = False) -> bool:
    """Does `line` begin a new paragraph rather than continue `previous`?

    In a document whose paragraphs start indented, a flush-left line after a
    full one continues the paragraph even when it starts like a label (a wrap
    that happens to fall before `二、` of an inline enumeration), unless its
    font changes there.
    """
    if previous.is_title and line.is_title:  # a long title wrapped over centred lines
        return not (previous.page == line.page and abs(previous.size - line.size) < 0.5
                    and line.top - previous.bottom < line.size)
    if previous.is_title or line.is_title:
        return True
    if line.x0 > box.left + settings.indent * line.size:
        return True
    if LABEL_START.match(line.text) and (not indent_style or line.fonts != previous.fonts):
        return True
    if previous.x1 < box.right - settings.right_slack * previous.size:
        return True
    if abs(previous.size - line.size) > 0.15 * box.body_size:
        return True
    if previous.page == line.page and line.top - previous.bottom > settings.paragraph_gap * box.line_gap + 0.3 * box.body_size:
        return True
    return False


def join_wrapped(left: str, right: str) -> str:
    """Join two pieces of a wrapped line: no space for Chinese, one space between Latin words."""
    if left and right and not is_cjk(left[-1]) and not is_cjk(right[0]) \
            and left[-1].isalnum() and right[0].isalnum():
        return left + " " + right
    return left + right


def lines_to_paragraphs(lines: Sequence[PdfLine],
                        settings: PdfSettings = DEFAULT_SETTINGS) -> List[Tuple[str, bool]]:
    """Rejoin visual lines into paragraphs: [(text, is_title)]."""
    if not lines:
        return []
    by_width: Dict[float, List[PdfLine]] = defaultdict(list)
    for line in lines:
        by_width[round(line.page_width)].append(line)
    margins = {width: measure_margins(group) for width, group in by_width.items()}
    mark_titles(lines, margins, settings)
    indent_style = uses_first_line_indent(lines, margins, settings)
    paragraphs: List[Tuple[str, bool]] = []
    current = lines[0].text
    for previous, line in zip(lines, lines[1:]):
        box = margins[round(line.page_width)]
        if starts_paragraph(previous, line, box, settings, indent_style):
            paragraphs.append((current, previous.is_title))
            current = line.text
        else:
            current = join_wrapped(current, line.text)
    paragraphs.append((current, lines[-1].is_title))
    return paragraphs


# --------------------------------------------------------------------------
# entry point


def check_pdf_file(path: Path) -> None:
    """Refuse a missing, empty or non-PDF file (no `%PDF-` header) with a one-line InputError."""
    head = read_head(path, 1024)
    if b"%PDF-" not in head:
        raise InputError(path, "not a PDF file (no %PDF- header)")


def _open_error(path: Path, error: Exception) -> InputError:
    """One-line InputError for a pdfminer/pdfplumber failure, naming a password when that is the cause."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    cause: Optional[BaseException] = error
    for _ in range(10):  # follow the chain of wrapped exceptions a little way
        if cause is None:
            break
        if isinstance(cause, PDFPasswordIncorrect):
            return InputError(path, "password-protected PDF: remove the password and try again")
        if isinstance(cause, PDFEncryptionError):
            return InputError(path, f"encrypted PDF that cannot be opened ({cause})")
        wrapped = cause.args[0] if cause.args and isinstance(cause.args[0], BaseException) else None
        cause = cause.__cause__ or cause.__context__ or wrapped
    message = " ".join(str(error).split())[:200]
    return InputError(path, f"damaged or unreadable PDF ({type(error).__name__}: {message})")


@contextmanager
def _quiet_pdfminer():
    """pdfminer logs a warning per damaged object; the reader reports one error line instead."""
    logger = logging.getLogger("pdfminer")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def read_pdf_lines(path: Path, settings: PdfSettings = DEFAULT_SETTINGS) -> List[List[PdfLine]]:
    """Visual lines of each page of the PDF at `path`, page furniture still in."""
    with _quiet_pdfminer():
        return _read_pdf_lines(path, settings)


def _read_pdf_lines(path: Path, settings: PdfSettings) -> List[List[PdfLine]]:
    import pdfplumber

    pages: List[List[PdfLine]] = []
    images = 0  # on pages without text
    try:
        pdf = pdfplumber.open(str(path))
    except Exception as error:
        raise _open_error(path, error) from None
    try:
        for index, page in enumerate(pdf.pages):
            try:
                x0, top, x1, bottom = page.bbox
                chars = [c for c in page.chars
                         if c["x1"] >= x0 and c["x0"] <= x1 and c["bottom"] >= top and c["top"] <= bottom]
                pages.append(chars_to_lines(chars, index, float(page.width), settings))
                if not chars:
                    images += len(page.images)
            finally:
                page.close()
    except InputError:
        raise
    except Exception as error:
        raise _open_error(path, error) from None
    finally:
        try:
            pdf.close()
        except Exception:  # a damaged file may fail again while closing; the first error counts
            pass
    if not any(pages):
        what = "only page images (a scan)" if images else "no text"
        raise InputError(path, f"PDF has no text layer ({what}); it needs OCR first, "
                               "e.g. ocrmypdf -l chi_sim IN.pdf OUT.pdf")
    text = "".join(line.text for lines in pages for line in lines)
    if text.count("(cid:") * 6 > len(text) * 0.5:
        raise InputError(path, "PDF fonts carry no Unicode map, so its text cannot be decoded; "
                               "it needs OCR")
    return pages


def read_pdf(path: str | Path, settings: PdfSettings = DEFAULT_SETTINGS) -> SourceText:
    """Read a PDF's text layer into a SourceText.

    In: a path. Out: SourceText(format="pdf"), one paragraph per line, in
    reading order, with page numbers and running headers/footers removed and
    wrapped lines rejoined; centred larger lines are hinted as titles.
    Raises InputError for a non-PDF, a password-protected PDF, or a PDF with
    no text layer (a scan that needs OCR).
    """
    path = Path(path)
    check_pdf_file(path)
    pages = remove_page_furniture(read_pdf_lines(path, settings), settings)
    lines = [line for page in pages for line in page]
    paragraphs = lines_to_paragraphs(lines, settings)
    hints = tuple(LineHint(is_title=True) if is_title else None for _, is_title in paragraphs)
    title = next((text for text, is_title in paragraphs if is_title), None)
    return SourceText(path=str(path), format="pdf", text="\n".join(text for text, _ in paragraphs),
                      encoding=None, line_hints=hints, title=title)
