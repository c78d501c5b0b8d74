"""What the dashboard counts: each metric is a table, the timestamp that dates it, and what it sums.

Every figure is scoped by region (the listing's county, the match's, which is the need's county, or
the challenge's, which an award inherits)
and by a period of China-local calendar days (UTC+8, no daylight saving).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, and_, select

from matchmaker.models import (
    Challenge,
    ChallengeAward,
    Event,
    EventMeeting,
    EventRegistration,
    Match,
    ResearchOutput,
    TechnologyNeed,
)
from matchmaker.models.challenges.lists import CHALLENGE_PUBLIC_STATUSES
from matchmaker.models.common import CHINA
from matchmaker.models.listings import PUBLIC_STATUSES
from matchmaker.queries.scope import region_clause


@dataclass(frozen=True)
class Window:
    """The slice of data a figure covers: a region (None = everywhere) and inclusive local dates."""

    region: str | None = None
    start: date | None = None
    end: date | None = None

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """UTC instants of local midnight at the start and just after the end day."""
        low = datetime.combine(self.start, time(), CHINA).astimezone(UTC) if self.start else None
        high = (
            datetime.combine(self.end + timedelta(days=1), time(), CHINA).astimezone(UTC)
            if self.end
            else None
        )
        return low, high

    def conditions(self, stamp: Any, region: Any) -> list[Any]:
        """WHERE clauses: the stamp column inside the dates, the region column inside the region."""
        conds: list[Any] = []
        low, high = self.bounds()
        if low is not None:
            conds.append(stamp >= low)
        if high is not None:
            conds.append(stamp < high)
        if self.region:
            conds.append(region_clause(region, self.region))
        return conds


@dataclass(frozen=True)
class Metric:
    """A countable event: rows of `model` dated by `stamp`, in the region column, optionally summed."""

    key: str
    label: str
    model: Any
    stamp: Any
    region: Any
    amount: Any = None
    extra: tuple[Any, ...] = ()

    def conditions(self, window: Window) -> list[Any]:
        """WHERE clauses for this metric in the window."""
        return [self.stamp.isnot(None), *self.extra, *window.conditions(self.stamp, self.region)]

    def fields_column(self) -> Any:
        """The industry fields that classify a row (a match takes its need's, an award its challenge's)."""
        owner = FIELDS_FROM.get(self.model)
        return owner[0].fields if owner else self.model.fields

    def select_rows(self, window: Window, *columns: Any) -> Select:
        """SELECT the columns for every row of the metric in the window."""
        stmt = select(*columns).select_from(self.model).where(*self.conditions(window))
        owner = FIELDS_FROM.get(self.model)
        if owner and any(c is owner[0].fields for c in columns):
            stmt = stmt.join(owner[0], and_(owner[1]))
        return stmt


N, R, M, C, A = TechnologyNeed, ResearchOutput, Match, Challenge, ChallengeAward
_PUBLIC_N = (N.status.in_(PUBLIC_STATUSES),)
_PUBLIC_O = (R.status.in_(PUBLIC_STATUSES),)
_PUBLIC_C = (C.status.in_(CHALLENGE_PUBLIC_STATUSES),)
# Rows without industry fields of their own take them from another table.
FIELDS_FROM: dict[Any, tuple[Any, Any]] = {M: (N, N.id == M.need_id), A: (C, C.id == A.challenge_id)}

# Event results (对接活动), in the event's region; a meeting is dated by when its outcome was recorded.
# Agreements signed at events also advance their match, so "agreements" above already includes them.
E, ER, EM = Event, EventRegistration, EventMeeting
_HELD = (EM.status == "scheduled", EM.outcome.in_(("held", "intent", "agreement")))
_INTENT = (EM.status == "scheduled", EM.outcome.in_(("intent", "agreement")))
_SIGNED = (EM.status == "scheduled", EM.outcome == "agreement")
_EVENT_METRICS = (
    Metric("events_held", "举办对接活动（场）", E, E.finished_at, E.region, extra=(E.status == "finished",)),
    Metric("event_participants", "活动签到单位（家次）", ER, ER.checked_in_at, ER.region),
    Metric("event_meetings_held", "活动一对一洽谈（场）", EM, EM.outcome_at, EM.region, extra=_HELD),
    Metric("event_intents", "活动达成合作意向（项）", EM, EM.outcome_at, EM.region, extra=_INTENT),
    Metric("event_agreements", "其中：活动现场签约（项）", EM, EM.outcome_at, EM.region, extra=_SIGNED),
    Metric(
        "event_amount", "其中：活动签约金额（万元）", EM, EM.outcome_at, EM.region, EM.amount, extra=_SIGNED
    ),
)

METRICS: dict[str, Metric] = {
    m.key: m
    for m in (
        Metric("needs_collected", "征集技术需求（项）", N, N.submitted_at, N.region),
        Metric("needs_published", "发布技术需求（项）", N, N.published_at, N.region, extra=_PUBLIC_N),
        Metric("outputs_published", "发布科技成果（项）", R, R.published_at, R.region, extra=_PUBLIC_O),
        Metric("matches", "推荐匹配（对）", M, M.proposed_at, M.region),
        Metric("connections", "成功对接（对）", M, M.connected_at, M.region),
        Metric("agreements", "签订合作协议（项）", M, M.agreement_at, M.region),
        Metric("agreement_amount", "合作协议金额（万元）", M, M.agreement_at, M.region, M.agreement_amount),
        Metric("contracts", "登记技术合同（项）", M, M.contract_at, M.region),
        Metric("contract_amount", "技术合同成交额（万元）", M, M.contract_at, M.region, M.contract_amount),
        *_EVENT_METRICS,
        Metric("challenges_posted", "发布揭榜挂帅榜单（项）", C, C.published_at, C.region, extra=_PUBLIC_C),
        Metric("challenges_awarded", "揭榜挂帅成功揭榜（项）", A, A.confirmed_at, A.region),
        Metric("challenge_award_amount", "揭榜挂帅合同金额（万元）", A, A.confirmed_at, A.region, A.amount),
    )
}
