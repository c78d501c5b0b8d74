"""Pages of needs and outputs: sort keys for keyset cursors, and totals that are not counted per page.

Every sort has a keyset form, so a client following ``next`` reads page 1,000 as fast as page 1;
``page=`` (OFFSET) still works for old clients. The total is counted once per filter, viewer scope
and database state and then reused for 30 s: the key holds the newest outbox id (every listing
change writes one in its transaction) and the newest listing id, so any write counts afresh.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app
from sqlalchemy import Boolean, case, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from matchmaker.auth import policy
from matchmaker.auth.actor import Actor
from matchmaker.extensions import db
from matchmaker.models import OutboxEvent
from matchmaker.queries.keyset import Key
from search.cache import ResultCache

TOTALS_TTL, TOTALS_SIZE = 30.0, 2048

Getter = Callable[[Any], Any]


def _null_last(column: Any) -> Key:
    return Key(case((column.is_(None), 1), else_=0), True)


def sort_keys(kind: str, model: Any, sort: str) -> list[tuple[Key, Getter]]:
    """The ordering of a sort as keyset keys, each with how to read its value from a loaded row."""
    row_id = Key(model.id, sort == "oldest")
    if sort in ("deadline", "budget"):
        name = {"deadline": ("deadline", "valid_until"), "budget": ("budget_max", "price")}[sort]
        attr = name[0] if kind == "need" else name[1]
        column = getattr(model, attr)
        value = Key(column, sort == "deadline", "date" if sort == "deadline" else "num")
        return [
            (_null_last(column), lambda row: int(getattr(row, attr) is None)),
            (value, lambda row: getattr(row, attr)),
            (row_id, lambda row: row.id),
        ]
    if sort == "oldest":
        return [
            (Key(model.created_at, True, "datetime"), lambda row: row.created_at),
            (row_id, lambda r: r.id),
        ]
    shown = Key(func.coalesce(model.published_at, model.created_at), False, "datetime")
    return [(shown, lambda row: row.published_at or row.created_at), (row_id, lambda row: row.id)]


class mostly_true(FunctionElement):
    """A condition most rows meet, said so to SQLite's planner (PostgreSQL plans from statistics).

    SQLite has no statistics here: it takes the status index for ``status IN (public)``, then
    sorts every public row for each page. Told that most rows pass, it walks the ordering index
    instead and stops after the page.
    """

    type = Boolean()
    inherit_cache = True
    name = "mostly_true"


@compiles(mostly_true)
def _plain(element: mostly_true, compiler: Any, **kw: Any) -> str:
    return f"({compiler.process(element.clauses, **kw)})"


@compiles(mostly_true, "sqlite")
def _sqlite(element: mostly_true, compiler: Any, **kw: Any) -> str:
    return f"likelihood({compiler.process(element.clauses, **kw)}, 0.9375)"


ORDERED_BY_INDEX = ("newest", "oldest")  # sorts with an index in their own order (ix_*_shown, created_at)


def ordered_conditions(conds: list[Any], sort: str) -> list[Any]:
    """The page query's conditions: the visibility one (first) marked as mostly true where it helps."""
    if sort not in ORDERED_BY_INDEX or not conds:
        return conds
    return [mostly_true(conds[0]), *conds[1:]]


def _cache() -> ResultCache:
    return current_app.extensions.setdefault("listing_totals", ResultCache(TOTALS_TTL, TOTALS_SIZE))


def _state(model: Any) -> tuple[Any, Any]:
    """Cheap marks of the database's state: the newest outbox row and the newest listing (index lookups)."""
    outbox = db.session.scalar(select(func.max(OutboxEvent.id)))
    return outbox, db.session.scalar(select(func.max(model.id)))


def total(kind: str, model: Any, conds: list[Any], *, actor: Actor, filters: Any) -> int:
    """How many rows match: counted once per filter, scope and database state, then reused."""
    scope = policy.listing_scope_filter(actor)
    wanted = {k: v for k, v in vars(filters).items() if k not in ("sort", "page", "per_page", "after")}
    key = (
        kind,
        repr(sorted(wanted.items())),
        scope["everything"],
        tuple(scope["org_ids"]),
        tuple(scope["region_scopes"]),
        actor.org_id,
        _state(model),
    )
    found = _cache().get(key)
    if found is None:
        found = db.session.scalar(select(func.count()).select_from(model).where(*conds)) or 0
        _cache().put(key, found)
    return int(found)
