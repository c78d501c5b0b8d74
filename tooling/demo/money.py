"""Demo money workflows: a year of registered contracts, filed projects, subsidy rounds, vouchers.

- about 150 technology contracts registered over the last twelve months across the six counties,
  most imported from the provincial export, some entered by hand, with 吸纳 and 输出 both ways;
- 产学研 filings in every state (draft, submitted, returned, approved);
- a finished 2025 subsidy round for the city, and 金湖's 2026 round whose 公示 ended yesterday;
- the 2026 voucher batch with issued, claimed, redeemed and expired vouchers, and an application
  from 金湖启明流量仪表 waiting for the 金湖 officer.
Deterministic (seeded random stream) and idempotent (skipped when the demo batch exists).
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from matchmaker.auth.actor import Actor
from matchmaker.extensions import db
from matchmaker.models import (
    CooperationFiling,
    FilingAttachment,
    Organization,
    SubsidyRound,
    User,
    Voucher,
    VoucherBatch,
    VoucherProvider,
)
from matchmaker.models.common import CHINA
from matchmaker.models.contracts.register import CONTRACT_TYPES
from matchmaker.services.contracts import attachments, register, subsidies, vouchers
from tooling.demo.vocabulary import COUNTIES, DEMO_DOMAIN

BATCH = "2026年度淮安市科技创新券"
JINHU, JINHU_ROUND = "320831", "2026年度金湖县产学研合作奖补"
TYPE_ODDS = {"development": 45, "service": 25, "consulting": 10, "transfer": 12, "licensing": 8}
PDF = b"%PDF-1.4\n% demo\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _user(local: str) -> User:
    user = db.session.scalar(select(User).where(User.email == f"{local}@{DEMO_DOMAIN}"))
    assert user is not None, local
    return user


def _actor(local: str) -> Actor:
    return Actor(user=_user(local), request_id="seed-demo")


def _orgs(kind: str) -> list[Organization]:
    return list(
        db.session.scalars(select(Organization).where(Organization.kind == kind).order_by(Organization.id))
    )


def _contracts(rng: random.Random, today: date, city: Actor) -> int:
    firms, labs = _orgs("enterprise"), _orgs("university") + _orgs("institute")
    kinds = list(TYPE_ODDS)
    for n in range(150):
        day = today - timedelta(days=rng.randint(1, 360))
        buyer = rng.choice(firms)
        if n % 5 == 4:  # 输出: a 淮安 firm or lab sells outside the city
            buyer_side: dict[str, Any]
            seller, buyer_side = (
                rng.choice(firms + labs),
                {"buyer_name": "南京某智能装备有限公司", "buyer_region": "320115"},
            )
        else:
            seller, buyer_side = rng.choice(labs + firms[:8]), {"buyer_org_id": buyer.id}
        amount = (
            Decimal(rng.choice([8, 15, 20, 30, 45, 60, 80, 120, 200, 350])) + Decimal(rng.randint(0, 99)) / 10
        )
        kind = rng.choices(kinds, weights=list(TYPE_ODDS.values()))[0]
        topic = rng.choice(["智能检测", "工艺优化", "新材料制备", "控制系统", "数据平台"])
        data = {
            "number": f"{day.year}32080{n:07d}",
            "name": f"{topic}{CONTRACT_TYPES[kind]}合同",
            "contract_type": kind,
            "fields": list(seller.fields or [])[:2],
            "seller_org_id": seller.id,
            **buyer_side,
            "amount": amount,
            "trade_amount": (amount * Decimal("0.9")).quantize(Decimal("0.01")),
            "signed_on": day - timedelta(days=rng.randint(3, 40)),
            "registered_on": day,
            "office": "淮安市技术市场管理办公室",
        }
        register.add_contract(data, actor=city, source="manual" if n % 7 == 0 else "import")
    db.session.commit()
    return 150


def _filing(
    org: Organization, partner: Organization, title: str, status: str, payments: list, **kw
) -> CooperationFiling:
    filing = CooperationFiling(
        org_id=org.id,
        region=org.region,
        title=title,
        content=f"{org.name}与{partner.name}联合开展{title}。",
        partner_org_id=partner.id,
        partner_name=partner.name,
        amount=Decimal(kw.pop("amount", 200)),
        starts_on=date(2025, 3, 1),
        ends_on=date(2027, 2, 28),
        status=status,
        payments=payments,
        **kw,
    )
    db.session.add(filing)
    db.session.flush()
    if status != "draft":
        key = attachments.store(PDF)
        filing.attachments.append(
            FilingAttachment(
                kind="contract",
                filename="合作合同扫描件.pdf",
                content_type="application/pdf",
                size=len(PDF),
                storage_key=key,
            )
        )
    return filing


def _filings(rng: random.Random, now: datetime) -> int:
    labs = _orgs("university") + _orgs("institute")
    count = 0
    for county in COUNTIES:
        firms = [o for o in _orgs("enterprise") if o.region == county.code][:5]
        for i, (status, category) in enumerate(
            [
                ("approved", "challenge"),
                ("approved", "general"),
                ("submitted", "key_chain"),
                ("returned", "general"),
                ("draft", "general"),
            ]
        ):
            if i >= len(firms):
                break
            payments = [
                {"paid_on": "2025-06-18", "amount": 60.0},
                {"paid_on": "2026-04-10", "amount": float(40 + 10 * i)},
            ]
            extra: dict[str, Any] = {"submitted_at": now - timedelta(days=30)} if status != "draft" else {}
            if status == "approved":
                extra |= {
                    "filing_number": f"CXY{county.code}2026{i + 1:04d}",
                    "decided_at": now - timedelta(days=20),
                    "checklist": {
                        "partner_verified": True,
                        "contract_registered": True,
                        "amounts_consistent": True,
                    },
                }
            if status == "returned":
                extra |= {
                    "return_reasons": ["发票金额与付款凭证不一致，请补充说明"],
                    "decided_at": now - timedelta(days=10),
                }
            _filing(
                firms[i],
                rng.choice(labs),
                f"{firms[i].name[:6]}产学研合作项目",
                status,
                payments,
                category=category,
                **extra,
            )
            count += 1
    db.session.commit()
    return count


POLICY = {
    "base_rate": Decimal("0.10"),
    "category_rates": {"challenge": Decimal("0.25"), "key_chain": Decimal("0.15")},
    "project_cap": Decimal(50),
    "enterprise_cap": Decimal(80),
}


def _round(actor: Actor, year: int, name: str, region: str) -> int:
    data = {"year": year, "name": name, "region": region, "period_start": date(year, 1, 1)}
    data |= {"period_end": date(year, 12, 31), **POLICY}
    round_id = subsidies.create_round(actor=actor, data=data).id
    subsidies.compute_round(round_id, actor=actor)
    return round_id


def _at(moment: datetime) -> None:
    current_app.config["SUBSIDY_CLOCK"] = lambda: moment


def _jinhu_round(now: datetime) -> None:
    """金湖's 2026 round, in 公示 since eight days ago, the window ended yesterday: ready to approve."""
    saved = current_app.config.get("SUBSIDY_CLOCK")
    try:
        _at(now - timedelta(days=8))
        jinhu = _actor("staff.jinhu")
        round_id = _round(jinhu, 2026, JINHU_ROUND, JINHU)
        yesterday = (now - timedelta(days=1)).astimezone(CHINA).date()
        subsidies.start_publicity(round_id, actor=jinhu, ends_on=yesterday)
    finally:
        current_app.config["SUBSIDY_CLOCK"] = saved


def _rounds(now: datetime) -> None:
    """The city's 2025 round (公示 in January, approved in February), then 金湖's 2026 one."""
    saved = current_app.config.get("SUBSIDY_CLOCK")
    try:
        city = _actor("staff.city")
        _at(datetime(2026, 1, 20, 10, tzinfo=CHINA))
        round_id = _round(city, 2025, "2025年度淮安市产学研合作奖补", "320800")
        subsidies.start_publicity(round_id, actor=city)
        _at(datetime(2026, 2, 10, 10, tzinfo=CHINA))
        subsidies.approve_round(round_id, actor=city)
    finally:
        current_app.config["SUBSIDY_CLOCK"] = saved
    _jinhu_round(now)


def _new_batch(now: datetime, name: str, others: list[Organization]) -> list[Voucher]:
    """A city batch of 300 万元 with applications from the firms and from 金湖启明 (last)."""
    today = now.astimezone(CHINA).date()
    data = {"year": 2026, "name": name, "region": "320800", "budget": Decimal(300), "max_amount": Decimal(20)}
    data |= {"qualifications": [], "valid_until": date(today.year, 12, 31)}
    batch = vouchers.create_batch(actor=_actor("staff.city"), data=data)
    holder = db.session.get(Organization, _user("qiye.jinhu").org_id)
    assert holder is not None
    for org in [*others, holder]:
        db.session.add(
            Voucher(
                batch_id=batch.id,
                org_id=org.id,
                region=org.region,
                status="applied",
                requested_amount=Decimal(15),
                purpose="委托高校开展产品检测与工艺改进",
            )
        )
    db.session.commit()
    return list(db.session.scalars(select(Voucher).where(Voucher.batch_id == batch.id).order_by(Voucher.id)))


def _vouchers(now: datetime) -> str:
    city = _actor("staff.city")
    today = now.astimezone(CHINA).date()
    providers = []
    for lab in (_orgs("university") + _orgs("institute"))[:4]:
        provider = VoucherProvider(
            org_id=lab.id, services="检验检测、研发设计、技术咨询", status="approved", decided_by=city.user_id
        )
        db.session.add(provider)
        providers.append(provider)
    holder = _user("qiye.jinhu").org_id
    # spread over the six counties (one firm in six), so each county's share of the city is real
    others = [f for f in _orgs("enterprise") if f.id != holder][::6][:10]
    applied = _new_batch(now, BATCH, others)
    for i, voucher in enumerate(applied[:-2]):  # the last two stay applied (one is 金湖启明's)
        until = today - timedelta(days=5) if i >= 8 else None
        vouchers.issue(voucher.id, actor=city, amount=Decimal(15), valid_until=until)
        if i < 6:
            firm = Actor(
                user=db.session.scalar(select(User).where(User.org_id == voucher.org_id)),
                request_id="seed-demo",
            )
            claim = {
                "provider_id": providers[i % 4].id,
                "contract_number": f"FW-2026-{i + 1:03d}",
                "invoice_number": f"No.0088{i:04d}",
                "report": "已完成产品性能检测并出具检测报告。",
                "amount": Decimal(12 + i % 3),
            }
            vouchers.claim(voucher.id, actor=firm, data=claim)
            if i < 4:
                vouchers.pay_out(voucher.id, actor=city, amount=Decimal(12 + i % 3))
    expired = vouchers.expire_vouchers(actor=city, today=today)
    return f"创新券：批次 1 个、服务机构 4 家、申领 {len(applied)} 张（已兑现 4 张，过期 {expired} 张）"


def _refill(now: datetime) -> str:
    """What the README walk-through used up comes back: a submitted 金湖 filing, a 金湖 round whose
    公示 ended yesterday, and an application from 金湖启明 in a new batch."""
    firms = [o for o in _orgs("enterprise") if o.region == JINHU]
    submitted = select(CooperationFiling.id).where(
        CooperationFiling.region == JINHU, CooperationFiling.status == "submitted"
    )
    if db.session.scalar(submitted) is None:
        payments = [{"paid_on": "2026-05-20", "amount": 50.0}]
        lab = (_orgs("university") + _orgs("institute"))[0]
        _filing(
            firms[0], lab, f"{firms[0].name[:6]}智能检测联合攻关项目", "submitted", payments, submitted_at=now
        )
        db.session.commit()
    waiting = select(SubsidyRound.id).where(
        SubsidyRound.name == JINHU_ROUND, SubsidyRound.status == "publicity"
    )
    if db.session.scalar(waiting) is None:
        _jinhu_round(now)
    holder = _user("qiye.jinhu").org_id
    pending = select(Voucher.id).where(Voucher.org_id == holder, Voucher.status == "applied")
    if db.session.scalar(pending) is None:
        count = db.session.scalar(select(func.count()).select_from(VoucherBatch)) or 0
        _new_batch(now, f"{BATCH}（第{count + 1}批）", [])
    return "技术合同、备案、奖补与创新券演示数据已存在（演练用到的备案、奖补批次与创新券申领已补齐）。"


def seed_money(now: datetime) -> str:
    """Write the demo contracts, filings, subsidy rounds and vouchers once; return a summary line."""
    if db.session.scalar(select(VoucherBatch.id).where(VoucherBatch.name == BATCH)):
        return _refill(now)
    rng = random.Random(2026_14)
    contracts = _contracts(rng, now.astimezone(CHINA).date(), _actor("staff.city"))
    filings = _filings(rng, now)
    _rounds(now)
    voucher_line = _vouchers(now)
    rounds = "奖补批次 2 个（已审定 1 个、公示期满待审定 1 个）"
    return f"技术合同登记 {contracts} 项；产学研备案 {filings} 项；{rounds}；{voucher_line}"
