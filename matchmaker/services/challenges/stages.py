"""Shared helpers of the later challenge stages (评审、公示、挂帅、实施): access-checked loading, dates.

Reads by someone who may not see an object are 404 (as for listings); actions by someone who may
see it but not decide are 403.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from matchmaker.auth import policy
from matchmaker.auth.actor import Actor
from matchmaker.errors import Conflict, Forbidden, NotFound, ValidationFailed
from matchmaker.extensions import db
from matchmaker.models import Challenge, ChallengeApplication, ChallengeAward
from matchmaker.models.challenges.lists import SUBMITTED_APPLICATION_STATUSES
from matchmaker.models.common import CHINA
from matchmaker.queries.challenges import reviewed_applications  # noqa: F401  re-exported for the stages
from matchmaker.services.challenges.lists import load_challenge, now


def decide_challenge(challenge_id: int, *, actor: Actor, action: str = "执行此操作") -> Challenge:
    """The challenge for a staff decision: 404 when invisible, 403 for anyone but staff in scope."""
    challenge = load_challenge(challenge_id, actor=actor)
    if not policy.can_review_challenge(actor, challenge):
        raise Forbidden(f"只有榜单所在地区的科技局工作人员可以{action}")
    return challenge


def staff_read_challenge(challenge_id: int, *, actor: Actor) -> Challenge:
    """The challenge for a staff-only read: anyone else (staff out of scope too) gets 404."""
    challenge = db.session.get(Challenge, challenge_id)
    if challenge is None or not policy.can_review_challenge(actor, challenge):
        raise NotFound("未找到该榜单")
    return challenge


def require_status(challenge: Challenge, *statuses: str, message: str) -> None:
    """409 with the message unless the challenge is in one of the statuses."""
    if challenge.status not in statuses:
        raise Conflict(message)


def application_of(challenge: Challenge, application_id: int, *, field: str = "application_id"):
    """An application of this challenge that took part in the review (422 on the field otherwise)."""
    application = db.session.get(ChallengeApplication, application_id)
    if (
        application is None
        or application.challenge_id != challenge.id
        or application.status not in SUBMITTED_APPLICATION_STATUSES
    ):
        raise ValidationFailed(errors={field: [f"申请 {application_id} 不是该榜单已提交的申请"]})
    return application


def load_award(award_id: int, *, actor: Actor) -> ChallengeAward:
    """The award if the actor may see it (404 otherwise)."""
    award = db.session.get(ChallengeAward, award_id)
    # the winning team, the posting unit, staff in scope and admins: those who may see its application
    if award is None or not policy.can_see_application(actor, award.application):
        raise NotFound("未找到该揭榜项目")
    return award


def decide_award(award_id: int, *, actor: Actor, action: str) -> ChallengeAward:
    """The award for a staff decision (403 for those who may only look)."""
    award = load_award(award_id, actor=actor)
    if not policy.can_review_challenge(actor, award.challenge):
        raise Forbidden(f"只有榜单所在地区的科技局工作人员可以{action}")
    return award


def team_award(award_id: int, *, actor: Actor, action: str) -> ChallengeAward:
    """The award for the winning team's own step (403 for the poster and staff)."""
    award = load_award(award_id, actor=actor)
    if not policy.is_applicant(actor, award.application):
        raise Forbidden(f"只有揭榜团队可以{action}")
    return award


def require_delivering(award: ChallengeAward) -> None:
    """409 once the award is closed (accepted, failed or terminated)."""
    if award.status != "delivering":
        raise Conflict("该项目已结题，不能再执行此操作")


def local_today() -> date:
    """Today in China (deadlines and due dates are Beijing dates)."""
    return now().astimezone(CHINA).date()


def end_of_local_day(day: date) -> datetime:
    """23:59:59 Beijing time of the day, as an aware UTC datetime."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=CHINA).astimezone(UTC)


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days (Monday to Friday) after ``start``."""
    current, left = start, days
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later (clamped to the month's last day)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise ValueError("unreachable")
