"""Source text → logical lines: chrome and page furniture removed, hard wraps repaired.

Reads a SourceText; returns Lines whose text keeps the original characters
(no width folding) and whose source offsets point back into the source.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import FrozenSet, List, Optional, Sequence, Set, Tuple

from . import lexicons
from .labels import parse_label
from .model import Line, LineHint, SourceText
from .records import record
from .split import ends_like_title, is_organisation_name, is_title_text
from .textutil import CJK, SENTENCE_END, cjk_share, ends_complete, fold
from .traditional import shadow_lines, to_shadow

_TOC_ENTRY = re.compile(r"(?:\.{3,}|…{2,}|·{3,}|-{4,}|\s{3,})\s*\d{1,3}$")
_TOC_HEAD = re.compile(r"^目\s*录$")
_WRAPPED_OPENERS = "，,、；;“‘（(《【"
# Keeps a short line with these characters from passing as a heading when it is a wrap.
_HEADING_MAX = 25
_NUMBERED_HEADING_MAX = 40


@record
class PhysicalLine:
    """One line of the source as it stands, trimmed.

    `text` is the matching shadow (simplified characters, pinyin glosses blanked;
    pipeline/traditional.py), `original` the characters as written when they differ.
    The two always have the same length, so every cut applies to both alike.
    """

    text: str
    index: int  # 0-based line number in the source
    source_start: int  # offset of text[0] in the source
    hint: Optional[LineHint] = None
    original: Optional[str] = None

    @property
    def written(self) -> str:
        """The line as written."""
        return self.text if self.original is None else self.original


@record
class ChromeRule:
    action: str  # cut | drop_line | drop_rest
    matcher: "re.Pattern[str]"


_ACTIONS = ("cut", "drop_line", "drop_rest")
# A drop_line/drop_rest rule removes a whole line only up to this length; a longer line
# holds plan text (only `cut` rules take spans out of it).
SHORT_LINE = 80
# What may remain of a line once chrome is cut from it for the line to go as well:
# nothing but spaces, punctuation, bullets, digits and list marks.
_RESIDUE = re.compile(r"[\s\d\W_、]*")
# CJK characters beside a whole-line rule's match that make the rest plan text.
_PLAN_TEXT_CJK = 30
_BULLETS = "•·●▪◆■-–—*> "


@lru_cache(maxsize=1)
def chrome_rules() -> Tuple[ChromeRule, ...]:
    """Compiled rules of lexicons/chrome.tsv."""
    rules = []
    for row in lexicons.read_table("chrome.tsv", ("action", "match", "pattern")):
        where = row["_where"]
        if row["action"] not in _ACTIONS:
            raise lexicons.LexiconError(where, f"unknown action {row['action']!r}")
        kind, pattern = row["match"], row["pattern"]
        if kind == "exact":
            regex = "^" + re.escape(pattern) + "$"
        elif kind == "contains":
            regex = re.escape(pattern)
        elif kind == "regex":
            regex = pattern
        else:
            raise lexicons.LexiconError(where, f"unknown match kind {kind!r}")
        rules.append(ChromeRule(row["action"], lexicons.compile_regex(regex, where)))
    return tuple(rules)


def _regex_parser():
    """The regex parser and its constants (re._parser since 3.11, sre_parse before)."""
    try:
        from re import _constants as constants, _parser as parser
    except ImportError:  # pragma: no cover - Python < 3.11
        import sre_constants as constants
        import sre_parse as parser
    return parser, constants


# A RANGE in a character class longer than this gives no useful required characters.
_GUARD_RANGE_MAX = 16


def _required_literals(pattern: "re.Pattern[str]") -> Optional[Tuple[str, ...]]:
    """Strings one of which every match of `pattern` contains, or None when the pattern's shape
    tells none (case-folding flags, a rule made only of classes and repeats that may match nothing).

    Read off the parsed pattern: a run of literals in a sequence, a small character class, a group,
    an alternation (one string per branch) or a repeat taken at least once; of the candidates in a
    sequence the most selective (few strings, long ones) is taken."""
    sets = _required_sets(pattern)
    return min(sets, key=_selectivity) if sets else None


def _selectivity(strings: Sequence[str]) -> float:
    """How often one of `strings` may be met by chance (lower: rarer; long strings are rare)."""
    return sum(1.0 / len(s) ** 2 for s in strings)


def _required_sets(pattern: "re.Pattern[str]") -> List[Tuple[str, ...]]:
    """Every set of strings `_required_literals` chooses among at the pattern's top level: each
    match of `pattern` holds one string of *each* set ([] when the shape tells none)."""
    parser, c = _regex_parser()
    if pattern.flags & re.IGNORECASE:
        return []
    try:
        parsed = parser.parse(pattern.pattern)
    except re.error:
        return []

    def item(op, av) -> Optional[List[str]]:
        if op is c.LITERAL:
            return [chr(av)]
        if op is c.SUBPATTERN:
            group, add_flags, del_flags, sub = av
            return None if add_flags & re.IGNORECASE else sequence(sub)
        if op is c.BRANCH:
            out: List[str] = []
            for alternative in av[1]:
                found = sequence(alternative)
                if found is None:
                    return None
                out += found
            return sorted(set(out))
        if op in (c.MAX_REPEAT, c.MIN_REPEAT):
            low, _, sub = av
            return sequence(sub) if low >= 1 else None
        if op is c.IN:
            chars: List[str] = []
            for o, a in av:
                if o is c.LITERAL:
                    chars.append(chr(a))
                elif o is c.RANGE and a[1] - a[0] < _GUARD_RANGE_MAX:
                    chars += [chr(x) for x in range(a[0], a[1] + 1)]
                else:  # NEGATE, CATEGORY, a wide range
                    return None
            return chars or None
        return None  # anchors, lookarounds, ANY, NOT_LITERAL, back-references: no characters required

    def sequence(items) -> Optional[List[str]]:
        candidates = every_candidate(items)
        if not candidates:
            return None
        return min(candidates, key=_selectivity)

    def every_candidate(items) -> List[List[str]]:
        candidates: List[List[str]] = []
        run: List[str] = []
        for op, av in items:
            if op is c.LITERAL:
                run.append(chr(av))
                continue
            if run:
                candidates.append(["".join(run)])
                run = []
            found = item(op, av)
            if found is not None:
                candidates.append(found)
        if run:
            candidates.append(["".join(run)])
        return candidates

    return [tuple(found) for found in every_candidate(list(parsed)) if found]


def _opens_with_scan(pattern: "re.Pattern[str]") -> bool:
    """True when a rule anchored at the line start opens (after optional marks) with a bounded run of
    any characters (`^.{0,60}…`, `^[^。！？]{0,30}…`): tried on a line, it steps through many lengths."""
    parser, c = _regex_parser()
    try:
        items = list(parser.parse(pattern.pattern))
    except re.error:
        return False
    for op, av in items:
        if op is c.AT:
            continue
        if op in (c.MAX_REPEAT, c.MIN_REPEAT):
            low, high, sub = av
            sub = list(sub)
            broad = len(sub) == 1 and (sub[0][0] in (c.ANY, c.NOT_LITERAL, c.CATEGORY) or
                                       (sub[0][0] is c.IN and sub[0][1][:1] == [(c.NEGATE, None)]))
            if broad and high > 1:
                return True
            if low == 0 and high == 1:
                continue  # an optional mark before the run ("[《“]?")
        return False
    return False


def _starts_at_line_start(pattern: "re.Pattern[str]") -> bool:
    parser, c = _regex_parser()
    try:
        first = list(parser.parse(pattern.pattern))[:1]
    except re.error:
        return False
    return bool(first) and first[0] == (c.AT, c.AT_BEGINNING)


# A rule anchored at the line start whose first character may be any of more than this many is
# tried on every line (see `_first_chars`).
_FIRST_CHARS_MAX = 64
# In a set of `_first_chars`: any decimal digit (`\d`, as str.isdecimal), any space (`\s`, as
# str.isspace); each with the test telling a character of the kind.
_ANY_DIGIT, _ANY_SPACE = "\\d", "\\s"
_KINDS = ((_ANY_DIGIT, str.isdecimal), (_ANY_SPACE, str.isspace))


def _first_chars(pattern: "re.Pattern[str]") -> Optional[FrozenSet[str]]:
    """The characters a match of `pattern` (a rule anchored at the line start) may open with
    (_ANY_DIGIT standing for every decimal digit, _ANY_SPACE for every space), or None when its shape tells no small set: a class
    of any characters, a start that may match nothing, case folding. Zero-width items (anchors,
    lookarounds) are passed over."""
    parser, c = _regex_parser()
    if pattern.flags & re.IGNORECASE:
        return None
    try:
        parsed = list(parser.parse(pattern.pattern))
    except re.error:
        return None

    def class_chars(av) -> Optional[Set[str]]:
        chars: Set[str] = set()
        for o, a in av:
            if o is c.LITERAL:
                chars.add(chr(a))
            elif o is c.RANGE and a[1] - a[0] < _FIRST_CHARS_MAX:
                chars.update(chr(x) for x in range(a[0], a[1] + 1))
            elif o is c.CATEGORY and a in (c.CATEGORY_DIGIT, c.CATEGORY_UNI_DIGIT):
                chars.add(_ANY_DIGIT)
            elif o is c.CATEGORY and a in (c.CATEGORY_SPACE, c.CATEGORY_UNI_SPACE):
                chars.add(_ANY_SPACE)
            else:  # NEGATE, other categories, a wide range
                return None
        return chars

    def first(items) -> Optional[Set[str]]:
        out: Set[str] = set()
        for op, av in items:
            if op is c.AT or op is c.ASSERT or op is c.ASSERT_NOT:
                continue
            if op is c.LITERAL:
                return out | {chr(av)}
            if op is c.IN:
                chars = class_chars(av)
                return None if chars is None else out | chars
            if op is c.SUBPATTERN:
                if av[1] & re.IGNORECASE:
                    return None
                found = first(av[3])
                return None if found is None else out | found
            if op is c.BRANCH:
                for alternative in av[1]:
                    found = first(alternative)
                    if found is None:
                        return None
                    out |= found
                return out
            if op is c.MAX_REPEAT or op is c.MIN_REPEAT:
                low, _, sub = av
                found = first(sub)
                if found is None:
                    return None
                out |= found
                if low >= 1:
                    return out
                continue  # optional: what follows may open the match as well
            return None  # ANY, NOT_LITERAL, back-references, atomic groups: any character
        return None  # the whole may match nothing

    found = first(parsed)
    return frozenset(found) if found is not None and len(found) <= _FIRST_CHARS_MAX else None


def _joined(rules: Sequence[ChromeRule]) -> Optional["re.Pattern[str]"]:
    """One alternation of the rules' patterns (None for no rules); re.error when they cannot be
    joined (inline flags, back-references)."""
    return re.compile("|".join(f"(?:{r.matcher.pattern})" for r in rules)) if rules else None


def _literal_alternation(strings) -> "re.Pattern[str]":
    # longest first: at one position the alternation takes the longest string found there
    return re.compile("|".join(re.escape(s) for s in sorted(set(strings), key=lambda s: (-len(s), s))))


# An anchored rule whose required strings are rarer than this (`_selectivity`: one string of three
# characters or more, a few longer ones) stands behind the guard too: most lines then never try it.
_GUARD_ANCHORED_BELOW = 0.2


class _Prefilter:
    """A necessary condition for some rule of a group to match a line: `found(text)` is False only
    when no rule of the group matches `text`.

    Rules that are slow to try on a line that does not hold them (searched at every position, or
    anchored but opening with a long run of any characters), and anchored rules that need a long
    string (`_GUARD_ANCHORED_BELOW`), stand behind a guard: one search for
    the strings one of which each such rule's match must hold (`_required_literals`); on a line
    that holds some, only the rules whose strings it holds (all of their required sets,
    `_required_sets`) are tried, each on its own. The other rules, quick to fail, are joined:
    those anchored at the line start by the character they may open with (`_first_chars`), so a
    line is tried against the few that may start with its first character; the rest in one
    alternation searched."""

    def __init__(self, rules: Sequence[ChromeRule]) -> None:
        guarded, anchored, free = [], [], []
        for r in rules:
            sets = _required_sets(r.matcher)
            at_start = _starts_at_line_start(r.matcher)
            if sets and (not at_start or _opens_with_scan(r.matcher) or
                         _selectivity(min(sets, key=_selectivity)) < _GUARD_ANCHORED_BELOW):
                guarded.append((r, sets, at_start))
            else:
                (anchored if at_start else free).append(r)
        self._everything = False  # rules that cannot be joined: every line goes to the rules
        opening = {id(r): _first_chars(r.matcher) for r in anchored}  # None: any character

        def opening_with(ch: str) -> Optional["re.Pattern[str]"]:
            """The anchored rules a line opening with `ch` may match (`ch` a kind of `_KINDS`: a
            character of that kind not named on its own; "": any other character)."""
            kinds = {kind for kind, test in _KINDS if ch == kind or (len(ch) == 1 and test(ch))}
            return _joined([r for r in anchored if opening[id(r)] is None or ch in opening[id(r)] or
                            not kinds.isdisjoint(opening[id(r)])])

        named = {ch for chars in opening.values() if chars for ch in chars} - {kind for kind, _ in _KINDS}
        try:
            self._anchored_by_first = {ch: opening_with(ch) for ch in named}
            self._anchored_by_kind = tuple((test, opening_with(kind)) for kind, test in _KINDS)
            self._anchored_other = opening_with("")
            self._free = _joined(free)
        except re.error:
            self._everything = True
            self._anchored_by_kind, self._anchored_other, self._free = (), None, None
            self._anchored_by_first = {}
        # the guarded rules: (the rule tried, the strings the guard finds for it, its other required sets)
        self._guarded = []
        literals: Set[str] = set()
        for r, sets, at_start in guarded:
            chosen = min(sets, key=_selectivity)
            others = tuple(_literal_alternation(other) for other in sets if other is not chosen)
            literals.update(chosen)
            self._guarded.append((r.matcher.match if at_start else r.matcher.search, frozenset(chosen), others))
        self.guard = _literal_alternation(literals) if literals else None
        # the guard reports the longest string at a position: the shorter ones it opens with are there too
        self._held = {s: frozenset(t for t in literals if s.startswith(t)) for s in literals}
        self._held_newline = any("\n" in s for s in self._held)  # found_in_lines cannot search them joined
        self._openings = self._opening_lines()
        # the guarded rules (indexes into _guarded) whose chosen strings hold each string
        self._guarded_by_string: dict = {}
        for i, (_, chosen, _) in enumerate(self._guarded):
            for s in chosen:
                self._guarded_by_string.setdefault(s, []).append(i)

    def _opening_lines(self) -> Optional[Tuple["re.Pattern[str]", "re.Pattern[str]"]]:
        """When no anchored rule may open with any character: (a pattern matching the characters
        some anchored rule may open with: each named, or of a kind with rules (`\\d` is str.isdecimal,
        `\\s` str.isspace); the same looked ahead for after a newline); else None."""
        if self._everything or self._anchored_other is not None:
            return None
        kinds = {_ANY_DIGIT: r"\d", _ANY_SPACE: r"\s"}
        openings = [re.escape(ch) for ch in sorted(self._anchored_by_first)]
        openings += [kinds[kind] for (kind, _), (_, rules) in zip(_KINDS, self._anchored_by_kind) if rules is not None]
        opening = "(?:" + "|".join(openings) + ")" if openings else "(?!)"
        # a newline before: found by the engine's fast search for it
        return re.compile(opening), re.compile("\n(?=" + opening + ")")

    def _anchored(self, first: str) -> Optional["re.Pattern[str]"]:
        """The joined anchored rules a line opening with `first` may match."""
        found = self._anchored_by_first.get(first)
        if found is not None:
            return found
        for test, rules in self._anchored_by_kind:
            if first and test(first):
                return rules
        return self._anchored_other

    def found(self, text: str) -> bool:
        if self._everything:
            return True
        anchored = self._anchored(text[:1])
        if (anchored is not None and anchored.match(text)) or (self._free is not None and self._free.search(text)):
            return True
        if self.guard is None:
            return False
        m = self.guard.search(text)
        if m is None:
            return False
        held: Set[str] = set()
        while m is not None:  # every position a string starts at (they may overlap)
            held |= self._held[m.group()]
            m = self.guard.search(text, m.start() + 1)
        return self._guarded_found(text, held)

    def _guarded_found(self, text: str, held: Set[str]) -> bool:
        """Some guarded rule matches `text`, which holds the guard's strings `held`."""
        tried = {i for s in held for i in self._guarded_by_string.get(s, ())}  # the rules whose strings it holds
        guarded = self._guarded
        return any(all(o.search(text) for o in guarded[i][2]) and guarded[i][0](text) for i in tried)

    def found_in_lines(self, keys: Sequence[str], joined: str, longest: int) -> List[bool]:
        """`found` of each of `keys` (False for one longer than `longest`), the lines `joined` holds
        "\\n"-joined: the guard searched once over all of them (its strings hold no newline)."""
        if self._everything or self._held_newline:
            return [len(k) <= longest and self.found(k) for k in keys]
        out = [False] * len(keys)
        by_first: dict = {}  # first character -> `_anchored` of it, asked once per character in this call
        for i in range(len(keys)) if self._openings is None else _lines_opening(*self._openings, joined):
            text = keys[i]
            if len(text) <= longest:
                first = text[:1]
                anchored = by_first.get(first, by_first)
                if anchored is by_first:
                    anchored = by_first[first] = self._anchored(first)
                if anchored is not None and anchored.match(text):
                    out[i] = True
        free = self._free
        if free is not None:
            for i, text in enumerate(keys):
                if not out[i] and len(text) <= longest and free.search(text):
                    out[i] = True
        guard = self.guard
        if guard is None:
            return out
        held_by_line: dict = {}
        line, at = 0, 0  # the line that `joined[at]` stands in
        m = guard.search(joined)
        while m is not None:  # every position a string starts at, in order
            start = m.start()
            line += joined.count("\n", at, start)
            at = start
            held_by_line.setdefault(line, set()).update(self._held[m.group()])
            m = guard.search(joined, start + 1)
        for i, held in held_by_line.items():
            text = keys[i]
            if not out[i] and len(text) <= longest and self._guarded_found(text, held):
                out[i] = True
        return out


def _lines_opening(opening: "re.Pattern[str]", after_break: "re.Pattern[str]", joined: str) -> List[int]:
    """The numbers (in order) of the "\\n"-joined lines of `joined` that open with a match of
    `opening` (`after_break`: a newline, then `opening` looked ahead for)."""
    found = [0] if opening.match(joined) else []
    line, at = 0, 0
    for m in after_break.finditer(joined):
        start = m.start()
        line += joined.count("\n", at, start + 1)  # the line after this newline
        at = start + 1
        found.append(line)
    return found


@lru_cache(maxsize=1)
def chrome_prefilters() -> Tuple[_Prefilter, _Prefilter]:
    """(whole-line rules, cut rules) of `chrome_rules`, each as a `_Prefilter`: a line that neither
    may match needs no rule-by-rule pass (most lines)."""
    rules = chrome_rules()
    return _Prefilter([r for r in rules if r.action != "cut"]), _Prefilter([r for r in rules if r.action == "cut"])


# A line break that a page's encoding turned into a stray letter (Cyrillic "Р" between two
# sentences): a Greek or Cyrillic letter standing alone between Chinese text.
_STRAY_BREAK = re.compile(r"(?<=[\u3400-\u9fff。；;！？!?：:”」）)])[\u0370-\u03ff\u0400-\u04ff]"
                          r"(?=[\u3400-\u9fff\d（(“])")
_GREEK_OR_CYRILLIC = re.compile(r"[\u0370-\u04ff]")
# ... counted as breaks only when a page holds this many of them (one may be a name's letter).
_STRAY_BREAK_MIN = 3


def restore_lost_breaks(text: str) -> str:
    """`text` with line breaks restored where a stray letter replaced them; same length.

    >>> restore_lost_breaks("一、目标。Р1.学习。Р2.实践。Р3.总结。")
    '一、目标。\\n1.学习。\\n2.实践。\\n3.总结。'
    """
    if not _GREEK_OR_CYRILLIC.search(text):
        return text
    if len(_STRAY_BREAK.findall(text)) < _STRAY_BREAK_MIN:
        return text
    return _STRAY_BREAK.sub("\n", text)


# Characters that width folding changes: lines without them need no folding.
_FOLDABLE = re.compile("[\uff01-\uff5e\u3000\u00a0]")


# A run of spaces inside a long line that stands for a lost line break: pages flattened to one
# line keep their breaks as two or more spaces (ASCII, full-width or no-break).
_SPACE_BREAK = re.compile("[ \u3000\u00a0\t]{2,}")
# One such space: searched for by its class alone (far faster than the run); a line without one has no break.
_SPACE_CHAR = re.compile(_SPACE_BREAK.pattern[:-4])


def _pieces(raw: str) -> List[Tuple[int, str]]:
    """(offset in `raw`, piece) of a source line: the line itself, or, for a line longer than
    SHORT_LINE, its pieces between runs of two or more spaces (lost line breaks)."""
    if len(raw) <= SHORT_LINE or not _SPACE_CHAR.search(raw) or not _SPACE_BREAK.search(raw.strip()):
        return [(0, raw)]
    out, at = [], 0
    for m in _SPACE_BREAK.finditer(raw):
        out.append((at, raw[at:m.start()]))
        at = m.end()
    out.append((at, raw[at:]))
    return [(a, piece) for a, piece in out if piece.strip()] or [(0, raw)]


def physical_lines(source: SourceText) -> List[PhysicalLine]:
    """Split the source text into trimmed lines with their offsets, hints and matching shadows
    (a long line's runs of spaces count as line breaks, see `_pieces`)."""
    rows = []  # (trimmed text, line number, source offset, hint)
    offset = 0
    hints = source.line_hints
    hinted = len(hints)
    text = restore_lost_breaks(source.text)
    invisible = "\u200b" in text or "\ufeff" in text
    for index, whole in enumerate(text.split("\n")):
        hint = hints[index] if index < hinted else None
        if len(whole) <= SHORT_LINE and not invisible:  # most lines: one piece, the line itself
            stripped = whole.strip()
            lead = 0 if stripped is whole else len(whole) - len(whole.lstrip())  # strip gives the line itself when it has no spaces
            rows.append((stripped, index, offset + lead, hint))
            offset += len(whole) + 1
            continue
        for at, raw in _pieces(whole) if len(whole) > SHORT_LINE else ((0, whole),):
            stripped = raw.strip()
            lead = 0 if stripped is raw else len(raw) - len(raw.lstrip())
            if invisible:
                stripped = stripped.replace("\u200b", "").replace("\ufeff", "")
            rows.append((stripped, index, offset + at + lead, hint))
        offset += len(whole) + 1
    shadows = shadow_lines([row[0] for row in rows])
    return [PhysicalLine(shadow, index, start, hint, None if shadow == stripped else stripped)
            for shadow, (stripped, index, start, hint) in zip(shadows, rows)]


@record
class ChromeVerdict:
    """What the chrome rules make of one line: drop it, end the page there, or cut spans from it."""

    action: Optional[str]  # "drop_line" | "drop_rest" | None
    cuts: Tuple[Tuple[int, int], ...] = ()  # spans (into the line) to remove when the line stays


_NOT_CHROME = ChromeVerdict(None)


def judge_chrome(text: str) -> ChromeVerdict:
    """Apply every chrome rule to one trimmed line (shadow text).

    A `drop_line`/`drop_rest` rule applies to a short line only (<= SHORT_LINE):
    a longer line holds plan text; and where the text beside its match reads as
    plan text (a sentence end, or many CJK characters) it takes its match only.
    A `cut` rule removes the spans it matches from any line; the line is dropped
    when nothing but chrome remains (spaces, punctuation, digits and list marks).
    """
    return _judge(fold(text) if _FOLDABLE.search(text) else text)


def _judge(key: str) -> ChromeVerdict:
    """`judge_chrome` of a line whose width folding `key` is done already."""
    bare = key.lstrip(_BULLETS)
    shift = len(key) - len(bare)
    cuts: List[Tuple[int, int]] = []
    whole_any, cut_any = chrome_prefilters()
    if len(key) <= SHORT_LINE and (whole_any.found(key) or (shift and whole_any.found(bare))):
        for rule in chrome_rules():
            if rule.action == "cut":
                continue
            m = rule.matcher.search(key)
            base = 0
            if not m and shift:
                m, base = rule.matcher.search(bare), shift
            if not m:
                continue
            if _holds_plan_text(key[:m.start() + base] + key[m.end() + base:]):
                cuts.append((m.start() + base, m.end() + base))  # plan text beside: take the match only
                continue
            return ChromeVerdict(rule.action)
    for rule in chrome_rules() if cut_any.found(key) or (shift and cut_any.found(bare)) else ():
        if rule.action != "cut":
            continue
        for target, base in ((key, 0), (bare, shift)) if shift else ((key, 0),):
            for m in rule.matcher.finditer(target):
                if m.end() > m.start():
                    cuts.append((m.start() + base, m.end() + base))
    if not cuts:
        return _NOT_CHROME
    merged = _merge(cuts)
    rest = "".join(key[a:b] for a, b in _complement(merged, len(key)))
    if _RESIDUE.fullmatch(rest):
        return ChromeVerdict("drop_line")
    rest = rest.strip()
    if len(rest) <= SHORT_LINE and not _holds_plan_text(rest):
        # what the cuts left may be a chrome line of its own ("…系列制度[本文共N字]")
        for rule in chrome_rules():
            if rule.action != "cut" and rule.matcher.search(rest):
                return ChromeVerdict(rule.action)
    return ChromeVerdict(None, tuple(merged))


def _holds_plan_text(rest: str) -> bool:
    """True when what a whole-line rule left aside reads as plan text: a sentence, or much CJK."""
    return any(c in rest for c in "。！？!?") or len(CJK.findall(rest)) >= _PLAN_TEXT_CJK


def _merge(spans: Sequence[Tuple[int, int]]) -> List[Tuple[int, int]]:
    out: List[Tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _complement(spans: Sequence[Tuple[int, int]], length: int) -> List[Tuple[int, int]]:
    out, at = [], 0
    for a, b in spans:
        if a > at:
            out.append((at, a))
        at = b
    if at < length:
        out.append((at, length))
    return out


def chrome_action(text: str) -> Optional[str]:
    """The chrome action `text` triggers as a whole line ('drop_line'/'drop_rest'), else None."""
    return judge_chrome(to_shadow(text.strip())).action


def strip_chrome_spans(text: str) -> str:
    """`text` (one line) with every chrome span removed and the rest trimmed; "" when all is chrome."""
    line = text.strip()
    verdict = judge_chrome(to_shadow(line))
    if verdict.action:
        return ""
    return _apply_cuts(line, verdict.cuts).strip()


def _apply_cuts(text: str, cuts: Sequence[Tuple[int, int]]) -> str:
    if not cuts:
        return text
    return "".join(text[a:b] for a, b in _complement(cuts, len(text)))


def _cut_line(line: PhysicalLine, cuts: Sequence[Tuple[int, int]]) -> PhysicalLine:
    """`line` with the spans removed from its shadow and its original alike, then trimmed."""
    keep = _complement(cuts, len(line.text))
    text = "".join(line.text[x:y] for x, y in keep)
    original = "".join(line.original[x:y] for x, y in keep) if line.original is not None else None
    lead = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    first, pos = 0, lead
    for x, y in keep:
        if pos < y - x:
            first = x + pos
            break
        pos -= y - x
    return PhysicalLine(text[lead:end], line.index, line.source_start + first, line.hint,
                        original[lead:end] if original is not None else None)


def drop_chrome(lines: Sequence[PhysicalLine]) -> List[PhysicalLine]:
    """Remove chrome: whole chrome lines, chrome spans inside plan lines; a drop_rest rule ends
    the page once plan text precedes it."""
    kept: List[PhysicalLine] = []
    # the CJK characters of plan text kept so far, counted only when a drop_rest rule asks (rare):
    # kept[counted:] are the lines kept since the last count (only blank lines are taken back)
    seen_cjk = 0
    counted = 0
    after_dropped = False
    keys, joined = _folded_lines(lines)
    # the prefilters asked for all lines at once; a line neither lets through (and without a bullet
    # in front, which _judge looks past) is no chrome
    whole_any, cut_any = chrome_prefilters()
    whole = whole_any.found_in_lines(keys, joined, SHORT_LINE)
    cut = cut_any.found_in_lines(keys, joined, len(joined))
    for i, (line, key) in enumerate(zip(lines, keys)):
        if not line.text:
            if not after_dropped:
                kept.append(line)
            continue
        if not (whole[i] or cut[i] or key[0] in _BULLETS):  # no chrome (most lines)
            after_dropped = False
            kept.append(line)
            continue
        verdict = _judge(key)
        if verdict.action == "drop_rest":
            seen_cjk = _count_plan_text(seen_cjk, kept, counted)
            counted = len(kept)
            if seen_cjk >= _PLAN_TEXT_BEFORE_REST:
                break
        if verdict.action:
            # blank lines around page furniture are a page break, not a paragraph break
            while kept and not kept[-1].text:
                kept.pop()
            counted = min(counted, len(kept))
            after_dropped = True
            continue
        if verdict.cuts:
            line = _cut_line(line, verdict.cuts)
        after_dropped = False
        kept.append(line)
    return kept


# CJK characters of plan text a drop_rest rule needs before it to end the page.
_PLAN_TEXT_BEFORE_REST = 200


def _count_plan_text(seen: int, lines: Sequence[PhysicalLine], start: int) -> int:
    """`seen` plus the CJK characters of lines[start:] (a line's length times its CJK share),
    counted in order up to _PLAN_TEXT_BEFORE_REST (only ever compared with it)."""
    for i in range(start, len(lines)):
        if seen >= _PLAN_TEXT_BEFORE_REST:
            break
        text = lines[i].text
        seen += int(len(text) * cjk_share(text))
    return seen


def _folded_texts(lines: Sequence[PhysicalLine]) -> List[str]:
    """`fold` of every line's text, folded together: one replace per foldable character the lines
    hold instead of one translate per line (folding maps each character on its own)."""
    return _folded_lines(lines)[0]


def _folded_lines(lines: Sequence[PhysicalLine]) -> Tuple[List[str], str]:
    """`_folded_texts`, and the same "\\n"-joined (folding makes no newline)."""
    joined = "\n".join([l.text for l in lines])
    for char in set(_FOLDABLE.findall(joined)):
        joined = joined.replace(char, fold(char))
    return joined.split("\n"), joined


_DATE_LINE = re.compile(r"(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|"
                        r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}")
_SIGNATURE_MAX = 24


def drop_signatures(lines: Sequence[PhysicalLine]) -> List[PhysicalLine]:
    """Remove a signature: a short line that only names an organisation (`XX小学党支部`) and stands
    over a date line or at the very end of the text. The date line itself is chrome."""
    filled = [i for i, l in enumerate(lines) if l.text]
    drop = set()
    for k, i in enumerate(filled):
        text = lines[i].text
        if len(text) > _SIGNATURE_MAX or not is_organisation_name(text):
            continue
        nxt = lines[filled[k + 1]].text if k + 1 < len(filled) else None
        if nxt is None or _DATE_LINE.fullmatch(nxt.strip()):
            drop.add(i)
    return [l for i, l in enumerate(lines) if i not in drop]


_CHUNK_MARK = re.compile(r"(\d{1,2})、")
# Fixed-width chunks of a document-sharing page: every chunk but the last at least this long,
# all of about one length (longest / shortest at most _CHUNK_SPREAD).
_CHUNK_MIN = 120
_CHUNK_SPREAD = 1.25


def join_page_chunks(lines: Sequence[PhysicalLine]) -> List[PhysicalLine]:
    """Undo a sharing site's fixed-width chunking: lines opening `1、` `2、` `3、` … whose text runs
    on from one chunk into the next (cutting a word or a sentence in two) become one line, the
    markers removed.

    A run counts as chunking only when its numbers go 1, 2, 3 … in order, the chunks
    stand next to each other (blank lines aside), all but the last are long and of about
    one length, and none of those ends a sentence: a numbered list of paragraphs ends its
    items and varies in length.
    """
    # a mark opens with a digit (`\d` is str.isdecimal): no other line needs the match
    marks = [(i, int(m.group(1)), m.end()) for i, l in enumerate(lines)
             if l.text[:1].isdecimal() and (m := _CHUNK_MARK.match(l.text))]
    if len(marks) < 2 or marks[0][1] != 1:
        return list(lines)
    run = [marks[0]]
    for i, n, end in marks[1:]:
        if n != run[-1][1] + 1 or any(l.text for l in lines[run[-1][0] + 1:i]):
            break
        run.append((i, n, end))
    if len(run) < 2:
        return list(lines)
    body = [len(lines[i].text) for i, _, _ in run[:-1]]
    if min(body) < _CHUNK_MIN or max(body) > min(body) * _CHUNK_SPREAD:
        return list(lines)
    if any(ends_complete(lines[i].text) for i, _, _ in run[:-1]):
        return list(lines)
    first, _, first_end = run[0]
    merged = _cut_line(lines[first], [(0, first_end)])
    text, written = merged.text, merged.written
    for i, _, end in run[1:]:
        text += lines[i].text[end:]
        written += lines[i].written[end:]
    joined = PhysicalLine(text, merged.index, merged.source_start, merged.hint,
                          None if written == text else written)
    return list(lines[:first]) + [joined] + list(lines[run[-1][0] + 1:])


_COUNTER = re.compile(r"(?<![\d./:：-])(\d{1,3})\s*/\s*(\d{1,3})(?![\d./%:-])")


def strip_page_counters(lines: Sequence[PhysicalLine]) -> List[PhysicalLine]:
    """Cut the page counters a viewer glued into the text ("党支部工1/5作计划…2/5…").

    A counter `N/M` counts only as part of a run over one page count M that
    appears at least twice with N rising (1/5, 2/5 …), so a fraction in a
    sentence (占1/3以上) stays.
    """
    found = [(i, m) for i, l in enumerate(lines) if "/" in l.text for m in _COUNTER.finditer(l.text)]
    if len(found) < 2:
        return list(lines)
    by_total: dict = {}
    for i, m in found:
        by_total.setdefault(int(m.group(2)), []).append((i, m))
    cuts: dict = {}
    for total, hits in by_total.items():
        numbers = [int(m.group(1)) for _, m in hits]
        if total < 2 or len(hits) < 2 or numbers != sorted(set(numbers)) or numbers[-1] > total \
                or numbers[0] > 2:
            continue
        for i, m in hits:
            cuts.setdefault(i, []).append((m.start(), m.end()))
    if not cuts:
        return list(lines)
    out = []
    for i, line in enumerate(lines):
        if i in cuts:
            line = _cut_line(line, _merge(cuts[i]))
        if line.text or i not in cuts:
            out.append(line)
    return out


def drop_table_of_contents(lines: Sequence[PhysicalLine]) -> List[PhysicalLine]:
    """Remove a table of contents: dot-leader entries, and a 目录 block up to where the body repeats it."""
    # an entry ends with its page number (`\d` is a decimal digit, as str.isdecimal): no other line needs the search
    out = [l for l in lines
           if not (l.text and l.text[-1].isdecimal() and _TOC_ENTRY.search(l.text) and parse_label(l.text.lstrip()))]
    for i, line in enumerate(out):
        if not (line.text[:1] == "目" and _TOC_HEAD.match(line.text)):  # the head opens with 目: no other line needs the match
            continue
        entries = [l for l in out[i + 1:i + 60] if l.text]
        if not entries:
            break
        first = _toc_key(entries[0].text)
        for j in range(i + 2, min(len(out), i + 200)):
            if out[j].text and _toc_key(out[j].text) == first and out[j] is not entries[0]:
                return out[:i] + out[j:]
        return out[:i] + out[i + 1:]
    return out


_TOC_KEY_TAIL = re.compile(r"[\s.…·\d-]+$")


def _toc_key(text: str) -> str:
    return _TOC_KEY_TAIL.sub("", fold(text))[:12]


class _LineFacts:
    """What the wrap repair asks about a line's text, worked out once per text in one call:
    each line is asked about as the line before a break and again as the line after it."""

    def __init__(self) -> None:
        self._titles: dict = {}
        self._headings: dict = {}

    def title(self, text: str) -> bool:
        found = self._titles.get(text)
        if found is None:
            found = self._titles[text] = looks_like_plan_title(text)
        return found

    def heading(self, text: str) -> bool:
        found = self._headings.get(text)
        if found is None:
            found = self._headings[text] = is_heading_like(text)
        return found


def wrap_width(lines: Sequence[PhysicalLine]) -> Optional[int]:
    """The hard-wrap width of pasted text: a length many unfinished lines share, if any."""
    return _wrap_width(lines, _LineFacts())


def _wrap_width(lines: Sequence[PhysicalLine], facts: _LineFacts) -> Optional[int]:
    lengths = Counter(len(l.text) for l in lines
                      if len(l.text) >= 16 and not ends_complete(l.text) and not facts.heading(l.text))
    if not lengths:
        return None
    # merge neighbours: wraps vary by a character or two with half-width digits
    best, best_count = None, 0
    for length in lengths:
        count = lengths[length] + lengths.get(length + 1, 0)
        if count > best_count or (count == best_count and best is not None and length < best):
            best, best_count = length, count
    return best if best_count >= 3 else None


def looks_like_plan_title(text: str) -> bool:
    """A line that reads as a plan's title (see split.is_title_line): it never runs on into the next."""
    return is_title_text(text)  # is_title_line of a line without hints


# The characters a heading holds none of, searched for at once (one search, not a test per character).
_SENTENCE_END_CHAR = re.compile("[" + re.escape(SENTENCE_END) + "]")
_NOT_IN_HEADING = re.compile("[" + re.escape(SENTENCE_END + "，,、") + "]")
_NOT_IN_TITLE_REST = re.compile("[" + re.escape(SENTENCE_END + "，,") + "]")
_COMMA = re.compile("[，,、]")


def is_heading_like(text: str) -> bool:
    """A line that can stand alone as a heading, so a missing end mark is no wrap."""
    label = parse_label(text)
    if label:
        rest = text[label.end:]
        if not rest.strip():
            return False  # a label alone on its line: the text follows on the next one
        return len(text) <= _NUMBERED_HEADING_MAX and not _SENTENCE_END_CHAR.search(text, label.end)
    if len(text) > _HEADING_MAX:
        return False
    return not _NOT_IN_HEADING.search(text)


def continues_previous(prev: PhysicalLine, nxt: PhysicalLine, width: Optional[int]) -> bool:
    """True when `nxt` is the rest of `prev`'s sentence, cut by a hard line wrap."""
    return _continues(prev, nxt, width, _LineFacts())


def _continues(prev: PhysicalLine, nxt: PhysicalLine, width: Optional[int], facts: _LineFacts) -> bool:
    if not prev.text or not nxt.text:
        return False
    if prev.hint and prev.hint.is_title and not (nxt.hint and (nxt.hint.heading_level or nxt.hint.numbered)):
        # a title set on two lines ("…2026年“三会一" / "课”工作计划"): the rest is short and unfinished
        return (not ends_complete(prev.text) and len(nxt.text) <= _HEADING_MAX and not parse_label(nxt.text)
                and not _NOT_IN_TITLE_REST.search(nxt.text)
                and looks_like_plan_title(prev.text + nxt.text))
    if (prev.hint and (prev.hint.heading_level or prev.hint.is_title or prev.hint.numbered)) or \
            (nxt.hint and (nxt.hint.heading_level or nxt.hint.is_title or nxt.hint.numbered)):
        label_only = prev.hint and prev.hint.numbered and parse_label(prev.text) and \
            not prev.text[parse_label(prev.text).end:].strip()
        return bool(label_only)
    if ends_complete(prev.text):
        return False
    if parse_label(nxt.text) or facts.title(prev.text):
        return False
    if facts.title(nxt.text) and ends_like_title(prev.text):
        return False  # two titles stacked (a site's headline over the plan's own title)
    if nxt.text[0] in "，,。、；;：:）)”’》】":
        return True
    if prev.text[-1] in _WRAPPED_OPENERS:
        return True
    if facts.heading(prev.text):
        # a short line is a heading unless it reaches the wrap width; a numbered one
        # must also hold a comma, as a long two-part heading title does
        if not width or len(prev.text) > width + 2:
            return False  # longer than the wrap width: the line was never wrapped
        if parse_label(prev.text):
            # a two-part numbered title ("加强…，不断提升…") cut near the wrap width,
            # its short remainder alone on the next line
            return (len(prev.text) >= width - 3 and len(nxt.text) < width // 2
                    and _COMMA.search(prev.text) is not None)
        return len(prev.text) >= width - 1
    return True


def _lone_label(current: Sequence[PhysicalLine]) -> bool:
    """True when the lines gathered so far are one line holding a numbering label and nothing else."""
    if len(current) != 1 or current[0].hint:
        return False
    label = parse_label(current[0].text)
    return bool(label) and not current[0].text[label.end:].strip()


def _logical_line(parts: Sequence[PhysicalLine]) -> Line:
    """One logical line of physical lines joined."""
    first = parts[0]
    if len(parts) == 1:  # most lines: nothing to join
        text, original = first.text, first.original  # the written text where it differs, else None
        if original is not None and original == text:
            original = None
        source_lines: Tuple[int, ...] = (first.index,)
    else:
        text = "".join(p.text for p in parts)
        written = "".join(p.written for p in parts)
        original = None if written == text else written
        source_lines = tuple(p.index for p in parts)
    # positional: keyword arguments cost a frozen dataclass more per line (tests keep the order in step)
    return Line(text, 0, first.source_start, source_lines, first.hint, original)


def join_wraps(lines: Sequence[PhysicalLine]) -> List[Line]:
    """Join hard-wrapped physical lines into logical lines; blank lines end paragraphs."""
    facts = _LineFacts()
    width = _wrap_width(lines, facts)
    out: List[Line] = []
    current: List[PhysicalLine] = []
    for line in lines:
        if not line.text:
            if current and not _lone_label(current):  # a label alone on its line is no paragraph: its title may follow
                out.append(_logical_line(current))
                current = []
            continue
        if current and _continues(current[-1], line, width, facts):
            current.append(line)
            continue
        if current:
            out.append(_logical_line(current))
        current = [line]
    if current:
        out.append(_logical_line(current))
    return out


# A source with this many CJK characters holds text: clean-up may not leave nothing of it.
_TEXT_MIN_CJK = 60


def source_to_lines(source: SourceText) -> Tuple[Line, ...]:
    """Logical lines of a source: chrome, page numbers and TOC removed, wraps repaired.

    Should the chrome rules leave nothing of a source that holds text (every
    line short and matched by some rule), the lines are kept with only their
    chrome spans cut: a page with plan text is never read as empty.
    """
    physical = physical_lines(source)
    lines = drop_chrome(drop_signatures(physical))
    if not any(CJK.search(l.text) for l in lines) and \
            sum(len(CJK.findall(l.text)) for l in physical) >= _TEXT_MIN_CJK:
        lines = [_cut_line(l, judge_chrome(l.text).cuts) if l.text else l for l in physical]
    lines = strip_page_counters(join_page_chunks(lines))
    lines = drop_table_of_contents(lines)
    return tuple(join_wraps(lines))
