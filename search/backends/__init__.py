"""Search backends: one interface (``base.SearchBackend``), two engines, chosen by configuration.

Settings read by ``make_backend``:
- ``SEARCH_BACKEND``: ``local`` (SQLite FTS5, default) or ``elasticsearch``.
- ``SEARCH_LOCAL_PATH``: the SQLite file of the local engine (``:memory:`` for tests).
- ``ELASTICSEARCH_URL``: cluster address for the elasticsearch engine.
- ``SEARCH_INDEX_PREFIX``: prefix of index and alias names (default ``matchmaker-``).
- ``ELASTICSEARCH_COMPAT_HEADERS``: default on; set to 0/false for OpenSearch-compatible servers
  (osmem-server) that refuse the 8.x client's compatibility media type (see ``es_client``).
- ``ELASTICSEARCH_TIMEOUT`` (seconds, default 10) and ``SEARCH_REFRESH`` (make writes visible at once;
  default off, for tests and small installations).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from search.backends.base import BulkResult, SearchBackend, SearchError, SearchUnavailable

__all__ = ["BulkResult", "SearchBackend", "SearchError", "SearchUnavailable", "make_backend"]

_FALSE = {"0", "false", "no", "off", ""}


def _flag(value: Any, default: bool) -> bool:
    if value is None:
        return default
    if isinstance(value, str):
        return value.strip().lower() not in _FALSE
    return bool(value)


def make_backend(config: Mapping[str, Any]) -> SearchBackend:
    """The search backend the configuration asks for."""
    kind = str(config.get("SEARCH_BACKEND") or "local").lower()
    prefix = config.get("SEARCH_INDEX_PREFIX")
    prefix = "matchmaker-" if prefix is None else str(prefix)
    if kind == "local":
        from search.backends.local import LocalBackend

        return LocalBackend(config.get("SEARCH_LOCAL_PATH") or "instance/search.sqlite3")
    if kind in ("elasticsearch", "es"):
        from search.backends.elasticsearch import ElasticsearchBackend

        url = config.get("ELASTICSEARCH_URL")
        if not url:
            raise SearchError("SEARCH_BACKEND=elasticsearch needs ELASTICSEARCH_URL")
        return ElasticsearchBackend(
            str(url),
            prefix,
            compat_headers=_flag(config.get("ELASTICSEARCH_COMPAT_HEADERS"), True),
            refresh=_flag(config.get("SEARCH_REFRESH"), False),
            timeout=float(config.get("ELASTICSEARCH_TIMEOUT") or 10.0),
            security={
                name: config.get(f"ELASTICSEARCH_{name}")
                for name in ("API_KEY", "USERNAME", "PASSWORD", "CA_CERTS", "FINGERPRINT")
            },
        )
    raise SearchError(f"unknown SEARCH_BACKEND {kind!r}: expected 'local' or 'elasticsearch'")
