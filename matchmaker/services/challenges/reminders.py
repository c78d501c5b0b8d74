"""Reminders before due dates (到期提醒) of delivering awards: each milestone once, each award due date once.

A milestone is reminded once (``reminded_at``; moving its due date re-arms it). An award's due
date is reminded once per due date: the notification reference names the date, and deliveries are
unique per reference, so an approved extension brings one new reminder.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from matchmaker.announce import announce as notify
from matchmaker.extensions import db
from matchmaker.models import ChallengeAward, Delivery, DeliveryMilestone
from matchmaker.services.challenges.lists import now
from matchmaker.services.challenges.stages import local_today
from matchmaker.services.uow import unit_of_work

DEFAULT_DAYS = 7


def remind_due(*, days: int = DEFAULT_DAYS, today: date | None = None) -> dict[str, int]:
    """Notify teams and staff of milestones and award deadlines due within ``days``; counts sent."""
    today = today or local_today()
    horizon = today + timedelta(days=days)
    milestones = select(DeliveryMilestone).join(
        ChallengeAward, ChallengeAward.id == DeliveryMilestone.award_id
    )
    milestones = milestones.where(
        ChallengeAward.status == "delivering",
        DeliveryMilestone.status.in_(("pending", "rejected")),
        DeliveryMilestone.reminded_at.is_(None),
        DeliveryMilestone.due_date >= today,
        DeliveryMilestone.due_date <= horizon,
    )
    awards = select(ChallengeAward).where(
        ChallengeAward.status == "delivering",
        ChallengeAward.due_date >= today,
        ChallengeAward.due_date <= horizon,
    )
    counts = {"milestones": 0, "awards": 0}
    with unit_of_work() as uow:
        for milestone in db.session.scalars(milestones.order_by(DeliveryMilestone.id)):
            milestone.reminded_at = now()
            notify(uow, "challenge.milestone_due", f"milestone/{milestone.id}")
            counts["milestones"] += 1
        for award in db.session.scalars(awards.order_by(ChallengeAward.id)).unique():
            ref = f"award/{award.id}@{award.due_date}"
            if db.session.scalar(select(Delivery.id).where(Delivery.object_ref == ref).limit(1)):
                continue
            notify(uow, "challenge.award_due", ref)
            counts["awards"] += 1
    return counts
