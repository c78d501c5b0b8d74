"""Signed one-click unsubscribe tokens (itsdangerous, keyed by SECRET_KEY)."""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer

from matchmaker.models.common import INT_MAX

SALT = "matchmaker.unsubscribe"


def _serializer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=SALT)


def unsubscribe_token(secret: str, user_id: int, kind: str, channel: str = "email") -> str:
    """A token naming the user, the kind of message and the channel to switch off."""
    return _serializer(secret).dumps({"u": user_id, "k": kind, "c": channel})


def read_unsubscribe_token(secret: str, token: str) -> tuple[int, str, str] | None:
    """(user id, kind, channel) of a valid token, or None when the signature does not verify."""
    try:
        data = _serializer(secret).loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    user_id, kind, channel = data.get("u"), data.get("k"), data.get("c")
    # A payload signed with a leaked or default key may hold anything: check every part's type.
    if type(user_id) is not int or not 0 < user_id <= INT_MAX:
        return None
    if not (isinstance(kind, str) and isinstance(channel, str)):
        return None
    return user_id, kind, channel
