"""Writes into one generation of the embedded engine, with external versions and tombstones."""

from __future__ import annotations

import json
import sqlite3

from search.backends import local_sql as sql
from search.documents import public_source

OK, STALE = "ok", "stale"


def apply_write(conn: sqlite3.Connection, gen: int, doc_id: str, version: object, doc: dict | None) -> str:
    """Upsert doc (delete when None) unless the stored version is as new: "ok", "stale" or an error."""
    if not isinstance(version, int) or isinstance(version, bool):
        return f"version must be an integer, got {version!r}"
    docs, terms, fts = sql.tables(gen)
    conn.execute("SAVEPOINT item")
    try:
        row = conn.execute(f"SELECT rid, version FROM {docs} WHERE doc_id = ?", (doc_id,)).fetchone()
        if row and row[1] >= version:
            conn.execute("RELEASE item")
            return STALE
        rid = row[0] if row else None
        if rid is not None:
            conn.execute(f"DELETE FROM {docs} WHERE rid = ?", (rid,))
            conn.execute(f"DELETE FROM {fts} WHERE rowid = ?", (rid,))
            conn.execute(f"DELETE FROM {terms} WHERE rid = ?", (rid,))
            conn.execute(f"DELETE FROM {sql.bodies(gen)} WHERE rid = ?", (rid,))
        if doc is None:
            conn.execute(
                f"INSERT INTO {docs} (rid, doc_id, version, deleted) VALUES (?, ?, ?, 1)",
                (rid, doc_id, version),
            )
        else:
            _insert(conn, gen, rid, doc)
        conn.execute("RELEASE item")
        return OK
    except (sqlite3.DatabaseError, TypeError, ValueError, KeyError) as exc:
        conn.execute("ROLLBACK TO item")
        conn.execute("RELEASE item")
        if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
            raise
        return f"{type(exc).__name__}: {exc}"


def _insert(conn: sqlite3.Connection, gen: int, rid: int | None, doc: dict) -> None:
    docs, terms, fts = sql.tables(gen)
    source = json.dumps(public_source(doc), ensure_ascii=False, default=str)
    values = [doc["doc_id"], doc["kind"], doc["id"], doc["version"], 0]
    values += [doc.get(c) for c in sql.DOC_COLUMNS[5:-1]] + [sql.facet_values(doc)]
    cols = ", ".join(("rid", *sql.DOC_COLUMNS))
    cur = conn.execute(f"INSERT INTO {docs} ({cols}) VALUES (?{', ?' * len(values)})", [rid, *values])
    rid = cur.lastrowid
    conn.execute(
        f"INSERT INTO {sql.bodies(gen)} (rid, title, summary, source) VALUES (?, ?, ?, ?)",
        (rid, doc.get("title") or "", doc.get("summary") or "", source),
    )
    conn.execute(
        f"INSERT INTO {fts} (rowid, {', '.join(sql.FTS_COLUMNS)}) VALUES (?, ?, ?, ?, ?)",
        [rid, *(doc.get(c) or "" for c in sql.FTS_COLUMNS)],
    )
    rows = {(field, str(v), rid) for field, key in sql.TERM_FIELDS.items() for v in doc.get(key) or []}
    conn.executemany(f"INSERT INTO {terms} (field, value, rid) VALUES (?, ?, ?)", rows)
