"""The embedded engine's search as it was before issue 16, kept only as the benchmark's "before".

One MATCH of every segmented token OR every bigram, a plain JOIN the planner may turn into a
full-text probe per document of a filtered kind, and facets counted in Python over every hit. It
reads the same index file as the current engine, so both are timed on the same documents.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections import Counter

from search.backends import local_sql as sql
from search.highlight import highlights
from search.queries import SearchParams, query_tokens


class Timeout(Exception):
    """A legacy query ran past its time limit."""


class LegacySearch:
    """The previous search over an index file written by the current LocalBackend (generation 1)."""

    def __init__(self, path: str, limit_s: float = 5.0) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("CREATE TEMP TABLE hits (rid INTEGER PRIMARY KEY, score REAL, kind, maturity, "
                          "published_at, created_at, deadline, doc_id, facets)")  # fmt: skip
        self.limit_s = limit_s
        self.docs, self.terms, self.fts = sql.tables(1)

    def _guard(self) -> None:
        deadline = time.perf_counter() + self.limit_s
        self.conn.set_progress_handler(lambda: int(time.perf_counter() > deadline), 10_000)

    def search(self, params: SearchParams) -> int:
        """Run one search (match, total, page, facets, highlights); raises Timeout past the limit."""
        self._guard()
        try:
            return self._search(params)
        except sqlite3.OperationalError as exc:
            if "interrupted" in str(exc):
                raise Timeout from exc
            raise

    def _search(self, params: SearchParams) -> int:
        conn = self.conn
        conn.execute("DELETE FROM temp.hits")
        where, args = sql.filters_sql(params, self.terms)
        cols = "d.kind, d.maturity, d.published_at, d.created_at, d.deadline, d.doc_id, d.facets"
        seg, grams = query_tokens(params.q)
        if params.q.strip():
            conn.execute(
                f"""INSERT INTO temp.hits SELECT d.rid, s.score, {cols} FROM
                    (SELECT rowid AS rid, {sql.score_sql(self.fts)} AS score FROM {self.fts}
                     WHERE {self.fts} MATCH ?) s JOIN {self.docs} d ON d.rid = s.rid WHERE {where}""",
                [sql.fts_match(seg, grams), *args],
            )
        else:
            conn.execute(
                f"INSERT INTO temp.hits SELECT d.rid, 0, {cols} FROM {self.docs} d WHERE {where}", args
            )
        total = conn.execute("SELECT count(*) FROM temp.hits").fetchone()[0]
        order = sql.order_sql(params.effective_sort).replace("h.tier DESC, ", "")
        rows = conn.execute(
            f"""SELECT h.doc_id, b.title, b.summary, b.source FROM
                (SELECT * FROM temp.hits h ORDER BY {order} LIMIT ? OFFSET ?) h
                JOIN {sql.bodies(1)} b ON b.rid = h.rid ORDER BY {order}""",
            (params.per_page, params.offset),
        ).fetchall()
        counts = Counter(" ".join(v for (v,) in conn.execute("SELECT facets FROM temp.hits")).split())
        counts.update(k for (k,) in conn.execute("SELECT kind FROM temp.hits"))
        tokens = list(dict.fromkeys(seg + grams))
        for _, title, summary, source in rows:
            highlights(title, summary, tokens)
            json.loads(source)
        return total

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()
