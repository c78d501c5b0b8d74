"""Write audit-log rows inside the caller's transaction."""

from __future__ import annotations

from typing import Any

from matchmaker.auth.actor import Actor
from matchmaker.extensions import db
from matchmaker.models import AuditLog


def record(actor: Actor, action: str, object_type: str, object_id: int | None, **detail: Any) -> AuditLog:
    """Add one audit row for a state change, review decision or contact reveal."""
    row = AuditLog(
        actor_id=actor.user_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        request_id=actor.request_id,
        ip=actor.ip,
        detail=detail,
    )
    db.session.add(row)
    return row
