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
    CooperationFiling,
    Event,
    EventMeeting,
    EventRegistration,
    Match,
    Organization,
    Placement,
    ResearchOutput,
    SubsidyItem,
    TechContract,
    TechnologyNeed,
    Voucher,
)
from matchmaker.models.challenges.lists import CHALLENGE_PUBLIC_STATUSES
from matchmaker.models.common import CHINA
from matchmaker.models.contracts.register import PLATFORM_SOURCES
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
    kind: Any = None  # the column `breakdown?by=type` groups by (contract metrics only)

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

# The contract register (技术合同登记台账), dated by registration: 吸纳 counts a contract in the
# buyer's county, 输出 in the seller's; "platform" is the part that came through a match or 揭榜挂帅.
T = TechContract
_VIA_PLATFORM = (T.source.in_(PLATFORM_SOURCES),)
_CONTRACT_METRICS = (
    Metric("contracts", "吸纳技术合同（项）", T, T.registered_at, T.buyer_region, kind=T.contract_type),
    Metric(
        "contract_amount", "吸纳技术合同成交额（万元）", T, T.registered_at, T.buyer_region, T.amount,
        kind=T.contract_type,
    ),
    Metric(
        "contracts_exported", "输出技术合同（项）", T, T.registered_at, T.seller_region, kind=T.contract_type
    ),
    Metric(
        "contract_amount_exported", "输出技术合同成交额（万元）", T, T.registered_at, T.seller_region,
        T.amount, kind=T.contract_type,
    ),
    Metric(
        "contract_amount_platform", "其中：平台促成吸纳成交额（万元）", T, T.registered_at, T.buyer_region,
        T.amount, extra=_VIA_PLATFORM, kind=T.contract_type,
    ),
)  # fmt: skip

# 创新券, in the enterprise's county: issued (face value, by issue date) and redeemed (payout);
# classified by the enterprise's fields.
V = Voucher
FIELDS_FROM[V] = (Organization, Organization.id == V.org_id)
_ISSUED = (V.status.in_(("issued", "claimed", "redeemed", "expired")),)
_VOUCHER_METRICS = (
    Metric("vouchers_issued", "发放创新券（张）", V, V.issued_at, V.region, extra=_ISSUED),
    Metric(
        "voucher_amount_issued", "发放创新券金额（万元）", V, V.issued_at, V.region, V.amount, extra=_ISSUED
    ),
    Metric("vouchers_redeemed", "兑现创新券（张）", V, V.redeemed_at, V.region),
    Metric("voucher_amount_redeemed", "兑现创新券金额（万元）", V, V.redeemed_at, V.region, V.payout_amount),
)

# 产学研 filings (by approval) and 奖补 (by the round's approval), in the enterprise's county.
CF, SI = CooperationFiling, SubsidyItem
FIELDS_FROM[CF] = (Organization, Organization.id == CF.org_id)
FIELDS_FROM[SI] = (Organization, Organization.id == SI.org_id)
_APPROVED = (CF.status == "approved",)
_FUNDING_METRICS = (
    Metric("filings_approved", "产学研合作项目备案（项）", CF, CF.decided_at, CF.region, extra=_APPROVED),
    Metric("filing_amount", "备案合作金额（万元）", CF, CF.decided_at, CF.region, CF.amount, extra=_APPROVED),
    Metric("subsidy_projects", "获奖补项目（项）", SI, SI.approved_at, SI.region, extra=(SI.amount > 0,)),
    Metric("subsidy_amount", "审定奖补资金（万元）", SI, SI.approved_at, SI.region, SI.amount),
)

# 科技副总, in the enterprise's county: recommended to the province (by recommendation) and 立项
# (by the province's decision; an assessed placement was approved first).
P = Placement
_APPROVED_P = (P.status.in_(("approved", "assessed")),)
_PLACEMENT_METRICS = (
    Metric("placements_recommended", "推荐省科技副总（人）", P, P.recommended_at, P.region),
    Metric(
        "placements_approved", "获批省科技副总（人）", P, P.province_decided_at, P.region, extra=_APPROVED_P
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
        *_CONTRACT_METRICS,
        *_FUNDING_METRICS,
        *_VOUCHER_METRICS,
        *_EVENT_METRICS,
        *_PLACEMENT_METRICS,
        Metric("challenges_posted", "发布揭榜挂帅榜单（项）", C, C.published_at, C.region, extra=_PUBLIC_C),
        Metric("challenges_awarded", "揭榜挂帅成功揭榜（项）", A, A.confirmed_at, A.region),
        Metric("challenge_award_amount", "揭榜挂帅合同金额（万元）", A, A.confirmed_at, A.region, A.amount),
    )
}
