"""Every notification cause: the registry's types, and ``get`` which loads the cause modules.

The cause modules register themselves on import (``registry.register``); this package imports
them the first time a cause is asked for, so the registry module itself depends on none of them.
"""

from __future__ import annotations

from matchmaker.notifications.causes.registry import KINDS, REGISTRY, Cause, Event, register

__all__ = ["KINDS", "REGISTRY", "Cause", "Event", "get", "register"]


def get(name: str) -> Cause:
    """The registered cause (built-ins are loaded on first use)."""
    if name not in REGISTRY:  # modules register on import; digest.py imports builtin alone
        import matchmaker.notifications.causes.builtin
        import matchmaker.notifications.causes.campaigns  # 需求征集 invitations
        import matchmaker.notifications.causes.challenge_stages  # review, award, delivery
        import matchmaker.notifications.causes.challenges  # 揭榜挂帅 lists and applications
        import matchmaker.notifications.causes.contracts  # filings, 奖补 rounds, 创新券
        import matchmaker.notifications.causes.events  # matchmaking events
        import matchmaker.notifications.causes.placements  # 科技副总
        import matchmaker.notifications.causes.pushes  # noqa: F401  成果推送
    return REGISTRY[name]
