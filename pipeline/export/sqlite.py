"""FileResults → one SQLite database: files, documents, sections, commitments, measures, mentions, tasks, compliance.

Reads FileResults; builds the database in memory and writes its bytes with
export/files.py (temp file + os.replace): a reader sees the old database or the new one.
"""
from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Sequence, Union

from ..errors import OutputError
from ..graph import plan_id_bases
from ..measures import document_mentions, measures_of
from ..model import Document, FileResult
from .files import write_bytes_atomic

SCHEMA = """
PRAGMA foreign_keys = ON;
CREATE TABLE files (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL UNIQUE,
  format TEXT, encoding TEXT,
  status TEXT NOT NULL,            -- ok | error
  problems TEXT NOT NULL           -- JSON list of one-line messages
);
CREATE TABLE documents (
  id INTEGER PRIMARY KEY,
  file_id INTEGER NOT NULL REFERENCES files(id),
  plan_id TEXT NOT NULL UNIQUE,    -- '<file name>#<index>', as in graph.json and compare.json
  idx INTEGER NOT NULL,            -- position of the plan in its file
  title TEXT NOT NULL,
  text TEXT NOT NULL
);
CREATE TABLE sections (
  document_id INTEGER NOT NULL REFERENCES documents(id),
  id TEXT NOT NULL,                -- s1, s2 … within the document
  parent TEXT,                     -- sections.id of the parent, NULL at level 1
  level INTEGER NOT NULL, label TEXT NOT NULL, title TEXT NOT NULL, path TEXT NOT NULL,
  heading TEXT NOT NULL, body TEXT NOT NULL,
  start INTEGER NOT NULL, "end" INTEGER NOT NULL,   -- span into documents.text
  PRIMARY KEY (document_id, id)
);
CREATE TABLE commitments (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id),
  idx INTEGER NOT NULL,            -- index in the document's commitments (Measure.commitment_ids)
  value NUMERIC NOT NULL, value_max NUMERIC, raw_value TEXT NOT NULL,
  unit TEXT NOT NULL, comparator TEXT, period TEXT, kind TEXT NOT NULL,
  quote TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
  sentence TEXT NOT NULL, section_id TEXT, section_path TEXT,
  subject TEXT, verb TEXT, deadline TEXT,
  confidence REAL NOT NULL, optional INTEGER NOT NULL,
  UNIQUE (document_id, idx)
);
CREATE TABLE measures (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id),
  name TEXT NOT NULL, category TEXT NOT NULL, count INTEGER NOT NULL,
  aliases_seen TEXT NOT NULL,      -- JSON list
  section_ids TEXT NOT NULL,       -- JSON list of sections.id
  candidate INTEGER NOT NULL,      -- 1: proposed from text, not in the lexicon
  UNIQUE (document_id, name)
);
CREATE TABLE mentions (
  id INTEGER PRIMARY KEY,
  measure_id INTEGER NOT NULL REFERENCES measures(id),
  document_id INTEGER NOT NULL REFERENCES documents(id),
  form TEXT NOT NULL,              -- the lexicon form that matched
  start INTEGER NOT NULL, "end" INTEGER NOT NULL,
  section_id TEXT
);
CREATE TABLE measure_commitments (
  measure_id INTEGER NOT NULL REFERENCES measures(id),
  commitment_id INTEGER NOT NULL REFERENCES commitments(id),
  PRIMARY KEY (measure_id, commitment_id)
);
CREATE TABLE tasks (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id),
  task_id TEXT NOT NULL,           -- t1, t2 … within the document
  what TEXT NOT NULL, detail TEXT NOT NULL,
  section_id TEXT, section_path TEXT,
  source TEXT NOT NULL,            -- item | body | schedule | paragraph
  who TEXT NOT NULL,               -- JSON list of responsible bodies or persons
  "when" TEXT NOT NULL,            -- the time phrase as written
  start TEXT, "end" TEXT,          -- ISO dates (inclusive), NULL when undated
  recurrence TEXT,                 -- RFC 5545 RRULE without UNTIL
  how_often TEXT NOT NULL,
  commitment_ids TEXT NOT NULL,    -- JSON list of commitments.idx
  practices TEXT NOT NULL,         -- JSON list of measure names
  quote TEXT NOT NULL, quote_start INTEGER NOT NULL, quote_end INTEGER NOT NULL,
  UNIQUE (document_id, task_id)
);
CREATE TABLE compliance (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id),
  checked INTEGER NOT NULL,        -- 0: not a party-organisation plan (one row, practice NULL)
  organisation TEXT NOT NULL, reason TEXT NOT NULL, norms TEXT NOT NULL,
  practice TEXT, outcome TEXT,     -- meets | weaker | vague | missing
  required TEXT, basis TEXT, source TEXT, plan TEXT,
  required_per_year REAL, plan_per_year REAL,
  commitment_ids TEXT,             -- JSON list of commitments.idx
  quote TEXT, note TEXT
);
CREATE INDEX mentions_measure ON mentions(measure_id);
CREATE INDEX measures_name ON measures(name);
"""


def _num(v: Union[int, Decimal, None]) -> Union[int, float, None]:
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    return v


def fill_database(con: sqlite3.Connection, results: Iterable[FileResult]) -> None:
    """Create the tables in an empty database and insert `results` (sorted by path)."""
    con.executescript(SCHEMA)
    results = sorted(results, key=lambda r: r.path)
    bases = plan_id_bases([r.path for r in results])
    for r in results:
        cur = con.execute("INSERT INTO files(path, format, encoding, status, problems) VALUES (?,?,?,?,?)",
                          (r.path, r.format, r.encoding, r.status,
                           json.dumps([p.message for p in r.problems], ensure_ascii=False)))
        file_id = cur.lastrowid
        for d in r.documents:
            doc_id = con.execute("INSERT INTO documents(file_id, plan_id, idx, title, text) VALUES (?,?,?,?,?)",
                                 (file_id, f"{bases[r.path]}#{d.index}", d.index, d.title, d.text)).lastrowid
            con.executemany(
                'INSERT INTO sections(document_id, id, parent, level, label, title, path, heading, body, '
                'start, "end") VALUES (?,?,?,?,?,?,?,?,?,?,?)',
                [(doc_id, s.id, s.parent, s.level, s.label, s.title, s.path, s.heading, s.body,
                  s.span[0], s.span[1]) for s in d.sections])
            commitment_ids = []
            for i, c in enumerate(d.commitments):
                commitment_ids.append(con.execute(
                    'INSERT INTO commitments(document_id, idx, value, value_max, raw_value, unit, comparator, '
                    'period, kind, quote, start, "end", sentence, section_id, section_path, subject, verb, '
                    'deadline, confidence, optional) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)',
                    (doc_id, i, _num(c.value), _num(c.value_max), c.raw_value, c.unit, c.comparator,
                     c.period, c.kind, c.quote, c.span[0], c.span[1], c.sentence, c.section_id,
                     c.section_path, c.subject, c.verb, c.deadline, c.confidence, int(c.optional))
                ).lastrowid)
            measures = measures_of(d)
            measure_ids = {}
            for m in measures:
                measure_ids[m.name] = con.execute(
                    "INSERT INTO measures(document_id, name, category, count, aliases_seen, section_ids, "
                    "candidate) VALUES (?,?,?,?,?,?,?)",
                    (doc_id, m.name, m.category, m.count, json.dumps(list(m.aliases_seen), ensure_ascii=False),
                     json.dumps(list(m.section_ids)), int(m.candidate))).lastrowid
                con.executemany("INSERT INTO measure_commitments(measure_id, commitment_id) VALUES (?,?)",
                                [(measure_ids[m.name], commitment_ids[i]) for i in sorted(set(m.commitment_ids))
                                 if 0 <= i < len(commitment_ids)])
            con.executemany(
                'INSERT INTO mentions(measure_id, document_id, form, start, "end", section_id) VALUES (?,?,?,?,?,?)',
                [(measure_ids[x.name], doc_id, x.form, x.span[0], x.span[1], x.section_id)
                 for x in document_mentions(d, measures) if x.name in measure_ids])
            insert_tasks_and_compliance(con, doc_id, d)


def insert_tasks_and_compliance(con: sqlite3.Connection, doc_id: int, d: Document) -> None:
    """Insert one document's tasks and compliance rows (tables `tasks`, `compliance`)."""
    con.executemany(
        'INSERT INTO tasks(document_id, task_id, what, detail, section_id, section_path, source, who, "when", '
        'start, "end", recurrence, how_often, commitment_ids, practices, quote, quote_start, quote_end) '
        'VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)',
        [(doc_id, t.id, t.what, t.detail, t.section_id, t.section_path, t.source,
          json.dumps(list(t.who), ensure_ascii=False), t.when, t.start, t.end, t.recurrence, t.how_often,
          json.dumps(list(t.commitment_ids)), json.dumps(list(t.practices), ensure_ascii=False),
          t.quote, t.span[0], t.span[1]) for t in d.tasks])
    comp = d.compliance
    if comp is None:
        return
    head = (doc_id, int(comp.checked), comp.organisation, comp.reason, comp.norms)
    rows = [head + (c.practice, c.outcome, c.required, c.basis, c.source, c.plan, c.required_per_year,
                    c.plan_per_year, json.dumps(list(c.commitment_ids)), c.quote, c.note) for c in comp.checks]
    if not comp.checked:
        rows = [head + (None,) * 11]
    con.executemany(
        "INSERT INTO compliance(document_id, checked, organisation, reason, norms, practice, outcome, required, "
        "basis, source, plan, required_per_year, plan_per_year, commitment_ids, quote, note) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)


def database_bytes(results: Sequence[FileResult]) -> bytes:
    """The whole database for `results` as the bytes of a SQLite file (built in memory)."""
    con = sqlite3.connect(":memory:")
    try:
        with con:
            fill_database(con, results)
        if hasattr(con, "serialize"):
            return con.serialize()
        with tempfile.TemporaryDirectory() as folder:  # Python 3.10 has no serialize()
            copy = sqlite3.connect(os.path.join(folder, "db.sqlite"))
            con.backup(copy)
            copy.close()
            return Path(folder, "db.sqlite").read_bytes()
    finally:
        con.close()


def write_sqlite(results: Sequence[FileResult], path: Union[str, Path]) -> Path:
    """Write `results` as a SQLite database at `path`, replacing any old one atomically.

    In: FileResults (failed files become `files` rows with status `error`).
    Out: the path. Tables: files, documents, sections, commitments, measures,
    mentions, measure_commitments, tasks, compliance (see SCHEMA). Same results, same bytes.
    Raises OutputError naming the path when it cannot be written; the old
    database is then left as it was.
    """
    try:
        data = database_bytes(results)
    except sqlite3.Error as exc:
        raise OutputError(str(path), f"cannot build database ({exc})") from exc
    return write_bytes_atomic(path, data)
