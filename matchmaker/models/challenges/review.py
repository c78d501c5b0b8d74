"""Expert review of challenge applications, and objections raised during 公示.

- ``ExpertProfile``: a user in the expert pool (role ``expert``) with fields and specialties; the
  institution is the user's organisation.
- ``ReviewAssignment``: staff assign an expert to an application; conflicts of interest are refused
  or, for softer ones, flagged and recorded with the staff member's reason; the expert scores each
  weighted criterion of the challenge and comments.
- ``Objection``: an objection (异议) to the proposed winners during the 公示 window and how it was
  handled.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.extensions import db
from matchmaker.models.challenges.lists import ChallengeApplication
from matchmaker.models.common import UTCDateTime, utcnow
from matchmaker.models.users import User

ASSIGNMENT_STATUSES = ("assigned", "submitted", "declined")
OBJECTION_STATUSES = ("open", "upheld", "dismissed")


class ExpertProfile(db.Model):  # type: ignore[name-defined]
    """An expert in the review pool (专家库): fields, specialties and whether they take assignments."""

    __tablename__ = "expert_profiles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    fields: Mapped[list] = mapped_column(JSON, default=list)
    specialties: Mapped[str] = mapped_column(String(500), default="")
    title: Mapped[str] = mapped_column(String(50), default="")  # 职称, e.g. 教授、正高级工程师
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")


class ReviewAssignment(db.Model):  # type: ignore[name-defined]
    """One expert reviewing one application: per-criterion scores, comments and the weighted total."""

    __tablename__ = "challenge_review_assignments"
    __table_args__ = (UniqueConstraint("application_id", "expert_id", name="uq_review_assignment"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("challenge_applications.id", ondelete="CASCADE"), index=True
    )
    expert_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(10), default="assigned", index=True)
    # Soft conflicts the staff member accepted: [{"code": str, "message": str}] plus the reason given.
    conflict_flags: Mapped[list] = mapped_column(JSON, default=list)
    override_reason: Mapped[str | None] = mapped_column(String(500))
    scores: Mapped[dict] = mapped_column(JSON, default=dict)  # criterion code -> 0..100
    comments: Mapped[dict] = mapped_column(JSON, default=dict)  # criterion code -> text
    overall_comment: Mapped[str] = mapped_column(Text, default="")
    total: Mapped[float | None] = mapped_column(Numeric(7, 3))  # weighted by the challenge's criteria
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    application: Mapped[ChallengeApplication] = relationship(lazy="joined")
    expert: Mapped[User] = relationship(foreign_keys=[expert_id], lazy="joined")


class Objection(db.Model):  # type: ignore[name-defined]
    """An objection (异议) during 公示, with how it was handled."""

    __tablename__ = "challenge_objections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("challenge_applications.id"))
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    contact_name: Mapped[str] = mapped_column(String(50), default="")
    contact_phone: Mapped[str] = mapped_column(String(20), default="")
    content: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    handling_note: Mapped[str | None] = mapped_column(Text)
    handled_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


def weighted_total(scores: dict[str, float], criteria: list[dict]) -> float | None:
    """The weighted average of per-criterion scores (None until every criterion is scored)."""
    weights = {c["code"]: float(c["weight"]) for c in criteria}
    if not weights or any(code not in scores for code in weights):
        return None
    total_weight = sum(weights.values())
    if total_weight <= 0:
        return None
    return round(sum(float(scores[c]) * w for c, w in weights.items()) / total_weight, 3)
