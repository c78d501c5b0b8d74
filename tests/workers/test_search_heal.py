"""The search engine comes back empty: the scheduled heal rebuilds the index from the database and
re-ranks the listings matched against the empty index, without touching any listing's version."""

from __future__ import annotations

from matchmaker.extensions import db, search_backend
from matchmaker.models import Match, ResearchOutput
from search.indexer import database_versions
from tests.workers.helpers import make_outputs, need_run, publish_need
from workers.jobs.index import heal_search


def test_an_engine_back_empty_is_rebuilt_and_the_runs_it_starved_are_ranked_again(app, client, world):
    good, other = make_outputs(world)
    good_id, versions = good.id, {good.id: good.version, other.id: other.version}
    search_backend().clear()  # the engine restarted with nothing in it
    need_id = publish_need(client, world)
    starved = need_run(need_id)
    assert starved.finished_at is not None and starved.result["candidates"] == 0  # what it left behind
    result = heal_search()
    assert result["action"] == "rebuilt" and result["missing"] == 2 and result["reruns"] == 1
    assert search_backend().id_versions() == database_versions()
    assert Match.query.filter_by(need_id=need_id, output_id=good_id).count() == 1
    db.session.expire_all()
    assert {o.id: o.version for o in ResearchOutput.query} == versions  # no version or ETag changed
    assert heal_search() == {"action": "none"}
