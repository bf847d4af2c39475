"""Small pure helpers on Chinese text shared by the stages.

Reads strings, returns strings or booleans: width folding, CJK share, punctuation sets.
"""
from __future__ import annotations

import re
from functools import lru_cache

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
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SPACE = re.compile(r"\s")


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Full-width ASCII forms to half-width, same length: '（一）１．' -> '(一)1.'.

    Cached: the stages fold the same lines and plan texts again and again."""
    return _FOLDABLE.sub(_fold_match, text)


def _fold_match(match: "re.Match[str]") -> str:
    return _FOLDED_CHAR[match[0]]


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
