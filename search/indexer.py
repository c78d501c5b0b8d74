"""Keep the search index equal to the database: outbox drain, full rebuild, drift check and repair."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import LISTING_MODELS, Challenge, ListingEmbedding, OutboxEvent
from matchmaker.models.common import utcnow
from search import parallel
from search.backends.base import SearchBackend, SearchUnavailable
from search.documents import doc_id, listing_document

# Every kind the index holds: needs and outputs, and 揭榜挂帅 challenges (kind "challenge").
INDEXED_MODELS: dict[str, Any] = {**LISTING_MODELS, Challenge.KIND: Challenge}


def _pending(limit: int) -> list[OutboxEvent]:
    stmt = (
        select(OutboxEvent)
        .where(OutboxEvent.topic == "search", OutboxEvent.acked_at.is_(None))
        .order_by(OutboxEvent.id)
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def _load_listings(keys: dict[tuple[str, int], Any]) -> dict[tuple[str, int], Any]:
    """The listings behind the outbox rows, one query per kind."""
    loaded: dict[tuple[str, int], Any] = {}
    for kind, model in INDEXED_MODELS.items():
        ids = [object_id for k, object_id in keys if k == kind]
        if ids:
            for listing in db.session.scalars(select(model).where(model.id.in_(ids))).unique():
                loaded[(kind, listing.id)] = listing
    return loaded


def stored_vectors(listings: list[Any]) -> dict[tuple[str, int], list[float]]:
    """The configured model's stored embeddings of these listings, for their search documents."""
    from flask import current_app

    model = current_app.config.get("MATCH_EMBEDDER") or "none"
    out: dict[tuple[str, int], list[float]] = {}
    for wanted in {x.KIND for x in listings}:
        ids = [x.id for x in listings if wanted == x.KIND]
        stmt = select(ListingEmbedding).where(
            ListingEmbedding.kind == wanted,
            ListingEmbedding.model == model,
            ListingEmbedding.object_id.in_(ids),
        )
        for row in db.session.scalars(stmt):
            out[(wanted, row.object_id)] = np.frombuffer(row.vector, dtype=np.float32).tolist()
    return out


def documents(listings: list[Any]) -> list[dict]:
    """Search documents of the listings, each with its stored embedding when it has one."""
    vectors = stored_vectors(listings)
    return [
        listing_document({**x.as_listing_dict(), "embedding": vectors.get((x.KIND, x.id))}) for x in listings
    ]


def drain(backend: SearchBackend, limit: int = 500) -> dict[str, Any]:
    """Write every unacknowledged outbox row's listing to the index; ack what the index now has."""
    rows = _pending(limit)
    if not rows:
        return {"pending": 0, "acked": 0, "failed": 0}
    latest: dict[tuple[str, int], OutboxEvent] = {}
    for row in rows:
        key = (row.kind, row.object_id)
        if key not in latest or row.version > latest[key].version:
            latest[key] = row
    deletes, present = [], []
    loaded = _load_listings(latest)
    for (kind, object_id), event in latest.items():
        listing = loaded.get((kind, object_id))
        if listing is None:
            deletes.append((doc_id(kind, object_id), event.version))
        else:
            present.append(listing)
    upserts = documents(present)
    try:
        backend.ensure_index()  # an engine that came back empty gets its index (and aliases) again
        done, failed = _write(backend, upserts, deletes)
    except SearchUnavailable as exc:
        for row in rows:
            row.attempts += 1
            row.last_error = f"search unavailable: {exc}"[:2000]
        db.session.commit()
        return {"pending": len(rows), "acked": 0, "failed": len(rows), "error": str(exc)}
    now, acked = utcnow(), 0
    for row in rows:
        target = doc_id(row.kind, row.object_id)
        if target in done:
            row.acked_at, acked = now, acked + 1
        else:
            row.attempts += 1
            row.last_error = failed.get(target, "not confirmed by the index")[:2000]
    db.session.commit()
    return {"pending": len(rows), "acked": acked, "failed": len(rows) - acked}


def _write(backend: SearchBackend, upserts: list[dict], deletes: list[tuple[str, int]]):
    done: set[str] = set()
    failed: dict[str, str] = {}
    for result in (
        backend.bulk_upsert(upserts) if upserts else None,
        backend.bulk_delete(deletes) if deletes else None,
    ):
        if result is None:
            continue
        done.update(result.ok)
        done.update(result.stale)
        failed.update(result.failed)
    return done, failed


def pending_count() -> int:
    """How many outbox rows the index has not acknowledged yet."""
    from sqlalchemy import func

    return (
        db.session.scalar(
            select(func.count())
            .select_from(OutboxEvent)
            .where(OutboxEvent.topic == "search", OutboxEvent.acked_at.is_(None))
        )
        or 0
    )


def all_documents(batch: int = 500) -> Iterator[dict]:
    """Every listing in the database as a search document, streamed in batches."""
    for model in INDEXED_MODELS.values():
        last = 0
        while True:
            rows = list(
                db.session.scalars(select(model).where(model.id > last).order_by(model.id).limit(batch))
            )
            if not rows:
                break
            yield from documents(rows)
            last = rows[-1].id
            db.session.expunge_all()


def database_versions() -> dict[str, int]:
    """doc id -> version for every listing in the database."""
    versions: dict[str, int] = {}
    for kind, model in INDEXED_MODELS.items():
        for object_id, version in db.session.execute(select(model.id, model.version)):
            versions[doc_id(kind, object_id)] = version
    return versions


def rebuild(
    backend: SearchBackend,
    progress: Callable[[int], None] | None = None,
    *,
    workers: int = 1,
    on_total: Callable[[int], None] | None = None,
) -> int:
    """Build a fresh versioned index from the database and swap the alias; returns the document count.

    ``progress`` gets the number of documents written so far (cumulative, each counted once);
    ``on_total`` gets the number the rebuild will write, before the first one. With ``workers`` > 1
    the documents are built by that many processes (search.parallel).
    """
    count = 0
    if workers > 1:
        source, total = parallel.documents(INDEXED_MODELS, workers, build=documents)
    else:
        source, total = all_documents(), parallel.count_rows(INDEXED_MODELS)
    if on_total:
        on_total(total)

    def counted() -> Iterator[dict]:
        nonlocal count
        for doc in source:
            count += 1
            yield doc

    backend.rebuild(counted(), progress=progress)
    return count


@dataclass
class Drift:
    """Differences between the database and the index."""

    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        """True when the index equals the database."""
        return not (self.missing or self.extra or self.stale)


def check(backend: SearchBackend) -> Drift:
    """Compare the database with the index."""
    in_db, in_index = database_versions(), backend.id_versions()
    return Drift(
        missing=sorted(set(in_db) - set(in_index)),
        extra=sorted(set(in_index) - set(in_db)),
        stale=sorted(k for k in set(in_db) & set(in_index) if in_index[k] < in_db[k]),
    )


def repair(backend: SearchBackend, drift: Drift) -> Drift:
    """Fix the drift at the database's versions (no listing's version or ETag changes): write
    missing and stale documents, delete extra ones; returns what remains."""
    in_index = backend.id_versions()
    rows = []
    for key in sorted(set(drift.missing) | set(drift.stale)):
        kind, _, object_id = key.partition("-")
        listing = db.session.get(INDEXED_MODELS[kind], int(object_id))
        if listing is not None:
            rows.append(listing)
    docs = documents(rows)
    refused = backend.bulk_upsert(docs).stale if docs else []
    if drift.extra:
        backend.bulk_delete([(key, in_index.get(key, 0) + 1) for key in drift.extra])
    if refused:
        # The index holds newer versions than the database (tombstones or copies from a restored
        # snapshot) and refuses the database's: a fresh index carries no such history.
        rebuild(backend)
    return check(backend)


def heal(backend: SearchBackend) -> dict[str, Any]:
    """Rebuild the index from the database (alias swap) when it has drifted, e.g. an engine that
    came back empty; the database's versions are kept, so no listing's version or ETag changes."""
    drain(backend)
    if pending_count():  # the engine is down or still catching up: nothing to judge yet
        return {"action": "waiting", "pending": pending_count()}
    drift = check(backend)
    if drift.clean:
        return {"action": "none"}
    summary = {"missing": len(drift.missing), "extra": len(drift.extra), "stale": len(drift.stale)}
    return {"action": "rebuilt", "documents": rebuild(backend), **summary}
