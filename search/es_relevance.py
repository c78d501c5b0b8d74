"""The relevance tiers of ``search.query_terms`` as an Elasticsearch query.

Each tier is a constant-score filter; a document scores its best tier (dis_max), a boost far above
any BM25 score, so a document in a better tier always outranks one in worse ones; BM25 over the
query's tokens (field boosts as before) orders documents within a tier.
"""

from __future__ import annotations

from search.query_terms import BIGRAM_BOOST, SEG_FIELDS, Group, QueryTerms

# Larger than any BM25 score of one query, so tiers never mix.
TIER_UNIT = 1000.0
TIER_BOOST = {"overlap": 1, "pieces": 2, "substring": 4, "any": 8, "all": 16, "title": 32}


def _in(fields: list[str], tokens: tuple[str, ...] | list[str]) -> dict:
    return {"bool": {"should": [{"terms": {f: list(tokens)}} for f in fields], "minimum_should_match": 1}}


def _group(group: Group, fields: list[str]) -> dict:
    options: list[dict] = [_in(fields, group.alternatives)]
    if group.parts:
        options.append({"bool": {"filter": [_in(fields, [p]) for p in group.parts]}})
    return {"bool": {"should": options, "minimum_should_match": 1}}


def _phrases(runs: list[tuple[str, ...]]) -> dict:
    should = [{"match_phrase": {"bigrams": " ".join(run)}} for run in runs]
    return {"bool": {"should": should, "minimum_should_match": 1}}


def tier_filter(terms: QueryTerms, tier: str) -> dict:
    """The filter selecting one tier's documents."""
    text = list(SEG_FIELDS)
    if tier == "title":
        return {"bool": {"filter": [_group(g, ["title_seg"]) for g in terms.groups]}}
    if tier == "all":
        return {"bool": {"filter": [_group(g, text) for g in terms.groups]}}
    if tier == "any":
        return {"bool": {"should": [_group(g, text) for g in terms.groups], "minimum_should_match": 1}}
    if tier == "pieces":
        return _in(text, list(dict.fromkeys(p for g in terms.groups for p in g.pieces)))
    if tier == "substring":
        return _phrases([g.bigrams for g in terms.groups if g.bigrams])
    return _phrases(list(terms.pairs))


def relevance_clause(terms: QueryTerms) -> dict:
    """Tiered query: constant scores per tier plus BM25 over every token of the query."""
    if terms.empty:
        return {"match_none": {}}  # text without a searchable token matches nothing, on every engine
    tiers = [
        {"constant_score": {"filter": tier_filter(terms, t), "boost": TIER_BOOST[t] * TIER_UNIT}}
        for t in terms.tiers()
    ]
    scoring: list[dict] = []
    tokens = terms.tokens()
    if tokens:
        fields = [f"{name}^{boost}" for name, boost in SEG_FIELDS.items()]
        scoring.append({"multi_match": {"query": " ".join(tokens), "fields": fields, "type": "most_fields"}})
    grams = list(dict.fromkeys(b for g in terms.groups for b in g.bigrams))
    if grams:
        scoring.append({"match": {"bigrams": {"query": " ".join(grams), "boost": BIGRAM_BOOST}}})
    # A document must be in some tier: BM25 alone (a stray bigram) does not qualify it.
    # dis_max: a document scores its best tier only, as in the embedded engine where each document
    # belongs to the first tier that finds it.
    return {"bool": {"must": [{"dis_max": {"queries": tiers, "tie_breaker": 0.0}}], "should": scoring}}
