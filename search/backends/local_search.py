"""The read path of the embedded engine: bounded tiered matching, totals and facets in SQL, one page.

Every statement starts from the full-text match and reaches the documents table through a CROSS
JOIN on its rowid, so SQLite cannot reorder the join and probe the full-text index once per
document of a filtered kind (a 100 s search at 50,000 listings before). Each tier adds at most what
the candidate cap leaves; the character tiers only run while the word tiers found few documents.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from json import loads

from search.backends import local_sql as sql
from search.highlight import highlights
from search.queries import FACET_SIZE, FACETS, Hit, SearchParams, SearchResult, highlight_tokens
from search.query_terms import TIER_RANK, QueryTerms, parse

# The most documents one text query scores, counts and facets (Elasticsearch's track_total_hits).
CANDIDATE_CAP = 500
# The bigram tiers only fill a result list the word tiers leave shorter than this.
FILL_BELOW = 100


def tier_sql(names: tuple[str, str, str], where: str) -> str:
    """INSERT of one tier's matches passing the filters, best first, up to a limit (plan-stable)."""
    docs, _, fts = names
    cols = ", ".join(f"d.{c}" for c in sql.HITS_COLUMNS)
    return f"""INSERT INTO temp.hits (rid, tier, score, {", ".join(sql.HITS_COLUMNS)})
        SELECT d.rid, ?, s.score, {cols} FROM
        (SELECT rowid AS rid, {sql.score_sql(fts)} AS score FROM {fts} WHERE {fts} MATCH ?) AS s
        CROSS JOIN {docs} AS d ON d.rid = s.rid
        WHERE {where} AND s.rid NOT IN (SELECT rid FROM temp.hits)
        ORDER BY s.score DESC LIMIT ?"""


def browse_sql(docs: str, where: str) -> str:
    """INSERT of every document passing the filters (a search without text)."""
    cols = ", ".join(f"d.{c}" for c in sql.HITS_COLUMNS)
    return f"""INSERT INTO temp.hits (rid, tier, score, {", ".join(sql.HITS_COLUMNS)})
        SELECT d.rid, 0, 0, {cols} FROM {docs} AS d WHERE {where}"""


def fill_hits(conn: sqlite3.Connection, params: SearchParams, names: tuple[str, str, str]) -> bool | None:
    """Put the match set into temp.hits: True if complete, False if bounded, None if nothing searchable."""
    conn.execute("DELETE FROM temp.hits")
    where, args = sql.filters_sql(params, names[1])
    if not params.q.strip():
        conn.execute(browse_sql(names[0], where), args)
        return True
    terms = parse(params.q)
    if terms.empty:
        return None
    return fill_tiers(conn, terms, tier_sql(names, where), args)


def fill_tiers(conn: sqlite3.Connection, terms: QueryTerms, statement: str, args: list) -> bool:
    """Run the query's tiers best first; later tiers only fill a short list. True if nothing was left out."""
    found = 0
    for i, tier in enumerate(terms.tiers()):
        if found >= CANDIDATE_CAP or (i and found >= FILL_BELOW):
            return False
        cur = conn.execute(
            statement, [TIER_RANK[tier], sql.tier_match(terms, tier), *args, CANDIDATE_CAP - found]
        )
        found += cur.rowcount
    return found < CANDIDATE_CAP


def facets(conn: sqlite3.Connection) -> dict[str, dict[str, int]]:
    """Facet counts over the match set: SQLite groups the hits, each distinct group is split once."""
    counts: dict[str, Counter[str]] = {name: Counter() for name in FACETS}
    rows = conn.execute("SELECT kind, maturity, facets, count(*) FROM temp.hits GROUP BY 1, 2, 3")
    for kind, maturity, values, n in rows:
        counts["kind"][kind] += n
        if maturity is not None:
            counts["maturity"][maturity] += n
        for item in (values or "").split():
            name, _, value = item.partition(":")
            counts[name][value] += n
    return {
        name: dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:FACET_SIZE])
        for name, c in counts.items()
    }


def page(conn: sqlite3.Connection, params: SearchParams, gen: int) -> list[tuple]:
    """The rows of the requested page, in order, with titles and stored sources."""
    docs = sql.tables(gen)[0]
    order = sql.order_sql(params.effective_sort)
    return conn.execute(
        f"""SELECT h.doc_id, h.kind, d.obj_id, h.score, b.title, b.summary, b.source FROM
            (SELECT * FROM temp.hits h ORDER BY {order} LIMIT ? OFFSET ?) h
            CROSS JOIN {docs} d ON d.rid = h.rid CROSS JOIN {sql.bodies(gen)} b ON b.rid = h.rid
            ORDER BY {order}""",
        (params.per_page, params.offset),
    ).fetchall()


def search(conn: sqlite3.Connection, params: SearchParams, gen: int) -> SearchResult:
    """A page of hits with the total and facets over the (bounded) match set."""
    names = sql.tables(gen)
    exact = fill_hits(conn, params, names)
    if exact is None:
        return SearchResult(0, [], {name: {} for name in FACETS}, params.page, params.per_page)
    total = conn.execute("SELECT count(*) FROM temp.hits").fetchone()[0]
    rows = page(conn, params, gen)
    counted = facets(conn)
    # Highlights only for the page shown.
    tokens = highlight_tokens(params.q)
    hits = [
        Hit(doc_id, kind, oid, float(score), title, summary, highlights(title, summary, tokens), loads(raw))
        for doc_id, kind, oid, score, title, summary, raw in rows
    ]
    return SearchResult(total, hits, counted, params.page, params.per_page, total_exact=exact)
