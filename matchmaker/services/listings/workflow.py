"""Listing workflow for needs (技术需求) and outputs (科技成果): create, edit, submit, review, close.

Edits to a published listing: contact details and the deadline (or validity) change in place;
any other field sends the listing back to review (status `submitted`), so nothing unreviewed is
ever shown in the public catalogue.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from matchmaker import etags
from matchmaker.announce import announce as notify
from matchmaker.auth import policy
from matchmaker.auth.actor import Actor
from matchmaker.errors import Conflict, Forbidden, NotFound, ValidationFailed
from matchmaker.extensions import db
from matchmaker.models import LISTING_MODELS, NeedIndicator, ResearchOutput, TechnologyNeed
from matchmaker.models.common import utcnow
from matchmaker.services import audit, trust
from matchmaker.services.intake import replace_indicators
from matchmaker.services.listings import intake
from matchmaker.services.outbox import record_change
from matchmaker.services.uow import lock, unit_of_work

CREATE_ROLE = {"need": "enterprise", "output": "researcher"}
NO_REVIEW_FIELDS = frozenset({"contact_name", "contact_phone", "contact_email", "deadline", "valid_until"})
KIND_LABEL = {"need": "技术需求", "output": "科技成果"}


def etag(listing: Any) -> str:
    """Strong ETag for a listing version."""
    return f'"{listing.KIND}-{listing.id}-v{listing.version}"'


def load_listing(kind: str, listing_id: int, *, actor: Actor) -> Any:
    """The listing if the actor may know it exists; NotFound otherwise."""
    listing = db.session.get(LISTING_MODELS[kind], listing_id)
    if listing is None or not policy.can_see_listing(actor, listing):
        raise NotFound(f"未找到该{KIND_LABEL[kind]}")
    return listing


def _check_deadline(kind: str, data: dict[str, Any]) -> None:
    key = "deadline" if kind == "need" else "valid_until"
    value = data.get(key)
    if isinstance(value, date) and value < date.today():
        raise ValidationFailed(errors={key: ["截止日期不能早于今天（must not be in the past）"]})


def _check_budget(data: dict[str, Any], current: Any = None) -> None:
    low = data.get("budget_min", getattr(current, "budget_min", None))
    high = data.get("budget_max", getattr(current, "budget_max", None))
    if low is not None and high is not None and float(low) > float(high):
        raise ValidationFailed(errors={"budget_max": ["预算上限不能低于下限（budget_max < budget_min）"]})


def check_rules(kind: str, data: dict[str, Any]) -> None:
    """Rules beyond the schema (deadline not past, budget range ordered); one ValidationFailed with
    every rule broken, so an import row hears of all its problems at once."""
    errors: dict[str, list[str]] = {}
    for rule in (lambda: _check_deadline(kind, data), lambda: _check_budget(data)):
        try:
            rule()
        except ValidationFailed as exc:
            errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors=errors)


def create_listing(kind: str, *, actor: Actor, data: dict[str, Any]) -> Any:
    """Create a draft listing owned by the actor's organisation."""
    if not actor.is_authenticated:
        raise Forbidden("请先登录")
    if not actor.has_role(CREATE_ROLE[kind], "admin") or actor.org_id is None:
        raise Forbidden(f"只有{'企业' if kind == 'need' else '科研人员'}账号可以发布{KIND_LABEL[kind]}")
    _check_deadline(kind, data)
    _check_budget(data)
    assert actor.user is not None
    org = actor.user.org
    data = {**data, "region": trust.listing_region(org, data)}
    defaults = {
        "contact_name": actor.user.name,
        "contact_phone": actor.user.phone or "",
        "contact_email": actor.user.email,
    }
    indicators = data.pop("indicators", None) or []
    with unit_of_work() as uow:
        listing = LISTING_MODELS[kind](
            **{**defaults, **{k: v for k, v in data.items() if v is not None}},
            org_id=actor.org_id,
            owner_id=actor.user_id,
            status="draft",
            version=1,
        )
        if indicators:
            replace_indicators(listing, indicators, NeedIndicator)
        db.session.add(listing)
        db.session.flush()
        audit.record(actor, "create", kind, listing.id)
        record_change(uow, listing)
    return listing


def update_listing(
    kind: str, listing_id: int, *, actor: Actor, data: dict[str, Any], if_match: str | None
) -> Any:
    """Apply a partial update; content edits to a published listing send it back to review."""
    listing = load_listing(kind, listing_id, actor=actor)
    if not policy.can_edit_listing(actor, listing):
        raise Forbidden("只能修改本单位发布的信息")
    _check_deadline(kind, data)
    indicators = data.pop("indicators", None)
    if "region" in data:
        data = {**data, "region": trust.listing_region(listing.org, data, listing.region)}
    with unit_of_work() as uow:
        lock(listing)  # If-Match, status and the version bump see the latest committed row
        etags.require_match(if_match, etag(listing))
        if listing.status in ("closed", "expired"):
            raise Conflict("已关闭或已过期的信息不能修改")
        _check_budget(data, listing)
        changed = {k for k, v in data.items() if getattr(listing, k) != v}
        if indicators is not None and replace_indicators(listing, indicators, NeedIndicator):
            changed.add("indicators")
        if not changed:
            return listing
        for key in changed - {"indicators"}:
            setattr(listing, key, data[key])
        back_to_review = listing.status == "published" and bool(changed - NO_REVIEW_FIELDS)
        if back_to_review:
            listing.status = "submitted"
            listing.submitted_at = utcnow()
        listing.version += 1
        listing.updated_at = utcnow()
        audit.record(actor, "update", kind, listing.id, fields=sorted(changed), back_to_review=back_to_review)
        record_change(uow, listing)
    return listing


# action -> (allowed from-statuses, to-status, who may do it)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "submit": (("draft", "rejected"), "submitted", "owner"),
    "publish": (("submitted",), "published", "reviewer"),
    "reject": (("submitted",), "rejected", "reviewer"),
    "unpublish": (("published",), "rejected", "reviewer"),
    "close": (("draft", "submitted", "published", "rejected"), "closed", "owner"),
}


def _authorize(action: str, who: str, actor: Actor, listing: Any) -> None:
    if who == "owner" and not policy.can_edit_listing(actor, listing):
        raise Forbidden("只能操作本单位的信息")
    if who == "reviewer" and not policy.can_review_listing(actor, listing):
        raise Forbidden(
            "该信息不在您的审核辖区内" if actor.has_role("staff") else "只有科技局工作人员可以审核"
        )


def transition(kind: str, listing_id: int, action: str, *, actor: Actor, reason: str | None = None) -> Any:
    """Move a listing through the review workflow, with an audit row and an outbox row."""
    sources, target, who = TRANSITIONS[action]
    listing = db.session.get(LISTING_MODELS[kind], listing_id)
    if listing is None:
        raise NotFound(f"未找到该{KIND_LABEL[kind]}")
    if who == "reviewer" and actor.has_role("staff", "admin"):
        _authorize(action, who, actor, listing)  # staff out of scope learn 403, not 404
    elif not policy.can_see_listing(actor, listing):
        raise NotFound(f"未找到该{KIND_LABEL[kind]}")
    _authorize(action, who, actor, listing)
    if action in ("reject", "unpublish") and not (reason and reason.strip()):
        raise ValidationFailed(errors={"reason": ["请填写退回原因（reason is required）"]})
    if action in ("submit", "publish"):
        trust.require_verified(
            listing.org, "提交审核或发布信息" if action == "submit" else "发布该单位的信息"
        )
    now = utcnow()
    with unit_of_work() as uow:
        if lock(listing).status not in sources:  # two reviewers at once: the second gets 409
            raise Conflict(f"当前状态（{listing.status}）不能执行该操作（{action}）")
        if action == "submit" and kind == "need":
            report = intake.check(listing, intake.siblings_of(listing))
            if not report.ready:
                raise ValidationFailed("需求信息尚不完整，请按提示修改后再提交", errors=report.errors())
        listing.status = target
        listing.version += 1
        listing.updated_at = now
        if action == "submit":
            listing.submitted_at, listing.reject_reason = now, None
        elif action == "publish":
            listing.published_at, listing.reviewed_by, listing.reject_reason = now, actor.user_id, None
        elif action in ("reject", "unpublish"):
            listing.reject_reason, listing.reviewed_by = reason, actor.user_id
        elif action == "close":
            listing.closed_at = now
        audit.record(actor, action, kind, listing.id, reason=reason, status=target)
        record_change(uow, listing)
        if action == "publish":
            from matchmaker.services.matches.ranking import request_match

            request_match(uow, kind, listing.id)
        if action in ("publish", "reject", "unpublish"):
            notify(
                uow,
                "listing.published" if action == "publish" else "listing.rejected",
                f"{kind}/{listing.id}@{listing.version}",
            )
    return listing


def delete_listing(kind: str, listing_id: int, *, actor: Actor) -> None:
    """Delete a draft or rejected listing; published ones are closed, never deleted."""
    listing = load_listing(kind, listing_id, actor=actor)
    if not policy.can_edit_listing(actor, listing):
        raise Forbidden("只能删除本单位的信息")
    with unit_of_work() as uow:
        if lock(listing).status not in ("draft", "rejected"):
            raise Conflict("只有草稿或被退回的信息可以删除；已提交或已发布的请关闭")
        listing.version += 1
        record_change(uow, listing, op="delete")
        audit.record(actor, "delete", kind, listing.id)
        db.session.delete(listing)


def expire_listings(*, actor: Actor, today: date | None = None) -> int:
    """Mark published listings whose deadline has passed as expired; returns how many."""
    today = today or date.today()
    count = 0
    for kind, model in LISTING_MODELS.items():
        column = TechnologyNeed.deadline if kind == "need" else ResearchOutput.valid_until
        due = db.select(model).where(model.status == "published", column < today).with_for_update(of=model)
        rows = db.session.scalars(due).all()
        with unit_of_work() as uow:
            for listing in rows:
                listing.status, listing.version, listing.updated_at = "expired", listing.version + 1, utcnow()
                audit.record(actor, "expire", kind, listing.id)
                record_change(uow, listing)
        count += len(rows)
    return count
