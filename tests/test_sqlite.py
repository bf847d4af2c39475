"""SQLite export: tables and the keys linking them, counts that match the JSON, atomic replacement."""
import json
import os
import shutil
import sqlite3

import pytest
from click.testing import CliRunner

from pipeline import cli
from pipeline.core import extract_text
from pipeline.errors import OutputError
from pipeline.export.sqlite import database_bytes, write_sqlite
from pipeline.model import FileResult, Problem

PLAN = ("学校党支部2026年三会一课工作计划\n一、支部委员会\n支部委员会每月至少召开1次。\n"
        "二、主题党日\n每月15日开展主题党日活动，党小组会每月开展1-2次。")
TABLES = ("files", "documents", "sections", "commitments", "measures", "mentions", "measure_commitments")


@pytest.fixture
def db(tmp_path):
    results = [extract_text(PLAN, path="a.txt"), extract_text(PLAN, path="sub/a.txt"),
               FileResult(path="bad.doc", format="doc", encoding=None, problems=(Problem("bad.doc", "unreadable"),))]
    path = write_sqlite(results, tmp_path / "planlens.sqlite")
    con = sqlite3.connect(path)
    yield results, con
    con.close()


def count(con, table):
    return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_all_tables_exist(db):
    _, con = db
    names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert set(TABLES) <= names


def test_counts_match_the_results(db):
    results, con = db
    docs = [d for r in results for d in r.documents]
    assert count(con, "files") == 3 and count(con, "documents") == len(docs) == 2
    assert count(con, "sections") == sum(len(d.sections) for d in docs)
    assert count(con, "commitments") == sum(len(d.commitments) for d in docs) > 0
    assert count(con, "measures") == sum(len(d.measures) for d in docs) > 0


def test_keys_link_the_tables(db):
    _, con = db
    orphans = {
        "documents": "SELECT count(*) FROM documents d LEFT JOIN files f ON f.id = d.file_id WHERE f.id IS NULL",
        "sections": "SELECT count(*) FROM sections s LEFT JOIN documents d ON d.id = s.document_id WHERE d.id IS NULL",
        "commitments": "SELECT count(*) FROM commitments c LEFT JOIN documents d ON d.id = c.document_id "
                       "WHERE d.id IS NULL",
        "mentions": "SELECT count(*) FROM mentions x LEFT JOIN measures m ON m.id = x.measure_id "
                    "WHERE m.id IS NULL OR m.document_id != x.document_id",
        "links": "SELECT count(*) FROM measure_commitments l JOIN measures m ON m.id = l.measure_id "
                 "JOIN commitments c ON c.id = l.commitment_id WHERE m.document_id != c.document_id",
    }
    assert {k: con.execute(q).fetchone()[0] for k, q in orphans.items()} == dict.fromkeys(orphans, 0)
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []


def test_mentions_add_up_to_measure_counts_and_quote_the_text(db):
    _, con = db
    assert con.execute("SELECT count(*) FROM measures m WHERE m.count != "
                       "(SELECT count(*) FROM mentions x WHERE x.measure_id = m.id)").fetchone()[0] == 0
    for text, start, end, form in con.execute(
            'SELECT d.text, x.start, x."end", x.form FROM mentions x JOIN documents d ON d.id = x.document_id'):
        assert text[start:end].replace("“", "").replace("”", "") == form


def test_commitments_linked_to_their_practice(db):
    _, con = db
    rows = con.execute("SELECT d.plan_id, m.name, c.quote FROM measure_commitments l "
                       "JOIN measures m ON m.id = l.measure_id JOIN commitments c ON c.id = l.commitment_id "
                       "JOIN documents d ON d.id = m.document_id ORDER BY d.plan_id, c.start").fetchall()
    assert ("a.txt#0", "支部委员会", "每月至少召开1次") in rows
    assert {r[0] for r in rows} == {"a.txt#0", "sub/a.txt#0"}  # clashing file names keep the path


def test_failed_file_is_a_row_with_its_problem(db):
    _, con = db
    assert con.execute("SELECT status, problems FROM files WHERE path = 'bad.doc'").fetchone() == \
        ("error", json.dumps(["unreadable"]))


def test_same_results_same_bytes():
    results = [extract_text(PLAN, path="a.txt")]
    assert database_bytes(results) == database_bytes(list(results))


def test_replace_is_atomic(tmp_path, monkeypatch):
    path = write_sqlite([extract_text(PLAN, path="a.txt")], tmp_path / "p.sqlite")
    before = path.read_bytes()

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OutputError, match="p.sqlite"):
        write_sqlite([], path)
    assert path.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["p.sqlite"]


# --- planlens run: the database agrees with the JSON outputs ---------------------------

def test_run_writes_everything_and_sqlite_matches_json(corpus_dir, tmp_path):
    inputs = tmp_path / "corpus"
    shutil.copytree(corpus_dir, inputs)
    out = tmp_path / "outputs"
    result = CliRunner().invoke(cli.main, ["run", str(inputs), "-o", str(out)])
    assert result.exit_code == 0, result.output
    names = {p.name for p in out.iterdir()}
    assert {"graph.graphml", "graph.gexf", "graph.json", "compare.md", "compare.html", "compare.json",
            "planlens.sqlite"} <= names
    jsons = [json.loads((out / f"{p.stem}.json").read_text(encoding="utf-8")) for p in sorted(inputs.iterdir())]
    in_json = sum(len(d["commitments"]) for j in jsons for d in j["documents"])
    con = sqlite3.connect(out / "planlens.sqlite")
    try:
        assert con.execute("SELECT count(*) FROM commitments").fetchone()[0] == in_json > 0
        assert con.execute("SELECT count(*) FROM measures").fetchone()[0] == \
            sum(len(d["measures"]) for j in jsons for d in j["documents"])
    finally:
        con.close()


def test_run_with_two_workers_gives_identical_outputs(corpus_dir, tmp_path):
    outs = []
    for workers in ("1", "2"):
        out = tmp_path / f"out{workers}"
        result = CliRunner().invoke(cli.main, ["run", str(corpus_dir), "-o", str(out), "--workers", workers])
        assert result.exit_code == 0, result.output
        outs.append({p.name: p.read_bytes() for p in out.iterdir()})
    assert outs[0] == outs[1]



def test_run_with_no_readable_plan_writes_only_the_database(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli.main, ["run", str(inputs), "-o", str(out)])
    assert result.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == ["planlens.sqlite"]
    con = sqlite3.connect(out / "planlens.sqlite")
    try:
        assert con.execute("SELECT status FROM files").fetchall() == [("error",)]
    finally:
        con.close()


# --- streaming: rows as they come, batches in transactions, whole or nothing -------------

def _dump(path):
    con = sqlite3.connect(path)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def test_batches_of_any_size_hold_the_same_rows(tmp_path):
    from pipeline.export.sqlite import SqliteWriter, file_rows
    results = [extract_text(PLAN, path=f"p{i}.txt") for i in range(5)]
    dumps = []
    for batch in (1, 2, 200):
        path = tmp_path / f"b{batch}.sqlite"
        with SqliteWriter(path, batch=batch) as writer:
            for r in results:
                writer.add(file_rows(r))
        dumps.append(_dump(path))
    assert dumps[0] == dumps[1] == dumps[2]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b1.sqlite", "b2.sqlite", "b200.sqlite"]


def test_an_error_mid_run_leaves_the_old_database(tmp_path):
    from pipeline.export.sqlite import SqliteWriter, file_rows
    path = write_sqlite([extract_text(PLAN, path="old.txt")], tmp_path / "planlens.sqlite")
    before = path.read_bytes()
    with pytest.raises(RuntimeError):
        with SqliteWriter(path, batch=1) as writer:
            writer.add(file_rows(extract_text(PLAN, path="new.txt")))
            raise RuntimeError("interrupted")
    assert path.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["planlens.sqlite"]


def test_unwritable_folder_is_an_output_error(tmp_path):
    from pipeline.export.sqlite import SqliteWriter
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="planlens.sqlite"):
        SqliteWriter(blocker / "planlens.sqlite")
