"""FileResults → one SQLite database: files, documents, sections, commitments, measures, mentions, tasks, compliance.

Two halves: `file_rows` turns one FileResult into plain row tuples (pure; extraction
workers run it), and `SqliteWriter` inserts them as they come, in batches inside
transactions, into a temp file beside the target that replaces it atomically at the
end (a reader sees the old database or the new one). Nothing is held per file.
"""
from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from decimal import Decimal
from pathlib import Path
from dataclasses import dataclass
from typing import Optional, Sequence, Tuple, Union

from ..errors import OutputError
from ..graph import plan_id_bases
from ..measures import document_mentions, measures_of
from ..model import Document, FileResult
from .files import _umask

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


def task_rows(d: Document) -> Tuple[tuple, ...]:
    """A document's `tasks` rows without the document id (pure)."""
    return tuple((t.id, t.what, t.detail, t.section_id, t.section_path, t.source,
                  json.dumps(list(t.who), ensure_ascii=False), t.when, t.start, t.end, t.recurrence, t.how_often,
                  json.dumps(list(t.commitment_ids)), json.dumps(list(t.practices), ensure_ascii=False),
                  t.quote, t.span[0], t.span[1]) for t in d.tasks)


def compliance_rows(d: Document) -> Tuple[tuple, ...]:
    """A document's `compliance` rows without the document id (pure): one per norm checked, or one
    row with the reason when the plan was not checked; none without a compliance stage."""
    comp = d.compliance
    if comp is None:
        return ()
    head = (int(comp.checked), comp.organisation, comp.reason, comp.norms)
    if not comp.checked:
        return (head + (None,) * 11,)
    return tuple(head + (c.practice, c.outcome, c.required, c.basis, c.source, c.plan, c.required_per_year,
                         c.plan_per_year, json.dumps(list(c.commitment_ids)), c.quote, c.note)
                 for c in comp.checks)


@dataclass(frozen=True)
class DocumentRows:
    """One plan's rows without database ids (positions within the plan stand in for them)."""

    index: int
    title: str
    text: str
    sections: Tuple[tuple, ...]  # (id, parent, level, label, title, path, heading, body, start, end)
    commitments: Tuple[tuple, ...]  # (idx, value, value_max, raw_value, unit, … optional)
    measures: Tuple[tuple, ...]  # (name, category, count, aliases_seen, section_ids, candidate)
    links: Tuple[Tuple[int, int], ...]  # (position in measures, position in commitments)
    mentions: Tuple[tuple, ...]  # (position in measures, form, start, end, section_id)
    tasks: Tuple[tuple, ...] = ()  # `tasks` columns after document_id (task_rows)
    compliance: Tuple[tuple, ...] = ()  # `compliance` columns after document_id (compliance_rows)


@dataclass(frozen=True)
class FileRows:
    """One input file's rows: its `files` row and its plans'."""

    path: str
    format: Optional[str]
    encoding: Optional[str]
    status: str
    problems: str  # JSON list of one-line messages
    documents: Tuple[DocumentRows, ...]


def file_rows(r: FileResult) -> FileRows:
    """The rows of one FileResult (pure)."""
    docs = []
    for d in r.documents:
        commitments = tuple(
            (i, _num(c.value), _num(c.value_max), c.raw_value, c.unit, c.comparator, c.period, c.kind, c.quote,
             c.span[0], c.span[1], c.sentence, c.section_id, c.section_path, c.subject, c.verb, c.deadline,
             c.confidence, int(c.optional)) for i, c in enumerate(d.commitments))
        measures = measures_of(d)
        position = {m.name: k for k, m in enumerate(measures)}
        docs.append(DocumentRows(
            index=d.index, title=d.title, text=d.text,
            sections=tuple((s.id, s.parent, s.level, s.label, s.title, s.path, s.heading, s.body,
                            s.span[0], s.span[1]) for s in d.sections),
            commitments=commitments,
            measures=tuple((m.name, m.category, m.count, json.dumps(list(m.aliases_seen), ensure_ascii=False),
                            json.dumps(list(m.section_ids)), int(m.candidate)) for m in measures),
            links=tuple((k, i) for k, m in enumerate(measures) for i in sorted(set(m.commitment_ids))
                        if 0 <= i < len(commitments)),
            mentions=tuple((position[x.name], x.form, x.span[0], x.span[1], x.section_id)
                           for x in document_mentions(d, measures) if x.name in position),
            tasks=task_rows(d), compliance=compliance_rows(d)))
    return FileRows(path=r.path, format=r.format, encoding=r.encoding, status=r.status,
                    problems=json.dumps([p.message for p in r.problems], ensure_ascii=False),
                    documents=tuple(docs))


class SqliteWriter:
    """Insert FileRows as they come into a new database that replaces `path` when closed.

    Rows are buffered and written `batch` files at a time, each batch one
    transaction; ids are given in arrival order, so the same files in the same
    order give the same bytes. `plan_ids` maps an input path to the first part
    of its plans' ids (`graph.plan_id_bases`). Use as a context manager: an
    error inside the block leaves the old database as it was.
    """

    BATCH = 200

    def __init__(self, path: Union[str, Path], plan_ids: Optional[dict] = None, batch: int = BATCH) -> None:
        self.path = Path(path)
        self.plan_ids = plan_ids
        self.batch = batch
        self._pending = []
        self._ids = {"file": 0, "doc": 0, "commitment": 0, "measure": 0, "mention": 0}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, self._tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
            os.close(fd)
            os.unlink(self._tmp)  # sqlite makes the file itself
            self._con = sqlite3.connect(self._tmp, isolation_level=None)
            self._con.execute("PRAGMA journal_mode = OFF")  # a temp file: an interrupted run is discarded whole
            self._con.execute("PRAGMA synchronous = OFF")
            self._con.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise OutputError(str(self.path), f"cannot write ({exc})") from exc

    def add(self, rows: FileRows) -> None:
        """Queue one file's rows; a batch is written when `batch` files are queued."""
        self._pending.append(rows)
        if len(self._pending) >= self.batch:
            self.flush()

    def flush(self) -> None:
        """Write the queued rows in one transaction."""
        if not self._pending:
            return
        try:
            con = self._con
            con.execute("BEGIN")
            for rows in self._pending:
                self._insert(con, rows)
            con.execute("COMMIT")
        except sqlite3.Error as exc:
            raise OutputError(str(self.path), f"cannot build database ({exc})") from exc
        self._pending = []

    def _next(self, kind: str) -> int:
        self._ids[kind] += 1
        return self._ids[kind]

    def _insert(self, con: sqlite3.Connection, r: FileRows) -> None:
        file_id = self._next("file")
        con.execute("INSERT INTO files(id, path, format, encoding, status, problems) VALUES (?,?,?,?,?,?)",
                    (file_id, r.path, r.format, r.encoding, r.status, r.problems))
        base = (self.plan_ids or {}).get(r.path, Path(r.path).name)
        for d in r.documents:
            doc_id = self._next("doc")
            con.execute("INSERT INTO documents(id, file_id, plan_id, idx, title, text) VALUES (?,?,?,?,?,?)",
                        (doc_id, file_id, f"{base}#{d.index}", d.index, d.title, d.text))
            con.executemany('INSERT INTO sections(document_id, id, parent, level, label, title, path, heading, '
                            'body, start, "end") VALUES (?,?,?,?,?,?,?,?,?,?,?)',
                            [(doc_id,) + row for row in d.sections])
            commitment_ids = [self._next("commitment") for _ in d.commitments]
            con.executemany(
                'INSERT INTO commitments(id, document_id, idx, value, value_max, raw_value, unit, comparator, '
                'period, kind, quote, start, "end", sentence, section_id, section_path, subject, verb, '
                'deadline, confidence, optional) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)',
                [(cid, doc_id) + row for cid, row in zip(commitment_ids, d.commitments)])
            measure_ids = [self._next("measure") for _ in d.measures]
            con.executemany("INSERT INTO measures(id, document_id, name, category, count, aliases_seen, "
                            "section_ids, candidate) VALUES (?,?,?,?,?,?,?,?)",
                            [(mid, doc_id) + row for mid, row in zip(measure_ids, d.measures)])
            con.executemany("INSERT INTO measure_commitments(measure_id, commitment_id) VALUES (?,?)",
                            [(measure_ids[k], commitment_ids[i]) for k, i in d.links])
            con.executemany('INSERT INTO mentions(id, measure_id, document_id, form, start, "end", section_id) '
                            "VALUES (?,?,?,?,?,?,?)",
                            [(self._next("mention"), measure_ids[row[0]], doc_id) + tuple(row[1:])
                             for row in d.mentions])
            con.executemany(
                'INSERT INTO tasks(document_id, task_id, what, detail, section_id, section_path, source, who, '
                '"when", start, "end", recurrence, how_often, commitment_ids, practices, quote, quote_start, '
                'quote_end) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)',
                [(doc_id,) + row for row in d.tasks])
            con.executemany(
                "INSERT INTO compliance(document_id, checked, organisation, reason, norms, practice, outcome, "
                "required, basis, source, plan, required_per_year, plan_per_year, commitment_ids, quote, note) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [(doc_id,) + row for row in d.compliance])

    def close(self) -> Path:
        """Write what is queued, close the database and move it onto `path`; the path."""
        self.flush()
        try:
            self._con.close()
            os.chmod(self._tmp, 0o666 & ~_umask())
            with open(self._tmp, "rb+") as handle:
                os.fsync(handle.fileno())
            os.replace(self._tmp, self.path)
        except OSError as exc:
            self.abort()
            raise OutputError(str(self.path), f"cannot write ({exc.strerror or exc})") from exc
        return self.path

    def abort(self) -> None:
        """Drop the temp database; `path` keeps what it held."""
        try:
            self._con.close()
        except sqlite3.Error:
            pass
        if os.path.exists(self._tmp):
            os.unlink(self._tmp)

    def __enter__(self) -> "SqliteWriter":
        return self

    def __exit__(self, kind, exc, tb) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()


def write_sqlite(results: Sequence[FileResult], path: Union[str, Path]) -> Path:
    """Write `results` as a SQLite database at `path`, replacing any old one atomically.

    In: FileResults (failed files become `files` rows with status `error`),
    inserted sorted by path. Out: the path. Tables: files, documents,
    sections, commitments, measures, mentions, measure_commitments, tasks,
    compliance (see SCHEMA). Same results, same bytes. Raises OutputError
    naming the path when it cannot be written; the old database is then left as it was.
    """
    results = sorted(results, key=lambda r: r.path)
    with SqliteWriter(path, plan_id_bases([r.path for r in results])) as writer:
        for r in results:
            writer.add(file_rows(r))
    return Path(path)


def database_bytes(results: Sequence[FileResult]) -> bytes:
    """The whole database for `results` as the bytes of a SQLite file."""
    with tempfile.TemporaryDirectory() as folder:
        return write_sqlite(results, Path(folder) / "db.sqlite").read_bytes()
