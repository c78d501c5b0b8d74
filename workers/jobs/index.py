"""Index jobs: drain the search outbox into the configured search engine."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def drain_search_outbox(limit: int = 500) -> dict:
    """Replay unacknowledged outbox rows into the search index; idempotent."""
    from matchmaker.extensions import search_backend
    from matchmaker.services.outbox import DRAIN_KEY
    from search.indexer import drain
    from workers.enqueue import started

    started(DRAIN_KEY)  # changes committed from now on queue a drain of their own
    result = drain(search_backend(), limit=limit)
    log.info("search outbox drained: %s", result)
    return result
