"""/healthz (liveness) and /readyz (readiness: the database; search and queue reported, not required).

Search is degraded when unreachable, and also when its index lacks part of the database (an
engine that came back empty, a rebuild running): the scheduled heal repairs that by itself.
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from matchmaker.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """The process is alive."""
    return jsonify(status="ok")


def _check_database() -> str:
    db.session.execute(text("SELECT 1"))
    return "ok"


def _check_search() -> str:
    """'ok', 'unreachable', or 'rebuilding'/'behind' with the counts (an engine back empty)."""
    from matchmaker.extensions import search_backend
    from search import coverage

    backend = search_backend()
    if not backend.ping():
        return "unreachable"
    return coverage.current(backend).describe()


def _check_queue() -> str:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return "inline"
    from workers.queues import redis_connection

    redis_connection().ping()
    return "ok"


def _state(check) -> str:
    try:
        return check()
    except Exception as exc:
        db.session.rollback()
        return f"unreachable: {type(exc).__name__}"


@bp.get("/readyz")
def readyz():
    """Ready (200) while the database answers; search and queue outages only degrade (the outboxes
    keep their work), so a load balancer keeps this node. 503 when the database is down."""
    checks = {
        "database": _state(_check_database),
        "search": _state(_check_search),
        "queue": _state(_check_queue),
    }
    if checks["database"] != "ok":
        status, code = "not ready", 503
    elif all(value in ("ok", "inline") for value in checks.values()):
        status, code = "ready", 200
    else:
        status, code = "degraded", 200
    degraded = sorted(name for name, value in checks.items() if value not in ("ok", "inline"))
    return jsonify(status=status, checks=checks, degraded=degraded), code
