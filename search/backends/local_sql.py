"""SQL for the embedded SQLite FTS5 engine: schema of one index generation, filters, match and order."""

from __future__ import annotations

from collections.abc import Sequence

from search.documents import cjk_bigrams
from search.queries import PUBLIC_STATUSES, SearchParams, Visibility
from search.query_terms import BIGRAM_BOOST, BODY_BOOST, KEYWORDS_BOOST, TITLE_BOOST, Group, QueryTerms

# FTS5 must split on whitespace only: Chinese runs are letters to unicode61 and stay whole, and the
# characters jieba keeps inside a token (c++, 3.5, pt-100, 50%) are declared token characters.
FTS_TOKENIZE = "unicode61 remove_diacritics 0 tokenchars '+#&._%-'"
FTS_COLUMNS = ("title_seg", "keywords_seg", "body_seg", "bigrams")
BM25_WEIGHTS = (TITLE_BOOST, KEYWORDS_BOOST, BODY_BOOST, BIGRAM_BOOST)
# Filters, sorts and facets read a narrow documents table; the wide texts live beside it in "bodies"
# and are read for the rows of one page only.
DOC_COLUMNS = (
    "doc_id", "kind", "obj_id", "version", "deleted", "status", "org_id", "maturity", "budget_min",
    "budget_max", "created_at", "published_at", "deadline", "facets",
)  # fmt: skip
BODY_COLUMNS = ("title", "summary", "source")
TERM_FIELDS = {"region": "region_path", "field": "field_path", "mode": "modes", "suggest": "suggest"}
FACET_FIELDS = {"field": "field_path", "region": "region_path"}


def facet_values(doc: dict) -> str:
    """The multi-valued facet values of a document as "field:code region:code ..." (codes have no spaces)."""
    return " ".join(f"{name}:{v}" for name, key in FACET_FIELDS.items() for v in doc.get(key) or [])


SCHEMA_VERSION = 2  # bump when the tables of a generation change shape
ALIAS_DDL = "CREATE TABLE IF NOT EXISTS search_alias (name TEXT PRIMARY KEY, generation INTEGER NOT NULL)"
# The match set of one search, with what sorting and the kind/maturity facets need, so that only the
# page's rows are read back from the documents table.
HITS_COLUMNS = ("kind", "maturity", "published_at", "created_at", "deadline", "doc_id", "facets")
HITS_DDL = (
    "CREATE TEMP TABLE IF NOT EXISTS hits (rid INTEGER PRIMARY KEY, tier INTEGER NOT NULL, "
    "score REAL NOT NULL, " + ", ".join(HITS_COLUMNS) + ")"
)


def tables(gen: int) -> tuple[str, str, str]:
    """Names of the documents, terms and full-text tables of a generation."""
    return f"g{gen}_docs", f"g{gen}_terms", f"g{gen}_fts"


def bodies(gen: int) -> str:
    """Name of the table of titles, summaries and stored sources of a generation."""
    return f"g{gen}_bodies"


def all_tables(gen: int) -> list[str]:
    """Every table of a generation."""
    return [*tables(gen), bodies(gen)]


def generation_ddl(gen: int) -> list[str]:
    """Statements creating one index generation."""
    docs, terms, fts = tables(gen)
    return [
        f"""CREATE TABLE {docs} (rid INTEGER PRIMARY KEY, doc_id TEXT NOT NULL UNIQUE, kind TEXT,
            obj_id INTEGER, version INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, status TEXT,
            org_id INTEGER, maturity TEXT, budget_min REAL, budget_max REAL, created_at TEXT,
            published_at TEXT, deadline TEXT, facets TEXT)""",
        f"CREATE TABLE {bodies(gen)} (rid INTEGER PRIMARY KEY, title TEXT, summary TEXT, source TEXT)",
        f"CREATE INDEX {docs}_kind ON {docs} (kind, status, deleted)",
        f"CREATE INDEX {docs}_published ON {docs} (published_at)",
        f"""CREATE TABLE {terms} (field TEXT NOT NULL, value TEXT NOT NULL, rid INTEGER NOT NULL,
            PRIMARY KEY (field, value, rid)) WITHOUT ROWID""",
        f"CREATE INDEX {terms}_rid ON {terms} (rid, field, value)",
        f'CREATE VIRTUAL TABLE {fts} USING fts5({", ".join(FTS_COLUMNS)}, tokenize="{FTS_TOKENIZE}")',
    ]


def drop_generation(gen: int) -> list[str]:
    """Statements dropping one index generation."""
    return [f"DROP TABLE IF EXISTS {name}" for name in all_tables(gen)]


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


SEG_COLUMNS = "{title_seg keywords_seg body_seg}"


def _phrase(tokens: tuple[str, ...] | list[str]) -> str:
    return _quote(" ".join(tokens))


def _group(group: Group) -> str:
    options = [_quote(t) for t in group.alternatives]
    if group.parts:
        options.append("(" + " AND ".join(map(_quote, group.parts)) + ")")
    return "(" + " OR ".join(options) + ")"


def tier_match(terms: QueryTerms, tier: str) -> str:
    """FTS5 query for one relevance tier (see search.query_terms)."""
    if tier in ("title", "all", "any"):
        joiner = " OR " if tier == "any" else " AND "
        columns = "{title_seg}" if tier == "title" else SEG_COLUMNS
        return f"{columns} : (" + joiner.join(_group(g) for g in terms.groups) + ")"
    if tier == "pieces":
        pieces = dict.fromkeys(p for g in terms.groups for p in g.pieces)
        return f"{SEG_COLUMNS} : (" + " OR ".join(map(_quote, pieces)) + ")"
    if tier == "substring":
        phrases = [_phrase(g.bigrams) for g in terms.groups if g.bigrams]
    else:
        phrases = [_phrase(pair) for pair in terms.pairs]
    return "{bigrams} : (" + " OR ".join(phrases) + ")"


def fts_match(seg: list[str], grams: list[str]) -> str:
    """FTS5 query: any segmented token on the text columns or any bigram on the bigram column."""
    parts = []
    if seg:
        parts.append("{title_seg keywords_seg body_seg} : (" + " OR ".join(map(_quote, seg)) + ")")
    if grams:
        parts.append("{bigrams} : (" + " OR ".join(map(_quote, grams)) + ")")
    return " OR ".join(parts)


def score_sql(fts: str) -> str:
    """Relevance as a positive number (bm25() is lower-is-better) with the field boosts as column weights."""
    return f"-bm25({fts}, {', '.join(str(w) for w in BM25_WEIGHTS)})"


def marks(values: Sequence) -> str:
    return ", ".join("?" for _ in values)


def _term_in(terms: str, field: str, values: Sequence) -> tuple[str, list]:
    return f"d.rid IN (SELECT rid FROM {terms} WHERE field = ? AND value IN ({marks(values)}))", [
        field,
        *values,
    ]


def visibility_sql(vis: Visibility, terms: str) -> tuple[str, list]:
    """Condition on docs alias d for who may see what ("1" for everything)."""
    if vis.everything:
        return "1", []
    parts: list[str] = [f"d.status IN ({marks(PUBLIC_STATUSES)})"]
    args: list = list(PUBLIC_STATUSES)
    if vis.org_ids:
        parts.append(f"d.org_id IN ({marks(vis.org_ids)})")
        args.extend(vis.org_ids)
    if vis.region_scopes:
        sql, more = _term_in(terms, "region", vis.region_scopes)
        parts.append(sql)
        args.extend(more)
    return "(" + " OR ".join(parts) + ")", args


def filters_sql(params: SearchParams, terms: str) -> tuple[str, list]:
    """WHERE condition on docs alias d for every filter of the search, visibility included."""
    parts, args = ["d.deleted = 0"], []

    def add(sql: str, more: list) -> None:
        parts.append(sql)
        args.extend(more)

    if params.kinds:
        add(f"d.kind IN ({marks(params.kinds)})", list(params.kinds))
    if params.maturity:
        add(f"d.maturity IN ({marks(params.maturity)})", list(params.maturity))
    for field, values in (("field", params.fields), ("mode", params.modes)):
        if values:
            add(*_term_in(terms, field, values))
    if params.region:
        add(*_term_in(terms, "region", [params.region]))
    if params.budget_min is not None:
        add("(d.budget_max >= ? OR (d.budget_max IS NULL AND d.budget_min IS NOT NULL))", [params.budget_min])
    if params.budget_max is not None:
        add("(d.budget_min <= ? OR (d.budget_min IS NULL AND d.budget_max IS NOT NULL))", [params.budget_max])
    add(*visibility_sql(params.visibility, terms))
    return " AND ".join(parts), args


def order_sql(sort: str, t: str = "h") -> str:
    """ORDER BY terms for a sort over table alias t (hits h, or documents d)."""
    newest = f"{t}.published_at IS NULL, {t}.published_at DESC"
    return {
        "relevance": f"{t}.tier DESC, {t}.score DESC, {newest}, {t}.doc_id",
        "newest": f"{newest}, {t}.created_at IS NULL, {t}.created_at DESC, {t}.doc_id",
        "deadline": f"{t}.deadline IS NULL, {t}.deadline, {newest}, {t}.doc_id",
    }[sort]


def candidates_sql(docs: str, fts: str) -> str:
    """Published documents of a kind, best BM25 first, from the full-text match (CROSS JOIN: plan-stable)."""
    return f"""SELECT d.obj_id, s.score FROM
        (SELECT rowid AS rid, {score_sql(fts)} AS score FROM {fts} WHERE {fts} MATCH ?) s
        CROSS JOIN {docs} d ON d.rid = s.rid
        WHERE d.kind = ? AND d.deleted = 0 AND d.status IN ({marks(PUBLIC_STATUSES)})
        AND (? IS NULL OR d.org_id IS NOT ?) ORDER BY s.score DESC, d.doc_id LIMIT ?"""


def infix_match(norm: str) -> str:
    """FTS5 query for documents whose title or keywords hold the typed text as a word or inside one."""
    grams = cjk_bigrams(norm)
    # Two or more Chinese characters: the bigram phrase finds them inside longer words too.
    inside = " OR {bigrams} : " + _phrase(grams) if grams else ""
    return "{title_seg keywords_seg} : " + _quote(norm) + inside


def suggest_rids(terms: str, fts: str) -> str:
    """Documents with a title or keyword starting with the text, or holding it (prefix, prefix end, match)."""
    return f"""SELECT rid FROM {terms} WHERE field = 'suggest' AND value >= ? AND value < ?
        UNION SELECT rowid AS rid FROM {fts} WHERE {fts} MATCH ?"""
