"""Scraped HTML reader: page bytes → SourceText of the main content, one block per line.

Honours BOM and <meta charset>; drops script/style/nav/header/footer/aside and
hidden elements; block elements become lines. Line-level site chrome is
removed later by the normaliser's rules in lexicons/chrome.tsv.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from typing import List

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from .. import lexicons
from ..errors import InputError
from ..model import SourceText
from .text import decode_bytes, looks_binary, read_nonempty_bytes, text_to_source

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_DROP_TAGS = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside",
              "iframe", "form", "button", "select", "svg", "canvas", "head")
_BLOCK_TAGS = ("p", "div", "section", "article", "main", "li", "ul", "ol", "h1", "h2", "h3", "h4",
               "h5", "h6", "tr", "table", "blockquote", "pre", "dd", "dt", "dl", "center",
               "figure", "figcaption", "address", "hr")
_CELL_TAGS = ("td", "th")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_ENCODING_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "utf8": "utf-8"}


def decode_html(data: bytes) -> tuple[str, str]:
    """Decode page bytes: a BOM, then the declared <meta charset>, then text sniffing."""
    if data[:3] == b"\xef\xbb\xbf" or data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return decode_bytes(data)
    match = _META_CHARSET.search(data[:8192])
    if match:
        declared = match.group(1).decode("ascii", "ignore").lower()
        codec = _ENCODING_ALIASES.get(declared, declared)
        try:
            return data.decode(codec, errors="replace"), declared
        except LookupError:
            pass  # an unknown charset name: sniff instead
    return decode_bytes(data)


@lru_cache(maxsize=1)
def _chrome_tokens() -> frozenset:
    return frozenset(r["token"].lower() for r in lexicons.read_table("html_chrome.tsv", ("token",)))


def _is_chrome(tag) -> bool:
    """True for an element whose class or id names site chrome (lexicons/html_chrome.tsv)."""
    attrs = tag.attrs or {}
    classes = attrs.get("class") or []
    if isinstance(classes, str):
        classes = classes.split()
    words = list(classes) + ([attrs["id"]] if isinstance(attrs.get("id"), str) else [])
    tokens = _chrome_tokens()
    return any(part in tokens for word in words for part in re.split(r"[-_\s]+", word.lower()))


def _is_hidden(tag) -> bool:
    attrs = tag.attrs or {}
    if "hidden" in attrs or str(attrs.get("aria-hidden", "")).lower() == "true":
        return True
    return bool(_HIDDEN_STYLE.search(str(attrs.get("style", ""))))


def html_to_text(markup: str) -> str:
    """Visible main text of an HTML page, one block element per line."""
    soup = BeautifulSoup(markup, "lxml")
    for node in soup.find_all(string=lambda s: isinstance(s, Comment)):
        node.extract()
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.attrs is not None and tag.name not in ("html", "body") and (_is_hidden(tag) or _is_chrome(tag)):
            tag.decompose()
    root = soup.body or soup
    main = _main_content(root)
    text = _block_text(main)
    lines = [re.sub(r"[ \t\r\f\v\xa0]+", " ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def _string_types(tag):
    return getattr(tag, "interesting_string_types", None) or Tag.MAIN_CONTENT_STRING_TYPES


def _block_text(main) -> str:
    """Text of `main` with a line break around every block element and `<br>`, each table cell
    flattened to one run of words followed by a space (so a table row reads as one line)."""
    return _walk(main, "\n", cells=True)


def _cell_text(cell) -> str:
    """Text of a table cell with a space around every block and `<br>` inside it."""
    return _walk(cell, " ", cells=False)


def _walk(root, brk: str, cells: bool) -> str:
    """The strings under `root` in order, `brk` around every block element and for `<br>`; with
    `cells`, each table cell flattened by `_cell_text`. One walk with an explicit stack: linear
    in the page's size however deeply it nests (the tree is not modified)."""
    out: List[str] = []
    types = _string_types(root)
    stack: list = list(reversed(root.contents))
    while stack:
        node = stack.pop()
        if type(node) is tuple:  # a break to emit after a block's children
            out.append(node[0])
        elif isinstance(node, NavigableString):
            if type(node) in types:
                out.append(str(node))
        elif node.name == "br":
            out.append(brk)
        elif cells and node.name in _CELL_TAGS:
            out.append(" ".join(_cell_text(node).split()) + " ")
        else:
            if node.name in _BLOCK_TAGS:
                out.append(brk)
                stack.append((brk,))
            stack.extend(reversed(node.contents))
    return "".join(out)


def _outermost(root, names) -> List:
    """Elements named `names` under `root` that lie inside no other such element, in document order."""
    found, stack = [], list(reversed(root.contents))
    while stack:
        node = stack.pop()
        if not isinstance(node, Tag):
            continue
        if node.name in names:
            found.append(node)
        else:
            stack.extend(reversed(node.contents))
    return found


def _main_content(root):
    """The <article>/<main> holding most of the page's text, else the whole body.

    Only outermost ones are weighed: a nested one holds no more text than the one around it,
    which comes first, so it could never win (and weighing each nested one would cost time
    growing with the square of the nesting depth)."""
    total = len(root.get_text(strip=True))
    best = None
    for tag in _outermost(root, ("article", "main")):
        size = len(tag.get_text(strip=True))
        if size >= 0.5 * total and (best is None or size > best[0]):
            best = (size, tag)
    return best[1] if best else root


def read_html_file(path: str | Path) -> SourceText:
    """Read a scraped .html/.htm page; raises InputError when it holds no text."""
    markup, encoding = decode_html(read_nonempty_bytes(path))
    if looks_binary(markup):
        raise InputError(str(path), "binary data, not HTML")
    text = html_to_text(markup)
    if not text.strip():
        raise InputError(str(path), "no visible text in the page")
    return text_to_source(text, str(path), encoding, fmt="html")
