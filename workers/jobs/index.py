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
