"""Shared fixtures: a fresh app and database per test, a client, and a two-county world of users."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import event

from matchmaker import create_app
from matchmaker.extensions import db
from tests import factories as f
from workers.enqueue import wait_background

JINHU, XUYI, HUAIAN, NANJING_XUANWU = "320831", "320830", "320800", "320102"


@pytest.fixture
def app(tmp_path):
    """A testing app on a fresh SQLite file and a fresh embedded search index."""
    app = create_app(
        {
            "ENV_NAME": "testing",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'app.sqlite3'}",
            "SEARCH_LOCAL_PATH": str(tmp_path / "search.sqlite3"),
            "OUTBOX_DIR": str(tmp_path / "outbox"),
            "IMPORTS_DIR": str(tmp_path / "imports"),
            "FILINGS_DIR": str(tmp_path / "filings"),
        }
    )
    with app.app_context():
        _fast_sqlite(db.engine)
        db.create_all()
        yield app
        wait_background()  # jobs an import started in the background finish before the files go
        db.session.remove()
        db.engine.dispose()


def _fast_sqlite(engine) -> None:
    """Tests need no durability: skip fsync on every commit (about 40% of the API suite's time)."""

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA journal_mode=MEMORY")
        cursor.close()


@pytest.fixture
def client(app):
    """The Flask test client."""
    return app.test_client()


@pytest.fixture
def world(app):
    """Two enterprises in two counties of 淮安, a university, county and city staff, an admin."""
    ent_a = f.make_org("enterprise", JINHU, "金湖仪表科技有限公司")
    ent_b = f.make_org("enterprise", XUYI, "盱眙新材料股份有限公司")
    uni = f.make_org("university", NANJING_XUANWU, "东南理工大学")
    bureau = f.make_org("bureau", HUAIAN, "淮安市科学技术局")
    w = SimpleNamespace(ent_a=ent_a, ent_b=ent_b, uni=uni, bureau=bureau)
    w.alice = f.make_user(ent_a, ["enterprise"], name="张敏")
    w.bob = f.make_user(ent_b, ["enterprise"], name="李强")
    w.rita = f.make_user(uni, ["researcher", "expert"], name="陈教授")
    w.staff_jinhu = f.make_user(bureau, ["staff"], region_scope=JINHU, name="金湖县科技局 王科长")
    w.staff_xuyi = f.make_user(bureau, ["staff"], region_scope=XUYI, name="盱眙县科技局 赵科长")
    w.staff_city = f.make_user(bureau, ["staff"], region_scope=HUAIAN, name="淮安市科技局 周处长")
    w.admin = f.make_user(None, ["admin"], name="平台管理员")
    for key in ("alice", "bob", "rita", "staff_jinhu", "staff_xuyi", "staff_city", "admin"):
        setattr(w, f"h_{key}", f.auth(getattr(w, key)))
    return w
