"""The caller of a service: the user (or nobody) plus request id and client address for the audit log."""

from __future__ import annotations

from dataclasses import dataclass

from matchmaker.models import User


@dataclass(frozen=True)
class Actor:
    """Who is acting; services take this instead of touching flask.request."""

    user: User | None = None
    request_id: str | None = None
    ip: str | None = None
    token_id: int | None = None

    @property
    def is_authenticated(self) -> bool:
        """True for a signed-in user."""
        return self.user is not None

    @property
    def user_id(self) -> int | None:
        """The user's id, or None when anonymous."""
        return self.user.id if self.user is not None else None

    @property
    def org_id(self) -> int | None:
        """The user's organisation id, or None."""
        return self.user.org_id if self.user is not None else None

    def has_role(self, *roles: str) -> bool:
        """True when signed in with any of the roles."""
        return self.user is not None and self.user.has_role(*roles)


SYSTEM = Actor(user=None, request_id="system", ip=None)
