"""What every channel shares: the outgoing message, the channel interface and its typed errors."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol


class DeliveryError(Exception):
    """A channel could not deliver the message."""

    permanent = False


class TransientError(DeliveryError):
    """Worth retrying later."""


class PermanentError(DeliveryError):
    """Retrying will not help."""

    permanent = True


@dataclass(frozen=True)
class Outgoing:
    """One rendered message for one address: e-mail (subject, text, html, unsubscribe) or SMS."""

    delivery_id: int
    channel: str
    address: str
    content: Mapping[str, Any] = field(default_factory=dict)


class Channel(Protocol):
    """What every e-mail or SMS channel offers."""

    provider: str

    def send(self, message: Outgoing) -> str:
        """Deliver the message; return the provider's message id."""
        ...
