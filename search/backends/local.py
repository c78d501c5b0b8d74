"""Embedded search engine on SQLite FTS5 with BM25: the default set-up and the reference for tests."""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from collections.abc import Iterable
from itertools import islice
from pathlib import Path

from search.analysis import normalize
from search.backends import local_search
from search.backends import local_sql as sql
from search.backends.base import BulkResult, Progress, SearchError
from search.backends.local_conn import Connections
from search.backends.local_write import OK, STALE, apply_write
from search.cache import DEFAULT_TTL, ResultCache
from search.queries import (
    PUBLIC_STATUSES,
    SUGGEST_SCAN,
    SearchParams,
    SearchResult,
    Visibility,
    rank_suggestions,
)

REBUILD_BATCH = 500
log = logging.getLogger(__name__)


class LocalBackend:
    """SearchBackend on one SQLite file: a generation of tables per index version behind an alias row."""

    def __init__(self, path: str | Path, *, timeout: float = 30.0, cache_ttl: float = DEFAULT_TTL) -> None:
        self.path = str(path)
        self.cache = ResultCache(ttl=cache_ttl)
        self.db = Connections(self.path, timeout)
        self._tx = self.db.tx
        self.ensure_index()

    @staticmethod
    def _alias(conn: sqlite3.Connection, name: str) -> int | None:
        row = conn.execute("SELECT generation FROM search_alias WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def _current(self, conn: sqlite3.Connection) -> int:
        gen = self._alias(conn, "current")
        if gen is None:
            raise SearchError("search index missing: call ensure_index()")
        return gen

    def close(self) -> None:
        """Close every connection this backend opened."""
        self.db.close()

    # administration

    def ping(self) -> bool:
        """Whether the database file answers."""
        try:
            with self._tx() as conn:
                self._current(conn)
            return True
        except SearchError:
            return False

    def ensure_index(self) -> None:
        """Create the alias table and a first generation if absent (or built by an older schema)."""
        with self._tx(write=True) as conn:
            conn.execute(sql.ALIAS_DDL)
            if self._alias(conn, "schema") != sql.SCHEMA_VERSION and self._alias(conn, "current") is not None:
                # Tables of an older layout cannot be read: start empty; `flask reindex` refills it.
                log.warning("search index %s has an older layout: recreated empty, run a reindex", self.path)
                for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
                    if re.fullmatch(r"g\d+_[a-z]+", name):
                        conn.execute(f"DROP TABLE IF EXISTS {name}")
                conn.execute("DELETE FROM search_alias")
            if self._alias(conn, "current") is None:
                rows = [("current", 1), ("seq", 1), ("schema", sql.SCHEMA_VERSION)]
                conn.executemany("INSERT OR REPLACE INTO search_alias VALUES (?, ?)", rows)
                for stmt in sql.generation_ddl(1):
                    conn.execute(stmt)

    def clear(self) -> None:
        """Remove every document and tombstone (tests only)."""
        with self._tx(write=True) as conn:
            self._bump(conn)
            for name in sql.all_tables(self._current(conn)):
                conn.execute(f"DELETE FROM {name}")

    # writes

    @staticmethod
    def _bump(conn: sqlite3.Connection) -> None:
        # Every write moves the version other processes' caches are keyed by.
        conn.execute(
            "INSERT INTO search_alias VALUES ('writes', 1)"
            " ON CONFLICT (name) DO UPDATE SET generation = generation + 1"
        )

    def _targets(self, conn: sqlite3.Connection) -> list[int]:
        # A rebuild in progress receives every write too, so the new generation misses nothing.
        building = self._alias(conn, "building")
        return [self._current(conn)] + ([building] if building is not None else [])

    def bulk_upsert(self, docs: list[dict]) -> BulkResult:
        """Write documents with external versions; an equal or older version is reported stale."""
        return self._bulk([(d.get("doc_id", "?"), d.get("version"), d) for d in docs])

    def bulk_delete(self, items: list[tuple[str, int]]) -> BulkResult:
        """Delete documents, keeping a tombstone with the delete's version."""
        return self._bulk([(doc_id, version, None) for doc_id, version in items])

    def _bulk(self, items: list[tuple[str, object, dict | None]]) -> BulkResult:
        result = BulkResult()
        with self._tx(write=True) as conn:
            self._bump(conn)
            targets = self._targets(conn)
            for doc_id, version, doc in items:
                outcomes = [apply_write(conn, gen, doc_id, version, doc) for gen in targets]
                main = outcomes[0]
                if main == OK:
                    result.ok.append(doc_id)
                elif main == STALE:
                    result.stale.append(doc_id)
                else:
                    result.failed[doc_id] = main
        return result

    # reads

    def index_version(self, conn: sqlite3.Connection) -> tuple[int, int]:
        """(generation, write count): changes whenever any process writes to or rebuilds the index."""
        return self._current(conn), self._alias(conn, "writes") or 0

    def search(self, params: SearchParams) -> SearchResult:
        """Full-text search with filters and visibility; repeated anonymous searches come from a cache."""
        with self._tx() as conn:
            version = self.index_version(conn)
            anonymous = params.visibility == Visibility()
            key = (version, params)
            cached = self.cache.get(key) if anonymous else None
            if cached is not None:
                return cached
            result = local_search.search(conn, params, version[0])
        if anonymous:
            self.cache.put(key, result)
        return result

    def suggest(self, prefix: str, visibility: Visibility, limit: int = 10) -> list[str]:
        """Titles, keywords and title words containing what was typed, among the newest visible documents."""
        norm = normalize(prefix).strip()
        if not norm:
            return []
        with self._tx() as conn:
            gen = self._current(conn)
            docs, terms, fts = sql.tables(gen)
            vis, args = sql.visibility_sql(visibility, terms)
            rows = conn.execute(
                f"""SELECT b.title, b.source FROM ({sql.suggest_rids(terms, fts)}) AS m
                    CROSS JOIN {docs} d ON d.rid = m.rid CROSS JOIN {sql.bodies(gen)} b ON b.rid = d.rid
                    WHERE d.deleted = 0 AND {vis}
                    ORDER BY {sql.order_sql("newest", "d")} LIMIT ?""",
                [norm, norm + "\U0010ffff", sql.infix_match(norm), *args, SUGGEST_SCAN],
            ).fetchall()
        return rank_suggestions(prefix, ((t, json.loads(s).get("keywords") or []) for t, s in rows), limit)

    def candidates(
        self, kind: str, tokens: list[str], limit: int, exclude_org: int | None = None
    ) -> list[tuple[int, float]]:
        """Published documents of a kind ranked by BM25 over any of the tokens: (object id, score)."""
        seg = list(dict.fromkeys(t for t in tokens if t.strip()))
        if not seg or limit <= 0:
            return []
        with self._tx() as conn:
            docs, _, fts = sql.tables(self._current(conn))
            rows = conn.execute(
                sql.candidates_sql(docs, fts),
                [sql.fts_match(seg, []), kind, *PUBLIC_STATUSES, exclude_org, exclude_org, limit],
            ).fetchall()
        return [(int(obj_id), float(score)) for obj_id, score in rows]

    def id_versions(self) -> dict[str, int]:
        """Every live document id with its version."""
        with self._tx() as conn:
            docs, _, _ = sql.tables(self._current(conn))
            return dict(conn.execute(f"SELECT doc_id, version FROM {docs} WHERE deleted = 0").fetchall())

    def document_count(self) -> int:
        """Live documents of the current generation."""
        with self._tx() as conn:
            docs, _, _ = sql.tables(self._current(conn))
            return int(conn.execute(f"SELECT count(*) FROM {docs} WHERE deleted = 0").fetchone()[0])

    def rebuilding(self) -> bool:
        """Whether a generation is being filled (the 'building' alias row exists)."""
        with self._tx() as conn:
            return self._alias(conn, "building") is not None

    # rebuild

    def rebuild(self, docs: Iterable[dict], progress: Progress | None = None) -> None:
        """Fill a new generation (live writes go to it too), then swap the alias and drop the old one."""
        self.ensure_index()
        with self._tx(write=True) as conn:
            gen = conn.execute("SELECT generation + 1 FROM search_alias WHERE name = 'seq'").fetchone()[0]
            conn.execute("UPDATE search_alias SET generation = ? WHERE name = 'seq'", (gen,))
            for stmt in sql.generation_ddl(gen):
                conn.execute(stmt)
            conn.execute("INSERT OR REPLACE INTO search_alias VALUES ('building', ?)", (gen,))
        try:
            self._load(gen, docs, progress)
        except BaseException:
            self._abandon(gen)
            raise
        with self._tx(write=True) as conn:
            old = self._current(conn)
            conn.execute("UPDATE search_alias SET generation = ? WHERE name = 'current'", (gen,))
            conn.execute("DELETE FROM search_alias WHERE name = 'building'")
            self._bump(conn)
            for stmt in sql.drop_generation(old):
                conn.execute(stmt)

    def _load(self, gen: int, docs: Iterable[dict], progress: Progress | None) -> None:
        done, failed = 0, {}
        it = iter(docs)
        while batch := list(islice(it, REBUILD_BATCH)):
            with self._tx(write=True) as conn:
                for doc in batch:
                    outcome = apply_write(conn, gen, doc.get("doc_id", "?"), doc.get("version"), doc)
                    if outcome not in (OK, STALE):
                        failed[doc.get("doc_id", "?")] = outcome
            done += len(batch)
            if progress:
                progress(done)
        if failed:
            raise SearchError(f"rebuild failed for {len(failed)} documents: {dict(list(failed.items())[:5])}")

    def _abandon(self, gen: int) -> None:
        with self._tx(write=True) as conn:
            conn.execute("DELETE FROM search_alias WHERE name = 'building' AND generation = ?", (gen,))
            for stmt in sql.drop_generation(gen):
                conn.execute(stmt)
