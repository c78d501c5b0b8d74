"""Per-request observability: the request id in every log line, one access line, the latency
histogram, and the ``GET /metrics`` endpoint (METRICS_ENABLED; keep it off the public proxy)."""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import Flask, Response, current_app, g, request

from matchmaker import logs, metrics

access_log = logging.getLogger("matchmaker.access")


def _started() -> None:
    g.started_at = time.perf_counter()


def _finished(response: Any) -> Any:
    started = g.get("started_at")
    if started is None:
        return response
    seconds = time.perf_counter() - started
    endpoint = request.endpoint or "unmatched"
    if endpoint != "metrics" and current_app.config.get("METRICS_ENABLED", True):
        status_class = f"{response.status_code // 100}xx"
        metrics.REQUEST_SECONDS.labels(endpoint, request.method, status_class).observe(seconds)
    access_log.info(
        "%s %s %s",
        request.method,
        request.path,
        response.status_code,
        extra={
            "method": request.method,
            "path": request.path,
            "endpoint": endpoint,
            "status": response.status_code,
            "duration_ms": round(seconds * 1000, 1),
            "client": request.remote_addr,
        },
    )
    return response


def bind_request_id(request_id: str) -> None:
    """Stamp the log lines of this request with its id (reset when the request ends)."""
    g.log_token = logs.REQUEST_ID.set(request_id)


def _unbind(_exc: BaseException | None) -> None:
    token = g.pop("log_token", None)
    if token is not None:
        logs.REQUEST_ID.reset(token)


def install(app: Flask) -> None:
    """Register the hooks (before the caller is resolved, so a 401 is timed and logged too)."""
    app.before_request(_started)
    app.after_request(_finished)
    app.teardown_request(_unbind)
    if app.config.get("METRICS_ENABLED", True):
        app.add_url_rule(
            "/metrics", "metrics", lambda: Response(metrics.render(), content_type=metrics.CONTENT_TYPE)
        )
