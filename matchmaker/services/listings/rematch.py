"""Re-ranking a published listing on request (重新匹配): the owner, staff in scope or an admin."""

from __future__ import annotations

from typing import Any

from matchmaker.auth import policy
from matchmaker.errors import Conflict, Forbidden
from matchmaker.extensions import db
from matchmaker.models import MatchRun
from matchmaker.services import audit
from matchmaker.services.listings.workflow import load_listing
from matchmaker.services.matches.ranking import request_match
from matchmaker.services.uow import unit_of_work


def rematch_on_demand(kind: str, object_id: int, *, actor: Any) -> MatchRun:
    """Owners, staff in scope and admins re-rank a published listing now."""
    listing = load_listing(kind, object_id, actor=actor)
    if not (policy.can_edit_listing(actor, listing) or policy.can_review_listing(actor, listing)):
        raise Forbidden("只有发布单位和辖区科技局可以发起匹配")
    if listing.status != "published":
        raise Conflict("只有已发布的信息可以匹配")
    with unit_of_work() as uow:
        run = request_match(uow, kind, object_id, reason="on_demand")
        audit.record(actor, "rematch", kind, object_id, run_id=run.id)
    db.session.refresh(run)
    return run
