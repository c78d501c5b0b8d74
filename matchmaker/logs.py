"""Structured logs: one JSON object a line on stderr, with the request id or job id on every line.

The web app and the worker call ``configure`` once. The worker sets ``JOB_ID`` around each job, the
API sets ``REQUEST_ID`` for each request (matchmaker.api.http.observe, which also writes one access line
per request so gunicorn's own access log can stay off).
"""

from __future__ import annotations

import json
import logging
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import IO, Any

JOB_ID: ContextVar[str | None] = ContextVar("matchmaker_job_id", default=None)
REQUEST_ID: ContextVar[str | None] = ContextVar("matchmaker_request_id", default=None)
TEXT_FORMAT = (
    "%(asctime)s %(levelname)s [%(process)d] req=%(request_id)s job=%(job_id)s %(name)s: %(message)s"
)
_HANDLER_NAME = "matchmaker"
# Attributes every LogRecord has; anything else was passed with extra= and goes into the JSON.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "request_id", "job_id"}


class ContextFilter(logging.Filter):
    """Stamp every record with the current request id and job id ("-" when there is none)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Add ``record.request_id`` and ``record.job_id``."""
        record.request_id = REQUEST_ID.get() or "-"
        record.job_id = JOB_ID.get() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """A log record as one line of JSON (UTF-8 Chinese kept readable)."""

    def format(self, record: logging.LogRecord) -> str:
        """Time, level, logger, message, ids, extras and the traceback if any."""
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
            "job_id": getattr(record, "job_id", "-"),
            "pid": record.process,
        }
        entry.update({k: v for k, v in record.__dict__.items() if k not in _STANDARD})
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure(config: Any, *, stream: IO[str] | None = None, level: str | None = None) -> logging.Handler:
    """Put one handler on the root logger (replacing an earlier one of ours); JSON unless LOG_FORMAT=text."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(old)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.addFilter(ContextFilter())
    as_json = str(config.get("LOG_FORMAT", "json")).lower() == "json"
    handler.setFormatter(JsonFormatter() if as_json else logging.Formatter(TEXT_FORMAT))
    root.addHandler(handler)
    if not config.get("TESTING"):  # pytest sets the level it captures at
        root.setLevel((level or config.get("LOG_LEVEL") or "info").upper())
    logging.getLogger("alembic").setLevel(logging.WARNING)
    return handler
