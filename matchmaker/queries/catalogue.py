"""The catalogue a listing is ranked against, read from the database, and the one ranking call.

Every ranking in the app (match runs, ``GET /needs/{id}/matches`` through the stored runs, the
揭榜挂帅 push and ``GET /challenges/{id}/matches``) comes through ``rank_for``, which builds a
``matching.pipeline.Catalogue`` of the published listings of the other kind with their stored
embeddings and calls ``pipeline.rank_query``, exactly as ``flask match-file`` does for files.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

import numpy as np
from flask import current_app
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.matching.embedding import EMBEDDERS, Embedder, embed_text, role_of
from matchmaker.matching.engine import Scored
from matchmaker.matching.pipeline import Catalogue, rank_query
from matchmaker.matching.textindex import listing_text, listing_tokens
from matchmaker.matching.weights import Weights
from matchmaker.models import LISTING_MODELS, ListingEmbedding
from matchmaker.queries.candidates import OTHER, responsiveness


@cache
def _embedder(name: str) -> Embedder | None:
    return EMBEDDERS[name]() if name in EMBEDDERS else None


def embedder() -> Embedder | None:
    """The configured embedder (one per process), None when the semantic channel is off."""
    return _embedder(current_app.config.get("MATCH_EMBEDDER") or "none")


def vectors_for(kind: str, ids: list[int]) -> dict[int, np.ndarray]:
    """Stored vectors of the configured model for listings of a kind."""
    model = embedder()
    if model is None or not ids:
        return {}
    rows = db.session.scalars(
        select(ListingEmbedding).where(
            ListingEmbedding.kind == kind,
            ListingEmbedding.model == model.name,
            ListingEmbedding.object_id.in_(ids),
        )
    )
    return {e.object_id: np.frombuffer(e.vector, dtype=np.float32) for e in rows}


# Segmenting every listing again for every run would cost O(catalogue) jieba work per run: tokens
# are kept per text, and a whole catalogue is reused while nothing in it changed.
_TOKENS: dict[str, tuple[list[str], list[str]]] = {}
_BUILT: dict[str, tuple[Any, Catalogue]] = {}
TOKEN_CACHE_LIMIT = 200_000


def _tokens(listing: Mapping) -> tuple[list[str], list[str]]:
    key = listing_text(listing)
    if key not in _TOKENS:
        if len(_TOKENS) >= TOKEN_CACHE_LIMIT:
            _TOKENS.clear()
        _TOKENS[key] = listing_tokens(listing)
    return _TOKENS[key]


def catalogue_of(kind: str) -> Catalogue:
    """Published listings of a kind as plain dicts (with org region and responsiveness) and vectors."""
    model = LISTING_MODELS[kind]
    rows = list(db.session.scalars(select(model).where(model.status == "published").order_by(model.id)))
    answer = responsiveness({r.org_id for r in rows})
    vectors = vectors_for(kind, [r.id for r in rows])
    items = []
    for row in rows:
        data = row.as_listing_dict()
        data["org_region"] = row.org.region if row.org else None
        data["responsiveness"] = answer.get(row.org_id, 0.5)
        items.append((data, vectors.get(row.id)))
    current = embedder()
    unrelated = current.unrelated_cosine if current else 0.0
    signature = hash(
        (
            unrelated,
            tuple(
                (json.dumps(d, sort_keys=True, default=str), None if v is None else v.tobytes())
                for d, v in items
            ),
        )
    )
    cached = _BUILT.get(kind)
    if cached is None or cached[0] != signature:
        _BUILT[kind] = (signature, Catalogue(items, tokens=_tokens, unrelated_cosine=unrelated))
    return _BUILT[kind][1]


def _in_worker() -> bool:
    from rq import get_current_job

    return get_current_job() is not None


def rank_for(
    listing: Any,
    *,
    top: int,
    exclude_orgs: Iterable[int] = (),
    floor: float | None = None,
    catalogue: Catalogue | None = None,
) -> list[Scored]:
    """Matches for a need, output or challenge row: the one ranking path, floor applied.

    ``floor`` replaces the configured store floor (0: every candidate, ungated); ``catalogue``
    is the other kind's catalogue when the caller already holds it (one run ranking many)."""
    cfg = current_app.config
    query = listing.as_listing_dict()
    vector = vectors_for(listing.KIND, [listing.id]).get(listing.id)
    model = embedder()
    if vector is None and model is not None and _in_worker():
        # An rq worker ranking a listing the index job has not embedded yet embeds it now, for
        # this ranking only; requests, inline jobs and seeding never wait for the model.
        vector = model.embed([embed_text(query)], role_of(listing.KIND))[0]
    return rank_query(
        catalogue or catalogue_of(OTHER[listing.KIND]),
        query,
        vector,
        weights=Weights.from_mapping(cfg.get("MATCH_WEIGHTS")),
        top=top,
        floor=cfg.get("MATCH_MIN_PROBABILITY", 0.5) if floor is None else floor,
        exclude_orgs={listing.org_id, *exclude_orgs},
    )
