"""Small pure helpers on Chinese text shared by the stages.

Reads strings, returns strings or booleans: width folding, CJK share, punctuation sets, and
the matches of a pattern tried only where its opening characters stand.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import List

# Full-width ASCII variants (！ … ～) map to ASCII; the ideographic space to a space.
# One character in, one character out, so offsets survive folding.
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FOLD[0x3000] = 0x20
_FOLD[0x00A0] = 0x20
# str.translate looks every character up in the table (over 100 ns each on CJK text); the
# characters to fold are few, so one regex finds them and only they are looked up.
_FOLDED_CHAR = {chr(k): chr(v) for k, v in _FOLD.items()}
_FOLDABLE = re.compile("[\uff01-\uff5e\u3000\u00a0]")

SENTENCE_END = "。！？!?；;"
CLAUSE_END = SENTENCE_END + "：:"
# Characters after which a line is complete: sentence ends, colons, closing quotes/brackets after them.
LINE_COMPLETE = SENTENCE_END + "：:…"
# CJK ideographs: Extension A and the unified block, and the compatibility ideographs.
CJK_RANGES = (("\u3400", "\u9fff"), ("\uf900", "\ufaff"))
CJK = re.compile("[" + "".join(f"{low}-{high}" for low, high in CJK_RANGES) + "]")


(_UNIFIED_LOW, _UNIFIED_HIGH), (_COMPATIBILITY_LOW, _COMPATIBILITY_HIGH) = CJK_RANGES


def is_cjk_char(char: str) -> bool:
    """True when the one character `char` is a CJK ideograph (`CJK`'s ranges), without a regex call."""
    return _UNIFIED_LOW <= char <= _UNIFIED_HIGH or _COMPATIBILITY_LOW <= char <= _COMPATIBILITY_HIGH
_SPACE = re.compile(r"\s")


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Full-width ASCII forms to half-width, same length: '（一）１．' -> '(一)1.'.

    Cached: the stages fold the same lines and plan texts again and again."""
    found = _FOLDABLE.findall(text)
    if not found:
        return text
    # one str.replace per distinct character (a plan's commas are all ，): a substitution
    # calling back into Python for every character found costs several times as much
    for ch in set(found):
        text = text.replace(ch, _FOLDED_CHAR[ch])
    return text


def cjk_share(text: str) -> float:
    """Share of CJK ideographs among the non-space characters of `text` (0 for empty)."""
    visible = len(text) - len(_SPACE.findall(text))
    if not visible:
        return 0.0
    return len(CJK.findall(text)) / visible


# Quotes and brackets that may close a complete line after its end mark.
_CLOSING = "”’」』）)】\"'"


def ends_complete(text: str) -> bool:
    """True when `text` ends a sentence or clause (。！？；： or a quote/bracket closing one)."""
    t = text.rstrip().rstrip(_CLOSING)
    return bool(t) and t[-1] in LINE_COMPLETE


def char_positions(text: str, chars: str) -> List[int]:
    """The offsets of every occurrence in `text` of a character of `chars`, in order (str.find
    skips to each one faster than a search for the character class steps through the text)."""
    found: List[int] = []
    for ch in chars:
        at = text.find(ch)
        while at >= 0:
            found.append(at)
            at = text.find(ch, at + 1)
    found.sort()
    return found


def matches_opening(pattern: "re.Pattern[str]", opens: str, text: str) -> List["re.Match[str]"]:
    """The matches of `pattern.finditer(text)` for a pattern every (never empty) match of which
    opens with a character of `opens`: the pattern tried only where one stands (quotes, titles,
    weekdays, glosses: a few hundred characters of a plan's tens of thousands).
    Lookbehinds still see the text before the position tried."""
    found: List["re.Match[str]"] = []
    done, match = 0, pattern.match
    for at in char_positions(text, opens):
        if at >= done:  # (finditer goes on from the end of the last match)
            m = match(text, at)
            if m is not None:
                done = m.end()
                found.append(m)
    return found
