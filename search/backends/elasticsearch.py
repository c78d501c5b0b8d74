"""Production search engine on Elasticsearch (official 8.x client), versioned indices behind aliases.

Reads go to ``{prefix}listings``, writes to ``{prefix}listings-write``; a rebuild creates
``{prefix}listings-v{N}-{timestamp}`` under ``{prefix}listings-building`` (live writes go there too),
bulk-loads it, swaps both aliases in one ``update_aliases`` call and deletes the old index.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice
from typing import Any

from elasticsearch import Elasticsearch, helpers

from search import vectors
from search.backends.base import BulkResult, Progress, SearchError
from search.backends.es_bulk import OK, STALE, Action, BulkSender, guard
from search.backends.es_client import IndexNames, load_mapping, make_client
from search.highlight import highlights
from search.queries import (
    FACETS,
    Hit,
    SearchParams,
    SearchResult,
    Visibility,
    es_candidates_body,
    es_search_body,
    es_suggest_body,
    highlight_tokens,
    rank_suggestions,
)

CHUNK_SIZE = 500
_RENAME = {"from": "from_", "_source": "source"}


class ElasticsearchBackend:
    """SearchBackend on an Elasticsearch (or OpenSearch-compatible) cluster."""

    def __init__(
        self,
        client: Elasticsearch | str,
        prefix: str = "matchmaker-",
        *,
        compat_headers: bool = True,
        refresh: bool = False,
        retries: int = 3,
        backoff: float = 0.2,
        chunk_size: int = CHUNK_SIZE,
        timeout: float = 10.0,
        security: dict[str, Any] | None = None,
        vector_field: str = "auto",
        vector_dim: int = 384,
    ) -> None:
        if isinstance(client, str):
            client = make_client(client, compat_headers=compat_headers, timeout=timeout, security=security)
        self.client = client
        self.names = IndexNames(prefix)
        self.chunk_size = chunk_size
        self.sender = BulkSender(client, refresh=refresh, retries=retries, backoff=backoff)
        self._flavour = None if vector_field == "auto" else vector_field
        self.vector_dim = vector_dim

    @property
    def vector_flavour(self) -> str:
        """``dense_vector`` (Elasticsearch), ``knn_vector`` (OpenSearch) or ``none``, read once."""
        if self._flavour is None:
            with guard("info"):
                self._flavour = vectors.flavour_of(self.client.info().body)
        return self._flavour

    def _mapping(self) -> dict[str, Any]:
        return vectors.with_vector_field(load_mapping(), self.vector_flavour, self.vector_dim)

    def _search(self, index: str, body: dict[str, Any], what: str) -> dict[str, Any]:
        with guard(what):
            resp = self.client.search(index=index, **{_RENAME.get(k, k): v for k, v in body.items()})
        return resp.body

    def close(self) -> None:
        """Close the client's connections."""
        self.client.close()

    # administration

    def ping(self) -> bool:
        """Whether the cluster answers."""
        try:
            with guard("ping"):
                return bool(self.client.ping())
        except SearchError:
            return False

    def ensure_index(self) -> None:
        """Create a first versioned index with the read and write aliases unless the read alias exists."""
        with guard("ensure_index"):
            if self.client.indices.exists_alias(name=self.names.read):
                return
            aliases = {self.names.read: {}, self.names.write: {"is_write_index": True}}
            self.client.indices.create(index=self.names.new_index(), aliases=aliases, **self._mapping())

    def _indices(self, alias: str) -> list[str]:
        with guard("get_alias"):
            if not self.client.indices.exists_alias(name=alias):
                return []
            return sorted(self.client.indices.get_alias(name=alias).body)

    def clear(self) -> None:
        """Delete every index behind the aliases (tombstones too) and start empty (tests only)."""
        with guard("clear"):
            for index in set(self._indices(self.names.read) + self._indices(self.names.building)):
                self.client.indices.delete(index=index)
        self.ensure_index()

    # writes

    def bulk_upsert(self, docs: list[dict]) -> BulkResult:
        """Index documents with external versions; a version conflict is reported stale, not failed."""
        return self._bulk([Action(d.get("doc_id", "?"), d.get("version"), d) for d in docs])  # type: ignore[arg-type]

    def bulk_delete(self, items: list[tuple[str, int]]) -> BulkResult:
        """Delete with external versions; the tombstone makes a later stale upsert lose."""
        return self._bulk([Action(doc_id, version) for doc_id, version in items])

    def _bulk(self, actions: list[Action]) -> BulkResult:
        result = BulkResult()
        valid = []
        for a in actions:
            if isinstance(a.version, int) and not isinstance(a.version, bool):
                valid.append(a)
            else:
                result.failed[a.doc_id] = f"version must be an integer, got {a.version!r}"
        building = bool(self._indices(self.names.building)) if valid else False
        for start in range(0, len(valid), self.chunk_size):
            chunk = valid[start : start + self.chunk_size]
            main = self.sender.send(chunk, self.names.write)
            extra = self.sender.send(chunk, self.names.building) if building else {}
            for a in chunk:
                outcome, side = main[a.doc_id], extra.get(a.doc_id, OK)
                if outcome not in (OK, STALE):
                    result.failed[a.doc_id] = outcome
                elif side not in (OK, STALE) and "index_not_found" not in side:
                    result.failed[a.doc_id] = f"rebuild index: {side}"
                elif outcome == OK:
                    result.ok.append(a.doc_id)
                else:
                    result.stale.append(a.doc_id)
        return result

    # reads

    def search(self, params: SearchParams) -> SearchResult:
        """Full-text search with filters, visibility, sort, page and facet aggregations."""
        resp = self._search(self.names.read, es_search_body(params), "search")
        tokens = highlight_tokens(params.q)
        hits = []
        for h in resp["hits"]["hits"]:
            src = h["_source"]
            title, summary = src.get("title") or "", src.get("summary") or ""
            score = float(h.get("_score") or 0.0)
            hl = highlights(title, summary, tokens)
            hits.append(Hit(h["_id"], src["kind"], int(src["id"]), score, title, summary, hl, src))
        aggs = resp.get("aggregations", {})
        facets = {name: {str(b["key"]): b["doc_count"] for b in aggs[name]["buckets"]} for name in FACETS}
        total = resp["hits"]["total"]
        exact = total.get("relation", "eq") == "eq"
        return SearchResult(total["value"], hits, facets, params.page, params.per_page, total_exact=exact)

    def suggest(self, prefix: str, visibility: Visibility, limit: int = 10) -> list[str]:
        """Titles and keywords starting with prefix among the newest visible documents that have one."""
        if not prefix.strip():
            return []
        resp = self._search(self.names.read, es_suggest_body(prefix, visibility), "suggest")
        rows = (
            (h["_source"].get("title") or "", h["_source"].get("keywords") or [])
            for h in resp["hits"]["hits"]
        )
        return rank_suggestions(prefix, rows, limit)

    def candidates(
        self, kind: str, tokens: list[str], limit: int, exclude_org: int | None = None
    ) -> list[tuple[int, float]]:
        """Published documents of a kind ranked by BM25 over any of the tokens: (object id, score)."""
        if limit <= 0 or not any(t.strip() for t in tokens):
            return []
        resp = self._search(
            self.names.read, es_candidates_body(kind, tokens, limit, exclude_org), "candidates"
        )
        return [(int(h["_source"]["id"]), float(h["_score"] or 0.0)) for h in resp["hits"]["hits"]]

    def put_vectors(self, docs: list[dict]) -> int:
        """Write documents again at their own version (``external_gte``) so an embedding that arrived
        after indexing joins its document; a newer version in the index wins, nothing is bumped.
        Returns how many were written."""
        docs = [d for d in docs if d.get(vectors.FIELD)]
        if not docs or self.vector_flavour == vectors.NONE:
            return 0
        ops = [
            {"_op_type": "index", "_index": self.names.write, "_id": d["doc_id"], "version": d["version"],
             "version_type": "external_gte", "_source": d}
            for d in docs
        ]  # fmt: skip
        with guard("put_vectors"):
            ok, _ = helpers.bulk(self.client, ops, raise_on_error=False, refresh=self.sender.refresh)
        return int(ok)

    def nearest(
        self, kind: str, vector: list[float], k: int, exclude_org: int | None = None
    ) -> list[tuple[int, float]]:
        """Published documents of a kind nearest the vector by cosine: (object id, score), best first.

        The engine's own kNN when it answers one; otherwise (an engine that stores vectors but
        has no kNN search) exact kNN in numpy over the stored vectors."""
        if k <= 0 or self.vector_flavour == vectors.NONE:
            return []
        filters: list[dict] = [{"term": {"kind": kind}}, {"terms": {"status": ["published"]}}]
        if exclude_org is not None:
            filters.append({"bool": {"must_not": [{"term": {"org_id": exclude_org}}]}})
        try:
            resp = self._search(
                self.names.read, vectors.knn_body(self.vector_flavour, vector, k, filters), "knn"
            )
            return [(int(h["_source"]["id"]), float(h["_score"] or 0.0)) for h in resp["hits"]["hits"]]
        except SearchError as exc:
            if "not supported" not in str(exc) and "Unknown key" not in str(exc):
                raise
        resp = self._search(self.names.read, vectors.exact_body(filters), "knn (exact)")
        rows = ((int(h["_source"]["id"]), h["_source"].get(vectors.FIELD)) for h in resp["hits"]["hits"])
        return vectors.exact_knn(rows, vector, k)

    def id_versions(self) -> dict[str, int]:
        """Every live document id with its (external) version."""
        with guard("id_versions"):
            hits = helpers.scan(
                self.client,
                index=self.names.read,
                query={"query": {"match_all": {}}},
                _source=False,
                version=True,
            )
            return {h["_id"]: int(h["_version"]) for h in hits}

    def document_count(self) -> int:
        """Live documents behind the read alias."""
        with guard("count"):
            return int(self.client.count(index=self.names.read).body["count"])

    def rebuilding(self) -> bool:
        """Whether an index is being filled under the building alias."""
        return bool(self._indices(self.names.building))

    # rebuild

    def rebuild(self, docs: Iterable[dict], progress: Progress | None = None) -> None:
        """New versioned index (live writes go to it too), bulk load, atomic alias swap, old index deleted."""
        self.ensure_index()
        index = self.names.new_index()
        with guard("create index"):
            self.client.indices.create(index=index, aliases={self.names.building: {}}, **self._mapping())
        try:
            self._load(index, docs, progress)
        except BaseException:
            with guard("delete index"):
                self.client.indices.delete(index=index)
            raise
        with guard("refresh"):
            self.client.indices.refresh(index=index)
        old = self._indices(self.names.read)
        actions: list[dict] = [
            {"remove": {"index": i, "alias": a}} for i in old for a in (self.names.read, self.names.write)
        ]
        actions += [
            {"add": {"index": index, "alias": self.names.read}},
            {"add": {"index": index, "alias": self.names.write, "is_write_index": True}},
            {"remove": {"index": index, "alias": self.names.building}},
        ]
        with guard("swap aliases"):
            self.client.indices.update_aliases(actions=actions)
            for name in old:
                self.client.indices.delete(index=name)

    def _load(self, index: str, docs: Iterable[dict], progress: Progress | None) -> None:
        done, failed = 0, {}
        it = iter(docs)
        while batch := list(islice(it, self.chunk_size)):
            outcomes = self.sender.send([Action(d["doc_id"], d["version"], d) for d in batch], index, False)
            failed.update({k: v for k, v in outcomes.items() if v not in (OK, STALE)})
            done += len(batch)
            if progress:
                progress(done)
        if failed:
            raise SearchError(f"rebuild failed for {len(failed)} documents: {dict(list(failed.items())[:5])}")
