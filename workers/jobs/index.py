"""Index jobs: drain the search outbox into the search engine, and embed what changed."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def drain_search_outbox(limit: int = 500) -> dict:
    """Replay unacknowledged outbox rows into the search index; idempotent.

    On a worker (Redis configured) the same job then embeds listings whose text changed (a match
    job that runs first embeds its own listing). In the embedded default inline jobs run inside
    the publishing request, which never waits for the model: the scheduler's ``embed-listings``
    entry (``EMBEDDED_SCHEDULER``, or ``flask jobs run-due`` from cron) embeds and re-ranks.
    """
    from flask import current_app

    from matchmaker.extensions import search_backend
    from matchmaker.services.outbox import DRAIN_KEY
    from search.indexer import drain
    from workers.enqueue import started

    started(DRAIN_KEY)  # changes committed from now on queue a drain of their own
    result = drain(search_backend(), limit=limit)
    log.info("search outbox drained: %s", result)
    if current_app.config.get("REDIS_URL"):
        result["embedded"] = embed_listings(limit=limit)
    return result


def embed_listings(limit: int = 500, rematch: bool = False) -> int:
    """Embed published listings whose vector is missing or stale (and re-rank them); how many."""
    from matchmaker.services.matches.embeddings import embed_stale
    from matchmaker.services.matches.ranking import rematch_embedded

    changed = embed_stale(limit)
    if changed:
        _vectors_to_engine(changed)
    if changed and rematch:
        rematch_embedded(changed)
    log.info("embedded %d listings%s", len(changed), " and re-ranked them" if rematch else "")
    return len(changed)


def _vectors_to_engine(changed: list[tuple[str, int]]) -> None:
    """New embeddings into the search engine's vector field, when the engine keeps vectors."""
    from matchmaker.extensions import db, search_backend
    from matchmaker.models import LISTING_MODELS
    from search.backends.base import SearchError
    from search.indexer import documents

    backend = search_backend()
    if not hasattr(backend, "put_vectors"):
        return  # the embedded engine: matching's catalogue does exact kNN in numpy itself
    rows = [r for k, i in changed if k in LISTING_MODELS and (r := db.session.get(LISTING_MODELS[k], i))]
    try:
        backend.put_vectors(documents(rows))
    except SearchError:  # the next rebuild or heal writes them with the documents
        log.warning("embeddings not written to the search engine", exc_info=True)


def heal_search() -> dict:
    """Rebuild a drifted index (an engine back empty) and re-rank what was ranked against it."""
    from matchmaker.extensions import search_backend
    from matchmaker.services.matches.ranking import rerun_empty_runs
    from search.indexer import heal
    from workers.jobs.match import replay_match_runs

    result = heal(search_backend())
    if result["action"] == "rebuilt":
        result["reruns"] = rerun_empty_runs()
        result["ranked"] = replay_match_runs(limit=result["reruns"] + 200)
        log.warning("search index rebuilt from the database: %s", result)
    return result
