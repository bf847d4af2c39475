"""The project's own jieba Tokenizer, loaded with the dictionaries in `lexicons/`.

Reads `lexicons/userdict.txt`, the slogans and the measure names; gives tokens.
Never touches jieba's global tokenizer. Initialised once per process (~0.7 s).
"""
from __future__ import annotations

import logging
from functools import lru_cache
from typing import List, Tuple

import jieba
import jieba.posseg

from . import lexicons

jieba.setLogLevel(logging.WARNING)

# Frequency given to project terms so that jieba keeps each one whole.
TERM_FREQ = 50000


def project_terms() -> Tuple[Tuple[str, str], ...]:
    """(term, tag) pairs the tokenizer must keep whole: slogans and measure names/aliases."""
    terms = []
    for name, tag, cols in (("slogans.tsv", "slogan", ("term",)),
                            ("measures.tsv", "measure", ("name", "aliases"))):
        try:
            rows = lexicons.read_table(name)
        except lexicons.LexiconError:
            if (lexicons.lexicon_dir() / name).exists():
                raise
            continue  # a table not written yet adds nothing
        for row in rows:
            for col in cols:
                for word in lexicons.split_list(row.get(col, "")):
                    terms.append((word, tag))
    return tuple(terms)


@lru_cache(maxsize=1)
def tokenizer() -> jieba.Tokenizer:
    """A jieba.Tokenizer holding the default dictionary plus every project term."""
    tok = jieba.Tokenizer()
    tok.initialize()
    for word, freq, tag in lexicons.userdict_entries():
        tok.add_word(word, freq, tag)
    for word, tag in project_terms():
        tok.add_word(word, TERM_FREQ, tag)
    return tok


@lru_cache(maxsize=1)
def pos_tagger() -> jieba.posseg.POSTokenizer:
    """POS tagger over the project tokenizer; ~5x slower than `cut`, use sparingly."""
    return jieba.posseg.POSTokenizer(tokenizer())


def cut(text: str) -> List[str]:
    """Tokens of `text` (precise mode, HMM on) with project terms kept whole."""
    return tokenizer().lcut(text)


def cut_with_offsets(text: str) -> List[Tuple[str, int, int]]:
    """(token, start, end) for every token of `text`; offsets index into `text`."""
    out = []
    pos = 0
    for tok in tokenizer().lcut(text):
        out.append((tok, pos, pos + len(tok)))
        pos += len(tok)
    return out
