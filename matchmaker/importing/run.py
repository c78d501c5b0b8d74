"""Importing a needs or outputs spreadsheet: all rows or none (importing/flow.py), matching queued.

Imported listings belong to the organisation named by its 统一社会信用代码, carry source="import"
and an external_ref hashed from the row's key fields, so uploading the same file again creates
nothing new. All rows go in one transaction, each with an outbox row so search indexes it; the
(organisation, external_ref) constraint makes that hold for concurrent uploads of one file too.
Published rows get a match run each, written in that transaction (durable: a Redis outage loses
none, the drain replays them) and ranked after the commit by background jobs, not in the request.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from matchmaker.auth.actor import Actor
from matchmaker.extensions import db
from matchmaker.importing.flow import Importer, complete, require_importer
from matchmaker.importing.reading import read_table
from matchmaker.importing.rows import Row, check_table
from matchmaker.models import LISTING_MODELS, MatchRun
from matchmaker.models.common import utcnow
from matchmaker.services import audit
from matchmaker.services.matches.ranking import enqueue_runs
from matchmaker.services.outbox import record_change
from matchmaker.services.uow import UnitOfWork


def _listing(kind: str, row: Row, actor: Actor, publish: bool) -> Any:
    now = utcnow()
    assert row.org is not None
    data = {k: v for k, v in row.data.items() if v is not None}
    data.setdefault("region", row.org.region)
    listing = LISTING_MODELS[kind](
        **data,
        org_id=row.org.id,
        owner_id=None,
        source="import",
        external_ref=row.ref,
        status="published" if publish else "submitted",
        version=1,
        submitted_at=now,
        published_at=now if publish else None,
        reviewed_by=actor.user_id if publish else None,
    )
    db.session.add(listing)
    return listing


def _exists(kind: str, row: Row) -> bool:
    model = LISTING_MODELS[kind]
    assert row.org is not None
    found = select(model.id).where(model.org_id == row.org.id, model.external_ref == row.ref)
    return db.session.scalar(found) is not None


def _importer(kind: str, actor: Actor, publish: bool) -> Importer:
    def write_rows(rows: list[Row], uow: UnitOfWork) -> list[Any]:
        listings = [_listing(kind, row, actor, publish) for row in rows]
        db.session.flush()  # one batched INSERT; the ids are known from here on
        for row, listing in zip(rows, listings, strict=True):
            audit.record(actor, "import", kind, listing.id, row=row.number, status=listing.status)
            record_change(uow, listing)
        if publish:  # runs recorded in this transaction, ranked after the commit off the request
            runs = [MatchRun(kind=kind, object_id=listing.id, reason="import") for listing in listings]
            db.session.add_all(runs)
            db.session.flush()
            ids = [run.id for run in runs]
            uow.after_commit(lambda: enqueue_runs(ids))
        return listings

    return Importer(kind, write_rows, lambda row: _exists(kind, row))


def import_file(
    kind: str, *, actor: Actor, filename: str, content: bytes, dry_run: bool, publish: bool = True
) -> dict[str, Any]:
    """Check (and unless dry_run, import) a needs or outputs spreadsheet, all rows or none; the report."""
    require_importer(actor, "只有科技局工作人员可以批量导入")
    headers, rows = check_table(kind, read_table(filename, content), actor)
    return complete(_importer(kind, actor, publish), headers, rows, actor=actor, dry_run=dry_run)
