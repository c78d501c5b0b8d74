"""Challenge delivery jobs: reminders before milestone and award due dates (到期提醒)."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def remind_due(days: int = 7) -> dict[str, int]:
    """Notify teams and staff of milestones and deadlines due within ``days`` (each once); counts."""
    from matchmaker.services.challenges.reminders import remind_due as run
    from workers.queues import current_job_id

    counts = run(days=days)
    log.info("job %s: challenge reminders %s", current_job_id(), counts)
    return counts
