"""The dashboard's event figures are scoped like every other figure: two counties, different numbers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from matchmaker.extensions import db
from matchmaker.models import Event, EventMeeting, EventRegistration
from matchmaker.models.common import utcnow
from tests import factories as f
from tests.conftest import HUAIAN, JINHU, XUYI

EXPECTED = {
    JINHU: dict(events_held=1, event_participants=3, event_meetings_held=2, event_intents=2,
                event_agreements=1, event_amount=100),
    XUYI: dict(events_held=1, event_participants=4, event_meetings_held=3, event_intents=2,
               event_agreements=2, event_amount=120),
}  # fmt: skip


def _event(region: str, *, finished: bool, checked_in: int, outcomes: list[tuple[str | None, float | None]]):
    now = utcnow()
    event = Event(
        title=f"{region}产学研对接会", type="matchmaking", fields=["instrument"], region=region, capacity=50,
        starts_on=date.today(), ends_on=date.today(), registration_opens_at=now - timedelta(days=9),
        registration_closes_at=now - timedelta(days=1), status="finished" if finished else "ongoing",
        published_at=now, finished_at=now if finished else None,
    )  # fmt: skip
    db.session.add(event)
    db.session.flush()
    regs = []
    for i in range(max(checked_in, len(outcomes) + 1)):
        org = f.make_org("enterprise", region, f"{region}参会单位{i}")
        reg = EventRegistration(
            event_id=event.id, org_id=org.id, region=region, org_region=region, fields=["instrument"],
            status="approved", checkin_code=f"{event.id}-{i:04d}",
            checked_in_at=now if i < checked_in else None,
        )  # fmt: skip
        db.session.add(reg)
        db.session.flush()
        regs.append(reg)
    for i, (outcome, amount) in enumerate(outcomes):
        db.session.add(
            EventMeeting(
                event_id=event.id,
                need_reg_id=regs[0].id,
                output_reg_id=regs[i + 1].id,
                region=region,
                fields=["instrument.sensor"],
                score=0.5,
                slot=i + 1,
                table_no=1,
                outcome=outcome,
                amount=amount,
                outcome_at=now if outcome else None,
            )
        )
    db.session.commit()


@pytest.fixture
def events_data(world):
    """Jinhu: one finished event. Xuyi: one finished, one still running that has not been held."""
    _event(JINHU, finished=True, checked_in=3, outcomes=[("intent", None), ("agreement", 100), (None, None)])
    _event(XUYI, finished=True, checked_in=4,
           outcomes=[("no_show", None), ("held", None), ("agreement", 50), ("agreement", 70)])  # fmt: skip
    _event(XUYI, finished=False, checked_in=0, outcomes=[])
    return world


def _summary(client, headers, **params):
    response = client.get("/api/v1/dashboard/summary", headers=headers, query_string=params)
    assert response.status_code == 200, response.json
    return response.json


@pytest.mark.parametrize(("who", "county"), [("staff_jinhu", JINHU), ("staff_xuyi", XUYI)])
def test_county_officers_see_their_own_event_results(client, events_data, who, county):
    data = _summary(client, getattr(events_data, f"h_{who}"))
    assert {key: data[key] for key in EXPECTED[county]} == EXPECTED[county]


def test_city_sees_the_sum_and_breakdowns_split_it(client, events_data):
    w = events_data
    city = _summary(client, w.h_staff_city)
    for key in EXPECTED[JINHU]:
        assert city[key] == EXPECTED[JINHU][key] + EXPECTED[XUYI][key], key
    assert _summary(client, w.h_staff_city, region=XUYI)["event_amount"] == 120
    assert client.get("/api/v1/dashboard/summary?region=320830", headers=w.h_staff_jinhu).status_code == 403
    rows = client.get("/api/v1/dashboard/breakdown?by=county", headers=w.h_staff_city).json["rows"]
    by_key = {row["key"]: row for row in rows}
    assert by_key[JINHU]["event_meetings_held"] == 2 and by_key[XUYI]["event_agreements"] == 2
    fields = client.get("/api/v1/dashboard/breakdown?by=field", headers=w.h_staff_jinhu).json["rows"]
    assert {row["key"]: row["event_amount"] for row in fields}["instrument"] == 100
    series = client.get("/api/v1/dashboard/timeseries?metric=event_amount", headers=w.h_staff_xuyi).json
    assert sum(point["value"] for point in series["points"]) == 120
    assert city["region"] == HUAIAN
