"""Importing a spreadsheet: a dry run reports every row's problems; a real run writes valid rows at once.

Imported listings belong to the organisation named by its 统一社会信用代码, carry source="import"
and an external_ref hashed from the row's key fields, so uploading the same file again creates
nothing new. All rows go in one transaction, each with an outbox row so search indexes it; the
(organisation, external_ref) constraint makes that hold for concurrent uploads of one file too.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError

from matchmaker.auth import policy
from matchmaker.auth.actor import Actor
from matchmaker.errors import Forbidden
from matchmaker.extensions import db
from matchmaker.importing import rejected
from matchmaker.importing.reading import read_table
from matchmaker.importing.rows import Row, check_table
from matchmaker.models import LISTING_MODELS
from matchmaker.models.common import utcnow
from matchmaker.services import audit
from matchmaker.services.matches.ranking import request_match
from matchmaker.services.outbox import record_change
from matchmaker.services.uow import UnitOfWork, unit_of_work


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


def _insert(kind: str, row: Row, actor: Actor, publish: bool) -> Any | None:
    """The new listing, or None when a concurrent import already holds its (org, external_ref)."""
    try:
        with db.session.begin_nested():
            listing = _listing(kind, row, actor, publish)
            db.session.flush()
        return listing
    except IntegrityError:
        return None


def _write(kind: str, rows: list[Row], actor: Actor, publish: bool, uow: UnitOfWork) -> int:
    created = 0
    # The same order in every import: two uploads sharing rows wait on each other, never deadlock.
    for row in sorted(rows, key=lambda r: r.ref):
        listing = _insert(kind, row, actor, publish)
        if listing is None:
            row.duplicate = True
            continue
        audit.record(actor, "import", kind, listing.id, row=row.number, status=listing.status)
        record_change(uow, listing)
        if publish:
            request_match(uow, kind, listing.id)
        created += 1
    return created


def import_file(
    kind: str, *, actor: Actor, filename: str, content: bytes, dry_run: bool, publish: bool = True
) -> dict[str, Any]:
    """Check (and unless dry_run, import) a needs or outputs spreadsheet; returns the report."""
    if not (policy.is_admin(actor) or (actor.has_role("staff") and actor.user and actor.user.region_scope)):
        raise Forbidden("只有科技局工作人员可以批量导入")
    headers, rows = check_table(kind, read_table(filename, content), actor)
    fresh = [row for row in rows if row.ok and not row.duplicate]
    bad = [row for row in rows if not row.ok]
    created, file_id = 0, None
    if not dry_run:
        if fresh:
            with unit_of_work() as uow:
                created = _write(kind, fresh, actor, publish, uow)
        if bad:
            file_id = rejected.store(headers, bad, actor=actor, kind=kind)
    return {
        "kind": kind,
        "dry_run": dry_run,
        "total_rows": len(rows),
        "valid": len(fresh),
        "created": created,
        "duplicates": sum(row.duplicate for row in rows),
        "rejected": len(bad),
        "errors": [{"row": r.number, "column": col, "message": msg} for r in bad for col, msg in r.errors],
        "rejected_file_id": file_id,
    }
