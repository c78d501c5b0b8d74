"""创新券 budget under concurrent approvals on PostgreSQL: officers issuing at once never overspend.

Eight staff sessions approve eight applications of 30 万元 each against a 100 万元 batch, released
together by a barrier; the invariant is read back from the database, not from the responses.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from matchmaker import create_app
from matchmaker.auth.actor import Actor
from matchmaker.errors import Conflict
from matchmaker.extensions import db
from matchmaker.models import Organization, User, Voucher, VoucherBatch
from matchmaker.services.contracts import vouchers

APPLICANTS = 8


@pytest.fixture
def pg_app(postgres_server, tmp_path) -> Iterator:
    """An app on a fresh database of its own on the session's PostgreSQL server."""
    name = "matchmaker_vouchers"
    admin = f"host=127.0.0.1 port={postgres_server.port} user={postgres_server.user} dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name)))
    app = create_app(
        {
            "ENV_NAME": "testing",
            "SQLALCHEMY_DATABASE_URI": f"postgresql+psycopg://{postgres_server.user}@127.0.0.1:{postgres_server.port}/{name}",
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": APPLICANTS + 2},
            "SEARCH_LOCAL_PATH": str(tmp_path / "search.sqlite3"),
            "OUTBOX_DIR": str(tmp_path / "outbox"),
        }
    )
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _seed() -> tuple[int, list[int], int]:
    """A 100 万元 batch, eight applications of 30 万元, and a city officer."""
    bureau = Organization(kind="bureau", name="淮安市科学技术局", region="320800", fields=[])
    db.session.add(bureau)
    db.session.flush()
    staff = User(org_id=bureau.id, name="葛磊", email="city@example.com", password_hash="x", roles=["staff"])
    staff.region_scope = "320800"
    batch = VoucherBatch(
        year=2026, name="2026年度创新券", region="320800", budget=100, committed=0, paid_out=0,
        max_amount=30, qualifications=[], valid_until=date.today() + timedelta(days=90), status="open",
    )  # fmt: skip
    db.session.add_all([staff, batch])
    db.session.flush()
    ids = []
    for i in range(APPLICANTS):
        org = Organization(kind="enterprise", name=f"金湖企业{i}", region="320831", fields=[])
        db.session.add(org)
        db.session.flush()
        voucher = Voucher(
            batch_id=batch.id, org_id=org.id, region=org.region, requested_amount=30, status="applied"
        )
        db.session.add(voucher)
        db.session.flush()
        ids.append(voucher.id)
    db.session.commit()
    return batch.id, ids, staff.id


@pytest.mark.postgres
def test_concurrent_approvals_never_overspend_the_budget(pg_app):
    with pg_app.app_context():
        batch_id, voucher_ids, staff_id = _seed()
    barrier = threading.Barrier(APPLICANTS)
    outcomes: list[str] = []

    def approve(voucher_id: int) -> None:
        with pg_app.app_context():
            actor = Actor(user=db.session.get(User, staff_id), request_id="race")
            vouchers.load_voucher(voucher_id, actor=actor)  # warm the session before the start line
            barrier.wait()
            try:
                vouchers.issue(voucher_id, actor=actor, amount=Decimal(30))
                outcomes.append("issued")
            except Conflict:
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=approve, args=(vid,)) for vid in voucher_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    with pg_app.app_context():
        batch = db.session.get(VoucherBatch, batch_id)
        issued = db.session.scalar(
            select(func.coalesce(func.sum(Voucher.amount), 0)).where(Voucher.status == "issued")
        )
        count = db.session.scalar(select(func.count()).where(Voucher.status == "issued"))
        assert (
            batch.committed == issued == Decimal(90) and count == 3
        )  # 3 × 30 fit in 100; a fourth would not
        assert batch.committed <= batch.budget
    assert sorted(outcomes) == ["issued"] * 3 + ["refused"] * (APPLICANTS - 3)


@pytest.mark.postgres
def test_the_database_refuses_an_overspending_write(pg_app):
    with pg_app.app_context():
        batch_id, _, _ = _seed()
        with pytest.raises(IntegrityError):
            db.session.execute(
                text("UPDATE voucher_batches SET committed = 101 WHERE id = :id"), {"id": batch_id}
            )
        db.session.rollback()
        assert db.session.get(VoucherBatch, batch_id).committed == 0
