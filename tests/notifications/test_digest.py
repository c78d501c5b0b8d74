"""The weekly digest (需求信息汇编): new listings in the reader's fields and open matches, once a week."""

from __future__ import annotations

from datetime import timedelta
from email import policy
from email.parser import BytesParser

from matchmaker.extensions import db
from matchmaker.models import Delivery, Match
from matchmaker.notifications.digest import in_fields, week_ref
from tests import factories as f
from tests.notifications.conftest import MORNING, body_of, consent_all
from workers.jobs import notify


def test_field_matching_and_week_reference():
    assert in_fields(["instrument.sensor"], ["instrument"])
    assert in_fields(["instrument"], ["instrument.sensor"])
    assert not in_fields(["food"], ["instrument"]) and not in_fields(["instrumentation"], ["instrument"])
    assert week_ref(MORNING) == "digest/2026-W47"


def test_weekly_digest_lists_new_listings_in_my_fields_once(app, world, clock, outbox):
    consent_all(world.rita, world.bob)
    yesterday = clock.at - timedelta(days=1)
    need = f.make_need(world.ent_a, world.alice, fields=["instrument.sensor"], published_at=yesterday)
    f.make_need(
        world.ent_b, world.bob, title="小龙虾冷链保鲜工艺需求", fields=["food"], published_at=yesterday
    )
    f.make_need(world.ent_b, world.bob, title="三周前的旧需求", published_at=clock.at - timedelta(days=20))
    world.ent_b.fields = ["agriculture"]
    output = f.make_output(world.uni, world.rita, published_at=clock.at - timedelta(days=30))
    db.session.add(
        Match(
            need_id=need.id,
            output_id=output.id,
            need_org_id=world.ent_a.id,
            output_org_id=world.uni.id,
            region=need.region,
            score=0.93,
            breakdown={},
            explanation="关键词重合",
        )
    )
    db.session.commit()

    assert notify.weekly_digest() == 1  # rita; alice has an open match but gave no e-mail consent
    rows = {
        (d.user_id, d.status, d.rule) for d in db.session.query(Delivery).filter_by(cause="digest.weekly")
    }
    assert rows == {(world.rita.id, "sent", None), (world.alice.id, "suppressed", "no_consent")}
    (path,) = (outbox / "email").glob("*.eml")
    mail = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    assert mail["Subject"].startswith("【需求信息汇编】")
    text = body_of(mail)
    assert "压力传感器温漂补偿技术攻关" in text and "匹配度 93%" in text
    assert "小龙虾" not in text and "三周前" not in text
    assert mail["List-Unsubscribe"]

    assert notify.weekly_digest() == 0  # the same week again sends nothing
    clock.advance(days=7)
    assert notify.weekly_digest() == 1  # next week: the open match is still worth a reminder
