"""Races closed in the database, tested as races: several sessions on PostgreSQL, released together by
a barrier, then the invariant counted on the database (not on the responses)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import (
    AnnouncedEvent,
    AuditLog,
    CommonTechMark,
    EventRegistration,
    Match,
    MatchRun,
    TechnologyNeed,
)
from tests import factories as f
from tests.events.conftest import add_match, create_event
from tests.imports.conftest import need_row, upload, xlsx_bytes

pytestmark = pytest.mark.postgres


@pytest.fixture
def app(pg_app):
    """Every test here runs on PostgreSQL."""
    return pg_app


def together(app: Any, calls: list[Callable[[Any], Any]]) -> list[Any]:
    """Run each call with a test client of its own, in threads released at once by a barrier."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[Any], Any]) -> Any:
        client = app.test_client()
        barrier.wait(timeout=30)
        return call(client)

    with ThreadPoolExecutor(len(calls)) as pool:
        results = list(pool.map(run, calls))
    db.session.expire_all()
    db.session.rollback()  # read what the threads committed
    return results


def count(stmt: Any) -> int:
    """A COUNT(*) over the statement's rows."""
    return db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


def audits(action: str, object_type: str, object_id: int) -> int:
    """Audit rows of one action on one object."""
    return count(select(AuditLog).filter_by(action=action, object_type=object_type, object_id=object_id))


def test_both_sides_pressing_interest_at_once_connect_the_match_exactly_once(app, world):
    output = f.make_output(world.uni, world.rita)
    matches = [
        add_match(f.make_need(world.ent_a, world.alice, title=f"需求{i}"), output, 0.9) for i in range(8)
    ]
    for match in matches:
        url = f"/api/v1/matches/{match.id}/interest"
        codes = together(
            app,
            [
                lambda c, url=url: c.post(url, headers=world.h_alice).status_code,
                lambda c, url=url: c.post(url, headers=world.h_rita).status_code,
            ],
        )
        assert codes == [200, 200]
    for match in matches:
        row = db.session.get(Match, match.id)
        assert (row.status, row.need_side, row.output_side) == ("connected", "interested", "interested")
        assert row.connected_at is not None
        assert audits("match_connect", "match", match.id) == 1
        connected = select(AnnouncedEvent).filter_by(cause="match.connected", ref=f"match/{match.id}")
        assert count(connected) == 1  # both sides are told once
    contacts = app.test_client().get(f"/api/v1/matches/{matches[0].id}/contacts", headers=world.h_alice)
    assert contacts.status_code == 200


def _enterprises(world: Any, n: int) -> list[tuple[dict[str, str], int]]:
    """n enterprises in 金湖, each with a user's auth header and the id of its published need."""
    found = []
    for i in range(n):
        org = f.make_org("enterprise", world.ent_a.region, f"金湖测试企业{i}")
        user = f.make_user(org, ["enterprise"])
        found.append((f.auth(user), f.make_need(org, user, title=f"企业{i}的技术需求").id))
    return found


def _registrations(event_id: int, *statuses: str) -> int:
    return count(
        select(EventRegistration).filter_by(event_id=event_id).where(EventRegistration.status.in_(statuses))
    )


def test_parallel_registrations_for_the_last_seats_never_overbook(app, client, world):
    event = create_event(client, world.h_staff_jinhu, capacity=5)
    firms = _enterprises(world, 12)
    url = f"/api/v1/events/{event['id']}/registrations"
    calls = [lambda c, h=h, n=n: c.post(url, json={"need_ids": [n]}, headers=h).status_code for h, n in firms]
    codes = together(app, calls)
    assert _registrations(event["id"], "pending", "approved") == 5
    assert sorted(codes) == [201] * 5 + [409] * 7


def test_parallel_approvals_never_exceed_the_capacity(app, client, world):
    event = create_event(client, world.h_staff_jinhu, capacity=10)
    url = f"/api/v1/events/{event['id']}/registrations"
    ids = [client.post(url, json={"need_ids": [n]}, headers=h).json["id"] for h, n in _enterprises(world, 8)]
    patch = client.patch(f"/api/v1/events/{event['id']}", json={"capacity": 5}, headers=world.h_staff_jinhu)
    assert patch.status_code == 200, patch.json
    staff = [world.h_staff_jinhu, world.h_staff_city]
    calls = [
        lambda c, i=i, rid=rid: c.post(f"{url}/{rid}/approve", headers=staff[i % 2]).status_code
        for i, rid in enumerate(ids)
    ]
    codes = together(app, calls)
    assert _registrations(event["id"], "approved") == 5
    assert sorted(codes) == [200] * 5 + [409] * 3


def test_the_same_file_uploaded_four_times_at_once_creates_each_row_once(app, world):
    rows = [need_row(world.ent_a.uscc, f"第{i}项：压力传感器温漂补偿技术攻关") for i in range(10)]
    content = xlsx_bytes(rows)
    reports = together(app, [lambda c: upload(c, world.h_staff_jinhu, content).json for _ in range(4)])
    needs = list(db.session.scalars(select(TechnologyNeed)))
    assert len(needs) == 10 and len({n.external_ref for n in needs}) == 10
    assert sum(r["created"] for r in reports) == 10
    assert all(r["created"] + r["duplicates"] == 10 for r in reports), reports
    assert count(select(MatchRun)) == 10  # one match run per listing, none for the copies refused


def test_two_staff_publishing_one_need_at_once_publish_it_once(app, client, world):
    needs = []
    for i in range(5):
        need = f.make_need(world.ent_a, world.alice, status="submitted", title=f"待审核需求{i}")
        needs.append((need.id, need.version))
    for need_id, _ in needs:
        url = f"/api/v1/needs/{need_id}/publish"
        codes = together(
            app,
            [
                lambda c, url=url: c.post(url, headers=world.h_staff_jinhu).status_code,
                lambda c, url=url: c.post(url, headers=world.h_staff_city).status_code,
            ],
        )
        assert sorted(codes) == [200, 409]
    for need_id, version in needs:
        assert db.session.get(TechnologyNeed, need_id).version == version + 1
        assert audits("publish", "need", need_id) == 1
        assert count(select(MatchRun).filter_by(kind="need", object_id=need_id)) == 1


def test_concurrent_edits_each_bump_the_version_once(app, client, world):
    need = f.make_need(world.ent_a, world.alice, title="并发修改的需求")
    start, url = need.version, f"/api/v1/needs/{need.id}"
    names = [f"联系人{i}" for i in range(6)]
    anyone = {**world.h_alice, "If-Match": "*"}  # each editor overwrites whatever version is there
    calls = [lambda c, n=n: c.patch(url, json={"contact_name": n}, headers=anyone).status_code for n in names]
    assert together(app, calls) == [200] * 6
    assert db.session.get(TechnologyNeed, need.id).version == start + 6
    assert audits("update", "need", need.id) == 6
    # the same If-Match from six editors: one edit wins, the others are told the need changed
    etag = f'"need-{need.id}-v{start + 6}"'
    headers = {**world.h_alice, "If-Match": etag}
    calls = [
        lambda c, n=n: c.patch(url, json={"contact_name": n + "乙"}, headers=headers).status_code
        for n in names
    ]
    assert sorted(together(app, calls)) == [200] + [412] * 5
    assert db.session.get(TechnologyNeed, need.id).version == start + 7


def test_two_officers_marking_one_need_at_once_leave_one_mark(app, client, world):
    for i in range(4):
        need = f.make_need(world.ent_a, world.alice, title=f"共性技术需求{i}")
        url = f"/api/v1/transfer-lists/common-tech/needs/{need.id}"
        codes = together(
            app,
            [
                lambda c, url=url: (
                    c.put(url, json={"chain": "石油装备"}, headers=world.h_staff_jinhu).status_code
                ),
                lambda c, url=url: (
                    c.put(url, json={"chain": "仪器仪表"}, headers=world.h_staff_city).status_code
                ),
            ],
        )
        assert codes == [200, 200]
        (mark,) = db.session.scalars(select(CommonTechMark).filter_by(need_id=need.id))
        last = db.session.scalars(
            select(AuditLog)
            .filter_by(action="common_tech_mark", object_id=need.id)
            .order_by(AuditLog.id.desc())
        ).first()
        assert audits("common_tech_mark", "need", need.id) == 2 and last.detail["chain"] == mark.chain


def test_two_officers_closing_one_window_at_once_close_it_once(app, client, world):
    from datetime import timedelta

    from matchmaker.models import Challenge
    from matchmaker.models.common import utcnow
    from tests.challenge_factories import make_challenge

    challenge = make_challenge(world.ent_a, world.alice, apply_closes_at=utcnow() + timedelta(days=14))
    cid, version = challenge.id, challenge.version
    url, body = f"/api/v1/challenges/{cid}/close", {"reason": "发榜企业确认申报团队已齐"}
    codes = together(
        app,
        [
            lambda c: c.post(url, json=body, headers=world.h_staff_jinhu).status_code,
            lambda c: c.post(url, json=body, headers=world.h_staff_city).status_code,
        ],
    )
    assert sorted(codes) == [200, 409]
    db.session.expire_all()
    closed = db.session.get(Challenge, cid)
    assert (closed.status, closed.version) == ("reviewing", version + 1)
    assert audits("close", "challenge", cid) == 1
