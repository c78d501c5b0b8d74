"""Unit of work: one transaction per service call; after-commit work runs only once it is durable."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import inspect, select

from matchmaker.extensions import db

log = logging.getLogger(__name__)


class UnitOfWork:
    """Collects callbacks to run after a successful commit (enqueueing jobs, mostly)."""

    def __init__(self) -> None:
        self._after: list[Callable[[], object]] = []
        self._keys: set[str] = set()

    def after_commit(self, fn: Callable[[], object], key: str | None = None) -> None:
        """Run fn after commit (once per ``key``: a bulk write needs one index drain, not one a row);
        a failure there is logged, never undoes the committed change."""
        if key is not None:
            if key in self._keys:
                return
            self._keys.add(key)
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


def lock(row: Any) -> Any:
    """Re-read the row under SELECT … FOR UPDATE, so check-then-write races queue up behind us."""
    state = inspect(row)
    keys = zip(state.mapper.primary_key, state.identity or (), strict=True)
    # Lock by key alone: the row's joined eager loads would put FOR UPDATE on an outer join.
    db.session.execute(select(*state.mapper.primary_key).where(*(c == v for c, v in keys)).with_for_update())
    db.session.refresh(row)  # a new statement: sees what the transaction we waited for committed
    return row
