"""What matching stores and pushes on the seeded demo, with the real model, and the lithium case.

Usage: python benchmarks/demo_matches.py [--cache PATH] [--show 8]

Seeds the demo into a temporary database, embeds every listing with multilingual-e5-small
(vectors are kept by content hash in ``--cache``, so a second run embeds nothing; the first takes
a minute or two), re-ranks every published need as the nightly run does, then publishes the
output of issue 12's lithium case (「锂离子电池负极材料预锂化技术」, tests/services/data) and ranks it.
Printed as JSON lines: stored matches and their 匹配度 quantiles, pushed pairs, the lithium
output's stored matches and pushes, and the best and weakest stored matches with explanations,
for a bureau officer's eye. Run it on two commits to compare engines on the same demo.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LITHIUM = ROOT / "tests" / "services" / "data" / "lithium_case.json"
LIVE = ("proposed", "connected", "agreement_signed", "negotiating", "contract_registered")


def main() -> int:
    """Seed, embed, rank, publish the lithium output, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", default=str(ROOT.parent / "cache" / "demo-embeddings.sqlite3"))
    parser.add_argument("--show", type=int, default=8, help="best and weakest matches printed")
    args = parser.parse_args()

    from matchmaker import create_app
    from matchmaker.extensions import db
    from matchmaker.models import Match, PendingPush, ResearchOutput, TechnologyNeed
    from matchmaker.models.common import utcnow
    from matchmaker.services.matches.ranking import rank_listing
    from matchmaker.services.outbox import record_change
    from matchmaker.services.uow import unit_of_work
    from tooling.demo import seed
    from workers.jobs.index import embed_listings

    work = Path(tempfile.mkdtemp(prefix="demo-matches-"))
    app = create_app(
        {
            "ENV_NAME": "testing",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / 'app.sqlite3'}",
            "SEARCH_LOCAL_PATH": str(work / "search.sqlite3"),
            "OUTBOX_DIR": str(work / "outbox"),
            "MATCH_EMBEDDER": "e5-small-q4",
            "SEARCH_VECTOR_DIM": 384,
            "MATCH_EMBEDDING_CACHE": args.cache,
        }
    )
    with app.app_context():
        db.create_all()
        seed()
        embedded = embed_listings(limit=100_000)
        needs = db.session.scalars(db.select(TechnologyNeed.id).where(TechnologyNeed.status == "published"))
        for need_id in list(needs):
            rank_listing("need", need_id)
        db.session.commit()
        live = db.session.scalars(db.select(Match).where(Match.status.in_(LIVE))).all()
        pushes = db.session.scalar(
            db.select(db.func.count()).select_from(PendingPush).where(PendingPush.cause == "match.new")
        )
        scores = np.array([m.score for m in live]) if live else np.zeros(1)
        print(json.dumps({
            "embedded": embedded, "stored": len(live), "pushed_pairs": (pushes or 0) // 2,
            "score_p10_p50_p90_max": [round(float(q), 3) for q in np.percentile(scores, [10, 50, 90, 100])],
        }, ensure_ascii=False))  # fmt: skip

        data = json.loads(LITHIUM.read_text("utf-8"))["lithium"]
        unit = db.session.scalar(db.select(ResearchOutput).order_by(ResearchOutput.id)).org
        lithium = ResearchOutput(
            org_id=unit.id, region=unit.region, status="published", published_at=utcnow(),
            maturity="pilot", trl=6, price=30, team_lead="李教授", contact_name="李老师",
            contact_phone="13900001111", **data,
        )  # fmt: skip
        db.session.add(lithium)
        db.session.commit()
        with unit_of_work() as uow:
            record_change(uow, lithium)
        embed_listings(limit=10)
        before = pushes or 0
        result = rank_listing("output", lithium.id)
        db.session.commit()
        stored = db.session.scalars(db.select(Match).where(Match.output_id == lithium.id)).all()
        after = db.session.scalar(
            db.select(db.func.count()).select_from(PendingPush).where(PendingPush.cause == "match.new")
        )
        print(json.dumps({
            "lithium": data["title"], "run": result, "pushes": (after or 0) - before,
            "stored": [
                {"need": m.need.title, "score": round(m.score, 3), "why": m.explanation} for m in stored
            ],
        }, ensure_ascii=False))  # fmt: skip
        ordered = sorted(live, key=lambda m: -m.score)
        for label, rows in (("best", ordered[: args.show]), ("weakest", ordered[len(ordered) - args.show :])):
            for m in rows:
                print(json.dumps({
                    label: round(m.score, 3), "need": m.need.title, "output": m.output.title,
                    "why": m.explanation,
                }, ensure_ascii=False))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
