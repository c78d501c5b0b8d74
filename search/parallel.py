"""Full rebuild in parallel: documents are built (jieba segmentation) by a pool of processes over
id ranges, while this process writes them to the engine, which has one writer.

Building a document is almost all of a rebuild's CPU (segmenting title, summary and keywords), so
the pool scales it over the cores; each worker reads its own id range with its own database
connection and sends back plain dicts. The workers are forked from an app that has already loaded
the jieba dictionary, so they start at once and share its memory until they write to it.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from matchmaker.extensions import db
from search.analysis import segment
from search.documents import listing_document

RANGE_SIZE = 500  # rows per task: large enough to amortise a query, small enough to balance

# What the forked workers run in and read (set in the parent just before forking).
_app: Any = None
_models: dict[str, Any] = {}
_build: Callable[[list[Any]], list[dict]] | None = None


def plan(models: dict[str, Any], size: int = RANGE_SIZE) -> tuple[list[tuple[str, int, int]], int]:
    """(kind, first id, last id) ranges of about ``size`` rows each, and the number of rows."""
    ranges: list[tuple[str, int, int]] = []
    total = 0
    for kind, model in models.items():
        ids = list(db.session.scalars(select(model.id).order_by(model.id)))
        total += len(ids)
        ranges += [(kind, chunk[0], chunk[-1]) for chunk in _chunks(ids, size)]
    return ranges, total


def _chunks(ids: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def count_rows(models: dict[str, Any]) -> int:
    """How many rows a rebuild will index (the progress bar's total)."""
    return sum(db.session.scalar(select(func.count()).select_from(m)) or 0 for m in models.values())


def _start_worker() -> None:
    """In a fresh worker: its own app context and database connections (never the parent's)."""
    _app.app_context().push()
    db.engine.dispose(close=False)  # forget the parent's pooled connections without closing them


def _documents(task: tuple[str, int, int]) -> list[dict]:
    """The search documents of one id range (runs in a worker)."""
    kind, low, high = task
    model = _models[kind]
    rows = list(
        db.session.scalars(select(model).where(model.id.between(low, high)).order_by(model.id)).unique()
    )
    docs = _build(rows) if _build else [listing_document(row.as_listing_dict()) for row in rows]
    db.session.remove()
    return docs


def documents(
    models: dict[str, Any], workers: int, build: Callable[[list[Any]], list[dict]] | None = None
) -> tuple[Iterator[dict], int]:
    """Every row of ``models`` as a search document, built by ``workers`` processes, and the row count.

    ``build`` turns loaded rows into documents (the indexer's, with stored embeddings); without
    it, plain listing documents.
    """
    global _app, _models, _build
    ranges, total = plan(models)
    db.session.remove()  # no connection of ours may be shared with a forked child
    segment("预热分词词典")  # load the dictionary once, before the fork, so workers share it
    _app, _models, _build = current_app._get_current_object(), models, build  # type: ignore[attr-defined]

    def stream() -> Iterator[dict]:
        context = multiprocessing.get_context("fork")
        with context.Pool(workers, initializer=_start_worker) as pool:
            for batch in pool.imap(_documents, ranges):
                yield from batch

    return stream(), total


def default_workers() -> int:
    """One document builder per core, leaving the writer to share them (at least one)."""
    return max(1, os.cpu_count() or 1)
