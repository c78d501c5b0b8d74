"""Listing embeddings: computed by the index job (never in a request), stored with the listing.

A vector is recomputed only when the listing's embedded text changes (its content key); a text
already embedded for another listing, or found in the content-hash file cache that ``match-file``
shares (``MATCH_EMBEDDING_CACHE``, kept across re-seeding), is copied, not embedded again.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
from flask import current_app
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.matching.embedding import Embedder, EmbeddingCache, content_key, embed_text, role_of
from matchmaker.models import LISTING_MODELS, ListingEmbedding
from matchmaker.models.common import utcnow
from matchmaker.queries.catalogue import embedder

log = logging.getLogger(__name__)
EMBEDDED_KINDS = ("need", "output", "challenge")


def _models() -> dict[str, Any]:
    from matchmaker.models import Challenge

    return {**LISTING_MODELS, "challenge": Challenge}


def _stale(model_name: str, kind: str, limit: int) -> list[tuple[Any, str, str]]:
    """Published listings of a kind whose stored vector is missing or was computed from other text."""
    model = _models()[kind]
    rows = db.session.scalars(select(model).where(model.status == "published").order_by(model.id))
    stored = {
        e.object_id: e.content_key
        for e in db.session.scalars(
            select(ListingEmbedding).where(
                ListingEmbedding.kind == kind, ListingEmbedding.model == model_name
            )
        )
    }
    out = []
    for row in rows:
        text = embed_text(row.as_listing_dict())
        key = content_key(model_name, role_of(kind), text)
        if stored.get(row.id) != key:
            out.append((row, text, key))
            if len(out) >= limit:
                break
    return out


def _file_cache() -> EmbeddingCache | None:
    path = current_app.config.get("MATCH_EMBEDDING_CACHE")
    return EmbeddingCache(path) if path else None


def _vectors(model: Embedder, kind: str, todo: list[tuple[Any, str, str]]) -> dict[str, bytes]:
    """Vectors by content key for the texts to store: from the table, the file cache, the model."""
    keys = [k for _, _, k in todo]
    known = {
        e.content_key: e.vector
        for e in db.session.scalars(select(ListingEmbedding).where(ListingEmbedding.content_key.in_(keys)))
    }
    cache = _file_cache()
    if cache is not None:
        cached = cache.get_many([k for k in keys if k not in known])
        known.update({k: np.asarray(v, np.float32).tobytes() for k, v in cached.items()})
    fresh = list({k: t for _, t, k in todo if k not in known}.items())
    if fresh:
        vectors = model.embed([t for _, t in fresh], role_of(kind))
        computed = {k: np.asarray(v, np.float32) for (k, _), v in zip(fresh, vectors, strict=True)}
        if cache is not None:
            cache.put_many(computed)
        known.update({k: v.tobytes() for k, v in computed.items()})
    return known


def embed_stale(limit: int = 500) -> list[tuple[str, int]]:
    """Embed published listings whose vector is missing or stale; the (kind, id) that changed."""
    model = embedder()
    if model is None:
        return []
    changed: list[tuple[str, int]] = []
    for kind in EMBEDDED_KINDS:
        todo = _stale(model.name, kind, limit)
        if not todo:
            continue
        known = _vectors(model, kind, todo)
        for row, _, key in todo:
            db.session.merge(
                ListingEmbedding(kind=kind, object_id=row.id, model=model.name, content_key=key,
                                 vector=known[key], updated_at=utcnow())
            )  # fmt: skip
            changed.append((kind, row.id))
    db.session.commit()
    return changed
