"""The frozen dataclasses that the stages pass along.

Reads nothing, writes nothing: ingest makes a SourceText, split/outline make
Lines and Sections, commitments and measures add their records, and one
FileResult per input file carries documents and problems to the exports.

Offsets: every `span` of a Section or Commitment is a (start, end) pair into
its Document's `text` (the plan's logical lines joined by "\\n", wraps
repaired), so `document.text[start:end]` is exactly the quoted text.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Optional, Tuple, Union

from .records import record

Number = Union[int, Decimal]
Span = Tuple[int, int]

SCHEMA_VERSION = "1.0"


@record
class LineHint:
    """Structure a rich format knows about a physical line (Word styles)."""

    heading_level: Optional[int] = None  # Heading 1-9 / outline level, 1 = outermost
    is_title: bool = False  # Title style or a centred bold first paragraph
    numbered: bool = False  # the label in front was rebuilt from Word numbering


@record
class SourceText:
    """One input file decoded to text: one paragraph or line per "\\n"."""

    path: str
    format: str  # "txt" | "html" | "docx" | "pdf"
    text: str
    encoding: Optional[str] = None  # detected for txt/html, None for docx/pdf
    # aligned with text.split("\\n") when given; empty means "no hints"
    line_hints: Tuple[Optional[LineHint], ...] = ()
    title: Optional[str] = None  # document title a rich format declares


@record
class Line:
    """A logical line: one or more physical lines joined where a hard wrap was repaired."""

    text: str  # stripped text; what the later stages read
    start: int  # offset of `text` in the Document text
    source_start: int  # offset of its first character in SourceText.text
    source_lines: Tuple[int, ...]  # physical line numbers (0-based) it was joined from
    hint: Optional[LineHint] = None
    # the characters as written when `text` is their simplified matching shadow (same length;
    # see pipeline/traditional.py); None when the two are the same
    original: Optional[str] = None


@record
class Section:
    """One node of a plan's outline."""

    id: str  # "s1", "s2" … in reading order within the document
    parent: Optional[str]  # id of the parent section, None at level 1
    level: int  # depth in this document's tree, 1 = outermost
    label: str  # the numbering label as written ("（一）", "1、"), "" if unnumbered
    title: str  # heading text up to the first 。：；, without the label
    path: str  # labels (or titles of unnumbered headings) from the root, joined by "/"
    heading: str  # the whole heading line
    body: str  # text after the heading line up to the next heading
    span: Span  # heading start → end of the body, in the Document text
    heading_span: Span  # the heading line
    label_span: Span  # the label inside the heading (empty span when unnumbered)


@record
class Commitment:
    """A measurable promise: value, unit, comparator, period, kind, with its evidence."""

    value: Number
    value_max: Optional[Number]
    unit: str
    comparator: str  # ">=", "<=", "=", "~"
    period: Optional[str]  # year semester quarter month biweekly week day, or None
    kind: str  # frequency quantity duration deadline ratio schedule
    quote: str  # exact matched text, == document.text[span]
    span: Span
    sentence: str  # the clause it sits in
    section_id: Optional[str]
    section_path: Optional[str]
    subject: Optional[str] = None  # the practice or body it governs
    verb: Optional[str] = None  # the action promised (召开, 开展 …) when found
    deadline: Optional[str] = None  # a dated target as written (到2026年底)
    confidence: float = 1.0
    optional: bool = False  # borderline item (bare month, weekly slot)
    raw_value: str = ""  # the number token as written


@record
class Measure:
    """A practice a plan names, under its canonical name."""

    name: str  # canonical name
    category: str
    count: int  # mentions in the document
    aliases_seen: Tuple[str, ...]  # surface forms found
    section_ids: Tuple[str, ...]  # sections that name it
    commitment_ids: Tuple[int, ...]  # indexes into Document.commitments that govern it
    candidate: bool = False  # proposed from text, not in the lexicon


@record
class PlanPeriod:
    """The time a plan covers, as its title or opening states it (2026年, 2025—2026学年)."""

    kind: str  # "year" | "school_year" | "semester"
    label: str  # as written: "2026年", "2025—2026学年", "2026年春季学期"
    start: str  # ISO date of the first day
    end: str  # ISO date of the last day (inclusive)


@record
class Task:
    """One actionable item of a plan: a leaf of its outline, an unnumbered item or a schedule row."""

    id: str  # "t1", "t2" … in reading order within the document
    what: str  # the item's title, or its first clause
    detail: str  # the item's own text after the title, on one line (may be "")
    section_id: Optional[str]
    section_path: Optional[str]
    quote: str  # the item's text, == document.text[span]
    span: Span
    source: str = "item"  # item (outline leaf) | body (a heading's own text) | schedule (a dated row) | paragraph
    who: Tuple[str, ...] = ()  # responsible bodies or persons the text names
    when: str = ""  # the time phrase as written (三月, 第二学期, 每月15日, 6月底前)
    start: Optional[str] = None  # ISO date the task falls in or starts on
    end: Optional[str] = None  # ISO date it ends on (inclusive; a deadline has start == end)
    recurrence: Optional[str] = None  # RFC 5545 RRULE without UNTIL (FREQ=MONTHLY;BYMONTHDAY=15)
    how_often: str = ""  # the item's commitments as a checklist writes them (每月≥1次)
    commitment_ids: Tuple[int, ...] = ()  # indexes into Document.commitments inside the item
    practices: Tuple[str, ...] = ()  # canonical names of the practices it names


@record
class Norm:
    """A required frequency (or term) of a practice, with the rule it comes from (lexicons/norms.tsv)."""

    practice: str  # canonical practice name as in lexicons/measures.tsv
    value: Number
    comparator: str  # ">=" | "<=" | "="
    period: Optional[str]  # year semester quarter month … (None for a term of office)
    unit: str = "次"
    aliases: Tuple[str, ...] = ()  # further names of the practice in plan text
    basis: str = "条例"  # 条例 (the rule itself) | 地方规定 (left to local rules)
    source: str = ""  # document and article
    quote: str = ""  # the rule's wording
    note: str = ""


@record
class ComplianceCheck:
    """One norm against one plan: meets | weaker | vague | missing, with the plan's own words."""

    practice: str
    outcome: str  # meets | weaker | vague | missing
    required: str  # the norm as a checklist writes it (每季度≥1次)
    basis: str
    source: str
    plan: str = ""  # the plan's commitment(s) for the practice as written ("" when none)
    required_per_year: Optional[float] = None
    plan_per_year: Optional[float] = None
    commitment_ids: Tuple[int, ...] = ()
    quote: str = ""  # the sentence that names the practice or commits to it
    span: Optional[Span] = None
    note: str = ""


@record
class Compliance:
    """A plan checked against a set of norms, or why it was not checked."""

    checked: bool
    organisation: str  # 党组织 | 团组织 | 工会 | 少先队 | 未识别
    reason: str  # one line: why the norms apply or not
    norms: str  # where the norms come from (lexicons/norms.tsv or a --norms file)
    checks: Tuple[ComplianceCheck, ...] = ()


@record
class Document:
    """One plan inside a file."""

    index: int  # 0-based position in the file
    title: str
    text: str
    lines: Tuple[Line, ...]
    sections: Tuple[Section, ...]
    commitments: Tuple[Commitment, ...] = ()
    measures: Tuple[Measure, ...] = ()
    # what to show for the plan: its title, else the file stem and the organisation it names
    name: str = ""
    period: Optional[PlanPeriod] = None  # the year or school year the plan covers, when it says
    tasks: Tuple[Task, ...] = ()
    compliance: Optional[Compliance] = None


@record
class Problem:
    """Something wrong with an input, said in one line."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@record
class FileResult:
    """The envelope for one input file: status, documents, problems."""

    path: str
    format: Optional[str]
    encoding: Optional[str]
    documents: Tuple[Document, ...] = ()
    problems: Tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def status(self) -> str:
        return "ok" if self.ok else "error"


@record
class Options:
    """Run options, built once at the CLI boundary."""

    with_commitments: bool = True  # extract quantitative commitments
    with_measures: bool = True  # name the practices (needs nothing from commitments but links them)
    with_tasks: bool = True  # tasks and the compliance check (need commitments and measures)
    norms: Optional[Tuple[Norm, ...]] = None  # replaces lexicons/norms.tsv (planlens --norms FILE)
    norms_name: str = ""  # where `norms` came from, for the output
