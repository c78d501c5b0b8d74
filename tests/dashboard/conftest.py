"""Two counties with distinct figures, so any leak across a region boundary changes a number."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from matchmaker.extensions import db
from matchmaker.models import ChallengeAward, Match, TechContract
from matchmaker.models.common import utcnow
from tests import factories as f
from tests.challenge_factories import make_application, make_challenge
from tests.conftest import JINHU, XUYI

# What each county's officer must see, and nothing else.
EXPECTED = {
    JINHU: dict(
        needs_collected=3, needs_published=2, outputs_published=1, matches=2, connections=1,
        agreements=1, agreement_amount=100, contracts=1, contract_amount=80, pending=1,
        challenges_posted=2, challenges_awarded=1, challenge_award_amount=300,
    ),
    XUYI: dict(
        needs_collected=5, needs_published=4, outputs_published=3, matches=3, connections=2,
        agreements=1, agreement_amount=600, contracts=1, contract_amount=500, pending=3,
        challenges_posted=1, challenges_awarded=0, challenge_award_amount=0,
    ),
}  # fmt: skip


def make_match(need, output, *, stage: int = 0, agreement: float = 0, contract: float = 0) -> Match:
    """A match that went `stage` steps along the funnel (1 viewed … 6 contract)."""
    now = utcnow()
    steps = ("need_viewed_at", "need_interested_at", "connected_at")
    steps += ("negotiating_at", "agreement_at", "contract_at")
    stamps = {name: now for name in steps[:stage]}
    match = Match(
        need_id=need.id, output_id=output.id, need_org_id=need.org_id, output_org_id=output.org_id,
        region=need.region, score=0.8, breakdown={}, explanation="", status="proposed", proposed_at=now,
        agreement_amount=agreement or None, contract_amount=contract or None, **stamps,
    )  # fmt: skip
    db.session.add(match)
    db.session.flush()
    if contract:  # the contract step writes the register row the dashboard counts
        db.session.add(
            TechContract(
                number=f"32080{match.id:06d}", name=need.title, contract_type="development",
                fields=need.fields,
                buyer_org_id=need.org_id, buyer_name="买方", buyer_region=need.region,
                seller_org_id=output.org_id, seller_name="卖方", seller_region=output.region,
                amount=contract, registered_on=now.date(), registered_at=now, source="match",
                match_id=match.id,
            )
        )  # fmt: skip
    db.session.commit()
    return match


def _county(org, lab, *, needs: int, submitted: int, outputs: int, pending_outputs: int = 0):
    now = utcnow()
    published = [f.make_need(org, submitted_at=now, title=f"{org.name}需求{i}") for i in range(needs)]
    for i in range(submitted):
        f.make_need(org, status="submitted", submitted_at=now - timedelta(days=3 + i), title=f"待审{i}号需求")
    f.make_need(org, status="draft", title="草稿需求不计入")
    outs = [f.make_output(lab) for _ in range(outputs)]
    for _ in range(pending_outputs):
        f.make_output(lab, status="submitted", submitted_at=now - timedelta(days=1))
    return published, outs


@pytest.fixture
def figures(world):
    """Jinhu and Xuyi data with the counts in EXPECTED."""
    lab_a = f.make_org("institute", JINHU, "金湖县产业技术研究院")
    lab_b = f.make_org("institute", XUYI, "盱眙凹土研究院")
    needs_a, outs_a = _county(world.ent_a, lab_a, needs=2, submitted=1, outputs=1)
    needs_b, outs_b = _county(world.ent_b, lab_b, needs=4, submitted=1, outputs=3, pending_outputs=1)
    make_match(needs_a[0], outs_a[0], stage=6, agreement=100, contract=80)
    make_match(needs_a[1], outs_a[0], stage=0)
    make_match(needs_b[0], outs_b[0], stage=6, agreement=600, contract=500)
    make_match(needs_b[1], outs_b[1], stage=4)
    make_match(needs_b[2], outs_b[2], stage=1)
    _challenges(world)
    return SimpleNamespace(world=world, today=date.today())


def _challenges(world) -> None:
    """金湖: one open and one awarded 榜单 (300 万元); 盱眙: one open, one waiting for review, one draft."""
    make_challenge(world.ent_a, world.alice, status="published")
    awarded = make_challenge(world.ent_a, world.alice, status="awarded", title="已挂帅榜单")
    application = make_application(awarded, world.uni, world.rita, status="awarded")
    db.session.add(ChallengeAward(
        challenge_id=awarded.id, application_id=application.id, lead_org_id=world.uni.id,
        region=awarded.region, amount=300, confirmed_by=world.staff_jinhu.id,
    ))  # fmt: skip
    make_challenge(world.ent_b, world.bob, status="published")
    make_challenge(world.ent_b, world.bob, status="submitted")
    make_challenge(world.ent_b, world.bob, status="draft")
    db.session.commit()
