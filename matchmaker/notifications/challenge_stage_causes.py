"""Causes of the later challenge stages (kind ``challenge``): review, 公示, award (挂帅) and delivery.

References name the object (``assignment/3``, ``objection/5``, ``milestone/9``...); where the same
object can be notified again for a new step, the reference carries a suffix after ``@`` (a time
stamp or a due date), so each step is delivered once. Experts in blind review hear only the
challenge's title and the application's label, never the applicant's name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import (
    Challenge,
    ChallengeApplication,
    ChallengeAward,
    DeliveryMilestone,
    ExtensionRequest,
    Objection,
    PaymentTranche,
    ProgressReport,
    ReviewAssignment,
    User,
)
from matchmaker.notifications.builtin import link, org_users
from matchmaker.notifications.causes import Cause, Event, register
from matchmaker.taxonomy import regions

Loader = Callable[[str, Mapping[str, Any]], Event | None]


def _id(ref: str) -> int:
    return int(ref.partition("/")[2].partition("@")[0])


def staff_users(region: str) -> list[int]:
    """Active staff whose region scope covers the region."""
    stmt = select(User).where(User.is_active.is_(True)).order_by(User.id)
    return [
        u.id
        for u in db.session.scalars(stmt).unique()
        if u.has_role("staff") and u.region_scope and regions.within(u.region_scope, region)
    ]


def team_users(application: ChallengeApplication) -> list[int]:
    """Members of the lead unit and of every consortium member on the platform."""
    return org_users(sorted(application.org_ids()))


def _base(challenge: Challenge) -> dict[str, Any]:
    return {"title": challenge.title, "link": link(f"/challenges/{challenge.id}")}


def _teams(challenge: Challenge) -> list[ChallengeApplication]:
    stmt = select(ChallengeApplication).where(
        ChallengeApplication.challenge_id == challenge.id,
        ChallengeApplication.status.in_(("submitted", "shortlisted", "proposed", "awarded", "not_selected")),
    )
    return list(db.session.scalars(stmt).unique())


def _by_team(challenge: Challenge, label_of: Callable[[ChallengeApplication], str]) -> Event:
    """Every applicant team hears its own outcome; the posting unit hears the list."""
    teams = _teams(challenge)
    outcome = {uid: label_of(a) for a in teams for uid in team_users(a)}
    winners = "、".join(a.lead_org.name for a in teams if a.status in ("proposed", "awarded"))
    poster = org_users([challenge.org_id])

    def per_user(user: User) -> dict[str, Any]:
        """The reader's own team's outcome, or the winners for the posting unit."""
        return {"outcome": outcome.get(user.id) or f"揭榜团队：{winners}"}

    return Event(recipients=sorted(set(outcome) | set(poster)), context=_base(challenge), per_user=per_user)


def load_assignment(ref: str, extra: Mapping[str, Any]) -> Event | None:
    """The assigned expert (blind-safe context)."""
    assignment = db.session.get(ReviewAssignment, _id(ref))
    if assignment is None:
        return None
    challenge = assignment.application.challenge
    return Event(recipients=[assignment.expert_id], context=_base(challenge))


def load_assignment_for_staff(ref: str, extra: Mapping[str, Any]) -> Event | None:
    """Staff in scope hear that an expert submitted or declined."""
    assignment = db.session.get(ReviewAssignment, _id(ref))
    if assignment is None:
        return None
    challenge = assignment.application.challenge
    context = {**_base(challenge), "expert": assignment.expert.name}
    return Event(recipients=staff_users(challenge.region), context=context)


def load_publicity(ref: str, extra: Mapping[str, Any]) -> Event | None:
    """Applicant teams (proposed or not) and the posting unit hear that 公示 has started."""
    challenge = db.session.get(Challenge, _id(ref))
    if challenge is None or challenge.status != "publicity":
        return None
    ends = challenge.publicity_ends_at.date().isoformat() if challenge.publicity_ends_at else ""
    event = _by_team(
        challenge,
        lambda a: (
            "您单位被确定为拟揭榜团队，现予公示" if a.status == "proposed" else "您单位未进入拟揭榜名单"
        ),
    )
    event.context["ends"] = ends
    return event


def load_awarded(ref: str, extra: Mapping[str, Any]) -> Event | None:
    """Winners hear they lead the challenge (挂帅); the others that they were not selected."""
    challenge = db.session.get(Challenge, _id(ref))
    if challenge is None or challenge.status not in ("awarded", "finished"):
        return None
    return _by_team(challenge, lambda a: "您单位成功揭榜挂帅" if a.status == "awarded" else "您单位未被选定")


def load_objection_filed(ref: str, extra: Mapping[str, Any]) -> Event | None:
    """Staff in scope hear of a new objection."""
    objection = db.session.get(Objection, _id(ref))
    challenge = db.session.get(Challenge, objection.challenge_id) if objection else None
    if objection is None or challenge is None:
        return None
    return Event(recipients=staff_users(challenge.region), context=_base(challenge))


def load_objection_handled(ref: str, extra: Mapping[str, Any]) -> Event | None:
    """The person who objected hears how it was handled."""
    objection = db.session.get(Objection, _id(ref))
    challenge = db.session.get(Challenge, objection.challenge_id) if objection else None
    if objection is None or challenge is None or objection.submitted_by is None:
        return None
    decision = "异议成立" if objection.status == "upheld" else "异议不成立"
    context = {**_base(challenge), "decision": decision, "note": objection.handling_note or ""}
    return Event(recipients=[objection.submitted_by], context=context)


def _award_event(award: ChallengeAward | None, *, team: bool, staff: bool, poster: bool, **extra: Any):
    if award is None:
        return None
    recipients: set[int] = set()
    if team:
        recipients |= set(team_users(award.application))
    if staff:
        recipients |= set(staff_users(award.region))
    if poster:
        recipients |= set(org_users([award.challenge.org_id]))
    context = {**_base(award.challenge), "team": award.application.lead_org.name, **extra}
    context["link"] = link(f"/challenge-awards/{award.id}")
    return Event(recipients=sorted(recipients), context=context)


def _milestone(ref: str) -> DeliveryMilestone | None:
    return db.session.get(DeliveryMilestone, _id(ref))


def _award(award_id: int | None) -> ChallengeAward | None:
    return db.session.get(ChallengeAward, award_id) if award_id is not None else None


DECISIONS = {
    "accepted": "通过",
    "rejected": "未获批准",
    "approved": "已批准",
    "pass": "通过",
    "rectify": "限期整改",
    "fail": "不通过",
    "failed": "未通过（容错）",
    "terminated": "终止",
}
MODELS: dict[str, Any] = {
    "milestone": DeliveryMilestone,
    "report": ProgressReport,
    "extension": ExtensionRequest,
    "tranche": PaymentTranche,
    "award": ChallengeAward,
}


def _detail(row: Any) -> dict[str, Any]:
    """What the messages say about the object: its title, due date and decision."""
    state = row.verdict if isinstance(row, ProgressReport) else getattr(row, "status", None)
    return {
        "item": getattr(row, "title", ""),
        "due": str(getattr(row, "due_date", None) or getattr(row, "requested_until", None) or ""),
        "decision": DECISIONS.get(state or "", "已处理"),
        "amount": str(getattr(row, "amount", "") or ""),
    }


def loader_for(kind: str, *, team: bool = False, staff: bool = False, poster: bool = False) -> Loader:
    """A loader for a delivery object (milestone, report, extension, tranche, award) and who hears it."""

    def load(ref: str, extra: Mapping[str, Any]) -> Event | None:
        """Resolve the object to its award and address the chosen parties."""
        row = db.session.get(MODELS[kind], _id(ref))
        if row is None:
            return None
        award = row if isinstance(row, ChallengeAward) else _award(row.award_id)
        return _award_event(award, team=team, staff=staff, poster=poster, **_detail(row))

    return load


def _register(name: str, subject: str, lines: tuple[str, ...], sms: str, loader: Loader) -> None:
    register(
        Cause(
            name=name,
            kind="challenge",
            subject=subject,
            lines=lines,
            sms=sms,
            sms_params=("title",),
            loader=loader,
        )
    )


_register(
    "challenge.review_assigned",
    "【评审任务】请评审揭榜挂帅榜单《{{ title }}》的申请",
    ("您被邀请评审揭榜挂帅榜单《{{ title }}》的一份揭榜申请。", "请登录平台查看申请材料并按评审指标打分。"),
    "您有新的揭榜挂帅评审任务《{{ title }}》，请登录平台评审。",
    load_assignment,
)
_register(
    "challenge.review_submitted",
    "【评审进展】专家已提交《{{ title }}》的评审意见",
    ("专家{{ expert }}已提交揭榜挂帅榜单《{{ title }}》的一份评审意见。",),
    "《{{ title }}》有专家提交了评审意见。",
    load_assignment_for_staff,
)
_register(
    "challenge.review_declined",
    "【评审进展】专家谢绝了《{{ title }}》的评审任务",
    ("专家{{ expert }}谢绝了揭榜挂帅榜单《{{ title }}》的一项评审任务，请另行分配。",),
    "《{{ title }}》有专家谢绝评审，请另行分配。",
    load_assignment_for_staff,
)
_register(
    "challenge.publicity",
    "【结果公示】揭榜挂帅榜单《{{ title }}》拟揭榜团队公示",
    (
        "揭榜挂帅榜单《{{ title }}》的评审已结束：{{ outcome }}。",
        "公示期至 {{ ends }}，如有异议请在公示期内提出。",
    ),
    "揭榜挂帅榜单《{{ title }}》拟揭榜团队已公示，请登录平台查看。",
    load_publicity,
)
_register(
    "challenge.objection_filed",
    "【异议】揭榜挂帅榜单《{{ title }}》收到公示异议",
    ("揭榜挂帅榜单《{{ title }}》在公示期内收到一条异议，请及时核查处理。",),
    "《{{ title }}》收到公示异议，请及时处理。",
    load_objection_filed,
)
_register(
    "challenge.objection_handled",
    "【异议处理】您对《{{ title }}》提出的异议已处理",
    ("您对揭榜挂帅榜单《{{ title }}》公示结果提出的异议已处理：{{ decision }}。", "处理意见：{{ note }}"),
    "您对《{{ title }}》提出的异议已处理，请登录平台查看。",
    load_objection_handled,
)
_register(
    "challenge.awarded",
    "【揭榜结果】揭榜挂帅榜单《{{ title }}》结果已确定",
    ("揭榜挂帅榜单《{{ title }}》的揭榜结果已确定：{{ outcome }}。",),
    "揭榜挂帅榜单《{{ title }}》结果已确定，请登录平台查看。",
    load_awarded,
)
_register(
    "challenge.progress_reported",
    "【项目进展】《{{ title }}》揭榜团队提交了进展报告",
    ("揭榜团队{{ team }}提交了《{{ title }}》的进展报告。",),
    "《{{ title }}》揭榜团队提交了进展报告。",
    loader_for("report", staff=True, poster=True),
)
_register(
    "challenge.milestone_submitted",
    "【节点成果】《{{ title }}》节点“{{ item }}”已提交",
    ("揭榜团队{{ team }}提交了《{{ title }}》节点“{{ item }}”的成果，请组织审核。",),
    "《{{ title }}》有节点成果待审核。",
    loader_for("milestone", staff=True, poster=True),
)
_register(
    "challenge.milestone_decided",
    "【节点审核】《{{ title }}》节点“{{ item }}”审核结果：{{ decision }}",
    ("您提交的《{{ title }}》节点“{{ item }}”成果审核结果：{{ decision }}。",),
    "《{{ title }}》节点成果已审核，请登录平台查看。",
    loader_for("milestone", team=True),
)
_register(
    "challenge.midterm_checked",
    "【中期检查】《{{ title }}》中期检查结论：{{ decision }}",
    ("《{{ title }}》中期检查结论：{{ decision }}。",),
    "《{{ title }}》中期检查结论已出，请登录平台查看。",
    loader_for("report", team=True, poster=True),
)
_register(
    "challenge.extension_requested",
    "【延期申请】《{{ title }}》揭榜团队申请延期至 {{ due }}",
    ("揭榜团队{{ team }}申请将《{{ title }}》的完成期限延至 {{ due }}，请审批。",),
    "《{{ title }}》揭榜团队提交了延期申请，请审批。",
    loader_for("extension", staff=True),
)
_register(
    "challenge.extension_decided",
    "【延期审批】《{{ title }}》延期申请{{ decision }}",
    ("您对《{{ title }}》提出的延期申请（至 {{ due }}）审批结果：{{ decision }}。",),
    "《{{ title }}》延期申请已审批，请登录平台查看。",
    loader_for("extension", team=True, poster=True),
)
_register(
    "challenge.tranche_paid",
    "【经费拨付】《{{ title }}》一期经费 {{ amount }} 万元已拨付",
    ("揭榜挂帅项目《{{ title }}》一期经费 {{ amount }} 万元已拨付，请注意查收。",),
    "《{{ title }}》一期经费已拨付，请注意查收。",
    loader_for("tranche", team=True),
)
_register(
    "challenge.acceptance_recorded",
    "【项目验收】《{{ title }}》验收结论：{{ decision }}",
    ("揭榜挂帅项目《{{ title }}》（揭榜团队：{{ team }}）验收结论：{{ decision }}。",),
    "《{{ title }}》验收结论已出，请登录平台查看。",
    loader_for("award", team=True, poster=True),
)
_register(
    "challenge.milestone_due",
    "【到期提醒】《{{ title }}》节点“{{ item }}”将于 {{ due }} 到期",
    (
        "揭榜挂帅项目《{{ title }}》（揭榜团队：{{ team }}）节点“{{ item }}”将于 {{ due }} 到期，"
        "请按期提交成果。",
    ),
    "《{{ title }}》节点将于近期到期，请按期提交成果。",
    loader_for("milestone", team=True, staff=True),
)
_register(
    "challenge.award_due",
    "【到期提醒】《{{ title }}》将于 {{ due }} 到期",
    ("揭榜挂帅项目《{{ title }}》（揭榜团队：{{ team }}）完成期限为 {{ due }}，请做好验收准备。",),
    "《{{ title }}》完成期限临近，请做好验收准备。",
    loader_for("award", team=True, staff=True),
)
