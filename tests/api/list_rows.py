"""Rows the demo holds only one of, added through the services so every list endpoint has two.

``add_list_rows`` runs on the seeded demo (app context pushed) and returns the extra logins that
see them: the expert with the most review assignments and the unit whose contacts were revealed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from decimal import Decimal

from flask import current_app
from sqlalchemy import func, select

from matchmaker.auth.actor import Actor
from matchmaker.extensions import db
from matchmaker.models import Challenge, Match, ResearchOutput, ReviewAssignment, SubsidyRound, User
from matchmaker.models.common import CHINA
from matchmaker.services import campaigns, pushes
from matchmaker.services.challenges import award, workflow
from matchmaker.services.contracts import subsidies, vouchers
from matchmaker.services.matches import lifecycle
from tooling.demo.vocabulary import DEMO_DOMAIN


def _user(local: str) -> User:
    user = db.session.scalar(select(User).where(User.email == f"{local}@{DEMO_DOMAIN}"))
    assert user is not None, local
    return user


def _actor(user: User) -> Actor:
    return Actor(user=user, request_id="list-rows")


def _first_user(org_id: int) -> User:
    user = db.session.scalar(select(User).where(User.org_id == org_id).order_by(User.id))
    assert user is not None, org_id
    return user


@contextmanager
def _clock(key: str, moment: datetime) -> Iterator[None]:
    """The service clock ``key`` reads ``moment`` inside the block (the demo's windows have ended)."""
    saved: Callable[[], datetime] | None = current_app.config.get(key)
    current_app.config[key] = lambda: moment
    try:
        yield
    finally:
        current_app.config[key] = saved


def _two_objectors() -> list[Actor]:
    return [_actor(_user(local)) for local in ("qiye.jinhu", "keyan")]


def _challenge_rows() -> None:
    """Two objections to the challenge in 公示 (filed inside its window) and two list reviews."""
    city = _actor(_user("staff.city"))
    challenge = db.session.scalar(select(Challenge).where(Challenge.status == "publicity"))
    assert challenge is not None and challenge.publicity_ends_at is not None
    with _clock("CHALLENGE_CLOCK", challenge.publicity_ends_at - timedelta(days=1)):
        for n, firm in enumerate(_two_objectors()):
            award.file_objection(
                challenge.id, actor=firm, content=f"拟揭榜团队的业绩材料第{n + 1}项存疑，请核实。"
            )
    for name, score in (("王建国", 82.0), ("李秀英", 88.5)):
        scores = dict.fromkeys(("necessity", "innovation", "feasibility", "benefit"), score)
        workflow.record_list_review(challenge.id, actor=city, data={"expert_name": name, **scores})


def _money_rows(now: datetime) -> None:
    """A second voucher batch, and two objections to 金湖's round filed inside its 公示 window."""
    city = _actor(_user("staff.city"))
    data = {"year": 2027, "name": "2027年度淮安市科技创新券", "region": "320800", "budget": Decimal(200)}
    data |= {"max_amount": Decimal(10), "qualifications": [], "valid_until": date(2027, 12, 31)}
    vouchers.create_batch(actor=city, data=data)
    subsidy_round = db.session.scalar(select(SubsidyRound).where(SubsidyRound.status == "publicity"))
    assert subsidy_round is not None
    with _clock("SUBSIDY_CLOCK", now - timedelta(days=2)):
        for n, firm in enumerate(_two_objectors()):
            subsidies.file_objection(
                subsidy_round.id, actor=firm, content=f"公示名单第{n + 1}项的合同金额有误。"
            )


def _listing_rows(now: datetime) -> None:
    """A second 金湖 campaign and a second 金湖 output compilation (a draft)."""
    jinhu = _actor(_user("staff.jinhu"))
    today = now.astimezone(CHINA).date()
    data = {
        "title": "2026年金湖县石油装备产业链技术需求专项征集",
        "description": "面向石油装备企业征集技术难题。",
    }
    data |= {"counties": ["320831"], "industries": [], "questions": [], "target_count": 20}
    campaigns.create_campaign(
        actor=jinhu, data={**data, "starts_on": today, "ends_on": today + timedelta(days=60)}
    )
    second = pushes.create_compilation(actor=jinhu, title="金湖县高校院所科技成果推送（第二期）", region=None)
    pushes.add_matched(second.id, actor=jinhu, limit=6)


def _match_rows() -> None:
    """A second stored match for the first output that has one (the demo's matching is selective:
    none of the first outputs is stored for two needs), and embeddings for 相似推荐."""
    from matchmaker.models import TechnologyNeed
    from workers.jobs.index import embed_listings

    first = db.session.scalar(select(Match).order_by(Match.output_id, Match.id))
    assert first is not None
    taken = select(Match.need_id).where(Match.output_id == first.output_id)
    need = db.session.scalar(
        select(TechnologyNeed)
        .where(TechnologyNeed.status == "published", TechnologyNeed.id.not_in(taken))
        .order_by(TechnologyNeed.id)
    )
    assert need is not None
    db.session.add(
        Match(
            need_id=need.id, output_id=first.output_id, need_org_id=need.org_id,
            output_org_id=first.output_org_id, region=need.region, score=first.score * 0.9,
            breakdown=first.breakdown, explanation=first.explanation,
        )
    )  # fmt: skip
    db.session.commit()
    embed_listings(limit=5000)


def _revealed_unit() -> User:
    """The need side of every connected match of the busiest output unit reveals its contacts."""
    stmt = select(Match).where(Match.connected_at.is_not(None)).order_by(Match.id)
    by_org: dict[int, list[Match]] = defaultdict(list)
    for match in db.session.scalars(stmt):
        by_org[match.output_org_id].append(match)
    org_id, matches = max(by_org.items(), key=lambda kv: len({m.output_id for m in kv[1]}))
    assert len({m.output_id for m in matches}) >= 2, "the demo needs two connected outputs of one unit"
    for match in matches:
        lifecycle.contacts(match.id, actor=_actor(_first_user(match.need_org_id)))
    owner = db.session.scalar(select(ResearchOutput.owner_id).where(ResearchOutput.org_id == org_id))
    return db.session.get(User, owner) if owner else _first_user(org_id)


def _busiest_expert() -> User:
    stmt = (
        select(ReviewAssignment.expert_id)
        .group_by(ReviewAssignment.expert_id)
        .order_by(func.count().desc(), ReviewAssignment.expert_id)
    )
    user = db.session.get(User, db.session.scalar(stmt))
    assert user is not None
    return user


def add_list_rows(now: datetime) -> dict[str, User]:
    """Add the rows and return the extra logins by name ("expert", "revealed")."""
    _challenge_rows()
    _money_rows(now)
    _listing_rows(now)
    _match_rows()
    revealed = _revealed_unit()
    db.session.commit()
    return {"expert": _busiest_expert(), "revealed": revealed}
