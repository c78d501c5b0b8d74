"""Recurring jobs without Redis (the embedded set-up): the same SCHEDULE, run in process.

``run_due`` runs every entry whose current slot (the same slot arithmetic as the rq cron process)
has not run yet, inline, inside the caller's app context. Which slot last ran is kept in a small
JSON file under ``instance/`` behind an exclusive file lock, so several processes on one host
(a ``flask jobs run-due`` from cron beside a server with the in-process thread) run a slot once.

A cron entry seen for the first time starts at the current slot without running it (a first
``make run`` does not send a weekly digest at once); after that, a slot missed while nothing ran
runs once when the process comes back, as on rq.
"""

from __future__ import annotations

import fcntl
import json
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from workers.enqueue import resolve
from workers.schedule import SCHEDULE, TIMEZONE, Recurring, slot_at_or_before

log = logging.getLogger(__name__)
TICK_SECONDS = 20


@contextmanager
def _locked_state(path: Path) -> Iterator[dict[str, str]]:
    """The last slot run per entry, read and written under an exclusive lock."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        state = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        yield state
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(state, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(path)


def state_file(app: Any) -> Path:
    """Where the app's embedded scheduler keeps the last slot run per job (under instance/)."""
    return Path(app.instance_path) / "recurring-jobs.json"


def run_one(entry: Recurring) -> Any:
    """Run one recurring job now, inline, with its configured keyword arguments."""
    return resolve(entry.func)(**dict(entry.kwargs))


def due(entry: Recurring, state: dict[str, str], moment: datetime) -> tuple[bool, str]:
    """Whether the entry's slot at ``moment`` still has to run, and that slot (ISO)."""
    slot = slot_at_or_before(entry, moment, ZoneInfo(TIMEZONE)).isoformat()
    last = state.get(entry.name)
    if last is None and entry.cron:
        return False, slot  # first sight of a cron entry: start from now, do not catch up
    return last != slot, slot


def run_due(
    state_file: Path, entries: tuple[Recurring, ...] = SCHEDULE, moment: datetime | None = None
) -> list[str]:
    """Run every entry whose current slot has not run yet; the names run, in schedule order."""
    moment = moment or datetime.now(UTC)
    ran: list[str] = []
    with _locked_state(state_file) as state:
        for entry in entries:
            pending, slot = due(entry, state, moment)
            state[entry.name] = slot  # claimed before running: a failing job waits for its next slot
            if not pending:
                continue
            try:
                run_one(entry)
                ran.append(entry.name)
            except Exception:  # one broken job must not stop the others
                log.exception("recurring job %s failed in slot %s", entry.name, slot)
    return ran


def start_thread(app: Any, state_file: Path, tick: float = TICK_SECONDS) -> threading.Thread:
    """A daemon thread that calls ``run_due`` every ``tick`` seconds in an app context."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(tick):
            with app.app_context():
                try:
                    run_due(state_file)
                except Exception:
                    log.exception("embedded scheduler: round failed")

    thread = threading.Thread(target=loop, name="matchmaker-embedded-cron", daemon=True)
    thread.stop = stop  # type: ignore[attr-defined]
    thread.start()
    return thread
