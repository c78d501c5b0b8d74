"""The cause registry: what can be notified, to whom, on which channels, and with which words.

A cause names one kind of event (``match.new``, ``listing.rejected``...). Its loader turns an
object reference (``match/12``) into an ``Event``: the recipients and the template context. Later
kinds (challenges, events) plug in with ``register(Cause(...))`` and a loader; nothing else changes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

KINDS = {
    "match": "匹配推荐与对接进展",
    "listing": "信息审核结果",
    "digest": "每周需求信息汇编",
    "account": "账号安全",
    "event": "对接活动邀请与日程",
    "challenge": "揭榜挂帅",
    "funding": "产学研备案、奖补与创新券",
    "campaign": "需求征集",
    "push": "成果推送",
    "placement": "科技副总",
}


@dataclass
class Event:
    """Who hears about an object and what the templates need; ``per_user`` adds each reader's part."""

    recipients: list[int]
    context: dict[str, Any] = field(default_factory=dict)
    per_user: Callable[[Any], dict[str, Any] | None] | None = None


@dataclass(frozen=True)
class Cause:
    """One kind of notification and how it reads on each channel."""

    name: str
    kind: str
    subject: str
    lines: tuple[str, ...]
    sms: str | None
    sms_params: tuple[str, ...] = ()
    channels: tuple[str, ...] = ("inbox", "email", "sms")
    email_template: str = "notice"
    personalised: bool = False  # a recommendation: suppressed when the user opts out (PIPL art. 24)
    transactional: bool = False  # asked for by the user right now: no preferences, quiet hours or caps
    loader: Callable[[str, Mapping[str, Any]], Event | None] | None = None


REGISTRY: dict[str, Cause] = {}


def register(cause: Cause) -> Cause:
    """Add a cause to the registry (names are unique)."""
    if cause.name in REGISTRY:
        raise ValueError(f"cause {cause.name} registered twice")
    if cause.kind not in KINDS:
        raise ValueError(f"cause {cause.name}: unknown kind {cause.kind}")
    REGISTRY[cause.name] = cause
    return cause
