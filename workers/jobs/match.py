"""Match jobs: rank one listing's run, replay unfinished runs, nightly re-matching, expiry sweeps."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def run_match(run_id: int) -> dict:
    """Rank the listing of one match run; idempotent."""
    from matchmaker.services.matches.ranking import run_match as run
    from workers.queues import current_job_id

    result = run(run_id, current_job_id())
    log.info("match run %s: %s", run_id, result)
    return result


def run_matches(run_ids: list[int]) -> int:
    """Rank a batch of match runs (an import's); a failing run stays pending for the drain."""
    from matchmaker.services.matches.ranking import run_match as run
    from workers.queues import current_job_id

    done, claimant = 0, current_job_id()
    for run_id in run_ids:
        try:
            run(run_id, claimant)
            done += 1
        except Exception:
            log.exception("match run %s failed; it stays pending", run_id)
    return done


def replay_match_runs(limit: int = 200, grace: int = 0) -> int:
    """Run unfinished match runs older than ``grace`` seconds (a failure stays pending); how many ran."""
    from matchmaker.services.matches.ranking import pending_runs

    return run_matches(pending_runs(limit, grace))


def nightly_rematch() -> int:
    """Queue a run for everything published, then work through them."""
    from matchmaker.services.matches.ranking import rematch_all

    created = rematch_all()
    replay_match_runs(limit=created + 200)
    return created


def expire_sweep() -> dict:
    """Expire listings past their deadline and matches nobody answered."""
    from matchmaker.auth.actor import SYSTEM
    from matchmaker.services.listings.workflow import expire_listings
    from matchmaker.services.matches.lifecycle import expire_stale

    return {"listings": expire_listings(actor=SYSTEM), "matches": expire_stale(actor=SYSTEM)}
