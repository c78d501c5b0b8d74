"""Demo events in 金湖县: a finished 对接会 with outcomes and agreements, and an upcoming 高校专场.

Participants are picked from the seeded matches (金湖 needs × outputs they matched), so the
upcoming session's approved registrations give the county officer an agenda to generate and adjust.
Deterministic (seeded random stream) and idempotent (skipped when the demo events exist).
"""

from __future__ import annotations

import random
import secrets
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from matchmaker.agenda.solver import solve
from matchmaker.auth.actor import SYSTEM
from matchmaker.extensions import db
from matchmaker.models import Event, EventRegistration, Match, ResearchOutput, TechnologyNeed, User
from matchmaker.models.common import CHINA
from matchmaker.services.events.agenda import approved, build_problem, candidate_matches, meeting_row
from matchmaker.services.events.outcomes import advance_match

JINHU = "320831"
FINISHED = "2026年金湖县仪器仪表与石油装备产学研对接会"
UPCOMING = "金湖县“科技副总”高校专场对接会——走进南京高校"
STAFF_EMAIL = "staff.jinhu@demo.matchmaker.cn"
WALKTHROUGH_EMAIL = "qiye.jinhu@demo.matchmaker.cn"


def _pool(skip: int, needs: int, outputs: int) -> dict[int, dict[str, set[int]]]:
    """org id -> the need and output ids it brings, taken from the best 金湖 matches."""
    stmt = (
        select(Match)
        .join(TechnologyNeed, TechnologyNeed.id == Match.need_id)
        .join(ResearchOutput, ResearchOutput.id == Match.output_id)
        .where(
            Match.region == JINHU, TechnologyNeed.status == "published", ResearchOutput.status == "published"
        )
        .order_by(Match.score.desc(), Match.id)
    )
    need_orgs: list[int] = []
    output_orgs: list[int] = []
    brings: dict[int, dict[str, set[int]]] = {}
    for match in db.session.scalars(stmt).unique():
        for org, ids, limit in (
            (match.need_org_id, need_orgs, needs + skip),
            (match.output_org_id, output_orgs, outputs),
        ):
            if org not in ids and len(ids) < limit:
                ids.append(org)
        if match.need_org_id in need_orgs[skip:] and match.output_org_id in output_orgs:
            brings.setdefault(match.need_org_id, {"need": set(), "output": set()})["need"].add(match.need_id)
            brings.setdefault(match.output_org_id, {"need": set(), "output": set()})["output"].add(
                match.output_id
            )
    return brings


def _event(title: str, kind: str, day: date, status: str, **extra: Any) -> Event:
    staff = db.session.scalar(select(User).where(User.email == STAFF_EMAIL))
    opens = datetime.combine(day - timedelta(days=30), time(9), CHINA)
    closes = datetime.combine(day - timedelta(days=2), time(18), CHINA)
    event = Event(
        title=title, type=kind, region=JINHU, fields=["instrument", "equipment.petroleum"],
        venue="金湖县科技创业园一楼报告厅", starts_on=day, ends_on=day, capacity=60,
        registration_opens_at=opens, registration_closes_at=closes,
        slot_count=8, slot_minutes=20, first_slot_at="09:30", tables_per_slot=8, max_meetings=4,
        status=status, created_by=staff.id if staff else None, published_at=opens, **extra,
    )  # fmt: skip
    db.session.add(event)
    db.session.flush()
    return event


def _walkthrough_org() -> int | None:
    """The README walk-through's enterprise registers itself for the upcoming session."""
    user = db.session.scalar(select(User).where(User.email == WALKTHROUGH_EMAIL))
    return user.org_id if user else None


def _register(event: Event, brings: dict[int, dict[str, set[int]]], rng: random.Random, share: float) -> None:
    from matchmaker.models import Organization

    skip = _walkthrough_org() if event.status == "published" else None
    for org_id in sorted(brings):
        if org_id == skip:
            continue
        org = db.session.get(Organization, org_id)
        assert org is not None
        ok = rng.random() < share
        db.session.add(
            EventRegistration(
                event_id=event.id,
                org_id=org_id,
                region=event.region,
                org_region=org.region,
                fields=list(org.fields or []),
                need_ids=sorted(brings[org_id]["need"]),
                output_ids=sorted(brings[org_id]["output"]),
                status="approved" if ok else "pending",
                unavailable_slots=[rng.randint(1, event.slot_count)] if rng.random() < 0.2 else [],
                checkin_code=secrets.token_hex(6),
                reviewed_at=event.published_at if ok else None,
            )
        )
    db.session.flush()


def _hold(event: Event, rng: random.Random) -> tuple[int, int]:
    """Plan the finished event's agenda and record how each meeting went; (meetings, agreements)."""
    regs = approved(event)
    best = candidate_matches(regs)
    solution = solve(build_problem(event, regs, best))
    held_at = datetime.combine(event.starts_on, time(12), CHINA)
    signed = 0
    for reg in regs:
        reg.checked_in_at = held_at if rng.random() < 0.92 else None
    for planned in solution.meetings:
        match, need_reg, output_reg = best[planned.pair]
        row = meeting_row(event, match, need_reg, output_reg, planned)
        roll = rng.random()
        row.outcome = (
            "no_show" if roll < 0.08 else "agreement" if roll > 0.85 else "intent" if roll > 0.5 else "held"
        )
        row.outcome_at = held_at
        if row.outcome == "agreement":
            row.amount = rng.choice((30, 50, 80, 120, 150, 200, 260))
            advance_match(match, "agreement", amount=row.amount, signed_on=event.starts_on, actor=SYSTEM)
            match.agreement_at = match.connected_at = held_at
            signed += 1
        elif row.outcome == "intent":
            advance_match(match, "intent", amount=None, signed_on=None, actor=SYSTEM)
            match.connected_at = held_at
        db.session.add(row)
    return len(solution.meetings), signed


def seed_events(now: datetime) -> str:
    """Create the two demo events unless they exist; a one-line Chinese summary."""
    today = now.astimezone(CHINA).date()
    if db.session.scalar(select(Event.id).where(Event.title == FINISHED)) is not None:
        return _restore_upcoming(today)
    rng = random.Random("matchmaker-demo-events")
    past = today - timedelta(days=30)
    done = _event(
        FINISHED, "matchmaking", past, "finished", finished_at=datetime.combine(past, time(17), CHINA)
    )
    _register(done, _pool(0, 10, 6), rng, share=1.0)
    meetings, signed = _hold(done, rng)
    coming = _event(UPCOMING, "university", today + timedelta(days=14), "published")
    _register(coming, _pool(0, 12, 8), rng, share=0.8)
    db.session.commit()
    waiting = len(list(db.session.scalars(select(EventRegistration.id).filter_by(event_id=coming.id))))
    return (
        f"对接活动：已结束的《{FINISHED}》（洽谈 {meetings} 场、现场签约 {signed} 项），"
        f"报名中的《{UPCOMING}》（已报名 {waiting} 家，可生成洽谈日程）。"
    )


def _restore_upcoming(today: date) -> str:
    """Keep one 高校专场 open for registration (the README's events walk-through starts there):
    when the walk-through took the demo's on to its day, write another round of it."""
    rounds = list(db.session.scalars(select(Event).where(Event.title.startswith(UPCOMING))))
    if any(e.status == "published" for e in rounds):
        return "对接活动：演示活动已存在。"
    rng = random.Random(f"matchmaker-demo-events-{len(rounds) + 1}")
    title = f"{UPCOMING}（第{len(rounds) + 1}场）"
    _register(_event(title, "university", today + timedelta(days=14), "published"), _pool(0, 12, 8), rng, 0.8)
    db.session.commit()
    return f"对接活动：演示活动已存在；已补充报名中的《{title}》。"
