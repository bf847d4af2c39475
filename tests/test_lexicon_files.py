"""Every lexicon file parses through pipeline.lexicons and holds no duplicate keys or aliases.

Written for any `lexicons/*.tsv`, including tables added later: a column whose name marks a
key or a `|`-separated alias list is checked; other columns are skipped.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from pipeline import lexicons
from pipeline.commitments import CUE_ROLES, NEAR_NUMBER_ROLES
from pipeline.lexicons import lexicon_dir, parse_table, split_list

TABLES = sorted(p.name for p in lexicon_dir().glob("*.tsv"))

# Columns that name a row: each value may appear once per file.
KEY_COLUMNS = ("term", "cue", "form", "name", "practice", "period", "keyword", "token", "pattern", "word")
# Columns holding `|`-separated alternative forms: each form once per column and file, and
# never another row's key.
ALIAS_COLUMNS = ("aliases", "alias", "cues", "near_cues", "per_units")
# Columns holding `|`-separated lists that must not repeat an item inside one cell.
LIST_COLUMNS = ALIAS_COLUMNS + ("not_followed_by", "not_preceded_by", "not_in")


def _rows(name):
    return parse_table((lexicon_dir() / name).read_text(encoding="utf-8"), name)


def _key_column(rows):
    header = [k for k in rows[0] if k != "_where"] if rows else []
    return next((c for c in header if c in KEY_COLUMNS), None)


def _header(name):
    rows = _rows(name)
    return [k for k in rows[0] if k != "_where"] if rows else []


KEYED_TABLES = [n for n in TABLES if any(c in KEY_COLUMNS for c in _header(n))]
ALIASED_TABLES = [n for n in TABLES if any(c in ALIAS_COLUMNS for c in _header(n))]


def test_there_are_lexicon_tables():
    assert {"units.tsv", "comparators.tsv", "periods.tsv", "slogans.tsv", "commitment_cues.tsv"} <= set(TABLES)


@pytest.mark.parametrize("name", TABLES)
def test_table_parses_through_the_lexicon_reader(name):
    rows = lexicons.read_table(name)
    assert rows, f"lexicons/{name} has no rows"
    assert all(r["_where"].startswith(f"lexicons/{name}:") for r in rows)


@pytest.mark.parametrize("name", TABLES)
def test_table_opens_with_a_header_comment(name):
    first = (lexicon_dir() / name).read_text(encoding="utf-8").lstrip("\ufeff").splitlines()[0]
    assert first.startswith("#"), f"lexicons/{name} should open with '#' lines saying what it is"


@pytest.mark.parametrize("name", TABLES)
def test_no_cell_has_stray_whitespace_or_a_tab_too_many(name):
    for lineno, line in enumerate((lexicon_dir() / name).read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("#") or not line.strip():
            continue
        assert line == line.rstrip(" "), f"lexicons/{name}:{lineno}: trailing spaces"


def test_most_tables_have_a_key_column():
    assert KEYED_TABLES and ALIASED_TABLES


@pytest.mark.parametrize("name", KEYED_TABLES)
def test_keys_are_unique(name):
    rows = _rows(name)
    key = _key_column(rows)
    repeated = [k for k, n in Counter(r[key] for r in rows).items() if n > 1]
    assert not repeated, f"lexicons/{name}: {key} repeated: {repeated}"


@pytest.mark.parametrize("name", ALIASED_TABLES)
def test_aliases_are_unique_and_never_another_rows_key(name):
    rows = _rows(name)
    key = _key_column(rows)
    columns = [c for c in ALIAS_COLUMNS if rows and c in rows[0]]
    for column in columns:
        owner = {}
        for row in rows:
            for alias in split_list(row[column]):
                assert alias not in owner, f"{row['_where']}: {column} '{alias}' also in {owner[alias]}"
                owner[alias] = row["_where"]
                if key is not None:
                    clash = [r["_where"] for r in rows if r[key] == alias and r is not row]
                    assert not clash, f"{row['_where']}: {column} '{alias}' is the key of {clash}"


@pytest.mark.parametrize("name", TABLES)
def test_list_cells_hold_no_empty_or_repeated_items(name):
    rows = _rows(name)
    for column in (c for c in LIST_COLUMNS if rows and c in rows[0]):
        for row in rows:
            cell = row[column]
            if not cell:
                continue
            items = cell.split("|")
            assert all(i.strip() for i in items), f"{row['_where']}: empty item in {column}"
            assert len(items) == len(set(items)), f"{row['_where']}: repeated item in {column}"


def test_the_user_dictionary_parses():
    entries = lexicons.userdict_entries()
    assert entries and all(freq > 0 for _, freq, _ in entries)
    words = [w for w, _, _ in entries]
    assert len(words) == len(set(words))


# --- the commitment tables, column by column --------------------------------------------

def test_units_table_shape():
    for row in _rows("units.tsv"):
        assert row["kind"] in ("frequency", "quantity", "duration", "time", "ratio", "calendar"), row["_where"]
        for column in ("max_value", "min_value"):
            assert not row[column] or row[column].isdigit(), row["_where"]
        assert row["unit"], row["_where"]


def test_comparators_table_shape():
    for row in _rows("comparators.tsv"):
        assert row["comparator"] in (">=", "<=", "=", "~"), row["_where"]
        assert row["position"] in ("before", "after", "infix"), row["_where"]
        assert (row["reach"] in ("clause", "adjacent")) == (row["position"] == "before"), row["_where"]


def test_periods_table_names_every_period_once():
    rows = _rows("periods.tsv")
    assert [r["period"] for r in rows] == ["year", "semester", "quarter", "month", "biweekly", "week", "day"]
    assert all(r["label"] and split_list(r["cues"]) for r in rows)


def test_commitment_cues_roles():
    assert {r["role"] for r in _rows("commitment_cues.tsv")} <= set(CUE_ROLES)


# Roles of commitment_cues.tsv whose words are read in one pass with comparators and periods.
WORD_ROLES = tuple(r for r in CUE_ROLES if r not in NEAR_NUMBER_ROLES)


def test_a_word_before_a_number_has_one_meaning_across_the_commitment_tables():
    # the same word as a comparator and as a period word (or a verb) would be read twice
    seen = {}
    words = [r for r in _rows("comparators.tsv") if r["position"] == "before"]
    words += [r for r in _rows("commitment_cues.tsv") if r["role"] in WORD_ROLES]
    for row in words:
        assert row["cue"] not in seen, f"{row['_where']}: '{row['cue']}' also in {seen[row['cue']]}"
        seen[row["cue"]] = row["_where"]
    for row in _rows("periods.tsv"):
        for cue in split_list(row["cues"]) + split_list(row["near_cues"]):
            assert cue not in seen, f"{row['_where']}: '{cue}' also in {seen[cue]}"
            seen[cue] = row["_where"]


def test_tables_are_read_from_the_repository_lexicons():
    assert Path(lexicon_dir()).name == "lexicons"


@pytest.mark.parametrize("width, lookahead", [(None, 0), (2, 0), (3, 1), (16, 2), (2, 2)])
def test_grouped_alternation_finds_what_the_plain_one_finds(width, lookahead):
    import random
    import re

    from pipeline import lexicons

    rnd = random.Random(width or 0)
    alphabet = "党支部会议学习组织生活月次年"
    words = {"".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 4))) for _ in range(120)}
    text = "".join(rnd.choice(alphabet + "，。") for _ in range(3000))
    plain = re.compile(lexicons.alternation(words))
    grouped = re.compile(lexicons.alternation(words, width=width, lookahead=lookahead))
    assert [m.span() for m in grouped.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_alternation_refuses_a_width_below_two():
    from pipeline import lexicons

    with pytest.raises(ValueError):
        lexicons.alternation(["党员"], width=1)


@pytest.mark.parametrize("words, text, expected", [
    (["党员", "党员大会", "支部"], "支部党员大会党员", [(0, 2, "支部"), (2, 6, "党员大会"), (6, 8, "党员")]),
    (["党员大会", "大会"], "党员大会", [(0, 4, "党员大会")]),  # leftmost wins over a later, longer start
    (["员大会", "党员"], "党员大会", [(0, 2, "党员")]),  # leftmost, then no overlap
    (["党员", ""], "😀党员", [(1, 3, "党员")]),  # spans in characters; an empty word is dropped
    ([], "党员", []),
])
def test_word_finder_gives_the_alternations_matches(words, text, expected):
    finder = lexicons.word_finder(words)
    assert finder.spans(text) == expected
    if any(words):
        assert [(m.start(), m.end(), m.group()) for m in re.finditer(lexicons.alternation(words), text)] == expected
    assert finder.spans(text, 10) == [(a + 10, b + 10, w) for a, b, w in expected]
