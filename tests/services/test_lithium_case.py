"""The lithium case of issue 12 on a small catalogue from the demo: a new output whose subject no
need shares gets no push, and needs that share only generic words are not stored for it.

Before, the output's own ranking (not the need-side ranking the 匹配度 maps were fitted on) put
a 液流电池 need first at 100 % on the one shared keyword 储能电池 and pushed it, and stored
unrelated needs (风电叶片, 手性医药中间体) on template words at 62-68 %.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Match, PendingPush
from matchmaker.services.matches.ranking import rank_listing
from tests import factories as f
from workers.jobs.index import embed_listings

# Needs and outputs from the demo catalogue; the background outputs are of other fields, written
# from the same templates, which makes 提升、90%以上 and 成果可应用于 background, not evidence.
DATA = json.loads((Path(__file__).parent / "data" / "lithium_case.json").read_text("utf-8"))
REJECTED = {"面向风电叶片的复合材料压力容器成型效率提升技术攻关", "手性医药中间体连续化生产工艺优化"}


def _catalogue(world):
    needs = {n["title"]: f.make_need(world.ent_a, world.alice, detail="", **n) for n in DATA["needs"]}
    outputs = [
        f.make_output(world.uni, world.rita, detail="", fields=["energy.storage"], **o)
        for o in DATA["outputs"]
    ]
    outputs += [
        f.make_output(world.uni, world.rita, detail="", fields=["equipment"], **o) for o in DATA["background"]
    ]
    f.index_listings(*needs.values(), *outputs)
    embed_listings()
    for need in needs.values():
        rank_listing("need", need.id)
    db.session.commit()
    return needs, outputs


def _pushed(match_ids):
    stmt = select(PendingPush).where(PendingPush.cause == "match.new", PendingPush.object_id.in_(match_ids))
    return db.session.scalars(stmt).all()


def test_the_lithium_output_is_pushed_to_nobody(app, world):
    needs, outputs = _catalogue(world)
    flow = db.session.scalars(
        select(Match).where(Match.need_id == needs["液流电池循环寿命提升工艺优化"].id)
    ).all()
    assert outputs[0].id in {m.output_id for m in flow}, (
        "the fixture has a real answer for the flow battery need"
    )
    assert _pushed([m.id for m in flow]), "and a real answer is pushed"

    lithium = f.make_output(world.uni, world.rita, **DATA["lithium"])
    f.index_listings(lithium)
    embed_listings()
    rank_listing("output", lithium.id)
    db.session.commit()
    stored = db.session.scalars(select(Match).where(Match.output_id == lithium.id)).all()
    assert not _pushed([m.id for m in stored])
    assert not {m.need.title for m in stored} & REJECTED
    assert all(m.need.title == "液流电池循环寿命提升工艺优化" for m in stored)  # shares 储能电池, not pushed
