"""Challenge jobs: close the application window of every published challenge past its deadline."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def close_challenge_windows() -> list[int]:
    """Move published challenges past ``apply_closes_at`` to ``reviewing``; idempotent, returns their ids."""
    from matchmaker.auth.actor import SYSTEM
    from matchmaker.services.challenges.workflow import close_windows

    closed = close_windows(actor=SYSTEM)
    if closed:
        log.info("challenge windows closed: %s", closed)
    return closed
