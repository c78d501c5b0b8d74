"""Read-only queries about challenges shared by the stages and the cause loaders."""

from __future__ import annotations

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Challenge, ChallengeApplication
from matchmaker.models.challenges.lists import SUBMITTED_APPLICATION_STATUSES


def reviewed_applications(challenge: Challenge) -> list[ChallengeApplication]:
    """The challenge's applications that took part in the review, in submission order."""
    stmt = (
        select(ChallengeApplication)
        .where(
            ChallengeApplication.challenge_id == challenge.id,
            ChallengeApplication.status.in_(SUBMITTED_APPLICATION_STATUSES),
        )
        .order_by(ChallengeApplication.id)
    )
    return list(db.session.scalars(stmt).unique())
