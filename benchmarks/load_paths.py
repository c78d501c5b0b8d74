"""The requests of benchmarks/load_bench.py: one file of paths per category, and the weighted mix.

A path starting with "!" is sent with the admin's bearer token (stored matches are not public).
Queries are keywords and title fragments of the seeded texts, so most find something.
"""

from __future__ import annotations

import random
import socket
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from benchmarks.load_seed import COUNTIES, FIELDS, MATURITY, corpus

# Share of each category in the realistic mix (a quarter of the searches filter by type or more).
MIX = {
    "search": 36,
    "search_filtered": 12,
    "list_shallow": 15,
    "list_deep": 4,
    "list_cursor": 3,
    "detail": 20,
}
MIX["matches"] = 10
LINES = 2000  # paths per category file


def free_port() -> int:
    """A TCP port on loopback that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def seed_line(seeded: dict) -> str:
    """One line on the seeded data and the reindex figures."""
    how = "cached" if seeded.get("cached") else "built now"
    ratio = seeded["segment_docs_per_s"] / seeded["reindex_docs_per_s"]
    rate, alone = seeded["reindex_docs_per_s"], seeded["segment_docs_per_s"]
    return (
        f"seeded {seeded['needs']} needs + {seeded['outputs']} outputs ({how}, {seeded.get('built')}); "
        f"reindex {seeded['indexed']} docs in {seeded['reindex_s']:.1f} s = {rate:.0f} docs/s with "
        f"{seeded['workers']} workers; jieba segmentation alone {alone:.0f} docs/s in one process "
        f"(reindex takes {ratio:.2f}x segmentation's time)"
    )


def _queries(rng: random.Random) -> list[str]:
    titles, _, keywords = corpus()
    pool = [kw for kws in keywords for kw in kws if 1 < len(kw) < 12]
    pool += [
        t[start : start + rng.randint(2, 6)] for t in rng.sample(titles, 500) for start in [rng.randrange(4)]
    ]
    return [w for w in pool if w.strip()]


def _search(rng: random.Random, words: list[str], filtered: bool) -> str:
    q = rng.choice(words) if rng.random() < 0.8 else f"{rng.choice(words)} {rng.choice(words)}"
    params: dict[str, str] = {"q": q}
    if filtered:
        pick = rng.random()
        if pick < 0.5:
            params["type"] = rng.choice(["need", "output"])
        elif pick < 0.7:
            params["region"] = rng.choice([*COUNTIES[:3], "320800"])
        elif pick < 0.85:
            params["field"] = rng.choice(FIELDS)
        else:
            params.update(type="output", maturity=rng.choice(MATURITY))
        if rng.random() < 0.3:
            params["sort"] = rng.choice(["newest", "deadline"])
    return "/api/v1/search?" + urlencode(params)


def _list(rng: random.Random, pages: int, deep: bool) -> str:
    plural = rng.choice(["needs", "outputs"])
    params: dict[str, object] = {
        "page": rng.randint(max(2, pages // 5), pages) if deep else rng.randint(1, 3)
    }
    if rng.random() < 0.3:
        params["sort"] = rng.choice(["oldest", "deadline", "budget"])
    if not deep and rng.random() < 0.3:
        params["region"] = rng.choice(COUNTIES)
    return f"/api/v1/{plural}?" + urlencode(params)


def categories(seeded: dict, rng: random.Random) -> dict[str, list[str]]:
    """Paths per category: searches plain and filtered, list pages shallow and deep, details, matches."""
    words, n = _queries(rng), seeded["needs"] + seeded["outputs"]
    pages = max(2, min(seeded["needs"], seeded["outputs"]) // 20)
    matched = seeded["matched_needs"]
    return {
        "healthz": ["/healthz"],
        "search": [_search(rng, words, False) for _ in range(LINES)],
        "search_filtered": [_search(rng, words, True) for _ in range(LINES)],
        "list_shallow": [_list(rng, pages, False) for _ in range(LINES)],
        "list_deep": [_list(rng, pages, True) for _ in range(LINES)],
        "detail": [
            f"/api/v1/{'needs' if i % 2 else 'outputs'}/{i}" for i in rng.choices(range(1, n + 1), k=LINES)
        ],
        "matches": [f"!/api/v1/needs/{rng.choice(matched)}/matches" for _ in range(LINES)],
    }


def deep_cursors(app: Any, rng: random.Random, count: int = 300) -> list[str]:
    """Paths of pages far into the catalogue reached through `after` cursors (as a client holds them)."""
    from sqlalchemy import func, select

    from matchmaker.extensions import db
    from matchmaker.models import ResearchOutput, TechnologyNeed
    from matchmaker.queries import keyset

    paths = []
    with app.app_context():
        for plural, model in (("needs", TechnologyNeed), ("outputs", ResearchOutput)):
            shown = func.coalesce(model.published_at, model.created_at)
            rows = db.session.execute(select(shown, model.id).order_by(shown.desc(), model.id.desc())).all()
            for at in rng.sample(range(len(rows)), min(count // 2, len(rows))):
                when = (
                    rows[at][0] if isinstance(rows[at][0], datetime) else datetime.fromisoformat(rows[at][0])
                )
                paths.append(f"/api/v1/{plural}?after={keyset.encode('newest', [when, rows[at][1]])}")
        db.session.remove()
        db.engine.dispose()
    return paths


def write(folder: Path, seeded: dict, rng: random.Random, extra: dict[str, list[str]]) -> dict[str, Path]:
    """One file per category (``extra`` adds some) plus the weighted mix; returns category -> file."""
    folder.mkdir(parents=True, exist_ok=True)
    found = {**categories(seeded, rng), **extra}
    found["mix"] = [p for name, weight in MIX.items() for p in rng.choices(found[name], k=weight * 20)]
    files = {}
    for name, paths in found.items():
        files[name] = folder / f"{name}.txt"
        files[name].write_text("\n".join(paths) + "\n", encoding="utf-8")
    return files
