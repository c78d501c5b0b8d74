"""相似推荐 through the engine's vector field (osmem-server over HTTP), and through the database
while the engine is down."""

from __future__ import annotations

import itertools

import pytest

from matchmaker import create_app
from matchmaker.auth.actor import Actor
from matchmaker.extensions import db, search_backend
from matchmaker.models import ListingEmbedding
from matchmaker.services.listings.similar import similar_listings
from search import vectors
from tests import factories as f
from tests.integration.conftest import osmem  # noqa: F401  the session's real osmem-server
from workers.jobs.index import embed_listings

pytestmark = pytest.mark.es
_prefixes = itertools.count(1)


@pytest.fixture
def es_app(osmem, tmp_path):  # noqa: F811
    app = create_app(
        {
            "ENV_NAME": "testing",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'app.sqlite3'}",
            "SEARCH_BACKEND": "elasticsearch",
            "ELASTICSEARCH_URL": osmem.url,
            "SEARCH_REFRESH": "1",
            "ELASTICSEARCH_COMPAT_HEADERS": "0",
            "ELASTICSEARCH_TIMEOUT": 2.0,
            "SEARCH_INDEX_PREFIX": f"similar{next(_prefixes)}-",
        }
    )
    with app.app_context():
        db.create_all()
        search_backend().ensure_index()
        yield app, osmem.outage
        search_backend().close()
        db.session.remove()
        db.engine.dispose()


def test_neighbours_come_from_the_engine_and_from_the_database_while_it_is_down(es_app):
    _app, outage = es_app
    assert search_backend().vector_flavour == vectors.KNN
    uni = f.make_org("university", "320100")
    rita = f.make_user(uni, ["researcher"])
    sensor = f.make_output(uni, rita, title="MEMS 压力传感器温度漂移数字补偿方法")
    close = f.make_output(
        uni, rita, title="压力传感器温度补偿电路与标定方法", abstract="压力传感器温度补偿电路与标定流程。"
    )
    far = f.make_output(uni, rita, title="盱眙龙虾冷链保鲜工艺", abstract="一种小龙虾冷链保鲜与杀菌工艺。")
    db.session.commit()
    f.index_listings(sensor, close, far)
    assert embed_listings() == 3  # stored with the listings and written into the engine's field
    anyone = Actor(user=None, request_id="t")
    found, embedded = similar_listings("output", sensor.id, actor=anyone, limit=5)
    assert embedded and [x.id for x, _ in found] == [close.id, far.id]
    # the engine answers from its own vectors: a neighbour whose database copy is gone still comes
    db.session.query(ListingEmbedding).filter_by(kind="output", object_id=far.id).delete()
    db.session.commit()
    assert [x.id for x, _ in similar_listings("output", sensor.id, actor=anyone, limit=5)[0]] == [
        close.id,
        far.id,
    ]
    with outage():  # the engine is down: the database's vectors answer, no error
        found, embedded = similar_listings("output", sensor.id, actor=anyone, limit=5)
        assert embedded and [x.id for x, _ in found] == [close.id]
