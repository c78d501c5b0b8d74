"""Listing embeddings in the search engine: the vector field and a kNN query for each flavour.

Elasticsearch stores a vector as ``dense_vector`` and answers the top-level ``knn`` search
option; OpenSearch stores ``knn_vector`` (in an index with ``index.knn``) and answers a ``knn``
query clause. Which one a cluster speaks is read from its root answer (``version.distribution``)
unless ``SEARCH_VECTOR_FIELD`` names it. An engine that stores vectors but refuses both queries
(the test engine, osmem-server) is answered by exact kNN in numpy over the stored vectors.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

FIELD = "embedding"  # the vector's name in documents; never returned in search hits
DENSE, KNN, NONE = "dense_vector", "knn_vector", "none"
FLAVOURS = (DENSE, KNN, NONE)
EXACT_LIMIT = 10_000  # vectors read for the exact fallback (the index's max_result_window)


def flavour_of(info: Mapping[str, Any]) -> str:
    """The vector field type a cluster speaks, from its root endpoint's answer."""
    return KNN if (info.get("version") or {}).get("distribution") == "opensearch" else DENSE


def with_vector_field(body: Mapping[str, Any], flavour: str, dim: int) -> dict[str, Any]:
    """Index settings and mappings with the vector field of the flavour added (``none``: as given)."""
    out = copy.deepcopy(dict(body))
    if flavour == NONE:
        return out
    props = out["mappings"]["properties"]
    if flavour == DENSE:
        props[FIELD] = {"type": DENSE, "dims": dim, "index": True, "similarity": "cosine"}
    else:
        out["settings"].setdefault("index", {})["knn"] = True
        props[FIELD] = {
            "type": KNN,
            "dimension": dim,
            "method": {"name": "hnsw", "space_type": "cosinesimil", "engine": "lucene"},
        }
    return out


def knn_body(flavour: str, vector: list[float], k: int, filters: list[dict]) -> dict[str, Any]:
    """The engine's own kNN search for the ``k`` nearest documents passing ``filters``."""
    if flavour == DENSE:
        return {
            "knn": {"field": FIELD, "query_vector": vector, "k": k, "num_candidates": max(100, 4 * k),
                    "filter": {"bool": {"filter": filters}}},
            "size": k, "_source": ["id"],
        }  # fmt: skip
    clause = {FIELD: {"vector": vector, "k": k, "filter": {"bool": {"filter": filters}}}}
    return {"query": {"knn": clause}, "size": k, "_source": ["id"]}


def exact_body(filters: list[dict]) -> dict[str, Any]:
    """Every document passing ``filters`` that has a vector, with its vector (the fallback)."""
    query = {"bool": {"filter": [*filters, {"exists": {"field": FIELD}}]}}
    return {"query": query, "size": EXACT_LIMIT, "_source": ["id", FIELD]}


def exact_knn(
    rows: Iterable[tuple[int, list[float]]], vector: list[float], k: int
) -> list[tuple[int, float]]:
    """(id, cosine) of the ``k`` rows nearest the vector, best first (ties by id)."""
    rows = [(i, v) for i, v in rows if v]
    if not rows:
        return []
    ids = np.array([i for i, _ in rows], np.int64)
    return nearest_rows(ids, np.asarray([v for _, v in rows], np.float32), vector, k)


def nearest_rows(
    ids: np.ndarray, matrix: np.ndarray, vector: np.ndarray | list[float], k: int
) -> list[tuple[int, float]]:
    """(id, cosine) of the ``k`` rows of ``matrix`` nearest the vector, best first (ties by id)."""
    if not ids.size or k <= 0:
        return []
    query = np.asarray(vector, np.float32).ravel()
    norms = np.linalg.norm(matrix, axis=1) * max(float(np.linalg.norm(query)), 1e-12)
    cosines = matrix @ query / np.where(norms > 0, norms, 1.0)
    order = np.lexsort((ids, -cosines))[:k]
    return [(int(ids[j]), round(float(cosines[j]), 6)) for j in order]
