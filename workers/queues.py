"""Queue names and the Redis connection."""

from __future__ import annotations

from flask import current_app
from redis import Redis

QUEUES = ("index", "match", "notify", "default")


def redis_connection(url: str | None = None) -> Redis:
    """A Redis connection for REDIS_URL (short timeouts: an outage must not hang a request)."""
    url = url or current_app.config["REDIS_URL"]
    ext = current_app.extensions.setdefault("matchmaker.redis", {})
    if url not in ext:
        ext[url] = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
    return ext[url]
