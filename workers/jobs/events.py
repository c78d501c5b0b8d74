"""Event jobs (queue 'notify'): the day-before reminder for every event taking place tomorrow.

Idempotent: the reminder's reference names the event day, and deliveries are keyed by cause,
reference, channel and user, so a re-run (or a second worker) never reminds anyone twice.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

log = logging.getLogger(__name__)


def send_event_reminders(today: str | None = None) -> int:
    """Remind the approved participants of tomorrow's events; returns how many deliveries were queued."""
    from matchmaker.models.common import CHINA
    from matchmaker.services.events.lifecycle import reminders_due
    from workers.jobs.notify import notify_event

    day = date.fromisoformat(today) if today else datetime.now(CHINA).date()
    queued = 0
    for event_id, ref in reminders_due(day):
        queued += notify_event("event.reminder", ref)
        log.info("event %s: reminder %s planned", event_id, ref)
    return queued
