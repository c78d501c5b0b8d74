"""科技副总 causes: the parties are asked to confirm, staff hear it is agreed, the province's status.

References: ``placement/<id>@v<version>`` (asked to confirm those terms), ``placement/<id>`` (agreed,
assessed), ``placement/<id>@<status>`` (recommended, approved, not_approved, declined). The parties
are the enterprise's members, the researcher and the research administrators of the researcher's unit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Placement, User
from matchmaker.models.placements import GRADES, PROVINCE_STATUS
from matchmaker.notifications.causes.builtin import link, org_users, ref_id, staff_in
from matchmaker.notifications.causes.registry import Cause, Event, register


def unit_admins(org_id: int) -> list[int]:
    """Active research administrators (单位科研管理员) of a unit."""
    stmt = select(User).where(User.org_id == org_id, User.is_active.is_(True)).order_by(User.id)
    return [u.id for u in db.session.scalars(stmt).unique() if u.has_role("unit_admin")]


def _context(placement: Placement) -> dict[str, Any]:
    return {
        "title": placement.title,
        "org_name": placement.org.name,
        "researcher": placement.researcher.name,
        "unit_name": placement.unit.name,
        "term": f"{placement.starts_on.isoformat()} 至 {placement.ends_on.isoformat()}",
        "days": placement.days_per_month,
        "pay": f"{float(placement.pay):g}",
        "grade": GRADES.get(placement.grade or "", ""),
        "note": placement.province_note,
        "comment": placement.review_comment,
        "link": link("placement", id=placement.id),
    }


def _everyone(placement: Placement) -> list[int]:
    ids = [*org_users([placement.org_id]), placement.researcher_id, *unit_admins(placement.unit_org_id)]
    return list(dict.fromkeys(ids))


def load_consent(ref: str, extra: Mapping[str, Any]) -> Event | None:
    """The parties that have not confirmed these terms yet (nobody once the terms changed again)."""
    placement = db.session.get(Placement, ref_id(ref))
    if (
        placement is None
        or placement.status != "consenting"
        or ref.partition("@")[2] != f"v{placement.version}"
    ):
        return None
    waiting: list[int] = []
    if placement.enterprise_confirmed_at is None:
        waiting += org_users([placement.org_id])
    if placement.researcher_confirmed_at is None:
        waiting.append(placement.researcher_id)
    if placement.unit_confirmed_at is None:
        waiting += unit_admins(placement.unit_org_id)
    return Event(recipients=list(dict.fromkeys(waiting)), context=_context(placement))


def load_agreed(ref: str, extra: Mapping[str, Any]) -> Event | None:
    """Staff of the enterprise's county (and the city) hear that a placement waits for their review."""
    placement = db.session.get(Placement, ref_id(ref))
    if placement is None:
        return None
    return Event(recipients=staff_in(placement.region), context=_context(placement))


def load_parties(ref: str, extra: Mapping[str, Any]) -> Event | None:
    """All three parties hear of the review, the province's decision or the assessment."""
    placement = db.session.get(Placement, ref_id(ref))
    if placement is None:
        return None
    stage = ref.partition("@")[2]
    context = _context(placement) | {"province_status": PROVINCE_STATUS.get(stage, "")}
    return Event(recipients=_everyone(placement), context=context)


def _cause(name: str, subject: str, lines: tuple[str, ...], sms: str, loader: Any) -> None:
    register(
        Cause(
            name=name,
            kind="placement",
            subject=subject,
            lines=lines,
            sms=sms,
            sms_params=("title",),
            loader=loader,
        )
    )


_cause(
    "placement.consent_requested",
    "【科技副总】请确认《{{ title }}》选派事项",
    ("{{ org_name }}拟聘请{{ unit_name }}{{ researcher }}担任科技副总，任期 {{ term }}，"
     "每月在企业服务 {{ days }} 天，工作报酬 {{ pay }} 万元/年。",
     "企业、科研人员本人和派出单位需分别确认，三方确认后由县（区）科技局审核推荐。请登录平台查看并确认。"),
    "《{{ title }}》科技副总选派待您确认，请登录平台查看。",
    load_consent,
)  # fmt: skip
_cause(
    "placement.agreed",
    "【科技副总待审核】{{ org_name }}—{{ researcher }}",
    (
        "{{ org_name }}与{{ unit_name }}{{ researcher }}的科技副总选派已经三方确认，"
        "请登录平台审核并推荐至省科技厅。",
    ),
    "《{{ title }}》科技副总选派已三方确认，请登录平台审核。",
    load_agreed,
)
_cause(
    "placement.province",
    "【科技副总】《{{ title }}》省级申报状态：{{ province_status }}",
    ("{{ org_name }}聘请{{ researcher }}担任科技副总的申报，省级状态已更新为“{{ province_status }}”。",
     "{% if note %}说明：{{ note }}{% endif %}"),
    "《{{ title }}》科技副总省级申报状态已更新，请登录平台查看。",
    load_parties,
)  # fmt: skip
_cause(
    "placement.declined",
    "【科技副总】《{{ title }}》未获推荐",
    ("县（区）科技局未推荐{{ org_name }}聘请{{ researcher }}担任科技副总的申报。", "原因：{{ comment }}"),
    "《{{ title }}》科技副总申报未获推荐，详情请登录平台查看。",
    load_parties,
)
_cause(
    "placement.assessed",
    "【科技副总】《{{ title }}》期满考核结果：{{ grade }}",
    ("{{ researcher }}在{{ org_name }}担任科技副总期满，考核结果为“{{ grade }}”。",),
    "《{{ title }}》科技副总期满考核结果已发布，请登录平台查看。",
    load_parties,
)
