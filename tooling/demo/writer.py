"""Write the planned demo rows that are missing, with one commit per batch, then feed the search index.

Rows are matched by natural keys (credit code, e-mail, ``external_ref``), so running again adds
only what is missing and a complete demo is left untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select

from matchmaker.auth.passwords import hash_password
from matchmaker.extensions import db
from matchmaker.models import Organization, OutboxEvent, ResearchOutput, TechnologyNeed, User
from tooling.demo.world import World

DRAIN_BATCH = 500


@dataclass
class Written:
    """How many rows of each kind this run added."""

    orgs: int = 0
    users: int = 0
    needs: int = 0
    outputs: int = 0

    @property
    def anything(self) -> bool:
        """Whether the run changed the database at all."""
        return bool(self.orgs or self.users or self.needs or self.outputs)


def _existing(column: Any, keys: Iterable[str]) -> dict[str, int]:
    """key -> id for the keys already in the table (keys compared exactly)."""
    wanted = list(keys)
    model = column.class_
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 500):  # stay below SQLite's bound-parameter limit
        chunk = wanted[start : start + 500]
        rows = db.session.execute(select(column, model.id).where(column.in_(chunk)))
        found.update((key, object_id) for key, object_id in rows)
    return found


def write_orgs(rows: list[dict]) -> tuple[dict[str, int], int]:
    """Insert missing organisations; returns credit code -> id for all of them and the number added."""
    known = _existing(Organization.uscc, (row["uscc"] for row in rows))
    missing = [row for row in rows if row["uscc"] not in known]
    if missing:
        db.session.execute(insert(Organization), missing)
        db.session.commit()
    return _existing(Organization.uscc, (row["uscc"] for row in rows)), len(missing)


def write_users(rows: list[dict], org_ids: dict[str, int], password: str) -> tuple[dict[str, int], int]:
    """Insert missing users (one shared password hash); returns e-mail -> id and the number added."""
    known = _existing(User.email, (row["email"] for row in rows))
    missing = [dict(row) for row in rows if row["email"] not in known]
    if missing:
        digest = hash_password(password)  # argon2 is slow on purpose: hash once, share it
        taken = set(_existing(User.phone, (row["phone"] for row in missing)))
        for row in missing:
            row["org_id"] = org_ids.get(row.pop("org_uscc")) if row.get("org_uscc") else None
            row["password_hash"] = digest
            if row["phone"] in taken:  # a real account already uses this number
                row["phone"] = None
        db.session.execute(insert(User), missing)
        db.session.commit()
    return _existing(User.email, (row["email"] for row in rows)), len(missing)


def write_listings(
    model: type[Any], rows: list[dict], org_ids: dict[str, int], user_ids: dict[str, int]
) -> int:
    """Insert missing listings and an outbox row for each, in one transaction; returns how many."""
    known = _existing(model.external_ref, (row["external_ref"] for row in rows))
    missing = []
    for row in rows:
        if row["external_ref"] in known:
            continue
        data = {k: v for k, v in row.items() if k not in ("org_uscc", "owner_email", "reviewer_email")}
        data.update(
            org_id=org_ids[row["org_uscc"]],
            owner_id=user_ids.get(row["owner_email"]),
            reviewed_by=user_ids.get(row["reviewer_email"]) if row["reviewer_email"] else None,
        )
        missing.append(data)
    if not missing:
        return 0
    db.session.execute(insert(model), missing)
    added = _existing(model.external_ref, (row["external_ref"] for row in missing))
    versions = {row["external_ref"]: row["version"] for row in missing}
    events = [
        dict(topic="search", kind=model.KIND, object_id=object_id, version=versions[ref], op="upsert")
        for ref, object_id in sorted(added.items(), key=lambda item: item[1])
    ]
    db.session.execute(insert(OutboxEvent), events)
    db.session.commit()
    return len(missing)


def write_all(world: World, needs: list[dict], outputs: list[dict], password: str) -> Written:
    """Write organisations, users, needs and outputs that are missing, in that order."""
    written = Written()
    org_ids, written.orgs = write_orgs([org.row for org in world.orgs])
    users = [{**member.row, "org_uscc": member.org_uscc} for member in world.users]
    user_ids, written.users = write_users(users, org_ids, password)
    written.needs = write_listings(TechnologyNeed, needs, org_ids, user_ids)
    written.outputs = write_listings(ResearchOutput, outputs, org_ids, user_ids)
    return written


def drain_search(echo: Callable[[str], None]) -> str:
    """Replay the search outbox until nothing is pending; a sentence saying what happened."""
    try:
        from matchmaker.extensions import search_backend
        from search.indexer import drain, pending_count
    except ImportError as exc:  # the search package may still be under construction
        return f"搜索后端暂不可用（{exc}），待同步记录已保留，可稍后运行 flask search drain。"
    if not pending_count():
        return "搜索索引：无待同步记录。"
    backend, acked = search_backend(), 0
    while True:
        result = drain(backend, limit=DRAIN_BATCH)
        acked += result["acked"]
        if result["pending"] == 0:
            return f"搜索索引：已同步 {acked} 条。"
        if result["acked"] == 0:
            reason = result.get("error", "索引未确认")
            return f"搜索索引：已同步 {acked} 条，{pending_count()} 条未成功（{reason}），可稍后重试。"
        echo(f"  已同步 {acked} 条…")
