"""The embedded engine's bounded read path: the candidate cap and the result cache."""

from __future__ import annotations

from search.backends import local_search
from search.backends.local import LocalBackend
from search.queries import SearchParams, Visibility
from tests.search.conftest import docs, listing


def many(n: int, title: str = "压力传感器") -> list[dict]:
    """n published listings whose titles all match the same word."""
    return docs([listing("need", i, f"{title}{i}号", "说明") for i in range(1, n + 1)])


def test_a_broad_query_scores_at_most_the_cap_and_says_the_total_is_a_lower_bound(tmp_path, monkeypatch):
    monkeypatch.setattr(local_search, "CANDIDATE_CAP", 5)
    backend = LocalBackend(tmp_path / "s.sqlite3")
    backend.bulk_upsert(many(12))
    result = backend.search(SearchParams(q="传感器", per_page=50))
    assert (result.total, len(result.hits), result.total_exact) == (5, 5, False)
    assert sum(result.facets["kind"].values()) == 5
    narrow = backend.search(SearchParams(q="传感器", kinds=["output"]))
    assert (narrow.total, narrow.total_exact) == (0, True)
    backend.close()


def test_repeated_anonymous_search_is_served_from_the_cache_until_any_process_writes(tmp_path):
    path = tmp_path / "s.sqlite3"
    web, worker = LocalBackend(path), LocalBackend(path)  # two processes' backends on one index file
    worker.bulk_upsert(many(2))
    params = SearchParams(q="传感器")
    first = web.search(params)
    assert web.search(params) is first  # the same result object: no second query
    worker.bulk_upsert(docs([listing("output", 7, "光纤传感器", "新成果")]))
    after = web.search(params)
    assert after is not first and after.total == 3
    web.close()
    worker.close()


def test_signed_in_searches_are_never_cached(tmp_path):
    backend = LocalBackend(tmp_path / "s.sqlite3")
    backend.bulk_upsert(many(2))
    staff = SearchParams(q="传感器", visibility=Visibility(region_scopes=("320800",)))
    assert backend.search(staff) is not backend.search(staff)
    backend.close()
