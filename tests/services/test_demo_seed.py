"""`flask seed-demo`: realistic 淮安 demo data, idempotent, indexed, with working demo logins.

Seeding takes a couple of seconds, so one seeded database is shared by the whole module; the
tests only read it, except the second-run test, which must change nothing anyway.
"""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO
from types import SimpleNamespace

import click
import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from matchmaker import create_app
from matchmaker.extensions import db
from matchmaker.models import (
    Challenge,
    ChallengeApplication,
    ChallengeAward,
    Organization,
    OutboxEvent,
    ResearchOutput,
    ReviewAssignment,
    TechnologyNeed,
    User,
)
from matchmaker.models.challenges.lists import CHALLENGE_STATUSES
from matchmaker.models.common import utcnow
from matchmaker.models.listings import STATUSES
from matchmaker.schemas.listings import NeedCreate, OutputCreate
from matchmaker.taxonomy import regions, vocab
from matchmaker.taxonomy.validators import valid_email, valid_mobile, valid_uscc
from tooling.demo import DEMO_PASSWORD, demo_logins, seed
from tooling.demo.listings import build_needs, build_outputs
from tooling.demo.world import build_world

HUAIAN = "320800"
COUNTIES = {"320831", "320830", "320826", "320813", "320803", "320812"}
LOCAL_FIELDS = {
    "320831": ("instrument", "equipment.petroleum"),
    "320830": ("materials", "food", "agri"),
    "320826": ("fiber", "food"),
    "320813": ("chemical", "energy", "eco"),
}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """One app with the demo loaded once; its app context stays pushed for the module."""
    path = tmp_path_factory.mktemp("demo")
    app = create_app(
        {
            "ENV_NAME": "testing",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path / 'app.sqlite3'}",
            "SEARCH_LOCAL_PATH": str(path / "search.sqlite3"),
            "OUTBOX_DIR": str(path / "outbox"),
            "LOGIN_RATE_LIMIT": "1000 per minute",
        }
    )
    with app.app_context():
        db.create_all()
        summary = seed()
        yield SimpleNamespace(app=app, summary=summary)
        db.session.remove()
        db.engine.dispose()


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _listings(model) -> list:
    return list(db.session.scalars(select(model).order_by(model.id)))


def test_first_run_reports_counts_and_the_demo_logins(seeded):
    assert "演示数据已写入" in seeded.summary and "搜索索引：已同步" in seeded.summary
    assert DEMO_PASSWORD in seeded.summary and "仅供" in seeded.summary
    for login in demo_logins():
        assert login.email in seeded.summary and login.name in seeded.summary


def test_counts_meet_the_minimums(seeded):
    assert _count(Organization) >= 50
    region_of = select(Organization.region)
    firm_regions = set(db.session.scalars(region_of.where(Organization.kind == "enterprise")))
    assert len(firm_regions & COUNTIES) >= 3 and all(regions.within(HUAIAN, code) for code in firm_regions)
    labs = db.session.scalars(region_of.where(Organization.kind.in_(("university", "institute"))))
    assert {regions.city_of(code) for code in labs} == {"320100", HUAIAN}
    assert _count(TechnologyNeed) >= 200
    assert _count(ResearchOutput) >= 500


def test_every_organisation_has_a_valid_credit_code_and_local_industries(seeded):
    orgs = list(db.session.scalars(select(Organization)))
    assert all(valid_uscc(org.uscc) for org in orgs)
    for org in (o for o in orgs if o.kind == "enterprise"):
        assert (org.uscc or "").startswith("91" + org.region)
        assert all(field.startswith(LOCAL_FIELDS.get(org.region, ("",))) for field in org.fields), org.name
        for held in org.qualifications:
            assert held["code"] in vocab.QUALIFICATIONS and 1990 < held["year"] <= date.today().year
    assert sum(bool(o.qualifications) for o in orgs if o.kind == "enterprise") > 40


def test_staff_cover_every_county_and_the_city(seeded):
    scopes = set(db.session.scalars(select(User.region_scope).where(User.region_scope.is_not(None))))
    assert scopes == COUNTIES | {HUAIAN}
    staff = list(db.session.scalars(select(User).where(User.region_scope.is_not(None))))
    assert all(user.roles == ["staff"] for user in staff)
    admins = [user for user in db.session.scalars(select(User)) if "admin" in user.roles]
    assert len(admins) == 1


def test_every_workflow_state_is_present_and_consistent(seeded):
    today = date.today()
    for model, deadline in ((TechnologyNeed, "deadline"), (ResearchOutput, "valid_until")):
        rows = _listings(model)
        assert {row.status for row in rows} == set(STATUSES)
        assert sum(row.status == "published" for row in rows) > len(rows) / 2
        for row in rows:
            assert row.created_at <= row.updated_at <= utcnow()
            assert (row.reject_reason is not None) == (row.status == "rejected")
            assert (row.published_at is not None) == (row.status in ("published", "closed", "expired"))
            assert (row.submitted_at is None) == (row.status == "draft")
            assert (getattr(row, deadline) < today) == (row.status == "expired"), row.title
        published = [row.published_at for row in rows if row.published_at]
        assert max(published) - min(published) > timedelta(days=300)


def test_listings_read_naturally_and_pass_the_api_schemas(seeded):
    need_keys = set(NeedCreate().fields) - {"fields_"} | {"fields"}
    output_keys = set(OutputCreate().fields) - {"fields_"} | {"fields"}
    for model, schema, keys, text in (
        (TechnologyNeed, NeedCreate(), need_keys, "summary"),
        (ResearchOutput, OutputCreate(), output_keys, "abstract"),
    ):
        rows = _listings(model)
        assert len({row.title for row in rows}) == len(rows)
        for row in rows:
            data = {key: getattr(row, key) for key in keys}
            data = {k: v.isoformat() if isinstance(v, date) else v for k, v in data.items() if v is not None}
            data.update({k: float(data[k]) for k in ("budget_min", "budget_max", "price") if k in data})
            schema.load(data)
            assert valid_mobile(row.contact_phone) and valid_email(row.contact_email)
            assert row.contact_email.endswith((".example.com", ".example.org"))
            assert not any(mark in row.title + getattr(row, text) + row.detail for mark in "{}")
    ip = [item for row in _listings(ResearchOutput) for item in row.ip]
    patents = [item["number"] for item in ip if item["type"] == "invention"]
    assert patents and all(n.startswith("ZL20") and n[6] == "1" and n[-2] == "." for n in patents)


def test_every_listing_reaches_the_search_index(seeded):
    for model in (TechnologyNeed, ResearchOutput):
        versions = {row.id: row.version for row in db.session.execute(select(model.id, model.version))}
        events = db.session.scalars(select(OutboxEvent).where(OutboxEvent.kind == model.KIND)).all()
        assert {e.object_id: e.version for e in events} == versions
        assert all(e.op == "upsert" and e.topic == "search" and e.acked_at is not None for e in events)
    hits = seeded.app.test_client().get("/api/v1/search", query_string={"q": "凹凸棒石"}).json
    assert hits["total"] > 0


def test_a_second_run_changes_nothing_and_says_so(seeded):
    def snapshot():
        models = (Organization, User, TechnologyNeed, ResearchOutput, OutboxEvent, Challenge, ChallengeAward)
        return [(_count(m), db.session.scalar(select(func.max(m.id)))) for m in models]

    before = snapshot()
    summary = seed()
    assert snapshot() == before
    assert "未做任何更改" in summary and "新增" not in summary


def test_production_refuses_demo_data(seeded):
    seeded.app.config["ENV_NAME"] = "production"
    try:
        with pytest.raises(click.ClickException, match="生产环境"):
            seed()
    finally:
        seeded.app.config["ENV_NAME"] = "testing"


def test_demo_logins_sign_in_through_the_api(seeded):
    client = seeded.app.test_client()
    logins = demo_logins()
    roles = {login.email: login.role for login in logins}
    wanted = {"企业（金湖县）", "企业（盱眙县）", "科研人员", "平台管理员"}
    wanted |= {"科技局审核（金湖县）", "科技局审核（盱眙县）", "科技局审核（淮安市）"}
    assert wanted <= set(roles.values())
    for login in logins:
        r = client.post("/api/v1/auth/login", json={"login": login.email, "password": login.password})
        assert r.status_code == 200, (login.email, r.json)
        assert r.json["user"]["email"] == login.email and r.json["user"]["name"] == login.name
    wrong = client.post("/api/v1/auth/login", json={"login": logins[0].email, "password": "wrong-password"})
    assert wrong.status_code == 401
    jinhu = db.session.scalar(select(User).where(User.email == "qiye.jinhu@demo.matchmaker.cn"))
    assert jinhu is not None and jinhu.org is not None
    assert jinhu.org.region == "320831" and jinhu.roles == ["enterprise"]
    assert _count(TechnologyNeed, TechnologyNeed.owner_id == jinhu.id, TechnologyNeed.status == "draft") >= 1


def test_the_plan_does_not_depend_on_the_day_it_runs():
    today, later = utcnow(), utcnow() + timedelta(days=40)
    first, second = build_world(today), build_world(later)
    assert [o.row["uscc"] for o in first.orgs] == [o.row["uscc"] for o in second.orgs]
    assert [u.row["email"] for u in first.users] == [u.row["email"] for u in second.users]
    assert [n["title"] for n in build_needs(first, today)] == [n["title"] for n in build_needs(second, later)]
    assert [o["external_ref"] for o in build_outputs(first, today)] == [
        o["external_ref"] for o in build_outputs(second, later)
    ]


def test_the_demo_enterprise_sees_explained_matches_for_its_published_need(seeded):
    client = seeded.app.test_client()
    token = client.post(
        "/api/v1/auth/login", json={"login": "qiye.jinhu@demo.matchmaker.cn", "password": DEMO_PASSWORD}
    ).json["token"]
    headers = {"Authorization": f"Bearer {token}"}
    mine = client.get("/api/v1/needs?mine=true&status=published", headers=headers).json["items"]
    assert mine, "the featured enterprise should own a published need"
    page = client.get(f"/api/v1/needs/{mine[0]['id']}/matches", headers=headers).json
    assert page["total"] >= 1
    best = page["items"][0]
    assert best["explanation"] and best["output"]["org_id"] != mine[0]["org_id"]
    assert best["score"] >= page["items"][-1]["score"]


def test_the_demo_holds_a_challenge_at_every_stage(seeded):
    stages = set(db.session.scalars(select(Challenge.status)))
    assert stages == set(CHALLENGE_STATUSES) - {"cancelled"}
    assert "揭榜挂帅：新增榜单 8 个" in seeded.summary
    found = seeded.app.test_client().get("/api/v1/search", query_string={"type": "challenge"}).json
    published = db.session.scalar(select(Challenge).where(Challenge.status == "published"))
    assert [hit["id"] for hit in found["hits"]] == [published.id]


def test_demo_awards_follow_the_rules_of_their_challenge(seeded):
    for challenge in db.session.scalars(
        select(Challenge).where(Challenge.status.in_(("awarded", "finished")))
    ):
        awards = list(
            db.session.scalars(select(ChallengeAward).where(ChallengeAward.challenge_id == challenge.id))
        )
        assert len(awards) == challenge.max_winners
        for award in awards:
            amounts = [float(t.amount) for t in award.tranches]
            signing = sum(float(t.amount) for t in award.tranches if t.condition == "signing")
            assert sum(amounts) == pytest.approx(float(award.amount)) and signing >= 0.6 * float(award.amount)
            assert award.application.status == "awarded"
    finished = db.session.scalar(select(Challenge).where(Challenge.status == "finished"))
    outcomes = sorted(
        a.status
        for a in db.session.scalars(select(ChallengeAward).where(ChallengeAward.challenge_id == finished.id))
    )
    assert finished.mode == "race" and outcomes == ["accepted", "failed"]


def test_demo_reviewers_have_no_conflict_with_the_teams_they_review(seeded):
    assignments = list(db.session.scalars(select(ReviewAssignment)))
    assert assignments
    for assignment in assignments:
        expert_org = assignment.expert.org_id
        applications = db.session.scalars(
            select(ChallengeApplication).where(ChallengeApplication.challenge_id == assignment.challenge_id)
        )
        assert all(expert_org not in a.org_ids() for a in applications)
        assert expert_org != assignment.application.challenge.org_id


def test_every_transfer_list_of_jinhu_has_rows_and_xuyi_has_a_common_tech_need(seeded):
    client = seeded.app.test_client()

    def rows(local: str, kind: str) -> list[tuple]:
        login = {"login": f"{local}@demo.matchmaker.cn", "password": DEMO_PASSWORD}
        token = client.post("/api/v1/auth/login", json=login).json["token"]
        r = client.get(f"/api/v1/transfer-lists/{kind}", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 200, (kind, r.json)
        return list(load_workbook(BytesIO(r.data)).worksheets[0].iter_rows(values_only=True))[1:]

    for kind in ("needs", "talent-needs", "cooperation", "outputs", "common-tech"):
        assert rows("staff.jinhu", kind), kind
    assert {row[1] for row in rows("staff.jinhu", "common-tech")} == {"石油装备产业链"}
    assert {row[1] for row in rows("staff.xuyi", "common-tech")} == {"凹土新材料产业链"}
    assert "共性关键技术需求：已标记石油装备产业链 3 项、凹土新材料产业链 1 项。" in seeded.summary
