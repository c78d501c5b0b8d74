"""The weekly digest (需求信息汇编): new published needs and outputs in the reader's fields, open matches."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select

from matchmaker.extensions import db
from matchmaker.matching.calibration import percent
from matchmaker.models import LISTING_MODELS, Match, User
from matchmaker.models.common import CHINA
from matchmaker.notifications import causes, dispatch
from matchmaker.notifications.links import link

MAX_ITEMS = 15
OPEN = ("proposed", "connected", "negotiating")
READERS = ("enterprise", "researcher")  # bureau staff read the dashboard instead


def week_ref(at: datetime) -> str:
    """The digest's object reference: the ISO week in Shanghai time, e.g. digest/2026-W47."""
    year, week, _ = at.astimezone(CHINA).isocalendar()
    return f"digest/{year}-W{week:02d}"


def in_fields(listing_fields: list[str], wanted: list[str]) -> bool:
    """True when a listing's field codes fall under (or above) one of the reader's fields."""
    return any(
        f == w or f.startswith(w + ".") or w.startswith(f + ".") for f in listing_fields for w in wanted
    )


def _recent(kind: str, since: datetime) -> list[Any]:
    model = LISTING_MODELS[kind]
    stmt = select(model).where(model.status == "published", model.published_at >= since).order_by(model.id)
    return list(db.session.scalars(stmt).unique())


def _item(listing: Any) -> dict[str, Any]:
    return {
        "title": listing.title,
        "org": listing.org.name if listing.org else "",
        "link": link(listing.KIND, id=listing.id),
    }


def context_for(user: User, recent: dict[str, list[Any]]) -> dict[str, Any] | None:
    """The reader's part of the digest, or None when there is nothing for them this week."""
    wanted = list(user.org.fields or []) if user.org else []
    picked = {
        kind: [_item(x) for x in rows if x.org_id != user.org_id and in_fields(x.fields or [], wanted)][
            :MAX_ITEMS
        ]
        for kind, rows in recent.items()
    }
    stmt = (
        select(Match)
        .where(
            Match.status.in_(OPEN), or_(Match.need_org_id == user.org_id, Match.output_org_id == user.org_id)
        )
        .order_by(Match.score.desc())
        .limit(MAX_ITEMS)
    )
    matches = [
        {
            "title": f"{m.need.title} × {m.output.title}",
            "score": percent(m.score),
            "link": link("match", id=m.id),
        }
        for m in db.session.scalars(stmt).unique()
    ]
    if not (picked["need"] or picked["output"] or matches):
        return None
    return {"needs": picked["need"], "outputs": picked["output"], "matches": matches}


def plan_weekly() -> list[int]:
    """Plan this week's digest for every active member of an organisation; returns queued ids."""
    at = dispatch.now()
    ref = week_ref(at)
    since = at - timedelta(days=7)
    recent = {kind: _recent(kind, since) for kind in LISTING_MODELS}
    local = at.astimezone(CHINA)
    period = f"{(local - timedelta(days=7)).date():%m月%d日}—{local.date():%m月%d日}"
    cause = causes.get("digest.weekly")
    queued: list[int] = []
    users = select(User).where(User.is_active.is_(True), User.org_id.is_not(None)).order_by(User.id)
    for user in db.session.scalars(users).unique():
        if not user.has_role(*READERS):
            continue
        context = context_for(user, recent)
        if context is not None:
            queued += dispatch.plan_user(cause, ref, user, {**context, "period": period})
    db.session.commit()
    return queued
