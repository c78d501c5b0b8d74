"""Demo needs (技术需求) from enterprises and outputs (科技成果) from universities, as model-column dicts.

Deterministic: each kind draws from its own seeded stream, and rows are numbered
(``external_ref`` demo-need-0001 …) in creation order, so ids are stable on a fresh database.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from matchmaker.taxonomy import fields, regions, vocab
from tooling.demo import phrases as p
from tooling.demo.codes import patent_number, software_number
from tooling.demo.timeline import FEATURED_STATUSES, status_pool, timeline
from tooling.demo.topics import Topic, by_field
from tooling.demo.world import SEED, Member, Org, World

NEEDS_PER_ENTERPRISE = 3
EXTRA_NEEDS = 20
FEATURED_NEEDS = len(FEATURED_STATUSES)


class _Writer:
    """Shared state of one listing kind: random stream, used titles, statuses still to hand out."""

    def __init__(self, kind: str, world: World, now: datetime, total: int, featured: int) -> None:
        self.kind, self.world, self.now = kind, world, now
        self.rng = random.Random(f"{SEED}/{kind}")
        self.titles: set[str] = set()
        self.pool = status_pool(self.rng, total - featured)

    def status(self, featured_index: int | None) -> str:
        """The fixed walk-through state for a featured account's listing, else the next from the pool."""
        if featured_index is not None and featured_index < len(FEATURED_STATUSES):
            return FEATURED_STATUSES[featured_index]
        return self.pool.pop()

    def title(self, make: Callable[[], str]) -> str:
        """A title not used before (a few fresh draws, then a number as a last resort)."""
        for _ in range(12):
            text = make()
            if text not in self.titles:
                break
        else:
            text = f"{text}（{len(self.titles) + 1}）"
        self.titles.add(text)
        return text

    def common(self, org: Org, owner: Member, status: str, valid: tuple[int, int]) -> dict:
        """Columns both kinds share: owner, contact, workflow state, timestamps and reviewer."""
        times = timeline(self.rng, status, self.now, valid)
        deadline = times.pop("deadline")
        row: dict[str, Any] = dict(
            org_uscc=org.uscc, owner_email=owner.row["email"], region=org.row["region"],
            contact_name=owner.row["name"], contact_phone=owner.row["phone"], contact_email=owner.mail,
            status=status, source="demo", reject_reason=None, reviewer_email=None, **times,
        )  # fmt: skip
        if status not in ("draft", "submitted"):
            row["reviewer_email"] = self.world.reviewer_for(org.row["region"])
        if status == "rejected":
            row["reject_reason"] = self.rng.choice(p.REJECT_REASONS[self.kind])
        row["_deadline"] = deadline
        return row

    def keywords(self, topic: Topic, *words: str) -> list[str]:
        """The given words plus one domain term of the field, without repeats."""
        term = self.rng.choice(fields.terms(topic.field)[1:] or [fields.name(topic.field)])
        return list(dict.fromkeys([*words, term]))[:8]


def _weighted(rng: random.Random, weights: Mapping[str, float], k: int = 1) -> list[str]:
    return rng.choices(list(weights), weights=list(weights.values()), k=k)


def _need_kind(rng: random.Random, field: str) -> str:
    excluded = p.EXCLUDED_NEED_KINDS.get(field, frozenset())
    kinds = [k for k in p.NEED_KINDS if k not in excluded]
    return rng.choices(kinds, weights=[p.NEED_KINDS[k][0] for k in kinds])[0]


def _budget(rng: random.Random, low: int, high: int) -> tuple[int | None, int | None]:
    if rng.random() < 0.1:
        return None, None  # 面议
    step = 5 if low >= 10 else 1
    start = max(step, round(rng.uniform(low, high / 2) / step) * step)
    return start, max(start + step, round(start * rng.choice((1.5, 2, 3)) / step) * step)


def _need(w: _Writer, org: Org, owner: Member, status: str) -> dict:
    rng = w.rng
    topic = org.topics[0] if rng.random() < 0.75 else rng.choice(org.topics)
    o, scene = rng.choice(topic.objects), rng.choice(topic.scenes)
    short, issue, target, _ = rng.choice(topic.problems)
    kind = _need_kind(rng, topic.field)
    _, titles, closing, (low, high) = p.NEED_KINDS[kind]
    place = regions.name(org.row["region"])
    fill = dict(o=o, s=short, t=target, scene=scene, business=topic.business, place=place)
    row = w.common(org, owner, status, (45, 300))
    budget_min, budget_max = _budget(rng, low, high)
    modes = rng.sample(p.NEED_MODES[kind], k=min(len(p.NEED_MODES[kind]), rng.randint(1, 2)))
    budget = f"{budget_min}—{budget_max}万元" if budget_min else "面议"
    detail = p.NEED_DETAIL.format(
        o=o, issue=issue, tried=rng.choice(p.TRIED), t=target, facility=rng.choice(p.FACILITIES),
        modes="、".join(vocab.labels(vocab.COOP_MODES, modes)), budget=budget,
        months=rng.choice((6, 9, 12, 18, 24)), payment=rng.choice(p.PAYMENTS),
    )  # fmt: skip
    summary = rng.choice(p.NEED_OPENINGS).format(**fill) + f"目前{o}{issue}，{rng.choice(p.IMPACTS)}。"
    row.update(
        title=w.title(lambda: rng.choice(titles).format(**fill)),
        summary=summary + closing.format(**fill),
        detail=detail,
        fields=list(dict.fromkeys([topic.field, *org.row["fields"][:1]])),
        keywords=w.keywords(topic, o, short, scene),
        modes=modes,
        need_type=kind,
        budget_min=budget_min,
        budget_max=budget_max,
        deadline=row.pop("_deadline"),
        wanted_maturity=rng.choice(p.NEED_MATURITY.get(kind, (None, "pilot", "industrial"))),
    )
    return row


def _ip(rng: random.Random, topic: Topic, o: str, m: str, now: datetime) -> list[dict]:
    items = []
    for index in range(rng.choices((1, 2, 3), weights=(5, 3, 2))[0]):
        year = rng.randint(now.year - 8, now.year - 2)
        title = rng.choice(topic.patents).format(o=o, m=m)
        if topic.field.startswith("it.") and index > 0:
            items.append({"type": "software", "number": software_number(rng, year), "title": f"{o}软件V1.0"})
        elif index > 0 and rng.random() < 0.4:
            items.append({"type": "utility_model", "number": patent_number(rng, year, 2), "title": title})
        else:
            items.append({"type": "invention", "number": patent_number(rng, year, 1), "title": title})
    return items


def _ip_sentence(ip: list[dict]) -> str:
    counts = Counter(vocab.label(vocab.IP_TYPES, item["type"]) for item in ip)
    return "相关知识产权：" + "、".join(f"{label}{n}项" for label, n in counts.items()) + "。"


def _offer(rng: random.Random) -> tuple[list[str], int | None]:
    """Cooperation modes offered and, when transfer or licensing is among them, an asking price."""
    modes = sorted(set(_weighted(rng, p.OUTPUT_MODES, rng.randint(1, 3))))
    sells = bool({"transfer", "license"} & set(modes)) and rng.random() < 0.8
    return modes, rng.choice((10, 15, 20, 30, 50, 80, 100, 150, 200, 300)) if sells else None


def _output(w: _Writer, org: Org, owner: Member, status: str) -> dict:
    rng = w.rng
    topic = rng.choice([t for code in owner.fields for t in by_field()[code]])
    o, (short, issue, target, methods) = rng.choice(topic.objects), rng.choice(topic.problems)
    m, scenes = rng.choice(methods), rng.sample(topic.scenes, k=2)
    maturity = _weighted(rng, p.MATURITY_WEIGHTS)[0]
    modes, price = _offer(rng)
    ip = _ip(rng, topic, o, m, w.now)
    senior = owner.row["title"].endswith(("教授", "研究员"))
    lead = owner.row["name"] + (owner.row["title"] if senior else "")
    abstract = (
        f"本成果针对{o}{issue}的问题，采用{m}技术，{rng.choice(p.INNOVATIONS)}。"
        f"{p.VERIFIED_BY[maturity]}，{target}。成果可应用于{scenes[0]}、{scenes[1]}等领域，"
        + p.MATURITY_NOTES[maturity].format(n=rng.randint(2, 6))
        + _ip_sentence(ip)
    )
    detail = p.OUTPUT_DETAIL.format(
        m=m, t=target, scale=p.SCALES[maturity], modes="、".join(vocab.labels(vocab.COOP_MODES, modes)),
        price=f"转让（许可）参考价{price}万元，可面议" if price else "价格面议", lead=lead,
        team=rng.randint(3, 12), support=rng.choice(p.SUPPORTS),
    )  # fmt: skip
    row = w.common(org, owner, status, (300, 1000))
    fill = dict(o=o, s=short, m=m, scene=scenes[0])
    row.update(
        title=w.title(lambda: rng.choice(p.OUTPUT_TITLES).format(**fill)),
        abstract=abstract, detail=detail, fields=[topic.field], keywords=w.keywords(topic, o, m, short),
        modes=modes, maturity=maturity, trl=rng.randint(*vocab.trl_range(maturity)), ip=ip, price=price,
        negotiable=price is None or rng.random() < 0.85, team_lead=lead, valid_until=row.pop("_deadline"),
    )  # fmt: skip
    return row


def _numbered(kind: str, rows: list[dict]) -> list[dict]:
    """Oldest first, numbered demo-<kind>-0001 …, so ids grow with creation time."""
    rows.sort(key=lambda row: row["created_at"])
    for number, row in enumerate(rows, 1):
        row["external_ref"] = f"demo-{kind}-{number:04d}"
    return rows


def build_needs(world: World, now: datetime) -> list[dict]:
    """Every demo need: three or four per enterprise, six for each featured enterprise."""
    firms = [org for org in world.orgs if org.row["kind"] == "enterprise"]
    counts = [FEATURED_NEEDS if org.featured else NEEDS_PER_ENTERPRISE for org in firms]
    featured = FEATURED_NEEDS * sum(org.featured for org in firms)
    w = _Writer("need", world, now, sum(counts) + EXTRA_NEEDS, featured)
    for index in w.rng.sample(range(len(firms)), EXTRA_NEEDS):
        counts[index] += 1
    rows = [
        _need(w, org, org.members[0], w.status(n if org.featured else None))
        for org, count in zip(firms, counts, strict=True)
        for n in range(count)
    ]
    return _numbered("need", rows)


def build_outputs(world: World, now: datetime) -> list[dict]:
    """Every demo output, shared round-robin among each institution's researchers."""
    from tooling.demo.vocabulary import INSTITUTIONS

    plan = {inst.name: inst.outputs for inst in INSTITUTIONS}
    labs = [org for org in world.orgs if org.row["name"] in plan]
    featured = sum(org.featured for org in labs) * FEATURED_NEEDS
    w = _Writer("output", world, now, sum(plan.values()), featured)
    rows = []
    for org in labs:
        for n in range(plan[org.row["name"]]):
            owner = org.members[n % len(org.members)]
            lead_turn = n // len(org.members) if org.featured and owner is org.members[0] else None
            rows.append(_output(w, org, owner, w.status(lead_turn)))
    return _numbered("output", rows)
