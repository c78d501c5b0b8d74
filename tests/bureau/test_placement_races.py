"""科技副总 transitions under concurrency on PostgreSQL: sessions released together by a barrier, then
the invariant read back from the database (one agreement, one province decision), not from responses."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import func, select

from matchmaker import create_app
from matchmaker.extensions import db
from matchmaker.models import AnnouncedEvent, AuditLog, Placement
from tests import factories as f
from tests import servers
from tests.bureau.placement_helpers import URL, agree, file_placement, parties
from tests.conftest import world as world

pytestmark = pytest.mark.postgres
DB = "matchmaker_placements"


@pytest.fixture(scope="module")
def postgres() -> Iterator[servers.PostgresServer]:
    bindir = servers.find_postgres()
    if bindir is None:
        pytest.skip("PostgreSQL not installed (no /usr/lib/postgresql/*/bin/initdb)")
    server = servers.start_postgres(bindir)
    yield server
    server.stop()


@pytest.fixture
def app(postgres, tmp_path) -> Iterator[Any]:
    """The testing app on a fresh PostgreSQL database of its own."""
    admin = f"host=127.0.0.1 port={postgres.port} user={postgres.user} dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DB)))
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(DB)))
    app = create_app(
        {
            "ENV_NAME": "testing",
            "SQLALCHEMY_DATABASE_URI": f"postgresql+psycopg://{postgres.user}@127.0.0.1:{postgres.port}/{DB}",
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 10},
            "SEARCH_LOCAL_PATH": str(tmp_path / "search.sqlite3"),
            "OUTBOX_DIR": str(tmp_path / "outbox"),
        }
    )
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


def together(app: Any, calls: list[Callable[[Any], Any]]) -> list[Any]:
    """Each call with a client of its own, in threads released at once."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[Any], Any]) -> Any:
        c = app.test_client()
        barrier.wait(timeout=30)
        return call(c)

    with ThreadPoolExecutor(len(calls)) as pool:
        results = list(pool.map(run, calls))
    db.session.expire_all()
    db.session.rollback()
    return results


def _count(model: Any, **where: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model).filter_by(**where)) or 0


def test_three_parties_confirming_at_once_agree_the_placement_exactly_once(app, client, world):
    p = parties(world)
    for i in range(4):
        researcher = f.make_user(world.uni, ["researcher"], name=f"研究员{i}")
        pid = file_placement(client, world, p, researcher_id=researcher.id)["id"]
        url = f"{URL}/{pid}/confirm"
        confirmers = (world.h_alice, f.auth(researcher), p.h_uni_admin)
        codes = together(
            app, [lambda c, h=h, url=url: c.post(url, json={}, headers=h).status_code for h in confirmers]
        )
        assert codes == [200, 200, 200]
        row = db.session.get(Placement, pid)
        assert row.status == "agreed" and row.unit_confirmed_by == p.uni_admin.id
        assert _count(AnnouncedEvent, cause="placement.agreed", ref=f"placement/{pid}") == 1
        assert _count(AuditLog, action="confirm", object_type="placement", object_id=pid) == 3


def test_two_officers_recording_the_province_at_once_decide_it_once(app, client, world):
    p = parties(world)
    pid = file_placement(client, world, p)["id"]
    agree(client, world, p, pid)
    client.post(f"{URL}/{pid}/review", json={"decision": "recommend"}, headers=world.h_staff_jinhu)
    url = f"{URL}/{pid}/province"
    calls = [
        lambda c: c.post(url, json={"outcome": "approved"}, headers=world.h_staff_jinhu).status_code,
        lambda c: c.post(url, json={"outcome": "not_approved"}, headers=world.h_staff_city).status_code,
    ]
    codes = together(app, calls)
    assert sorted(codes) == [200, 409]
    row = db.session.get(Placement, pid)
    decided = [a for a in ("province_approved", "province_not_approved") if _count(AuditLog, action=a)]
    assert len(decided) == 1 and row.status == decided[0].removeprefix("province_")
    assert _count(AnnouncedEvent, cause="placement.province", ref=f"placement/{pid}@{row.status}") == 1
