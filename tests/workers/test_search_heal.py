"""The search engine comes back empty: the scheduled heal rebuilds the index from the database
without touching any listing's version. Matching ranks from the database's catalogue, so a run
made while the engine was empty still finds its candidates."""

from __future__ import annotations

from matchmaker.extensions import db, search_backend
from matchmaker.models import Match, ResearchOutput
from search.indexer import all_documents, database_versions
from tests.workers.helpers import make_outputs, need_run, publish_need
from workers.jobs.index import heal_search


def test_an_engine_back_empty_is_rebuilt_and_matching_did_not_depend_on_it(app, client, world):
    good, other = make_outputs(world)
    good_id, versions = good.id, {good.id: good.version, other.id: other.version}
    search_backend().clear()  # the engine restarted with nothing in it
    need_id = publish_need(client, world)
    run = need_run(need_id)
    assert run.finished_at is not None and run.result["candidates"] >= 1  # ranked without the engine
    result = heal_search()
    assert result["action"] == "rebuilt" and result["missing"] == 2 and result["reruns"] == 0
    assert search_backend().id_versions() == database_versions()
    assert Match.query.filter_by(need_id=need_id, output_id=good_id).count() == 1
    db.session.expire_all()
    assert {o.id: o.version for o in ResearchOutput.query} == versions  # no version or ETag changed
    assert heal_search() == {"action": "none"}


def _search(client):
    r = client.get("/api/v1/search", query_string={"q": "传感器"})
    assert r.status_code == 200
    assert r.headers["X-Search-Partial"] == str(r.json["partial"]).lower()
    return r.json


def test_search_and_readyz_say_partial_until_the_heal_has_rebuilt_the_index(app, client, world):
    good, _ = make_outputs(world)
    assert _search(client)["partial"] is False and client.get("/readyz").json["status"] == "ready"
    search_backend().clear()  # the engine restarted with nothing in it
    page = _search(client)
    assert page["partial"] is True and page["total"] == 0  # not passed off as "nothing matches"
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json["degraded"] == ["search"]  # the node stays in service
    assert ready.json["checks"]["search"] == "behind: index 0 of 2"
    assert heal_search()["action"] == "rebuilt"
    page = _search(client)
    assert page["partial"] is False and [hit["id"] for hit in page["hits"]] == [good.id]
    assert client.get("/readyz").json["checks"]["search"] == "ok"


def test_answers_during_a_rebuild_are_flagged_partial(app, client, world):
    make_outputs(world)
    seen = []

    def documents():
        yield from all_documents()
        seen.append((_search(client)["partial"], client.get("/readyz").json["checks"]["search"]))

    search_backend().rebuild(documents())
    assert seen == [(True, "rebuilding: index 2 of 2")]  # the old index answered, flagged
    assert _search(client)["partial"] is False
