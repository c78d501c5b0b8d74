"""Links in messages: PUBLIC_BASE_URL plus a path template per kind of page.

The defaults point at API resources that exist, so a link in a message always answers; a site
with a web front end sets LINK_TEMPLATES (JSON, e.g. ``{"need": "/needs/{id}"}``) to its own pages.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import current_app

DEFAULT_LINKS: dict[str, str] = {
    "need": "/api/v1/needs/{id}",
    "output": "/api/v1/outputs/{id}",
    "match": "/api/v1/matches/{id}",
    "challenge": "/api/v1/challenges/{id}",
    "challenge_award": "/api/v1/challenge-awards/{id}",
    "event": "/api/v1/events/{id}",
    "event_schedule": "/api/v1/events/{id}/schedule",
    "voucher": "/api/v1/vouchers/{id}",
    "filing": "/api/v1/cooperation-filings/{id}",
    "subsidy_round": "/api/v1/subsidy-rounds/{id}",
    "campaign": "/api/v1/campaigns/{id}",
    "output_compilation": "/api/v1/output-compilations/{id}",
    "placement": "/api/v1/placements/{id}",
    "unsubscribe": "/api/v1/notifications/unsubscribe?token={token}",
}


def templates() -> dict[str, str]:
    """The path templates in force: the defaults, overridden by LINK_TEMPLATES."""
    return {**DEFAULT_LINKS, **(current_app.config.get("LINK_TEMPLATES") or {})}


def link(name: str, **values: Any) -> str:
    """The absolute link to one page, e.g. ``link("need", id=12)``; values are URL-encoded."""
    path = templates()[name].format(**{key: quote(str(value), safe="") for key, value in values.items()})
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path
