"""Reading listings: filtered, scoped lists and the per-viewer presentation (masking, hidden detail)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import false, func, or_, select

from matchmaker.auth import policy
from matchmaker.auth.actor import Actor
from matchmaker.extensions import db
from matchmaker.models import LISTING_MODELS
from matchmaker.models.listings import PUBLIC_STATUSES
from matchmaker.queries import keyset
from matchmaker.queries.scope import json_list_contains, region_clause
from matchmaker.services.listings import paging
from matchmaker.taxonomy import regions
from matchmaker.taxonomy.validators import mask_email, mask_phone


@dataclass
class ListingFilter:
    """Query parameters for listing needs or outputs."""

    field: str | None = None
    region: str | None = None
    status: str | None = None
    mode: str | None = None
    maturity: str | None = None
    budget_min: float | None = None
    budget_max: float | None = None
    deadline_after: date | None = None
    deadline_before: date | None = None
    org_id: int | None = None
    mine: bool = False
    sort: str = "newest"
    page: int = 1
    per_page: int = 20
    after: str | None = None


def visibility_clause(model: Any, actor: Actor, public: tuple[str, ...] = PUBLIC_STATUSES) -> Any:
    """Rows the actor may see: public ones, plus its own org's and its staff region's."""
    scope = policy.listing_scope_filter(actor)
    if scope["everything"]:
        return model.id.isnot(None)
    clauses = [model.status.in_(public)]
    if scope["org_ids"]:
        clauses.append(model.org_id.in_(scope["org_ids"]))
    clauses += [region_clause(model.region, code) for code in scope["region_scopes"]]
    return or_(*clauses)


def _filters(kind: str, model: Any, f: ListingFilter, actor: Actor) -> list[Any]:
    conds = [visibility_clause(model, actor)]
    if f.mine:
        conds.append(model.org_id == actor.org_id if actor.org_id else false())
    if f.org_id is not None:
        conds.append(model.org_id == f.org_id)
    if f.status:
        conds.append(model.status == f.status)
    if f.field:
        conds.append(json_list_contains(model.fields, f.field, prefix=True))
    if f.region:
        conds.append(region_clause(model.region, f.region))
    if f.mode:
        conds.append(json_list_contains(model.modes, f.mode))
    deadline = model.deadline if kind == "need" else model.valid_until
    if f.deadline_after:
        conds.append(deadline >= f.deadline_after)
    if f.deadline_before:
        conds.append(deadline <= f.deadline_before)
    if kind == "need":
        if f.maturity:
            conds.append(model.wanted_maturity == f.maturity)
        if f.budget_min is not None:
            conds.append(func.coalesce(model.budget_max, model.budget_min) >= f.budget_min)
        if f.budget_max is not None:
            conds.append(func.coalesce(model.budget_min, model.budget_max) <= f.budget_max)
    else:
        if f.maturity:
            conds.append(model.maturity == f.maturity)
        if f.budget_min is not None:
            conds.append(model.price >= f.budget_min)
        if f.budget_max is not None:
            conds.append(model.price <= f.budget_max)
    return conds


def list_listings(kind: str, *, actor: Actor, filters: ListingFilter) -> tuple[list[Any], int, str | None]:
    """One page of listings the actor may see, the total count, and the cursor of the next page.

    With ``after`` (a cursor from a previous page's ``next``) the page starts right after that row
    through the ordering keys; otherwise ``page`` counts from the start (OFFSET, for old clients).
    """
    model = LISTING_MODELS[kind]
    conds = _filters(kind, model, filters, actor)
    total = paging.total(kind, model, conds, actor=actor, filters=filters)
    keys = paging.sort_keys(kind, model, filters.sort)
    # Ids first, in order (the ordering index, narrow rows), then the page's rows by id: sorting or
    # skipping whole rows with their texts and organisation is what made deep pages slow.
    stmt = (
        select(model.id)
        .where(*paging.ordered_conditions(conds, filters.sort))
        .order_by(*(key.order() for key, _ in keys))
    )
    if filters.after:
        values = keyset.decode(filters.after, filters.sort, [key for key, _ in keys])
        stmt = stmt.where(keyset.after([key for key, _ in keys], values))
    else:
        stmt = stmt.offset((filters.page - 1) * filters.per_page)
    ids = list(db.session.scalars(stmt.limit(filters.per_page + 1)))
    loaded = {
        row.id: row
        for row in db.session.scalars(select(model).where(model.id.in_(ids[: filters.per_page]))).unique()
    }
    page = [loaded[i] for i in ids[: filters.per_page] if i in loaded]
    more = len(ids) > filters.per_page
    cursor = keyset.encode(filters.sort, [get(page[-1]) for _, get in keys]) if more else None
    return page, total, cursor


def present_listing(listing: Any, *, actor: Actor, connected: bool = False) -> dict[str, Any]:
    """The listing as this viewer may see it: detail hidden and contacts masked where the policy says."""
    data = {column.key: getattr(listing, column.key) for column in listing.__table__.columns}
    data["kind"] = listing.KIND
    data["org_name"] = listing.org.name if listing.org is not None else None
    data["region_name"] = regions.full_name(listing.region) if listing.region else None
    if listing.KIND == "need":
        data["indicators"] = indicator_dicts(listing.indicators)
    owner_view = policy.can_edit_listing(actor, listing) or policy.can_review_listing(actor, listing)
    if not owner_view:
        for key in (
            "reject_reason",
            "reviewed_by",
            "external_ref",
            "source",
            "owner_id",
            "collected_by",
            "answers",
        ):
            data.pop(key, None)
    if not policy.can_see_detail(actor, listing):
        data["detail"] = None
    if policy.can_see_contact(actor, listing, connected=connected):
        data["contact_visible"] = True
    else:
        data["contact_visible"] = False
        mask_contacts(data)
    return data


def mask_contacts(data: dict[str, Any]) -> None:
    """Mask the contact name, phone and e-mail of a presented listing or challenge in place."""
    name = data.get("contact_name")
    data["contact_name"] = name[:1] + "**" if name else ""
    data["contact_phone"] = mask_phone(data.get("contact_phone"))
    data["contact_email"] = mask_email(data.get("contact_email"))


def indicator_dicts(indicators: Any) -> list[dict[str, Any]]:
    """Indicators of a need or a 榜单 as plain dicts (with their ids)."""
    return [
        {"id": i.id, "name": i.name, "comparator": i.comparator, "target": float(i.target), "unit": i.unit}
        for i in indicators
    ]
