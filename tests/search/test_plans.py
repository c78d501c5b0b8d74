"""Query plans of the embedded engine: the full-text index is matched once, never probed per document."""

from __future__ import annotations

import itertools
import sqlite3

import pytest

from search.backends import local_search
from search.backends import local_sql as sql
from search.backends.local import LocalBackend
from search.queries import SearchParams, Visibility
from search.query_terms import parse
from tests.search.conftest import HUAIAN, docs

FILTERS = {
    "kinds": ["need"],
    "fields": ["nev"],
    "region": HUAIAN,
    "maturity": ["pilot"],
    "modes": ["license"],
    "budget_min": 10.0,
    "budget_max": 90.0,
}
VISIBILITY = [
    Visibility(),
    Visibility(org_ids=(1,)),
    Visibility(org_ids=(1,), region_scopes=(HUAIAN,)),
    Visibility(everything=True),
]


def combinations():
    """Every subset of the filters, with every kind of visibility."""
    for n in range(len(FILTERS) + 1):
        for chosen in itertools.combinations(FILTERS, n):
            for vis in VISIBILITY:
                yield SearchParams(q="传感器 温度补偿", visibility=vis, **{k: FILTERS[k] for k in chosen})


@pytest.fixture
def conn(tmp_path):
    """A connection to an index holding the test corpus, with the session's temp table."""
    backend = LocalBackend(tmp_path / "s.sqlite3")
    backend.bulk_upsert(docs())
    backend.close()
    connection = sqlite3.connect(tmp_path / "s.sqlite3")
    connection.execute(sql.HITS_DDL)
    yield connection
    connection.close()


def plan(conn: sqlite3.Connection, statement: str, args: list) -> list[str]:
    """The EXPLAIN QUERY PLAN lines of a statement."""
    return [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + statement, args)]


def assert_matched_once(lines: list[str], fts: str) -> None:
    """The full-text table is scanned once by MATCH, first, and documents are looked up by rowid."""
    fts_lines = [line for line in lines if fts in line]
    assert len(fts_lines) == 1, lines
    # "=" in the index string means a rowid probe: one full-text lookup per candidate document.
    assert fts_lines[0].startswith(f"SCAN {fts} VIRTUAL TABLE INDEX") and "=" not in fts_lines[0], lines
    assert lines.index(fts_lines[0]) == 0, lines
    assert "SEARCH d USING INTEGER PRIMARY KEY (rowid=?)" in lines, lines


def test_every_filter_combination_matches_the_full_text_index_once(conn):
    names = sql.tables(1)
    terms = parse("传感器 温度补偿")
    checked = 0
    for params in combinations():
        where, args = sql.filters_sql(params, names[1])
        for tier in terms.tiers():
            lines = plan(
                conn, local_search.tier_sql(names, where), [4, sql.tier_match(terms, tier), *args, 10]
            )
            assert_matched_once(lines, names[2])
            checked += 1
    assert checked == 2 ** len(FILTERS) * len(VISIBILITY) * len(terms.tiers())


def test_the_old_join_did_probe_per_document(conn):
    # The guard above can fail: the plain JOIN of the previous engine flips to a probe per document.
    docs_table, terms_table, fts = sql.tables(1)
    where, args = sql.filters_sql(SearchParams(q="传感器", kinds=["need"]), terms_table)
    old = f"""SELECT d.rid FROM (SELECT rowid AS rid FROM {fts} WHERE {fts} MATCH ?) s
              JOIN {docs_table} d ON d.rid = s.rid WHERE {where}"""
    lines = plan(conn, old, ['"传感器"', *args])
    assert any(fts in line and "=" in line for line in lines), lines


def test_match_candidates_match_the_full_text_index_once(conn):
    docs_table, _, fts = sql.tables(1)
    for exclude in (None, 3):
        args = ['"传感器"', "output", "published", exclude, exclude, 50]
        assert_matched_once(plan(conn, sql.candidates_sql(docs_table, fts), args), fts)
