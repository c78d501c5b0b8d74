"""Request context for the API layer: request ids, the bearer token and the Actor handed to services."""

from __future__ import annotations

import re
import uuid

from flask import Flask, g, request

from matchmaker.api.http import observe
from matchmaker.auth.actor import Actor
from matchmaker.auth.tokens import resolve_token
from matchmaker.errors import Unauthorized

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def _client_ip() -> str | None:
    # ProxyFix (TRUSTED_PROXIES) has already put the real client here, as the limiter sees it.
    return request.remote_addr


def _load_actor() -> None:
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
    observe.bind_request_id(g.request_id)
    g.actor = Actor(request_id=g.request_id, ip=_client_ip())
    header = request.headers.get("Authorization", "")
    if not header:
        return
    scheme, _, token = header.partition(" ")
    row = resolve_token(token.strip()) if scheme.lower() == "bearer" else None
    if row is None:
        raise Unauthorized("登录已失效或令牌无效，请重新登录")
    g.actor = Actor(user=row.user, request_id=g.request_id, ip=g.actor.ip, token_id=row.id)


def _add_request_id(response):
    rid = getattr(g, "request_id", None)
    if rid:
        response.headers["X-Request-ID"] = rid
    return response


def install(app: Flask) -> None:
    """Resolve the caller before every request and echo the request id after."""
    app.before_request(_load_actor)
    app.after_request(_add_request_id)


def actor() -> Actor:
    """The current caller (anonymous when no token was sent)."""
    return g.get("actor") or Actor()


def signed_in() -> Actor:
    """The current caller, who must be signed in."""
    current = actor()
    if not current.is_authenticated:
        raise Unauthorized()
    return current
