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
- ``SEARCH_SINGLE_HOST``: declares that one host runs every web worker and job worker, the only case in
  which production on PostgreSQL may keep the local engine (``deployment_problem``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from search.backends.base import BulkResult, SearchBackend, SearchError, SearchUnavailable

__all__ = [
    "BulkResult",
    "SearchBackend",
    "SearchError",
    "SearchUnavailable",
    "deployment_problem",
    "make_backend",
]

_FALSE = {"0", "false", "no", "off", ""}


def _flag(value: Any, default: bool) -> bool:
    if value is None:
        return default
    if isinstance(value, str):
        return value.strip().lower() not in _FALSE
    return bool(value)


SINGLE_HOST_REFUSAL = (
    "生产环境使用 PostgreSQL 时不能使用本地检索库：它是每台主机上的一个 SQLite 文件，多台主机各自的索引"
    "会缺少其他主机写入的内容。请设置 SEARCH_BACKEND=elasticsearch 和 ELASTICSEARCH_URL；如果 Web 与后台任务"
    "确实只在一台主机上运行，请设置 SEARCH_SINGLE_HOST=1。 / The local search engine is a SQLite file on one "
    "host: with DATABASE_URL on PostgreSQL in production use Elasticsearch, or set SEARCH_SINGLE_HOST=1."
)


def deployment_problem(config: Mapping[str, Any]) -> str | None:
    """Why these settings must not start (production on PostgreSQL with a per-host index), or None."""
    if str(config.get("ENV_NAME") or "") != "production":
        return None
    if str(config.get("SEARCH_BACKEND") or "local").lower() != "local":
        return None
    database = str(config.get("SQLALCHEMY_DATABASE_URI") or "")
    if not database.startswith(("postgresql", "postgres:")):
        return None
    return None if _flag(config.get("SEARCH_SINGLE_HOST"), False) else SINGLE_HOST_REFUSAL


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
            vector_field=str(config.get("SEARCH_VECTOR_FIELD") or "auto"),
            vector_dim=int(config.get("SEARCH_VECTOR_DIM") or 384),
            security={
                name: config.get(f"ELASTICSEARCH_{name}")
                for name in ("API_KEY", "USERNAME", "PASSWORD", "CA_CERTS", "FINGERPRINT")
            },
        )
    raise SearchError(f"unknown SEARCH_BACKEND {kind!r}: expected 'local' or 'elasticsearch'")
