"""Is the index complete? Database rows against the engine's documents, for /readyz and search.

An engine that came back empty, or an index being rebuilt, answers searches with part of the
catalogue; callers flag such answers as partial instead of serving them as complete. The check
costs three counts, so each process keeps its answer for ``SEARCH_COVERAGE_TTL`` seconds.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import func, select

from matchmaker.extensions import db
from search.backends.base import SearchBackend


@dataclass(frozen=True)
class Coverage:
    """Rows the index should hold, documents it holds, writes on their way, and a rebuild in progress."""

    database: int
    index: int
    pending: int
    rebuilding: bool

    @property
    def partial(self) -> bool:
        """True when search can miss listings that are not merely on their way (pending)."""
        return self.rebuilding or self.index + self.pending < self.database

    def describe(self) -> str:
        """For /readyz: 'ok', or what is missing."""
        if not self.partial:
            return "ok"
        state = "rebuilding" if self.rebuilding else "behind"
        return f"{state}: index {self.index} of {self.database}"


def measure(backend: SearchBackend) -> Coverage:
    """Count now (raises SearchError when the engine cannot be reached)."""
    from search.indexer import INDEXED_MODELS, pending_count

    rows = sum(db.session.scalar(select(func.count()).select_from(m)) or 0 for m in INDEXED_MODELS.values())
    return Coverage(rows, backend.document_count(), pending_count(), backend.rebuilding())


def current(backend: SearchBackend) -> Coverage:
    """The coverage this app measured at most ``SEARCH_COVERAGE_TTL`` seconds ago."""
    from flask import current_app

    ttl = float(current_app.config.get("SEARCH_COVERAGE_TTL", 5.0))
    store = current_app.extensions.setdefault("matchmaker.search_coverage", {})
    now = time.monotonic()
    if "at" not in store or now - store["at"] >= ttl:
        store.update(at=now, coverage=measure(backend))
    return store["coverage"]
