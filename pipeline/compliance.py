"""Compliance: a party-organisation plan against the frequencies the rules require.

Pure: takes a Document (commitments and measures built) and Norms (lexicons/norms.tsv, or a
bureau's own file given as `planlens … --norms FILE`); returns a Compliance record. For every
norm the plan either
  meets    commits to at least the required rate (rates compared per year: 每学期1次 = 2/年,
           每月1次 = 12/年, 全年不少于4次 = 4/年),
  weaker   commits to less (每学期1次 against 每月1次),
  vague    names the practice without a number (定期召开组织生活会),
  missing  does not name it,
with the plan's own commitment beside the norm. Plans of other bodies (团委, 工会, 少先队) are not
checked: the 条例 governs party branches; the record says so.
"""
from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from . import lexicons
from .model import Commitment, Compliance, ComplianceCheck, Document, Measure, Norm, Number
from .memo import last_by_identity
from .numbers import number_value
from .records import record

NORMS_TABLE = "norms.tsv"
ORGANISATIONS_TABLE = "organisations.tsv"
NORM_COLUMNS = ("practice", "aliases", "value", "comparator", "period", "unit", "basis", "source", "quote", "note")
COMPARATORS = (">=", "<=", "=")
OUTCOMES = ("meets", "weaker", "vague", "missing")

# How many times a period fits in a year: rates are compared per year.
PER_YEAR = {"year": 1, "semester": 2, "quarter": 4, "month": 12, "biweekly": 26, "week": 52, "day": 365}
PARTY = "党组织"
UNKNOWN = "未识别"
SHIPPED = "lexicons/norms.tsv"


# --- norms -------------------------------------------------------------------------------------

def parse_norms(rows: Iterable[Mapping[str, str]]) -> Tuple[Norm, ...]:
    """Rows of a norms table (see lexicons/norms.tsv) → Norms; a bad cell raises LexiconError
    naming its file and line."""
    norms = []
    for row in rows:
        where = row.get("_where", "norms")
        value = row.get("value", "")
        if not value.isdigit() or int(value) < 1:
            raise lexicons.LexiconError(where, f"value '{value}' is not a positive whole number")
        if row.get("comparator") not in COMPARATORS:
            raise lexicons.LexiconError(where, f"comparator '{row.get('comparator')}' is none of {' '.join(COMPARATORS)}")
        period = row.get("period") or None
        if period is not None and period not in PER_YEAR:
            raise lexicons.LexiconError(where, f"period '{period}' is none of {' '.join(PER_YEAR)}")
        norms.append(Norm(practice=row["practice"], value=int(value), comparator=row["comparator"], period=period,
                          unit=row.get("unit") or "次", aliases=lexicons.split_list(row.get("aliases", "")),
                          basis=row.get("basis") or "条例", source=row.get("source", ""),
                          quote=row.get("quote", ""), note=row.get("note", "")))
    if not norms:
        raise lexicons.LexiconError("norms", "no norms")
    return tuple(norms)


@lru_cache(maxsize=None)
def shipped_norms() -> Tuple[Norm, ...]:
    """The norms of lexicons/norms.tsv (cached)."""
    return parse_norms(lexicons.read_table(NORMS_TABLE, ("practice", "value", "comparator", "period")))


def read_norms_text(text: str, name: str) -> Tuple[Norm, ...]:
    """A norms file's text (same columns as lexicons/norms.tsv) → Norms; a LexiconError names
    `name:line` (the file as the user gave it, not lexicons/).

    >>> read_norms_text("practice\\tvalue\\tcomparator\\tperiod\\n党课\\t2\\t>=\\tsemester\\n", "my.tsv")[0].value
    2
    """
    prefix = f"lexicons/{name}"
    try:
        return parse_norms(lexicons.parse_table(text, name, ("practice", "value", "comparator", "period")))
    except lexicons.LexiconError as exc:
        where = name + exc.path[len(prefix):] if exc.path.startswith(prefix) else exc.path
        raise lexicons.LexiconError(where, exc.problem) from exc


def norm_label(norm: Norm) -> str:
    """A norm as the checklist writes it: `每季度≥1次`, `每月≥1天`, `任期≤3年`.

    >>> norm_label(Norm("支部党员大会", 1, ">=", "quarter"))
    '每季度≥1次'
    """
    from .commitments import COMPARATOR_SIGNS, period_label
    sign = COMPARATOR_SIGNS.get(norm.comparator, norm.comparator)
    if norm.period is None:
        return f"任期{sign}{norm.value}{norm.unit}"
    return f"{period_label(norm.period)}{sign}{norm.value}{norm.unit}"


def per_year(value: Number, period: Optional[str]) -> Optional[float]:
    """A rate per year: 1 per month → 12.0; None for no period.

    >>> per_year(1, "semester"), per_year(4, "year")
    (2.0, 4.0)
    """
    if period not in PER_YEAR:
        return None
    return float(Decimal(str(value)) * PER_YEAR[period])


# --- whose plan ---------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _organisations() -> Tuple[Tuple[str, bool, "re.Pattern[str]"], ...]:
    rows = lexicons.read_table(ORGANISATIONS_TABLE, ("name", "party", "cues"))
    out = []
    for row in rows:
        if row["party"] not in ("yes", "no"):
            raise lexicons.LexiconError(row["_where"], f"party '{row['party']}' is neither yes nor no")
        out.append((row["name"], row["party"] == "yes",
                    re.compile(lexicons.alternation(lexicons.split_list(row["cues"]), row["_where"]))))
    return tuple(out)


def organisation(title: str, text: str) -> Tuple[str, bool, str]:
    """Which body a plan belongs to: (name, party?, the reason in one line).

    The title decides when it names a body (a party cue wins: 党建带团建 is a party plan); else the
    body whose cues the text names most often.

    >>> organisation("校团委2026年工作计划", "")[:2]
    ('团组织', False)
    >>> organisation("学校党支部2026年工作计划", "")[:2]
    ('党组织', True)
    """
    orgs = _organisations()
    in_title = [(name, party, p.search(title or "")) for name, party, p in orgs]
    named = [(name, party, m) for name, party, m in in_title if m]
    if named:
        party_named = [x for x in named if x[1]]
        name, party, m = (party_named or named)[0]
        return name, party, f"标题含“{m.group(0)}”"
    counts = [(len(p.findall(text or "")), name, party) for name, party, p in orgs]
    best = max(counts, key=lambda c: c[0]) if counts else (0, UNKNOWN, False)
    if best[0] == 0:
        return UNKNOWN, False, "标题和正文都未指明党组织"
    return best[1], best[2], f"正文中“{best[1]}”的说法最多（{best[0]}处）"


# --- the check -----------------------------------------------------------------------------------

def _sentence_around(text: str, span: Tuple[int, int]) -> Tuple[str, Tuple[int, int]]:
    # the line's ends first: the other ends are looked for within the line only (a search for one a
    # text lacks would read all of the text before or after the span)
    cut = text.rfind("\n", 0, span[0])
    for c in "。；;！？":
        at = text.rfind(c, cut + 1, span[0])
        if at > cut:
            cut = at
    start = cut + 1
    end = text.find("\n", span[1])
    if end < 0:
        end = len(text)
    for c in "。；;！？":
        at = text.find(c, span[1], end)
        if at >= 0:
            end = at
    while start < end and text[start] in " \t　":
        start += 1
    return text[start:end], (start, end)


def _rate(c: Commitment, plan_period: Optional[str]) -> Optional[float]:
    """A commitment's rate per year, when it is a count over a period (or a fixed day each period).
    A count without a period (对党员进行一次民主评议) counts over the plan's own period when the plan
    covers a year (`plan_period` "year"); else it has no rate."""
    if c.optional and c.kind != "schedule":
        return None
    if c.kind == "frequency" and c.period in PER_YEAR:
        return per_year(c.value, c.period)
    if c.kind == "frequency" and c.period is None and plan_period == "year" and c.unit in ("次", "天"):
        return per_year(c.value, "year")
    if c.kind == "schedule" and c.period in ("month", "week", "biweekly", "quarter"):
        return per_year(1, c.period)  # 每月15日: once a month on a fixed day
    return None


def _plan_year(document: Document) -> Optional[str]:
    """'year' when the plan covers one year (a calendar or a school year), else None."""
    period = document.period
    return "year" if period is not None and period.kind in ("year", "school_year") else None


def _first_mention(text: str, names: Sequence[str]) -> Optional[Tuple[int, int]]:
    """The span of the earliest (then shortest) occurrence of any of `names` in `text`, or None."""
    first = None
    for name in names:
        at = text.find(name)
        if at >= 0 and (first is None or (at, at + len(name)) < first):
            first = (at, at + len(name))
    return first


@record
class _Plan:
    """What the check of every norm reads of one plan, gathered once per plan."""

    measures: Mapping[str, Measure]  # name → the first lexicon (not candidate) measure of that name
    by_subject: Mapping[str, Tuple[int, ...]]  # subject → indexes of the commitments governing it
    year: Optional[str]  # _plan_year


def _plan(document: Document) -> _Plan:
    measures: Dict[str, Measure] = {}
    for m in document.measures:
        if not m.candidate:
            measures.setdefault(m.name, m)
    by_subject: Dict[str, List[int]] = {}
    for i, c in enumerate(document.commitments):
        if c.subject is not None:
            by_subject.setdefault(c.subject, []).append(i)
    return _Plan(measures, {k: tuple(v) for k, v in by_subject.items()}, _plan_year(document))


def check_norm(document: Document, norm: Norm) -> ComplianceCheck:
    """One norm against one plan: meets | weaker | vague | missing, with the plan's commitment.

    The plan's commitments for the practice are those the measures stage links to it, or whose
    subject is the practice; their best rate per year is compared with the norm's.
    """
    return _check_norm(document, norm, _plan(document), _norm_parts(norm))


# The fields of a ComplianceCheck that come from its norm: practice, required, basis, source, note.
_NormFields = Tuple[str, str, str, str, str]


def _made(base: _NormFields, outcome: str, plan: str = "", required_per_year: Optional[float] = None,
          plan_per_year: Optional[float] = None, commitment_ids: Tuple[int, ...] = (), quote: str = "",
          span: Optional[Tuple[int, int]] = None) -> ComplianceCheck:
    """A ComplianceCheck of a norm's fields and an outcome (ComplianceCheck built positionally: a record
    called with many keywords costs more; tests pin ComplianceCheck's fields)."""
    practice, required, basis, source, note = base
    return ComplianceCheck(practice, outcome, required, basis, source, plan, required_per_year, plan_per_year,
                           commitment_ids, quote, span, note)


@lru_cache(maxsize=1024)
def _norm_parts(norm: Norm) -> Tuple[_NormFields, Optional[float], Tuple[str, ...], ComplianceCheck]:
    """What a norm's check takes from the norm alone (cached per process, like the norms): the
    fields every ComplianceCheck of it carries (practice, required, basis, source, note), its rate
    per year, its own names, and its (frozen) `missing` check, the same for every plan."""
    base = (norm.practice, norm_label(norm), norm.basis, norm.source, norm.note)
    required_rate = per_year(norm.value, norm.period)
    return base, required_rate, tuple(dict.fromkeys((norm.practice,) + norm.aliases)), \
        _made(base, "missing", required_per_year=required_rate)


@last_by_identity
def _parts_of_set(norms: Tuple[Norm, ...]) -> List[tuple]:
    return [_norm_parts(n) for n in norms]


def _parts_of(norms: Sequence[Norm]) -> List[tuple]:
    """`_norm_parts` of each of `norms`, looked up once per norm set (a run checks every plan
    against the same set: each norm is not hashed again for every plan). Only a tuple is kept:
    a list could change between two plans."""
    if not isinstance(norms, tuple):
        return [_norm_parts(n) for n in norms]
    return _parts_of_set(norms)


def _check_norm(document: Document, norm: Norm, plan_index: _Plan, parts: tuple) -> ComplianceCheck:
    base, required_rate, names, missing = parts
    measure = plan_index.measures.get(norm.practice)
    if measure is not None:
        names = tuple(dict.fromkeys(names + measure.aliases_seen))
    ids = set(measure.commitment_ids) if measure else set()
    for name in names:
        ids.update(plan_index.by_subject.get(name, ()))
    linked = sorted(i for i in ids if 0 <= i < len(document.commitments)) if ids else []
    if norm.period is None:
        return _check_term(document, norm, names, linked, base)
    rated = []
    if linked:
        rated = [(i, _rate(document.commitments[i], plan_index.year)) for i in linked]
        rated = [(i, r) for i, r in rated if r is not None]
        counts = [(i, r) for i, r in rated if document.commitments[i].kind == "frequency"]
        rated = counts or rated  # the counts speak for the practice; fixed days (每月第一周) only without them
    if rated:
        best_rate = max(r for _, r in rated)
        best = [i for i, r in rated if r == best_rate]
        first = document.commitments[best[0]]
        plan = "；".join(dict.fromkeys(document.commitments[i].quote for i, _ in rated))
        if norm.comparator == "<=":
            ok = best_rate <= required_rate
        else:
            ok = best_rate >= required_rate
        sentence, span = _sentence_around(document.text, first.span)
        return _made(base, "meets" if ok else "weaker", plan, required_rate, best_rate, tuple(i for i, _ in rated),
                     sentence, span)
    mention = _first_mention(document.text, names)
    if mention is not None:
        quote, span = _from_mention(document.text, mention)
        return _made(base, "vague", "", required_rate, None, (), quote, span)
    return missing


MENTION_LEAD = 8  # characters of a vague mention's sentence kept before the practice's name


def _from_mention(text: str, mention: Tuple[int, int]) -> Tuple[str, Tuple[int, int]]:
    """The sentence naming a practice, from a few characters before the name on (quote == text[span])."""
    _, (start, end) = _sentence_around(text, mention)
    if mention[0] - start > MENTION_LEAD:  # a long sentence: from the clause naming the practice
        cut = max(text.rfind(c, start, mention[0]) for c in "，,、：:")
        start = cut + 1 if cut >= start else mention[0] - MENTION_LEAD
    return text[start:end], (start, end)


_TERM = re.compile(r"任期\s*([0-9一二三四五六七八九十]+)\s*年")


def _check_term(document: Document, norm: Norm, names: Sequence[str], linked: Sequence[int],
                base: _NormFields) -> ComplianceCheck:
    """A term-of-office norm (按期换届): a stated term (任期3年) is compared, else vague / missing."""
    for m in _TERM.finditer(document.text):
        years = number_value(m.group(1))
        if years is None:
            continue
        ok = years <= norm.value if norm.comparator == "<=" else years >= norm.value
        sentence, span = _sentence_around(document.text, m.span())
        return _made(base, "meets" if ok else "weaker", m.group(0), None, None, (), sentence, span)
    mention = _first_mention(document.text, names)
    if mention is not None:
        quote, span = _from_mention(document.text, mention)
        return _made(base, "vague", "", None, None, (), quote, span)
    return _made(base, "missing")


def check_plan(document: Document, norms: Optional[Sequence[Norm]] = None, norms_name: str = "") -> Compliance:
    """A plan against `norms` (default: lexicons/norms.tsv): one ComplianceCheck per norm, or, for
    a plan that is not a party organisation's, an unchecked record saying why."""
    if norms is None:
        norms, norms_name = shipped_norms(), norms_name or SHIPPED
    name, party, why = organisation(document.title, document.text)
    if not party:
        reason = (f"{name}的计划，不对照党支部工作的规定检查（{why}）" if name != UNKNOWN
                  else f"未识别为党组织的计划，不检查（{why}）")
        return Compliance(checked=False, organisation=name, reason=reason, norms=norms_name)
    plan_index = _plan(document)
    return Compliance(checked=True, organisation=name, reason=f"党组织的计划（{why}）", norms=norms_name,
                      checks=tuple([_check_norm(document, n, plan_index, parts)
                                    for n, parts in zip(norms, _parts_of(norms))]))


# --- across plans (compare) -------------------------------------------------------------------------

def compliance_matrix(plans: Sequence[Tuple[str, Optional[Compliance]]]) -> Dict[str, object]:
    """Plans × norms: `{"practices": [...], "rows": [{"plan", "checked", "organisation", "cells":
    {practice: outcome}, "plan_text": {practice: commitment}}]}` for compare.md/html/json.

    In: (plan id, its Compliance) pairs in the order to show. A plan not checked has no cells.
    """
    practices: List[str] = []
    for _, comp in plans:
        for check in (comp.checks if comp else ()):
            if check.practice not in practices:
                practices.append(check.practice)
    rows = []
    for plan_id, comp in plans:
        cells = {c.practice: c.outcome for c in comp.checks} if comp and comp.checked else {}
        texts = {c.practice: c.plan for c in comp.checks if c.plan} if comp and comp.checked else {}
        rows.append({"plan": plan_id, "checked": bool(comp and comp.checked),
                     "organisation": comp.organisation if comp else UNKNOWN,
                     "reason": comp.reason if comp else "", "cells": cells, "plan_text": texts})
    return {"practices": practices, "rows": rows}


OUTCOME_LABELS = {"meets": "符合", "weaker": "偏低", "vague": "未量化", "missing": "未提及"}
