"""The app's search backend, created lazily once per app from its configuration."""

from __future__ import annotations

from flask import current_app

from search.backends import make_backend
from search.backends.base import SearchBackend


def search_backend() -> SearchBackend:
    """The configured backend (local FTS5 or Elasticsearch) for the current app."""
    ext = current_app.extensions
    backend = ext.get("matchmaker.search")
    if backend is None:
        backend = make_backend(current_app.config)
        ext["matchmaker.search"] = backend
    return backend
