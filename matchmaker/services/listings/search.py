"""Search over needs and outputs with the caller's visibility (public, own org, staff region)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from matchmaker.auth import policy
from matchmaker.auth.actor import Actor
from matchmaker.errors import DomainError
from matchmaker.extensions import search_backend
from search import coverage
from search.backends.base import SearchError
from search.queries import SearchParams, SearchResult, Visibility


class SearchDown(DomainError):
    """The search engine cannot be reached; the data is safe, only search is affected."""

    status, code, message = 503, "search_unavailable", "检索服务暂时不可用，请稍后再试（数据不受影响）"


def visibility_for(actor: Actor) -> Visibility:
    """What non-public documents the actor may find."""
    scope = policy.listing_scope_filter(actor)
    return Visibility(
        org_ids=tuple(scope["org_ids"]),
        region_scopes=tuple(scope["region_scopes"]),
        everything=scope["everything"],
    )


def search_listings(*, actor: Actor, query: dict[str, Any]) -> SearchResult:
    """Run a search with the actor's visibility."""
    kinds = (query["type"],) if query.get("type") else ()
    params = SearchParams(
        q=query.get("q", ""),
        kinds=kinds,
        fields=(query["field"],) if query.get("field") else (),
        region=query.get("region"),
        maturity=(query["maturity"],) if query.get("maturity") else (),
        modes=(query["mode"],) if query.get("mode") else (),
        budget_min=query.get("budget_min"),
        budget_max=query.get("budget_max"),
        sort=query.get("sort", "relevance"),
        page=query.get("page", 1),
        per_page=query.get("per_page", 20),
        visibility=visibility_for(actor),
    )
    try:
        result = search_backend().search(params)
        # an index missing part of the catalogue must not pass for a complete answer
        return replace(result, partial=coverage.current(search_backend()).partial)
    except SearchError as exc:
        raise SearchDown() from exc


def suggest(*, actor: Actor, prefix: str, limit: int) -> list[str]:
    """Title and keyword completions for what the user has typed."""
    try:
        return search_backend().suggest(prefix, visibility_for(actor), limit)
    except SearchError as exc:
        raise SearchDown() from exc
