"""The demo's organisations and people: bureaus and staff, enterprises, universities and researchers.

Pure and deterministic: the same seed always yields the same names, codes and e-mail addresses,
so demo logins stay stable. Rows are plain dicts of model columns, keyed by USCC and e-mail.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from matchmaker.taxonomy import fields, regions, vocab
from tooling.demo.codes import People, uscc
from tooling.demo.topics import Topic, by_field
from tooling.demo.vocabulary import (
    BRANDS,
    CITY,
    CITY_BUREAU,
    COUNTIES,
    DEMO_DOMAIN,
    ENTERPRISE_TITLES,
    INSTITUTIONS,
    QUALIFICATION_ODDS,
    RESEARCHER_TITLES,
    County,
    Institution,
)

SEED = "matchmaker-demo-2026"


@dataclass
class Member:
    """A planned user and what the listing generator needs to know about them."""

    row: dict
    org_uscc: str | None
    fields: tuple[str, ...] = ()
    mail: str = ""  # business e-mail shown as a listing contact


@dataclass
class Org:
    """A planned organisation with its members and the topics it works on."""

    row: dict
    topics: list[Topic] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)
    featured: bool = False

    @property
    def uscc(self) -> str:
        """The organisation's key."""
        return self.row["uscc"]


@dataclass
class World:
    """Every planned organisation and user, plus who reviews which region."""

    orgs: list[Org]
    users: list[Member]
    reviewers: dict[str, str]  # region code -> e-mail of the staff member reviewing there
    admin: str

    def reviewer_for(self, region: str) -> str:
        """E-mail of the staff member (or, outside 淮安, the admin) who reviews listings there."""
        return self.reviewers.get(region, self.admin)


class _Builder:
    """Builds the world in a fixed order from one random stream."""

    def __init__(self, now: datetime) -> None:
        self.rng = random.Random(SEED + "/world")
        self.people = People(self.rng)
        self.now = now
        self.brands = self.rng.sample(BRANDS, len(BRANDS))
        self.orgs: list[Org] = []
        self.users: list[Member] = []
        self.reviewers: dict[str, str] = {}
        self.serial = {"qiye": 0, "keyan": 0}

    def ago(self, low: int, high: int) -> datetime:
        """A moment between low and high days ago."""
        return self.now - timedelta(days=self.rng.randint(low, high), minutes=self.rng.randint(0, 600))

    def add_org(self, org: Org) -> Org:
        """Record an organisation in creation order."""
        self.orgs.append(org)
        return org

    def add_user(
        self,
        org: Org | None,
        email: str,
        roles: list[str],
        *,
        title: str = "",
        region_scope: str | None = None,
        specialty: tuple[str, ...] = (),
        domain: str = "example.com",
    ) -> Member:
        """Plan a person with a fresh name and mobile, as a member of org."""
        name, pinyin = self.people.person()
        row = dict(
            email=email, name=name, phone=self.people.mobile(), roles=roles, title=title,
            region_scope=region_scope, is_active=True, created_at=self.ago(380, 420),
        )  # fmt: skip
        member = Member(row, org.uscc if org else None, specialty, mail=f"{pinyin}@{domain}")
        if org is not None:
            org.members.append(member)
        self.users.append(member)
        return member

    def email(self, kind: str, local: str | None = None) -> str:
        """The fixed demo address for local, or the next numbered one of this kind."""
        if local:
            return f"{local}@{DEMO_DOMAIN}"
        self.serial[kind] += 1
        return f"{kind}{self.serial[kind]:03d}@{DEMO_DOMAIN}"

    def bureaus(self) -> None:
        """The city and county bureaus, one staff member each, and the admin."""
        offices = [(CITY, CITY_BUREAU, "city")] + [(c.code, c.bureau, c.slug) for c in COUNTIES]
        for code, name, slug in offices:
            scope = regions.name(code)
            org = self.add_org(Org(self._org_row("bureau", name, code, [], 1990)))
            org.row["description"] = f"{name}负责{scope}科技创新、科技成果转化和产学研合作工作。"
            title = "成果转化科科长" if code == CITY else "产学研合作专员"
            email = self.email("staff", f"staff.{slug}")
            member = self.add_user(org, email, ["staff"], region_scope=code, title=title)
            self.reviewers[code] = member.row["email"]
        admin = self.add_user(None, self.email("admin", "admin"), ["admin"], title="平台管理员")
        admin.row["name"] = "平台管理员"

    def _org_row(self, kind: str, name: str, region: str, codes: list[str], founded: int) -> dict:
        return dict(
            kind=kind, name=name, uscc=uscc(self.rng, kind, region, founded), region=region,
            fields=codes, qualifications=[], description="", website=None, verified=True,
            created_at=self.ago(420, 540), updated_at=self.ago(300, 400),
        )  # fmt: skip

    def enterprises(self, county: County) -> None:
        """The county's firms in its leading industries, one enterprise user each."""
        for index in range(county.enterprises):
            primary = county.fields[index % len(county.fields)]
            codes = [primary]
            if self.rng.random() < 0.35:
                codes.append(self.rng.choice([c for c in county.fields if c != primary]))
            topic = self.rng.choice(by_field()[primary])
            brand, brand_py = self.brands.pop()
            founded = self.rng.randint(1998, 2021)
            name = self._firm_name(county, brand, topic)
            org = self.add_org(Org(self._org_row("enterprise", name, county.code, codes, founded)))
            org.topics = [topic] + [self.rng.choice(by_field()[c]) for c in codes[1:]]
            org.featured = index == 0
            org.row.update(
                qualifications=self._qualifications(founded),
                website=f"https://www.{brand_py}.example.com",
                verified=self.rng.random() < 0.9 or org.featured,
            )
            org.row["description"] = self._firm_description(org, topic, founded)
            email = self.email("qiye", f"qiye.{county.slug}" if org.featured else None)
            title = self.rng.choice(ENTERPRISE_TITLES)
            self.add_user(org, email, ["enterprise"], title=title, domain=f"{brand_py}.example.com")

    def _firm_name(self, county: County, brand: str, topic: Topic) -> str:
        word = self.rng.choice(topic.firm_words)
        tech = word.endswith(("科技", "技术"))
        forms = ("有限公司", "股份有限公司") if tech else ("有限公司", "科技有限公司")
        return f"{self.rng.choice(county.prefixes)}{brand}{word}{self.rng.choice(forms)}"

    def _qualifications(self, founded: int) -> list[dict]:
        held: list[dict] = []
        for code, (share, first, last) in QUALIFICATION_ODDS.items():
            if code == "little_giant" and not any(q["code"] == "specialized_sme" for q in held):
                continue
            earliest = max(first, founded + 2)
            if self.rng.random() < share and earliest <= last:
                held.append({"code": code, "year": self.rng.randint(earliest, last)})
        return held

    def _firm_description(self, org: Org, topic: Topic, founded: int) -> str:
        staff = self.rng.randint(60, 900)
        text = (
            f"{org.row['name']}成立于{founded}年，位于{regions.full_name(org.row['region'])}，"
            f"主要从事{topic.business}的研发、生产和销售。公司现有员工{staff}人，"
            f"其中研发人员{staff * self.rng.randint(8, 25) // 100}人，拥有授权专利{self.rng.randint(5, 80)}项"
        )
        quals = [f"{vocab.QUALIFICATIONS[q['code']]}（{q['year']}年）" for q in org.row["qualifications"]]
        return text + (f"，先后获评{'、'.join(quals)}。" if quals else "。")

    def institutions(self) -> None:
        """Universities and institutes with their researchers."""
        for inst in INSTITUTIONS:
            org = self.add_org(Org(self._org_row(inst.kind, inst.name, inst.region, list(inst.fields), 1960)))
            org.topics = [t for code in inst.fields for t in by_field()[code]]
            org.featured = inst.slug in ("hyit", "seu")
            names = "、".join(fields.name(code) for code in inst.fields[:4])
            what = "高等院校" if inst.kind == "university" else "科研院所"
            org.row["description"] = (
                f"{inst.name}是位于{regions.full_name(inst.region)}的{what}，在{names}等方向"
                f"形成了一批可转化的科技成果，长期与淮安市企业开展产学研合作。"
            )
            self._researchers(org, inst)

    def _researchers(self, org: Org, inst: Institution) -> None:
        for index in range(inst.researchers):
            local = {"hyit": "keyan", "seu": "keyan.nanjing"}.get(inst.slug) if index == 0 else None
            roles = ["researcher", "expert"] if self.rng.random() < 0.35 else ["researcher"]
            specialty = inst.fields[index % len(inst.fields) :: inst.researchers] or inst.fields[:1]
            title = self.rng.choice(RESEARCHER_TITLES[4:6] if inst.kind == "institute" else RESEARCHER_TITLES)
            email, domain = self.email("keyan", local), f"{inst.slug}.example.org"
            self.add_user(org, email, roles, title=title, specialty=specialty, domain=domain)


def build_world(now: datetime) -> World:
    """Plan every demo organisation and user (same seed, same result)."""
    builder = _Builder(now)
    builder.bureaus()
    for county in COUNTIES:
        builder.enterprises(county)
    builder.institutions()
    return World(builder.orgs, builder.users, builder.reviewers, admin=f"admin@{DEMO_DOMAIN}")
