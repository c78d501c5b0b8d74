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
from sqlalchemy import select

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


def _exact(kind: str, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
    """Exact kNN over the stored vectors of the kind's published listings."""
    model, current = LISTING_MODELS[kind], embedder()
    if current is None:
        return []
    rows = db.session.execute(
        select(ListingEmbedding.object_id, ListingEmbedding.vector)
        .join(model, model.id == ListingEmbedding.object_id)
        .where(
            ListingEmbedding.kind == kind,
            ListingEmbedding.model == current.name,
            model.status == "published",
        )
    ).all()
    pairs = ((int(i), np.frombuffer(v, dtype=np.float32).tolist()) for i, v in rows)
    return vectors.exact_knn(pairs, [float(x) for x in vector], k)
