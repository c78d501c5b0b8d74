"""Index jobs: drain the search outbox into the configured search engine."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def drain_search_outbox(limit: int = 500) -> dict:
    """Replay unacknowledged outbox rows into the search index; idempotent."""
    from matchmaker.extensions import search_backend
    from search.indexer import drain

    result = drain(search_backend(), limit=limit)
    log.info("search outbox drained: %s", result)
    return result
