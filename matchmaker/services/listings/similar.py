"""相似推荐: published listings of the same kind nearest a listing in meaning.

The listing's own stored sentence embedding is the query, so no request waits for the model. The
neighbours come from the search engine's vector field when it holds vectors (Elasticsearch
``dense_vector`` kNN, OpenSearch ``knn_vector``, or the backend's exact fallback); otherwise, and
whenever the engine cannot answer, from exact kNN in numpy over the vectors stored with the
listings in the database. Only published listings are ever returned.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlalchemy import func, select

from matchmaker.auth.actor import Actor
from matchmaker.extensions import db, search_backend
from matchmaker.models import LISTING_MODELS, ListingEmbedding
from matchmaker.queries.catalogue import embedder, vectors_for
from matchmaker.services.listings.workflow import load_listing
from search import vectors
from search.backends.base import SearchError


def similar_listings(
    kind: str, listing_id: int, *, actor: Actor, limit: int
) -> tuple[list[tuple[Any, float]], bool]:
    """(listing, cosine) of the nearest published listings of the kind, best first, and whether
    the listing has an embedding yet (False: nothing to compare with, ask again shortly)."""
    listing = load_listing(kind, listing_id, actor=actor)
    vector = vectors_for(kind, [listing.id]).get(listing.id)
    if vector is None:
        return [], False
    found = _from_engine(kind, vector, limit + 1)
    if found is None:
        found = _exact(kind, vector, limit + 1)
    found = [(i, s) for i, s in found if i != listing.id][:limit]
    model = LISTING_MODELS[kind]
    ids = [i for i, _ in found]
    rows = {
        r.id: r
        for r in db.session.scalars(select(model).where(model.id.in_(ids), model.status == "published"))
    }
    return [(rows[i], round(float(s), 4)) for i, s in found if i in rows], True


def _from_engine(kind: str, vector: np.ndarray, k: int) -> list[tuple[int, float]] | None:
    """The engine's neighbours, or None when it keeps no vectors or cannot answer now."""
    backend = search_backend()
    nearest = getattr(backend, "nearest", None)
    if nearest is None or getattr(backend, "vector_flavour", vectors.NONE) == vectors.NONE:
        return None
    try:
        return nearest(kind, [float(x) for x in vector], k)
    except SearchError:
        return None  # an engine outage costs the database read below, never the answer


# The embedded engine keeps no vectors: the published vectors of a kind are read once into one
# matrix per process and read again only when the published set or an embedding changed.
_MATRICES: dict[tuple[str, str], tuple[tuple, np.ndarray, np.ndarray]] = {}


def _exact(kind: str, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
    """Exact kNN over the stored vectors of the kind's published listings: (id, cosine), best
    first, ties by id."""
    current = embedder()
    if current is None:
        return []
    ids, matrix = _published_vectors(kind, current.name)
    return vectors.nearest_rows(ids, matrix, vector, k)


def _published_vectors(kind: str, model_name: str) -> tuple[np.ndarray, np.ndarray]:
    """Ids and the (n, dim) matrix of the published listings' vectors, cached per process."""
    model = LISTING_MODELS[kind]
    joined = (
        select(ListingEmbedding.object_id, ListingEmbedding.vector)
        .join(model, model.id == ListingEmbedding.object_id)
        .where(
            ListingEmbedding.kind == kind,
            ListingEmbedding.model == model_name,
            model.status == "published",
        )
    )
    state = joined.with_only_columns(
        func.count(),
        func.sum(model.version),
        func.sum(model.id),
        func.max(ListingEmbedding.updated_at),
    )
    signature = tuple(db.session.execute(state).one())
    cached = _MATRICES.get((kind, model_name))
    if cached is None or cached[0] != signature:
        rows = db.session.execute(joined.order_by(ListingEmbedding.object_id)).all()
        ids = np.array([int(i) for i, _ in rows], np.int64)
        stored = [np.frombuffer(v, dtype=np.float32) for _, v in rows]
        matrix = np.vstack(stored) if stored else np.zeros((0, 0), np.float32)
        _MATRICES[(kind, model_name)] = cached = (signature, ids, matrix)
    return cached[1], cached[2]
