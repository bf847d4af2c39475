"""Plain-text reader: bytes in any common Chinese encoding → SourceText.

Decodes BOM → strict UTF-8 → GB18030 → a scored fallback; undecodable bytes
are replaced, never fatal. Binary garbage and empty files are input errors.
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Tuple

from ..errors import InputError
from ..model import SourceText

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_FALLBACKS = ("gb18030", "big5", "utf-16-le", "utf-16-be")


def _is_expected(ch: str) -> bool:
    """Characters Chinese plans are made of: common ideographs, ASCII, CJK and full-width punctuation."""
    o = ord(ch)
    return (0x4E00 <= o <= 0x9FFF or 0x20 <= o < 0x7F or ch in "\n\r\t" or 0x3000 <= o <= 0x303F
            or 0xFF00 <= o <= 0xFFEF or 0x2010 <= o <= 0x2027 or 0x2460 <= o <= 0x24FF or o == 0xB7)


# The same classes as `_is_expected` and the junk test of `plausibility`, counted by the regex engine.
_EXPECTED_RUN = re.compile("[\u4e00-\u9fff\x20-\x7e\n\r\t\u3000-\u303f\uff00-\uffef\u2010-\u2027"
                           "\u2460-\u24ff\u00b7]+")
_JUNK_RUN = re.compile("[\ufffd\x00-\x08\x0b\x0e-\x1f]+")
# One junk character: searched for by its class alone, several times faster than the run above
# (a pattern opening with a repeat is tried at every position); most texts hold none.
_JUNK_CHAR = re.compile(_JUNK_RUN.pattern[:-1])


def _covered(pattern: "re.Pattern[str]", text: str) -> int:
    return sum(m.end() - m.start() for m in pattern.finditer(text))


def plausibility(text: str) -> float:
    """Share of characters a Chinese plan is made of, minus a penalty for junk; in [-3, 1]."""
    sample = text[:20000]
    if not sample:
        return -1.0
    junk = _covered(_JUNK_RUN, sample) if _JUNK_CHAR.search(sample) else 0
    expected = _covered(_EXPECTED_RUN, sample)
    return expected / len(sample) - 3 * junk / len(sample)


def decode_bytes(data: bytes) -> Tuple[str, str]:
    """Decode `data` to (text, encoding name); never raises on bad bytes.

    >>> decode_bytes("三会一课".encode("gb18030"))
    ('三会一课', 'gb18030')
    >>> decode_bytes(codecs.BOM_UTF16_LE + "党课".encode("utf-16-le"))
    ('党课', 'utf-16')
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            codec = name if name == "utf-8-sig" else _bom_codec(bom, name)
            return data[len(bom):].decode(codec, errors="replace"), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    if text.count("\ufffd") <= max(2, len(text) // 200):
        return text, "utf-8"  # UTF-8 with a damaged byte or a cut-off last character
    try:
        text = data.decode("gb18030")
        if plausibility(text) >= 0.8:
            return text, "gb18030"
    except UnicodeDecodeError:
        pass
    best = max(_FALLBACKS, key=lambda enc: plausibility(data.decode(enc, errors="replace")))
    return data.decode(best, errors="replace"), best


def _bom_codec(bom: bytes, name: str) -> str:
    """The BOM-less codec for a UTF-16/32 BOM ('utf-16' + LE BOM → 'utf-16-le')."""
    little = bom in (codecs.BOM_UTF16_LE, codecs.BOM_UTF32_LE)
    return name + ("-le" if little else "-be")


def looks_binary(text: str) -> bool:
    """True when decoded `text` is not made of the characters plans are written in."""
    return bool(text.strip()) and plausibility(text) < 0.6


def text_to_source(text: str, path: str = "<text>", encoding: str = "utf-8", fmt: str = "txt") -> SourceText:
    """Wrap already-decoded `text` as a SourceText with newlines normalised to \\n."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    return SourceText(path=str(path), format=fmt, text=text, encoding=encoding)


def read_head(path: str | Path, size: int) -> bytes:
    """The first `size` bytes of a file; InputError when it is missing or empty."""
    p = Path(path)
    if not p.is_file():
        raise InputError(str(path), "no such file")
    try:
        with p.open("rb") as handle:
            head = handle.read(size)
    except OSError as exc:
        raise InputError(str(path), f"cannot read file ({exc.strerror or exc})") from exc
    if not head:
        raise InputError(str(path), "empty file")
    return head


def read_nonempty_bytes(path: str | Path) -> bytes:
    """The bytes of `path`; InputError when it cannot be read or holds only whitespace."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read file ({exc.strerror or exc})") from exc
    if not data.strip():
        raise InputError(str(path), "empty file")
    return data


def read_text_file(path: str | Path) -> SourceText:
    """Read a .txt plan from `path`; raises InputError when empty or binary."""
    text, encoding = decode_bytes(read_nonempty_bytes(path))
    if looks_binary(text):
        raise InputError(str(path), "binary data, not text (is the extension right?)")
    if not text.strip():
        raise InputError(str(path), "empty file")
    return text_to_source(text, str(path), encoding)
