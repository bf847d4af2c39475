"""The project's own jieba Tokenizer, loaded with the dictionaries in `lexicons/`.

Reads `lexicons/userdict.txt`, the slogans and the measure names; gives tokens
and (for candidate phrases) part-of-speech tags. Never touches jieba's global
tokenizer. Nothing is loaded until a stage asks for tokens: importing this
module costs nothing, and a command that never segments never loads jieba.

The prefix dictionary (jieba's words plus every project term) and the word →
tag table are kept, once built, in the user's cache folder
(`PLANLENS_CACHE_DIR`, else platformdirs' user cache dir, which honours
`XDG_CACHE_HOME`), keyed by a hash of everything they are built from, so a
second run loads them instead of rebuilding them.
"""
from __future__ import annotations

import gc
import hashlib
import logging
import marshal
import os
import re
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Dict, Iterator, List, NamedTuple, Tuple

from . import lexicons

if TYPE_CHECKING:  # pragma: no cover
    import jieba

# Frequency given to project terms so that jieba keeps each one whole.
TERM_FREQ = 50000
CACHE_ENV = "PLANLENS_CACHE_DIR"
CACHE_FORMAT = 1  # bump when the layout of the cache files changes


def _jieba():
    """The jieba module, imported on first use without `pkg_resources`.

    jieba's `_compat` imports pkg_resources only to locate its own data files and
    falls back to plain paths when that import fails; pkg_resources alone costs
    a few tenths of a second of start-up, so it is kept out while jieba loads.
    """
    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    block = "pkg_resources" not in sys.modules
    if block:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # makes `import pkg_resources` fail
    try:
        import jieba
    finally:
        if block and sys.modules.get("pkg_resources", 0) is None:
            del sys.modules["pkg_resources"]
    jieba.setLogLevel(logging.WARNING)
    return jieba


def project_terms() -> Tuple[Tuple[str, str], ...]:
    """(term, tag) pairs the tokenizer must keep whole: slogans and measure names/aliases."""
    terms = []
    for name, tag, cols in (("slogans.tsv", "slogan", ("term",)),
                            ("measures.tsv", "measure", ("name", "aliases"))):
        for row in lexicons.read_table(name):
            for col in cols:
                for word in lexicons.split_list(row.get(col, "")):
                    terms.append((word, tag))
    return tuple(terms)


def cache_dir() -> Path:
    """Folder for the prebuilt dictionaries: `PLANLENS_CACHE_DIR`, else the user cache dir."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("planlens", appauthor=False))


def _default_dict_path() -> Path:
    jieba = _jieba()
    return Path(jieba.__file__).resolve().parent / jieba.DEFAULT_DICT_NAME


def _cache_key(user_words: Tuple[Tuple[str, int, str], ...], terms: Tuple[Tuple[str, str], ...]) -> str:
    """Hash of everything the dictionaries are built from (jieba's dictionary file, the project's words)."""
    jieba = _jieba()
    dict_path = _default_dict_path()
    stat = dict_path.stat()
    digest = hashlib.sha256()
    for part in (CACHE_FORMAT, jieba.__version__, str(dict_path), stat.st_size, stat.st_mtime_ns, TERM_FREQ,
                 user_words, terms):
        digest.update(repr(part).encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()[:24]


def _load_cache(path: Path):
    """The value marshalled in `path`, or None when it is absent or unreadable.

    Read whole, then decoded: `marshal.load` on a file object reads it in small pieces and
    takes several times longer on a dictionary this size (that is most of jieba's own start-up);
    the garbage collector is paused while half a million strings are created.
    """
    try:
        data = path.read_bytes()
    except OSError:
        return None
    enabled = gc.isenabled()
    gc.disable()
    try:
        return marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return None
    finally:
        if enabled:
            gc.enable()


def _save_cache(path: Path, value) -> None:
    """Write a cache file whole (temp file + rename); a cache that cannot be written is skipped."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                marshal.dump(value, handle)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass


@lru_cache(maxsize=1)
def project_words() -> Tuple[Tuple[Tuple[str, int, str], ...], Tuple[Tuple[str, str], ...]]:
    """(userdict entries, project terms): every word the tokenizer adds to jieba's dictionary.
    Reads only the lexicons (no jieba), so a command can check its installation cheaply."""
    return lexicons.userdict_entries(), project_terms()


@lru_cache(maxsize=1)
def _sources() -> Tuple[Tuple[Tuple[str, int, str], ...], Tuple[Tuple[str, str], ...], str]:
    user_words, terms = project_words()
    return user_words, terms, _cache_key(user_words, terms)


@lru_cache(maxsize=1)
def tokenizer() -> "jieba.Tokenizer":
    """A jieba.Tokenizer holding the default dictionary plus every project term.

    Loaded from the prebuilt cache when there is one for exactly these
    dictionaries; otherwise built (jieba's dictionary + add_word for each
    project word) and cached for the next process.
    """
    jieba = _jieba()
    user_words, terms, key = _sources()
    path = cache_dir() / f"jieba-{key}.freq"
    cached = _load_cache(path)
    tok = jieba.Tokenizer()
    if cached is not None:
        tok.FREQ, tok.total, user_tags, force_split = cached
        tok.user_word_tag_tab = dict(user_tags)
        for word in force_split:
            jieba.finalseg.add_force_split(word)
        tok.initialized = True
        return tok
    tok.tmp_dir = str(cache_dir()) if _writable(cache_dir()) else None
    tok.initialize()
    for word, freq, tag in user_words:
        tok.add_word(word, freq, tag)
    for word, tag in terms:
        tok.add_word(word, TERM_FREQ, tag)
    force_split = [w for w, f, _ in user_words if f == 0]
    _save_cache(path, (tok.FREQ, tok.total, tok.user_word_tag_tab, force_split))
    return tok


def _writable(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return os.access(folder, os.W_OK)
    except OSError:
        return False


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


# --------------------------------------------------------------------------
# Part-of-speech tags without the HMM

class Pair(NamedTuple):
    """A token and its part-of-speech tag, as jieba.posseg gives them (`.word`, `.flag`)."""

    word: str
    flag: str


# jieba.posseg's own block and token patterns, so that tokens and tags are the same as its.
_RE_HAN_INTERNAL = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._]+)")
_RE_SKIP_INTERNAL = re.compile("(\r\n|\\s)")
_RE_ENG = re.compile("[a-zA-Z0-9]+")
_RE_NUM = re.compile("[\\.0-9]+")
_RE_ENG1 = re.compile("^[a-zA-Z0-9]$", re.U)


def _dict_tags() -> Dict[str, str]:
    """word → tag of jieba's dictionary file (third column), cached like the prefix dictionary."""
    _, _, key = _sources()
    path = cache_dir() / f"jieba-{key}.tags"
    cached = _load_cache(path)
    if isinstance(cached, dict):
        return cached
    tags: Dict[str, str] = {}
    with open(_default_dict_path(), "rb") as handle:
        for line in handle:
            line = line.strip().decode("utf-8")
            if line:
                word, _, tag = line.split(" ")
                tags[word] = tag
    _save_cache(path, tags)
    return tags


class PosTagger:
    """jieba.posseg's `cut(text, HMM=False)` over the project tokenizer, without loading posseg's
    HMM model (whose import alone takes about a second). HMM=True is handed to jieba.posseg."""

    def __init__(self, tok: "jieba.Tokenizer"):
        self.tokenizer = tok
        self.word_tag_tab = _dict_tags()
        self.word_tag_tab.update(tok.user_word_tag_tab)
        self._hmm_tagger = None

    def _posseg(self):
        """jieba.posseg's tagger sharing this one's tag table (its HMM model loads now)."""
        if self._hmm_tagger is None:
            import jieba.posseg

            tagger = object.__new__(jieba.posseg.POSTokenizer)  # its __init__ would re-read the dictionary
            tagger.tokenizer, tagger.word_tag_tab = _NoUserTags(self.tokenizer), self.word_tag_tab
            self._hmm_tagger = tagger
        return self._hmm_tagger

    def _cut_dag_no_hmm(self, sentence: str) -> Iterator[Pair]:
        dag = self.tokenizer.get_DAG(sentence)
        route: Dict[int, Tuple[float, int]] = {}
        self.tokenizer.calc(sentence, dag, route)
        x, n, buf = 0, len(sentence), ""
        tags = self.word_tag_tab
        while x < n:
            y = route[x][1] + 1
            word = sentence[x:y]
            if _RE_ENG1.match(word):
                buf += word
            else:
                if buf:
                    yield Pair(buf, "eng")
                    buf = ""
                yield Pair(word, tags.get(word, "x"))
            x = y
        if buf:
            yield Pair(buf, "eng")

    def cut(self, sentence: str, HMM: bool = True) -> Iterator[Pair]:  # noqa: N803 (jieba's name)
        """(word, flag) pairs of `sentence`, the same as jieba.posseg's."""
        if HMM:
            yield from (Pair(p.word, p.flag) for p in self._posseg().cut(sentence))
            return
        for blk in _RE_HAN_INTERNAL.split(sentence):
            if _RE_HAN_INTERNAL.match(blk):
                yield from self._cut_dag_no_hmm(blk)
                continue
            for x in _RE_SKIP_INTERNAL.split(blk):
                if _RE_SKIP_INTERNAL.match(x):
                    yield Pair(x, "x")
                    continue
                for xx in x:
                    if _RE_NUM.match(xx):
                        yield Pair(xx, "m")
                    elif _RE_ENG.match(x):
                        yield Pair(xx, "eng")
                    else:
                        yield Pair(xx, "x")

    def lcut(self, sentence: str, HMM: bool = True) -> List[Pair]:  # noqa: N803
        """`cut` as a list."""
        return list(self.cut(sentence, HMM))


class _NoUserTags:
    """A tokenizer seen without pending user tags (they are in the tag table already), so that
    jieba.posseg does not take them out of the project tokenizer."""

    user_word_tag_tab: Dict[str, str] = {}

    def __init__(self, tok):
        self._tok = tok

    def __getattr__(self, name):
        return getattr(self._tok, name)


@lru_cache(maxsize=1)
def pos_tagger() -> PosTagger:
    """POS tagger over the project tokenizer (use `cut(text, HMM=False)`; that needs no HMM model)."""
    return PosTagger(tokenizer())


def reset_caches() -> None:
    """Forget the loaded tokenizer and tagger (tests that change lexicons or the cache folder)."""
    for fn in (tokenizer, pos_tagger, _sources, project_words):
        fn.cache_clear()
