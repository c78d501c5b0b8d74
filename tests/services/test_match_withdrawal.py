"""Re-ranking withdraws proposals it no longer stands behind, keeps answered ones, and is idempotent."""

from __future__ import annotations

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Match, PendingPush
from tests import factories as f
from workers.jobs.index import embed_listings
from workers.jobs.match import nightly_rematch

SENSOR_OUTPUTS = [
    ("MEMS 压力传感器温度漂移数字补偿方法", "基于多项式拟合的压力传感器温度漂移补偿，温漂降低一个数量级。"),
    ("高精度压力变送器温度补偿电路", "压力传感器在高低温下零点漂移的硬件温度补偿电路与标定方法。"),
]
UNRELATED = ("盱眙龙虾冷链保鲜工艺", "一种小龙虾冷链保鲜与杀菌工艺。", ["保鲜"])


def _stored(need_id):
    return {m.output_id: m for m in db.session.scalars(select(Match).where(Match.need_id == need_id))}


def _rewrite(output, title, abstract, keywords):
    output.title, output.abstract, output.detail, output.keywords = title, abstract, "", keywords
    db.session.commit()


def test_rerank_withdraws_unanswered_matches_below_the_floor(app, client, world):
    outputs = [
        f.make_output(world.uni, world.rita, title=t, abstract=a, keywords=["传感器", "温度补偿"])
        for t, a in SENSOR_OUTPUTS
    ]
    f.index_listings(*outputs)
    need_id = f.publish_sensor_need(client, world)
    embed_listings(rematch=True)
    stored = _stored(need_id)
    quiet, answered = (stored[o.id] for o in outputs)
    assert quiet.status == answered.status == "proposed"
    client.get(f"/api/v1/matches/{quiet.id}", headers=world.h_alice)  # a look is not an answer
    assert client.post(f"/api/v1/matches/{answered.id}/interest", headers=world.h_alice).status_code == 200
    pushes = db.session.query(PendingPush).count()

    for output in outputs:  # both outputs now describe something else entirely
        _rewrite(output, *UNRELATED)
    embed_listings(rematch=True)  # the outputs' own runs: the need is no longer in their lists
    nightly_rematch()  # and the need's run
    stored = _stored(need_id)
    assert stored[outputs[0].id].status == "withdrawn"
    assert stored[outputs[0].id].withdrawn_at is not None
    assert stored[outputs[1].id].status == "proposed", "someone answered it: it is left as it was"

    shown = client.get(f"/api/v1/matches/{quiet.id}", headers=world.h_alice).json
    assert shown["status"] == "withdrawn" and shown["withdrawn_at"]
    listed = client.get(f"/api/v1/needs/{need_id}/matches", headers=world.h_alice).json["items"]
    assert quiet.id not in [i["id"] for i in listed]
    asked = client.get(f"/api/v1/needs/{need_id}/matches?status=withdrawn", headers=world.h_alice).json
    assert [i["id"] for i in asked["items"]] == [quiet.id]

    before = {m.id: (m.status, m.withdrawn_at) for m in _stored(need_id).values()}
    nightly_rematch()  # again: nothing changes
    assert {m.id: (m.status, m.withdrawn_at) for m in _stored(need_id).values()} == before

    _rewrite(outputs[0], SENSOR_OUTPUTS[0][0], SENSOR_OUTPUTS[0][1], ["传感器", "温度补偿"])
    embed_listings(rematch=True)  # the text is back: the proposal stands again, with no second push
    assert _stored(need_id)[outputs[0].id].status == "proposed"
    assert _stored(need_id)[outputs[0].id].withdrawn_at is None
    assert db.session.query(PendingPush).count() == pushes
