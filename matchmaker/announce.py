"""The one narrow way services announce what happened: a cause name and an object reference.

Services call ``announce(uow, cause, ref)`` inside their unit of work. It knows nothing of
recipients, channels or templates (those live in ``matchmaker.notifications``), so write services
never import the notification machinery and cause loaders never import write services.
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
    """After the caller's commit, hand the event (cause and ``kind/id`` reference) to the notify job."""
    from workers.enqueue import enqueue

    uow.after_commit(lambda: enqueue(JOB, cause, ref, queue="notify"))
