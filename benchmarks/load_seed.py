"""Seed a city-scale database for benchmarks/load_bench.py: N published needs and outputs.

Texts are recombined from ../shared/data/csl (read in place, never copied): a title from
titles.jsonl or dev.jsonl, a summary of two or three sentences taken from different research
abstracts, keywords of one of them. Rows get explicit ids from one seeded random stream, so the
SQLite and the PostgreSQL database hold the same listings and one search index serves both.
"""

from __future__ import annotations

import json
import random
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from matchmaker.auth.passwords import hash_password
from matchmaker.extensions import db
from matchmaker.models import Organization, ResearchOutput, TechnologyNeed, User
from matchmaker.models.matches import Match

CSL = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "csl"
COUNTIES = ["320831", "320830", "320826", "320813", "320803", "320812", "320102", "320506"]
FIELDS = ["instrument.sensor", "materials", "equipment.robot", "it.iot", "it.ai", "electronics.pcb"]
FIELDS += ["instrument.control", "equipment.cnc", "it.software", "electronics.components"]
MODES = ["transfer", "license", "joint_development", "commissioned_development"]
MATURITY = ["lab", "bench", "pilot", "industrial"]
NEED_TYPES = ["key_technology", "process_improvement", "new_product", "testing"]
ORGS, MATCHED_NEEDS, MATCHES_PER_NEED = 400, 300, 30
_SENTENCE = re.compile(r"[^。；;]+[。；;]?")


def corpus() -> tuple[list[str], list[list[str]], list[list[str]]]:
    """Titles, abstracts split into sentences, and keyword lists from the CSL files (or built-in text)."""
    if not (CSL / "dev.jsonl").exists():
        return _builtin_corpus()  # a clone without ../shared (CI): the smoke test still runs
    dev = [json.loads(line) for line in (CSL / "dev.jsonl").read_text(encoding="utf-8").splitlines() if line]
    titles = [r["title"] for r in dev]
    path = CSL / "titles.jsonl"
    if path.exists():
        titles += [
            json.loads(line)["title"] for line in path.read_text(encoding="utf-8").splitlines() if line
        ]
    sentences = [[s for s in _SENTENCE.findall(r["abstract"]) if len(s) > 8] or [r["abstract"]] for r in dev]
    return titles, sentences, [list(r.get("keywords") or [])[:5] for r in dev]


_TOPICS = ["压力传感器", "锂离子电池", "工业机器人", "数控机床", "物联网网关", "印制电路板", "石油钻采装备"]
_WHERE = ["面向化工园区的", "高温环境下", "低成本", "智能化", "小型化", "高可靠", "批量化", "绿色"]
_WHERE += ["船舶用", "农业用", "医疗用", "新能源汽车用", "轨道交通用"]
_AIMS = ["温漂补偿", "寿命预测", "故障诊断", "精度提升", "能耗优化", "国产化替代"]


def _builtin_corpus() -> tuple[list[str], list[list[str]], list[list[str]]]:
    """Recombinable Chinese titles, sentences and keywords from a small built-in vocabulary."""
    pairs = [(t, a) for t in _TOPICS for a in _AIMS]
    titles = [f"{w}{t}{a}关键技术研究" for w in _WHERE for t, a in pairs]
    sentences = [
        [f"针对{t}的{a}问题，提出一种新方法。", f"实验表明该方法使{t}性能明显提高。"] for t, a in pairs
    ]
    return titles, sentences, [[t, a] for t, a in pairs]


def _when(rng: random.Random) -> datetime:
    return datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))


def _listing(i: int, rng: random.Random, texts: tuple, org_ids: list[int]) -> dict[str, Any]:
    titles, sentences, keywords = texts
    picks = rng.sample(range(len(sentences)), 3)
    summary = "".join(rng.choice(sentences[p]) for p in picks[: rng.choice((2, 3))])
    published = _when(rng)
    return {
        "id": i, "title": rng.choice(titles)[:200], "fields": [rng.choice(FIELDS)],
        "keywords": keywords[picks[0]], "modes": rng.sample(MODES, 2), "region": rng.choice(COUNTIES),
        "detail": "", "contact_name": "王经理", "contact_phone": "13812345678",
        "contact_email": "contact@example.com", "status": "published", "version": 1, "source": "import",
        "created_at": published - timedelta(days=1), "updated_at": published, "published_at": published,
        "org_id": rng.choice(org_ids), "_summary": summary[:1000],
    }  # fmt: skip


def seed(n: int, rng_seed: int = 20261201) -> dict[str, Any]:
    """Write the organisations, an admin, n listings (half needs, half outputs) and some matches."""
    rng, texts = random.Random(rng_seed), corpus()
    firms = [
        {"id": i, "kind": "enterprise", "name": f"淮安第{i}科技有限公司"} for i in range(1, ORGS // 2 + 1)
    ]
    labs = [
        {"id": i, "kind": "university", "name": f"江苏第{i}研究院"} for i in range(ORGS // 2 + 1, ORGS + 1)
    ]
    for org in firms + labs:
        org.update(region=rng.choice(COUNTIES), fields=[rng.choice(FIELDS)], verified=True)
    db.session.execute(insert(Organization), firms + labs)
    admin = {"id": 1, "name": "压测管理员", "email": "load-admin@example.com", "roles": ["admin"]}
    db.session.execute(insert(User), [{**admin, "password_hash": hash_password("Load@2026-bench")}])
    needs, outputs = [], []
    for i in range(1, n + 1):
        row = _listing(i, rng, texts, [o["id"] for o in (firms if i % 2 else labs)])
        summary = row.pop("_summary")
        if i % 2:
            deadline = date(2026, 1, 1) + timedelta(days=rng.randrange(900))
            row.update(summary=summary, need_type=rng.choice(NEED_TYPES), deadline=deadline)
            row.update(wanted_maturity=rng.choice(MATURITY), budget_min=rng.choice([None, 10, 50, 100]))
            needs.append(row)
        else:
            row.update(abstract=summary, maturity=rng.choice(MATURITY), trl=rng.randint(2, 9))
            row.update(price=rng.choice([None, 20, 80, 300]), team_lead="李教授")
            outputs.append(row)
    for model, rows in ((TechnologyNeed, needs), (ResearchOutput, outputs)):
        for start in range(0, len(rows), 2000):
            db.session.execute(insert(model), rows[start : start + 2000])
    db.session.execute(insert(Match), _matches(rng, needs, outputs))
    db.session.commit()
    return {
        "needs": len(needs),
        "outputs": len(outputs),
        "matched_needs": [n["id"] for n in needs[:MATCHED_NEEDS]],
    }


def _matches(rng: random.Random, needs: list[dict], outputs: list[dict]) -> list[dict[str, Any]]:
    """Stored matches for the first needs, with a plausible score breakdown (as ranking writes it)."""
    rows, next_id = [], 1
    for need in needs[:MATCHED_NEEDS]:
        for output in rng.sample(outputs, min(MATCHES_PER_NEED, len(outputs))):
            score = round(rng.uniform(0.3, 0.95), 4)
            rows.append(
                {
                    "id": next_id,
                    "need_id": need["id"],
                    "output_id": output["id"],
                    "need_org_id": need["org_id"],
                    "output_org_id": output["org_id"],
                    "region": need["region"],
                    "score": score,
                    "breakdown": {"text": score, "region": 0.5},
                    "explanation": "关键词与研究方向相近",
                    "status": "proposed",
                }
            )
            next_id += 1
    return rows
