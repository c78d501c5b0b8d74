"""Pure search parameters, results and the Elasticsearch query bodies; boosts are named constants."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from search.analysis import normalize, segment, words
from search.documents import cjk_bigrams
from search.es_relevance import relevance_clause
from search.query_terms import BIGRAM_BOOST, SEG_FIELDS, parse

SORTS = ("relevance", "newest", "deadline")
PUBLIC_STATUSES = ("published",)
MAX_PER_PAGE = 100
MAX_RESULT_WINDOW = 10_000
# Elasticsearch counts matches exactly up to this many, then reports a lower bound.
TRACK_TOTAL_HITS = 10_000
MAX_QUERY_TOKENS = 64
FACET_SIZE = 200
FACETS = {"kind": "kind", "field": "field_path", "region": "region_path", "maturity": "maturity"}
SUGGEST_SCAN = 50
SOURCE_EXCLUDES = ["title_seg", "keywords_seg", "body_seg", "bigrams", "suggest", "embedding"]


def _tuple(value: Iterable[Any] | str | None) -> tuple:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,) if value else ()
    return tuple(value)


@dataclass(frozen=True)
class Visibility:
    """Who is searching: anonymous sees published only; orgs and staff scopes see more; admin everything."""

    org_ids: Sequence[int] = ()
    region_scopes: Sequence[str] = ()
    everything: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "org_ids", tuple(int(i) for i in self.org_ids))
        object.__setattr__(self, "region_scopes", _tuple(self.region_scopes))


@dataclass(frozen=True)
class SearchParams:
    """What a user asked for: text, filters, sort and page."""

    q: str = ""
    kinds: Sequence[str] = ()
    fields: Sequence[str] = ()
    region: str | None = None
    maturity: Sequence[str] = ()
    modes: Sequence[str] = ()
    budget_min: float | None = None
    budget_max: float | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    visibility: Visibility = field(default_factory=Visibility)

    def __post_init__(self) -> None:
        for name in ("kinds", "fields", "maturity", "modes"):
            object.__setattr__(self, name, _tuple(getattr(self, name)))
        if self.sort not in SORTS:
            raise ValueError(f"unknown sort {self.sort!r}; expected one of {SORTS}")
        object.__setattr__(self, "page", max(1, int(self.page)))
        object.__setattr__(self, "per_page", min(MAX_PER_PAGE, max(1, int(self.per_page))))

    @property
    def offset(self) -> int:
        """Index of the first hit on the requested page."""
        return min((self.page - 1) * self.per_page, MAX_RESULT_WINDOW - self.per_page)

    @property
    def effective_sort(self) -> str:
        """Relevance without query text means newest first."""
        return "newest" if self.sort == "relevance" and not self.q.strip() else self.sort


@dataclass
class Hit:
    """One search result with its highlighted title and summary snippet."""

    doc_id: str
    kind: str
    id: int
    score: float
    title: str
    summary: str
    highlights: dict[str, str]
    source: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for the web layer."""
        return dict(self.__dict__)


@dataclass
class SearchResult:
    """A page of hits with the total and facet counts over the whole match set."""

    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]]
    page: int = 1
    per_page: int = 20
    # False when the engine stopped counting at its candidate cap: total is then a lower bound.
    total_exact: bool = True
    # True while the index lacks part of the catalogue (engine back empty, rebuild running).
    partial: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for the web layer."""
        return {**self.__dict__, "hits": [h.to_dict() for h in self.hits]}


def query_tokens(q: str) -> tuple[list[str], list[str]]:
    """Segmented tokens and Chinese bigrams of the query text, deduplicated and capped."""
    seg = list(dict.fromkeys(segment(q)))[:MAX_QUERY_TOKENS]
    grams = list(dict.fromkeys(cjk_bigrams(q)))[:MAX_QUERY_TOKENS]
    return seg, grams


def highlight_tokens(q: str) -> list[str]:
    """Tokens to mark in titles and summaries: what the query can match on either text field."""
    seg, grams = query_tokens(q)
    return list(dict.fromkeys(seg + parse(q).tokens() + grams))


def es_visibility_filter(vis: Visibility) -> dict | None:
    """Filter clause for who may see what, or None when everything is visible."""
    if vis.everything:
        return None
    should: list[dict] = [{"terms": {"status": list(PUBLIC_STATUSES)}}]
    if vis.org_ids:
        should.append({"terms": {"org_id": list(vis.org_ids)}})
    if vis.region_scopes:
        should.append({"terms": {"region_path": list(vis.region_scopes)}})
    return {"bool": {"should": should, "minimum_should_match": 1}}


def _open_bound(field_name: str, other: str, op: str, value: float) -> dict:
    # A listing with only one budget bound is open-ended on the other side.
    return {
        "bool": {
            "should": [
                {"range": {field_name: {op: value}}},
                {
                    "bool": {
                        "must_not": [{"exists": {"field": field_name}}],
                        "filter": [{"exists": {"field": other}}],
                    }
                },
            ],
            "minimum_should_match": 1,
        }
    }


def es_filters(params: SearchParams) -> list[dict]:
    """Filter clauses shared by search and facets."""
    out: list[dict] = []
    terms = {
        "kind": params.kinds,
        "field_path": params.fields,
        "maturity": params.maturity,
        "modes": params.modes,
    }
    out.extend({"terms": {name: list(values)}} for name, values in terms.items() if values)
    if params.region:
        out.append({"term": {"region_path": params.region}})
    if params.budget_min is not None:
        out.append(_open_bound("budget_max", "budget_min", "gte", params.budget_min))
    if params.budget_max is not None:
        out.append(_open_bound("budget_min", "budget_max", "lte", params.budget_max))
    vis = es_visibility_filter(params.visibility)
    if vis:
        out.append(vis)
    return out


def es_text_clause(seg: list[str], grams: list[str]) -> dict:
    """Match any token on the segmented fields (boosted per field) or any bigram on the bigram field."""
    if not (seg or grams):
        return {"match_none": {}}  # text without a searchable token matches nothing, on every engine
    should: list[dict] = []
    if seg:
        fields = [f"{name}^{boost}" for name, boost in SEG_FIELDS.items()]
        should.append({"multi_match": {"query": " ".join(seg), "fields": fields, "type": "most_fields"}})
    if grams:
        should.append({"match": {"bigrams": {"query": " ".join(grams), "boost": BIGRAM_BOOST}}})
    return {"bool": {"should": should, "minimum_should_match": 1}}


def es_sort(sort: str) -> list:
    """Sort clause; doc_id breaks ties so pages never overlap."""
    newest = {"published_at": {"order": "desc", "missing": "_last"}}
    tail = [{"doc_id": {"order": "asc"}}]
    if sort == "deadline":
        return [{"deadline": {"order": "asc", "missing": "_last"}}, newest, *tail]
    if sort == "newest":
        return [newest, {"created_at": {"order": "desc", "missing": "_last"}}, *tail]
    return ["_score", newest, *tail]


def es_search_body(params: SearchParams) -> dict:
    """The whole Elasticsearch request body for a search: query, sort, page and facet aggregations."""
    must = [relevance_clause(parse(params.q))] if params.q.strip() else []
    aggs = {name: {"terms": {"field": path, "size": FACET_SIZE}} for name, path in FACETS.items()}
    return {
        "query": {"bool": {"must": must, "filter": es_filters(params)}},
        "sort": es_sort(params.effective_sort),
        "from": params.offset,
        "size": params.per_page,
        "aggs": aggs,
        "track_total_hits": TRACK_TOTAL_HITS,
        "_source": {"excludes": SOURCE_EXCLUDES},
    }


def es_candidates_body(kind: str, tokens: list[str], limit: int, exclude_org: int | None) -> dict:
    """Request body ranking published documents of a kind by the given tokens on the segmented fields."""
    seg = list(dict.fromkeys(t for t in tokens if t.strip()))[: MAX_QUERY_TOKENS * 4]
    query: dict = {
        "must": [es_text_clause(seg, [])],
        "filter": [{"term": {"kind": kind}}, {"terms": {"status": list(PUBLIC_STATUSES)}}],
    }
    if exclude_org is not None:
        query["must_not"] = [{"term": {"org_id": exclude_org}}]
    return {"query": {"bool": query}, "size": limit, "_source": ["id"], "sort": ["_score", {"doc_id": "asc"}]}


def es_suggest_body(prefix: str, vis: Visibility) -> dict:
    """Request body for the newest visible documents whose title or keywords start with or hold the text."""
    norm = normalize(prefix).strip()
    should: list[dict] = [
        {"prefix": {"suggest": norm}},
        {"multi_match": {"query": norm, "fields": ["title_seg", "keywords_seg"], "operator": "and"}},
    ]
    grams = cjk_bigrams(norm)
    if grams:
        should.append({"match_phrase": {"bigrams": " ".join(grams)}})
    filters: list[dict] = [{"bool": {"should": should, "minimum_should_match": 1}}]
    vis_filter = es_visibility_filter(vis)
    if vis_filter:
        filters.append(vis_filter)
    return {
        "query": {"bool": {"filter": filters}},
        "size": SUGGEST_SCAN,
        "sort": es_sort("newest"),
        "_source": ["title", "keywords"],
    }


def rank_suggestions(prefix: str, rows: Iterable[tuple[str, list[str]]], limit: int) -> list[str]:
    """Titles, keywords and title words from (title, keywords) rows holding the text: starting with it
    first, then frequent, then short (传感 suggests 传感器, then 压力传感器)."""
    norm = normalize(prefix).strip()
    counts: Counter[str] = Counter()
    first_seen: dict[str, str] = {}
    for title, keywords in rows:
        longer = [w for w in words(title) if len(w) > len(norm)]
        for text in dict.fromkeys([*keywords, title, *longer]):
            key = normalize(text).strip()
            if norm in key:
                counts[key] += 1
                first_seen.setdefault(key, text.strip())
    ranked = sorted(counts, key=lambda k: (not k.startswith(norm), -counts[k], len(k), k))
    return [first_seen[k] for k in ranked[:limit]]
