"""The one reader of `lexicons/`: TSV tables and the jieba user dictionary.

Reads `lexicons/*.tsv` (comment lines start with `#`, then a header row naming
the columns, then rows); returns immutable rows and compiled alternations.
A malformed file fails as `lexicons/FILE:LINE: problem`; a file that is not
there at all is a broken installation (MissingLexicon), never an input's fault.

Where the files are: `PLANLENS_LEXICONS` when set; else the copy an installed
wheel carries inside the package (`pipeline/data/lexicons/`, found with
importlib.resources); else the checkout's top-level `lexicons/` (source
checkouts and editable installs read the source of truth directly).
"""
from __future__ import annotations

import os
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Dict, Iterable, List, Mapping, NamedTuple, Optional, Tuple

import ahocorasick_rs

from .errors import LexiconError, MissingLexicon

Row = Mapping[str, str]

LEXICONS_ENV = "PLANLENS_LEXICONS"


def lexicon_dir() -> Path:
    """Folder holding the lexicon files: `PLANLENS_LEXICONS`, else the installed package's
    `data/lexicons/`, else the checkout's top-level `lexicons/`."""
    env = os.environ.get(LEXICONS_ENV)
    if env:
        return Path(env)
    packaged = resources.files(__package__).joinpath("data", "lexicons")
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "lexicons"


def read_lexicon_text(name: str) -> str:
    """Text of lexicon file `name`; MissingLexicon when the installation lacks it,
    LexiconError when it is there but unreadable."""
    path = lexicon_dir() / name
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        where = f"{LEXICONS_ENV}={os.environ[LEXICONS_ENV]}" if os.environ.get(LEXICONS_ENV) else str(path.parent)
        raise MissingLexicon(f"lexicons/{name}", where) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise LexiconError(f"lexicons/{name}", f"cannot read ({getattr(exc, 'strerror', None) or exc})") from exc


def parse_table(text: str, name: str, required: Iterable[str] = ()) -> Tuple[Row, ...]:
    """Parse TSV `text` (from file `name`) into rows keyed by the header's column names.

    Blank lines and lines starting with `#` are skipped; empty trailing cells
    become "". Raises LexiconError naming `lexicons/name:line` for a missing
    header, a required column that is absent, or a row with too many cells.

    >>> parse_table("# demo\\nword\\tnote\\n三会一课\\t\\n", "demo.tsv")[0]["word"]
    '三会一课'
    """
    header = None
    rows = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        where = f"lexicons/{name}:{lineno}"
        if header is None:
            header = cells
            missing = [c for c in required if c not in header]
            if missing:
                raise LexiconError(where, f"header lacks column(s) {', '.join(missing)}")
            if len(set(header)) != len(header) or "" in header:
                raise LexiconError(where, "header has empty or repeated column names")
            continue
        if len(cells) > len(header):
            raise LexiconError(where, f"{len(cells)} cells but the header names {len(header)} columns")
        cells += [""] * (len(header) - len(cells))
        row = dict(zip(header, cells))
        first = header[0]
        if not row[first]:
            raise LexiconError(where, f"empty '{first}'")
        row["_where"] = where
        rows.append(MappingProxyType(row))
    if header is None:
        raise LexiconError(f"lexicons/{name}", "no header row")
    return tuple(rows)


@lru_cache(maxsize=None)
def read_table(name: str, required: Tuple[str, ...] = ()) -> Tuple[Row, ...]:
    """Rows of `lexicons/<name>` (cached per process); see `parse_table`."""
    return parse_table(read_lexicon_text(name), name, required)


def split_list(cell: str) -> Tuple[str, ...]:
    """Cell holding a `|`-separated list → tuple of non-empty stripped items."""
    return tuple(p.strip() for p in cell.split("|") if p.strip())


def alternation(words: Iterable[str], where: str = "lexicons", *, width: Optional[int] = None,
                lookahead: int = 0) -> str:
    """Regex matching the longest of `words` at a position, factored as a trie so that the engine
    tries one branch per character instead of every word (same matches as a longest-first
    alternation, several times faster on long lists).

    For long lists: with `width`, a trie node of more than `width` branches is split into groups
    of at most `width`, each behind a lookahead for its branches' first characters (groups of
    groups likewise), so a failing position costs a few set tests instead of one test per
    branch; a node's branches start with distinct characters, so at most one can match and the
    grouping changes no match. With `lookahead` 1, the whole stands behind a test of the words'
    first characters; with 2, of their first two (a one-character word by its character alone).
    The matches are the same in every case.

    >>> re.findall(alternation(["党员", "党员大会", "支部"]), "支部党员大会党员")
    ['支部', '党员大会', '党员']
    >>> re.findall(alternation(["党员", "党员大会", "支部"], width=2, lookahead=2), "支部党员大会党员")
    ['支部', '党员大会', '党员']
    """
    if width is not None and width < 2:
        raise ValueError("alternation: width must be 2 or more")  # groups of one would never shrink
    root: Dict[str, dict] = {}
    end = ""  # key marking that a word ends at this node
    for word in words:
        if not word:
            continue
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[end] = {}
    if not root:
        raise LexiconError(where, "no entries to build a pattern from")

    def charset(chars: Iterable[str]) -> str:
        return "[" + re.escape("".join(sorted(chars))) + "]"

    def group(branches: List[Tuple[str, str]]) -> str:
        """One alternation of (first characters, pattern) branches, grouped while wider than `width`."""
        while width and len(branches) > width:
            size = -(-len(branches) // -(-len(branches) // width))  # even groups
            parts = [branches[i:i + size] for i in range(0, len(branches), size)]
            branches = [("".join(c for c, _ in part), "(?=" + charset(c for c, _ in part) + ")(?:"
                         + "|".join(b for _, b in part) + ")") for part in parts]
        if len(branches) == 1 and len(branches[0][1]) == 1:
            return branches[0][1]
        return "(?:" + "|".join(b for _, b in branches) + ")"

    def emit(node: Dict[str, dict]) -> str:
        branches = [(ch, re.escape(ch) + emit(child)) for ch, child in sorted(node.items()) if ch != end]
        if not branches:
            return ""
        body = group(branches)
        return body + "?" if end in node else body

    pattern = "(?:" + emit(root) + ")"
    if lookahead >= 2:
        # a one-character word's character, or a longer word's first character followed by a
        # second character of one (a superset of the words' first two characters, as two set tests)
        singles = [ch for ch, child in root.items() if end in child]
        longer = [ch for ch, child in root.items() if any(k != end for k in child)]
        seconds = {k for child in root.values() for k in child if k != end}
        branches = ([charset(singles)] if singles else []) + ([charset(longer) + charset(seconds)] if longer else [])
        pattern = "(?=" + "|".join(branches) + ")" + pattern
    elif lookahead:
        pattern = "(?=" + charset(root) + ")" + pattern
    return pattern


def compile_regex(pattern: str, where: str) -> "re.Pattern[str]":
    """Compile a regex cell, reporting a bad one as `where: problem`."""
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise LexiconError(where, f"bad regex {pattern!r}: {exc}") from exc


def userdict_path() -> Path:
    """Path of the jieba user dictionary (`word freq tag` per line)."""
    return lexicon_dir() / "userdict.txt"


def userdict_entries() -> Tuple[Tuple[str, int, str], ...]:
    """(word, freq, tag) entries of the jieba user dictionary file."""
    out = []
    text = read_lexicon_text("userdict.txt")
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 3 or not parts[1].isdigit():
            raise LexiconError(f"lexicons/userdict.txt:{lineno}", "expected 'word freq tag'")
        out.append((parts[0], int(parts[1]), parts[2]))
    return tuple(out)


class WordFinder(NamedTuple):
    """An Aho-Corasick automaton over `words`: the matches of `alternation(words)` (leftmost,
    longest, no overlaps), as (start, end, word), found in one pass in compiled code."""

    automaton: "ahocorasick_rs.AhoCorasick"
    words: Tuple[str, ...]

    def spans(self, text: str, offset: int = 0) -> List[Tuple[int, int, str]]:
        """(start + offset, end + offset, word) of every match in `text`, in order."""
        words = self.words
        return [(start + offset, end + offset, words[k])
                for k, start, end in self.automaton.find_matches_as_indexes(text)]


def word_finder(words: Iterable[str]) -> WordFinder:
    """A WordFinder over the non-empty `words` (none: it finds nothing). The automaton is the
    library's own pick (a contiguous NFA at these sizes), not a full DFA: on a warm cache a DFA
    scans a third faster, but it is several times larger and slower to build, its tables fall out
    of the cache between the other stages' work, and in a whole extraction the NFA scans the cue
    words in half the time."""
    kept = tuple(dict.fromkeys(w for w in words if w))
    return WordFinder(ahocorasick_rs.AhoCorasick(kept, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest), kept)
