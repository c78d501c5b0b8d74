"""Unit of work: one transaction per service call; after-commit work runs only once it is durable."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from matchmaker.extensions import db

log = logging.getLogger(__name__)


class UnitOfWork:
    """Collects callbacks to run after a successful commit (enqueueing jobs, mostly)."""

    def __init__(self) -> None:
        self._after: list[Callable[[], object]] = []

    def after_commit(self, fn: Callable[[], object]) -> None:
        """Run fn after commit; a failure there is logged, never undoes the committed change."""
        self._after.append(fn)

    def run_after_commit(self) -> None:
        """Run the registered callbacks in order, isolating failures."""
        for fn in self._after:
            try:
                fn()
            except Exception:  # the outbox drain replays whatever this missed
                log.exception("after-commit callback failed")


@contextmanager
def unit_of_work() -> Iterator[UnitOfWork]:
    """Commit on success, roll back on any error, then run after-commit callbacks."""
    uow = UnitOfWork()
    try:
        yield uow
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    uow.run_after_commit()
