"""The one narrow way services announce what happened: a cause name and an object reference.

Services call ``announce(uow, cause, ref)`` inside their unit of work. The announcement is written
to the notification outbox in the caller's transaction (so it commits or vanishes with the change)
and handed to the notify job after the commit; when Redis misses that hand-off, the periodic drain
(``workers.jobs.notify.drain_announced``) replays the row. It knows nothing of recipients, channels
or templates (those live in ``matchmaker.notifications``), so write services never import the
notification machinery and cause loaders never import write services.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol


class UnitOfWork(Protocol):
    """What announce needs of the caller's unit of work: work to run once the commit is durable."""

    def after_commit(self, fn: Callable[[], object]) -> None:
        """Run ``fn`` after the transaction commits."""
        ...


JOB = "workers.jobs.notify.notify_event"


def announce(uow: UnitOfWork, cause: str, ref: str) -> None:
    """Record the event (cause and ``kind/id`` reference) durably; after commit, hand it to the job."""
    from matchmaker.extensions import db
    from matchmaker.models import AnnouncedEvent
    from workers.enqueue import enqueue

    row = AnnouncedEvent(cause=cause, ref=ref)
    db.session.add(row)
    db.session.flush()
    row_id = row.id
    uow.after_commit(lambda: enqueue(JOB, cause, ref, row_id, queue="notify"))
