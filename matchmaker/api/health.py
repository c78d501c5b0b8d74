"""/healthz (liveness) and /readyz (database, search and queue reachable)."""

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
    from matchmaker.extensions import search_backend

    return "ok" if search_backend().ping() else "unreachable"


def _check_queue() -> str:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return "inline"
    from workers.queues import redis_connection

    redis_connection().ping()
    return "ok"


@bp.get("/readyz")
def readyz():
    """Each dependency's state; 503 when any is unreachable."""
    checks = {}
    for name, check in (("database", _check_database), ("search", _check_search), ("queue", _check_queue)):
        try:
            checks[name] = check()
        except Exception as exc:
            checks[name] = f"unreachable: {type(exc).__name__}"
    ready = all(value in ("ok", "inline") for value in checks.values())
    return jsonify(status="ready" if ready else "not ready", checks=checks), 200 if ready else 503
