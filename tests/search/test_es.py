"""The Elasticsearch engine: media types, aliases, per-item bulk outcomes, retries and outages."""

from __future__ import annotations

import re

import pytest
from elastic_transport import ApiResponseMeta, HttpHeaders, NodeConfig
from elasticsearch import ApiError

from search.backends import make_backend
from search.backends.base import SearchError, SearchUnavailable
from search.backends.elasticsearch import ElasticsearchBackend
from search.backends.es_bulk import Action, BulkSender
from search.queries import SearchParams
from tests.search.conftest import docs, es_backend, listing, stop_osmem

pytestmark = pytest.mark.es


def test_osmem_refuses_the_compatibility_media_type(osmem_clone):
    backend = ElasticsearchBackend(osmem_clone.url, "t-", compat_headers=True, backoff=0.01)
    with pytest.raises(SearchError, match=r"406|Content-Type"):
        backend.ensure_index()
    backend.close()


def test_make_backend_reads_the_configuration(osmem_clone):
    config = {"SEARCH_BACKEND": "elasticsearch", "ELASTICSEARCH_URL": osmem_clone.url,
              "SEARCH_INDEX_PREFIX": "cfg-", "ELASTICSEARCH_COMPAT_HEADERS": "0"}  # fmt: skip
    backend = make_backend(config)
    assert isinstance(backend, ElasticsearchBackend)
    backend.ensure_index()
    assert backend.ping() and backend.client.indices.exists_alias(name="cfg-listings")
    backend.close()


def _aliases(backend) -> dict:
    return backend.client.indices.get_alias(index="t-listings*").body


def test_rebuild_swaps_aliases_to_a_new_versioned_index(osmem_clone):
    backend = es_backend(osmem_clone.url)
    backend.ensure_index()
    [first] = _aliases(backend)
    assert re.fullmatch(r"t-listings-v1-\d{20}", first)
    backend.rebuild(docs())
    layout = _aliases(backend)
    [second] = layout
    assert second != first and re.fullmatch(r"t-listings-v1-\d{20}", second)
    assert layout[second]["aliases"] == {"t-listings": {}, "t-listings-write": {"is_write_index": True}}
    backend.close()


def test_item_failures_are_reported_and_later_chunks_still_sent(osmem_clone):
    backend = es_backend(osmem_clone.url, chunk_size=2)
    backend.ensure_index()
    items = [listing("need", i, f"需求{i}", "说明") for i in range(1, 6)]
    items[1]["budget_min"] = "很多"  # not a number: the mapping refuses this one document
    result = backend.bulk_upsert(docs(items))
    assert list(result.failed) == ["need-2"] and "400" in result.failed["need-2"]
    assert result.ok == ["need-1", "need-3", "need-4", "need-5"]
    backend.close()


def test_outage_raises_search_unavailable():
    from osmem_server import OsmemServer

    server = OsmemServer.start(japanese=False)
    backend = es_backend(server.url, timeout=1.0)
    backend.ensure_index()
    assert backend.bulk_upsert(docs()[:2]).ok == ["need-1", "output-2"]
    stop_osmem(server)
    assert backend.ping() is False
    with pytest.raises(SearchUnavailable):
        backend.bulk_upsert(docs()[2:4])
    with pytest.raises(SearchUnavailable):
        backend.search(SearchParams(q="传感器"))
    with pytest.raises(SearchUnavailable):
        backend.id_versions()
    backend.close()


def _api_error(status: int) -> ApiError:
    meta = ApiResponseMeta(status, "1.1", HttpHeaders(), 0.0, NodeConfig("http", "localhost", 9200))
    return ApiError(f"status {status}", meta, {"error": "x"})


class ScriptedClient:
    """Stands in for the client's bulk call, answering from a script of item statuses or errors."""

    def __init__(self, script: list) -> None:
        self.script = script
        self.calls: list[list[str]] = []

    def bulk(self, operations: list[dict], refresh: bool) -> dict:
        """Record the call and answer with the next scripted response."""
        ids = [next(iter(op.values()))["_id"] for op in operations if "index" in op or "delete" in op]
        self.calls.append(ids)
        step = self.script.pop(0)
        if isinstance(step, Exception):
            raise step
        return {"items": [{"index": {"_id": i, "status": s, "error": {"type": "t", "reason": "r"}}}
                          for i, s in zip(ids, step, strict=True)]}  # fmt: skip


def test_retryable_item_failures_are_retried_with_backoff():
    client = ScriptedClient([[201, 429, 409], [503], [201]])
    sender = BulkSender(client, backoff=0.0)  # type: ignore[arg-type]
    out = sender.send([Action("a", 1, {}), Action("b", 1, {}), Action("c", 1, {})], "t-listings-write")
    assert out == {"a": "ok", "b": "ok", "c": "stale"}
    assert client.calls == [["a", "b", "c"], ["b"], ["b"]]


def test_persistent_failures_end_up_failed_not_dropped():
    client = ScriptedClient([[503], [503], [503], [503]])
    out = BulkSender(client, retries=3, backoff=0.0).send([Action("a", 1, {})], "w")  # type: ignore[arg-type]
    assert out["a"].startswith("503") and len(client.calls) == 4


def test_a_refused_chunk_fails_its_items_and_the_next_chunk_goes_on(monkeypatch):
    client = ScriptedClient([_api_error(413), [201]])
    backend = ElasticsearchBackend(client, "t-", chunk_size=1, backoff=0.0)  # type: ignore[arg-type]
    monkeypatch.setattr(backend, "_indices", lambda alias: [])
    result = backend.bulk_upsert([{"doc_id": "need-1", "version": 1}, {"doc_id": "need-2", "version": 1}])
    assert list(result.failed) == ["need-1"] and result.ok == ["need-2"]
