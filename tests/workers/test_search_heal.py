"""The search engine comes back empty: the scheduled heal rebuilds the index from the database
without touching any listing's version. Matching ranks from the database's catalogue, so a run
made while the engine was empty still finds its candidates."""

from __future__ import annotations

from matchmaker.extensions import db, search_backend
from matchmaker.models import Match, ResearchOutput
from search.indexer import database_versions
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
