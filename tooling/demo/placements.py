"""Demo 科技副总 in 金湖 and 盱眙 at every stage: in office (立项), assessed 优秀, 未立项, recommended
(推荐) and still collecting confirmations; plus the research administrators (单位科研管理员) of
淮阴工学院 and 东南大学 who consent for their units. Rows are written directly (the demo's history is
not news). Idempotent: skipped once any placement exists. 陆春燕 (keyan) is left free for the README.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from matchmaker.auth.passwords import hash_password
from matchmaker.extensions import db
from matchmaker.models import Organization, Placement, PlacementReport, User

DOMAIN = "demo.matchmaker.cn"
JINHU, XUYI = "320831", "320830"
ADMINS = {  # unit -> (login, name, title)
    "淮阴工学院": ("kejichu.hyit", "孙晓梅", "科技处副处长"),
    "东南大学": ("kejichu.seu", "王立新", "科研院成果转化办公室主任"),
}
DUTIES = (
    "牵头企业{topic}方向的技术攻关，帮助企业梳理技术需求、制定研发计划；"
    "每季度为企业研发人员开展一次专题培训，协助企业申报科技项目和知识产权。"
)
REPORT = (
    "本年度在企业累计服务 {days} 天，围绕{topic}开展技术指导，协助完成新产品试制 1 项，"
    "组织研发人员培训 4 次，共同申报发明专利 1 项，并促成企业与所在单位签订技术开发合同。"
)


def _user(local: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == f"{local}@{DOMAIN}"))


def _unit_admin(unit: Organization, password_hash: str) -> None:
    local, name, title = ADMINS[unit.name]
    if _user(local) is None:
        db.session.add(
            User(
                org_id=unit.id,
                name=name,
                email=f"{local}@{DOMAIN}",
                password_hash=password_hash,
                roles=["unit_admin"],
                title=title,
            )
        )


def _researchers(unit: Organization, skip: set[int]) -> list[User]:
    stmt = select(User).where(User.org_id == unit.id).order_by(User.id)
    return [u for u in db.session.scalars(stmt).unique() if u.has_role("researcher") and u.id not in skip]


def _firms(region: str, first: User | None) -> list[Organization]:
    stmt = select(Organization).filter_by(kind="enterprise", region=region).order_by(Organization.id)
    firms = list(db.session.scalars(stmt))
    lead = [o for o in firms if first is not None and o.id == first.org_id]
    return lead + [o for o in firms if o not in lead]


def _placement(
    firm: Organization, researcher: User, start: date, years: int, now: datetime, **kw: Any
) -> Placement:
    member = db.session.scalar(select(User).where(User.org_id == firm.id).order_by(User.id))
    staff = _user("staff.jinhu" if firm.region == JINHU else "staff.xuyi")
    filed = now - timedelta(days=max(30, (now.date() - start).days + 40))
    row = Placement(
        org_id=firm.id,
        region=firm.region,
        researcher_id=researcher.id,
        unit_org_id=researcher.org_id,
        title=f"{firm.name}科技副总",
        fields=list(firm.fields or [])[:2],
        duties=DUTIES.format(topic="关键工艺"),
        starts_on=start,
        ends_on=start + timedelta(days=365 * years - 1),
        days_per_month=4,
        pay=6 + 2 * years,
        version=1,
        created_by=staff.id if staff else researcher.id,
        created_at=filed,
        enterprise_confirmed_by=member.id if member else None,
        enterprise_confirmed_at=filed + timedelta(days=2),
        researcher_confirmed_at=filed + timedelta(days=3),
        **kw,
    )
    return row


def _decided(row: Placement, staff: User, city: User, at: datetime, outcome: str) -> None:
    unit = db.session.get(Organization, row.unit_org_id)
    admin = _user(ADMINS[unit.name][0]) if unit is not None else None
    row.unit_confirmed_at = row.created_at + timedelta(days=5)
    row.unit_confirmed_by = admin.id if admin is not None else None
    row.recommended_by, row.recommended_at = staff.id, row.created_at + timedelta(days=10)
    row.status = outcome
    if outcome in ("approved", "not_approved", "assessed"):
        row.province_decided_by, row.province_decided_at = city.id, at
        row.province_note = (
            "苏科人〔2025〕68号" if outcome != "not_approved" else "本批次名额已满，建议下一批次申报"
        )


def _reports(row: Placement, now: datetime, years: int) -> None:
    for year in range(1, years + 1):
        at = now - timedelta(days=365 * (years - year) + 20)
        row.reports.append(
            PlacementReport(
                year=year,
                summary=REPORT.format(days=48 + 3 * year, topic="产品关键工艺"),
                days_on_site=48 + 3 * year,
                results="申报发明专利 1 项；新产品试制 1 项",
                submitted_at=at,
                countersigned_by=row.enterprise_confirmed_by,
                countersigned_at=at + timedelta(days=5),
                enterprise_comment="服务认真，解决了生产中的实际难题，同意。",
            )
        )


def seed_placements(now: datetime) -> str:
    """The demo placements unless any exist; a one-line Chinese summary."""
    if db.session.scalar(select(Placement.id).limit(1)) is not None:
        return "科技副总：演示数据已存在。"
    units = {o.name: o for o in db.session.scalars(select(Organization).where(Organization.name.in_(ADMINS)))}
    staff, xuyi_staff, keyan = _user("staff.jinhu"), _user("staff.xuyi"), _user("keyan")
    city_staff = _user("staff.city")
    if len(units) != 2 or staff is None or xuyi_staff is None or city_staff is None or keyan is None:
        return "科技副总：未找到演示单位或账号，跳过。"
    digest = hash_password("Demo@2026")
    for unit in units.values():
        _unit_admin(unit, digest)
    db.session.flush()
    hyit = _researchers(units["淮阴工学院"], {keyan.id})
    seu = _researchers(units["东南大学"], set())  # seu[0] is 黄伟 (keyan.nanjing)
    jinhu, xuyi = _firms(JINHU, _user("qiye.jinhu")), _firms(XUYI, _user("qiye.xuyi"))
    today = now.date()
    active = _placement(jinhu[0], seu[0], today - timedelta(days=400), 2, now)
    _decided(active, staff, city_staff, now - timedelta(days=420), "approved")
    _reports(active, now, 1)
    done = _placement(jinhu[1], hyit[0], today - timedelta(days=750), 2, now, grade="excellent")
    _decided(done, staff, city_staff, now - timedelta(days=760), "assessed")
    _reports(done, now, 2)
    done.assessed_by, done.assessed_at = staff.id, now - timedelta(days=10)
    done.assessment_comment = "任期内帮助企业突破关键工艺，新增发明专利 2 项，考核优秀。"
    refused = _placement(jinhu[2], seu[1], today - timedelta(days=60), 1, now)
    _decided(refused, staff, city_staff, now - timedelta(days=30), "not_approved")
    waiting = _placement(xuyi[0], hyit[1], today + timedelta(days=15), 2, now)
    _decided(waiting, xuyi_staff, city_staff, now, "recommended")
    asking = _placement(xuyi[1], seu[2], today + timedelta(days=30), 1, now, status="consenting")
    db.session.add_all([active, done, refused, waiting, asking])
    db.session.commit()
    return (
        "科技副总：金湖县 3 项（在岗 1 项、期满考核优秀 1 项、未立项 1 项）、"
        "盱眙县 2 项（已推荐至省 1 项、三方确认中 1 项）。"
    )
