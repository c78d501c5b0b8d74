"""The index never drifts from the database: outbox through an engine outage, drift check and repair.

Runs the app's own write path (services, outbox, drain) against both engines: the embedded FTS5
file and the Elasticsearch backend over HTTP against a real osmem-server that is stopped mid-way.
"""

from __future__ import annotations

import itertools

import pytest
from click.testing import CliRunner

from matchmaker import create_app
from matchmaker.auth.actor import Actor
from matchmaker.extensions import db, search_backend
from matchmaker.models import OutboxEvent
from matchmaker.services.listings import workflow as listings
from search import coverage, indexer
from tests import factories as f
from tests.integration.conftest import osmem  # noqa: F401  the session's real osmem-server

_prefixes = itertools.count(1)
NEED = {
    "title": "压力传感器温漂补偿技术攻关",
    "summary": "寻求压力传感器高低温温漂补偿算法与工艺改进方案。",
    "fields": ["instrument.sensor"],
    "keywords": ["传感器"],
    "need_type": "key_technology",
}


@pytest.fixture(params=["local", "elasticsearch"])
def engine_app(request, tmp_path):
    """An app on a fresh database with either engine; yields (app, outage context or None)."""
    config = {
        "ENV_NAME": "testing",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'app.sqlite3'}",
        "SEARCH_LOCAL_PATH": str(tmp_path / "search.sqlite3"),
    }
    outage = None
    if request.param == "elasticsearch":
        server = request.getfixturevalue("osmem")
        config.update(
            SEARCH_BACKEND="elasticsearch",
            ELASTICSEARCH_URL=server.url,
            SEARCH_REFRESH="1",
            ELASTICSEARCH_COMPAT_HEADERS="0",
            ELASTICSEARCH_TIMEOUT=2.0,
            SEARCH_INDEX_PREFIX=f"sync{next(_prefixes)}-",
        )
        outage = server.outage
    app = create_app(config)
    with app.app_context():
        db.create_all()
        search_backend().ensure_index()
        yield app, outage
        search_backend().close()
        db.session.remove()
        db.engine.dispose()


def _owner():
    org = f.make_org("enterprise", "320831")
    return Actor(user=f.make_user(org, ["enterprise"]), request_id="test")


def _indexed_ids() -> set[str]:
    return set(search_backend().id_versions())


def _write_needs(actor, count: int) -> list[int]:
    return [
        listings.create_listing("need", actor=actor, data={**NEED, "title": f"{NEED['title']}{i}"}).id
        for i in range(count)
    ]


def test_every_write_reaches_the_index_through_the_outbox(engine_app):
    actor = _owner()
    ids = _write_needs(actor, 3)
    title = {"title": "动力电池热管理系统优化"}
    listings.update_listing("need", ids[0], actor=actor, data=title, if_match="*")
    listings.delete_listing("need", ids[1], actor=actor)
    assert indexer.pending_count() == 0
    assert _indexed_ids() == {f"need-{ids[0]}", f"need-{ids[2]}"}
    assert indexer.check(search_backend()).clean


@pytest.mark.parametrize("engine_app", ["elasticsearch"], indirect=True)  # the embedded engine is a file
def test_an_engine_outage_loses_nothing(engine_app):
    _app, outage = engine_app
    actor = _owner()
    before = _write_needs(actor, 2)
    with outage():
        during = _write_needs(actor, 2)  # users keep writing while the engine is down
        listings.delete_listing("need", before[0], actor=actor)
        assert indexer.pending_count() >= 3
        rows = db.session.query(OutboxEvent).filter(OutboxEvent.acked_at.is_(None)).all()
        assert all(row.attempts >= 1 and "unavailable" in (row.last_error or "") for row in rows)
    # the engine came back empty: the drain replays the outbox, the repair restores the rest
    indexer.drain(search_backend())
    assert indexer.pending_count() == 0
    drift = indexer.check(search_backend())
    assert f"need-{before[1]}" in drift.missing  # lost with the engine's memory, found by the check
    assert indexer.repair(search_backend(), drift).clean
    assert _indexed_ids() == {f"need-{before[1]}", *(f"need-{i}" for i in during)}


def test_check_reports_drift_and_the_cli_repairs_it(engine_app):
    app, _ = engine_app
    actor = _owner()
    ids = _write_needs(actor, 2)
    search_backend().clear()  # the index lost everything (a restore from an old snapshot, say)
    indexer.repair(search_backend(), indexer.Drift(missing=[f"need-{ids[1]}"]))  # all but one came back
    search_backend().bulk_upsert([_ghost()])  # and it holds one the database never had
    runner = CliRunner()
    result = runner.invoke(app.cli, ["search", "check"], catch_exceptions=False)
    assert result.exit_code == 1 and "缺失 1，多余 1" in result.output
    result = runner.invoke(app.cli, ["search", "check", "--repair"], catch_exceptions=False)
    assert result.exit_code == 0 and "已修复" in result.output
    assert _indexed_ids() == {f"need-{i}" for i in ids}


def test_reindex_swaps_in_a_full_new_index(engine_app):
    app, _ = engine_app
    actor = _owner()
    ids = _write_needs(actor, 3)
    result = CliRunner().invoke(app.cli, ["search", "reindex"], catch_exceptions=False)
    assert result.exit_code == 0 and "3 条" in result.output
    assert _indexed_ids() == {f"need-{i}" for i in ids}
    assert indexer.check(search_backend()).clean


def _ghost() -> dict:
    from search.documents import listing_document

    return listing_document({
        "kind": "need", "id": 9999, "version": 1, "status": "published", "org_id": 1, "org_name": "幽灵公司",
        "region": "320831", "fields": [], "keywords": [], "modes": [], "maturity": None, "trl": None,
        "budget_min": None, "budget_max": None, "title": "不存在的需求", "summary": "数据库里没有这条",
        "created_at": "2026-01-01T00:00:00", "published_at": None, "deadline": None,
    })  # fmt: skip


def test_a_deleted_listings_id_is_never_reused(engine_app):
    actor = _owner()
    first = _write_needs(actor, 1)[0]
    listings.delete_listing("need", first, actor=actor)  # leaves a tombstone in the index
    second = _write_needs(actor, 1)[0]
    assert second != first  # a reused id would lose against the tombstone's version
    assert _indexed_ids() == {f"need-{second}"}


def test_repair_changes_no_version_or_etag_even_against_a_newer_tombstone(engine_app):
    app, _ = engine_app
    actor = _owner()
    ids = _write_needs(actor, 2)
    client, headers = app.test_client(), f.auth(actor.user)
    etags = {i: client.get(f"/api/v1/needs/{i}", headers=headers).headers["ETag"] for i in ids}
    search_backend().clear()  # the engine lost everything ...
    search_backend().bulk_delete([(f"need-{ids[0]}", 50)])  # ... and holds a tombstone newer than the row
    drift = indexer.check(search_backend())
    assert drift.missing == sorted(f"need-{i}" for i in ids)
    assert indexer.repair(search_backend(), drift).clean
    assert search_backend().id_versions() == indexer.database_versions()
    assert {i: client.get(f"/api/v1/needs/{i}", headers=headers).headers["ETag"] for i in ids} == etags


def test_coverage_sees_an_engine_back_empty_and_a_rebuild_running(engine_app):
    _write_needs(_owner(), 2)
    assert coverage.measure(search_backend()) == coverage.Coverage(2, 2, 0, rebuilding=False)
    search_backend().clear()  # back empty
    assert coverage.measure(search_backend()).describe() == "behind: index 0 of 2"
    seen = []

    def documents():
        yield from indexer.all_documents()
        seen.append(coverage.measure(search_backend()))

    search_backend().rebuild(documents())
    assert [c.describe() for c in seen] == ["rebuilding: index 0 of 2"]
    assert not coverage.measure(search_backend()).partial


# Only the Elasticsearch backend stores vectors: on the embedded engine matching's catalogue does
# exact kNN itself, so there is nothing to put in the engine.
@pytest.mark.parametrize("engine_app", ["elasticsearch"], indirect=True)
def test_the_index_job_puts_each_listing_embedding_in_the_engine(engine_app):
    from workers.jobs.index import embed_listings

    _app, _outage = engine_app
    backend = search_backend()
    need = f.make_need(f.make_org("enterprise", "320831"), title="压力传感器温漂补偿技术攻关")
    f.index_listings(need)  # indexed at once, embedded later by the index job
    assert backend.nearest("need", [1.0] * 64, 5) == []
    assert embed_listings(rematch=False) == 1
    assert [i for i, _ in backend.nearest("need", [1.0] * 64, 5)] == [need.id]
    indexer.rebuild(backend)  # a rebuild writes the vectors with the documents
    assert [i for i, _ in backend.nearest("need", [1.0] * 64, 5)] == [need.id]
