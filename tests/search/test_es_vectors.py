"""Listing embeddings in the engine: the vector field (knn_vector on OpenSearch, dense_vector on
Elasticsearch) and nearest-neighbour search, against osmem-server over HTTP."""

from __future__ import annotations

import pytest

from search import vectors
from search.queries import SearchParams, Visibility
from tests.search.conftest import CORPUS, docs, es_backend

pytestmark = pytest.mark.es

# Three dimensions are enough to say which document is nearest; the app stores 384.
VECTORS = {"need-1": [1.0, 0.0, 0.0], "output-2": [0.9, 0.1, 0.0], "need-3": [0.0, 1.0, 0.0],
           "output-4": [0.2, 0.9, 0.1], "output-7": [0.0, 0.0, 1.0], "need-5": [0.0, 1.0, 0.0]}  # fmt: skip


def _with_vectors():
    listings = [
        {**item, "embedding": VECTORS[f"{item['kind']}-{item['id']}"]}
        for item in CORPUS
        if f"{item['kind']}-{item['id']}" in VECTORS
    ]
    return docs(listings) + docs([item for item in CORPUS if f"{item['kind']}-{item['id']}" not in VECTORS])


@pytest.fixture
def engine(osmem_clone):
    backend = es_backend(osmem_clone.url, vector_dim=3)
    backend.ensure_index()
    result = backend.bulk_upsert(_with_vectors())
    assert not result.failed
    yield backend
    backend.close()


def test_opensearch_is_detected_and_the_vector_is_a_knn_vector(engine):
    assert engine.vector_flavour == vectors.KNN
    index = engine._indices(engine.names.read)[0]
    mapping = engine.client.indices.get_mapping(index=index).body[index]["mappings"]["properties"]
    assert mapping["embedding"]["type"] == "knn_vector" and mapping["embedding"]["dimension"] == 3
    settings = engine.client.indices.get_settings(index=index).body[index]["settings"]["index"]
    assert str(settings.get("knn")).lower() == "true"


def test_nearest_published_listings_of_a_kind_by_cosine(engine):
    found = engine.nearest("output", [1.0, 0.05, 0.0], 3)
    assert [i for i, _ in found] == [2, 4, 7]
    assert found[0][1] > found[1][1] > found[2][1]
    # need-5 lies on the query itself but is a draft: never a neighbour; need-6 has no vector
    assert [i for i, _ in engine.nearest("need", [0.0, 1.0, 0.0], 5)] == [3, 1]
    assert [i for i, _ in engine.nearest("output", [1.0, 0.0, 0.0], 3, exclude_org=2)] == [7]


def test_search_hits_never_carry_the_vector(engine):
    result = engine.search(SearchParams(q="", visibility=Visibility()))
    assert result.hits and all("embedding" not in hit.source for hit in result.hits)


def test_the_mapping_for_elasticsearch_is_a_dense_vector():
    body = vectors.with_vector_field({"settings": {}, "mappings": {"properties": {}}}, vectors.DENSE, 384)
    assert body["mappings"]["properties"]["embedding"] == {
        "type": "dense_vector", "dims": 384, "index": True, "similarity": "cosine",
    }  # fmt: skip
    assert "knn" not in body["settings"].get("index", {})
    query = vectors.knn_body(vectors.DENSE, [0.1] * 384, 5, [{"term": {"kind": "output"}}])
    assert query["knn"]["field"] == "embedding" and query["knn"]["k"] == 5
    assert vectors.with_vector_field(body, vectors.NONE, 3) == body


def _need_6(**changes):
    item = next(x for x in CORPUS if (x["kind"], x["id"]) == ("need", 6))
    return {**item, "status": "published", **changes}


def test_a_vector_that_arrives_after_indexing_joins_its_document_at_the_same_version(engine):
    engine.bulk_upsert(docs([_need_6(version=2)]))  # published now, indexed before it was embedded
    assert [i for i, _ in engine.nearest("need", [0.0, 1.0, 0.0], 5)] == [3, 1]
    assert engine.put_vectors(docs([_need_6(version=2, embedding=[0.0, 0.99, 0.01])])) == 1
    assert engine.id_versions()["need-6"] == 2
    assert [i for i, _ in engine.nearest("need", [0.0, 1.0, 0.0], 5)] == [3, 6, 1]
    # an older text's vector never overwrites a newer version
    assert engine.put_vectors(docs([_need_6(version=1, embedding=[1.0, 0.0, 0.0])])) == 0
    assert [i for i, _ in engine.nearest("need", [0.0, 1.0, 0.0], 5)] == [3, 6, 1]
