"""技术转移清单: staff marking needs as 共性关键技术 of an industry chain.

Marking a published need as a common key technology (产业(行业)共性关键技术) of an industry chain
is for staff whose scope holds the need's county; every mark and unmark is audited.
"""

from __future__ import annotations

from sqlalchemy import select

from matchmaker.auth import policy
from matchmaker.auth.actor import Actor
from matchmaker.errors import Conflict, Forbidden, NotFound, ValidationFailed
from matchmaker.extensions import db
from matchmaker.models import CommonTechMark, TechnologyNeed
from matchmaker.models.common import utcnow
from matchmaker.services import audit
from matchmaker.services.uow import lock, unit_of_work

CHAIN_SUFFIXES = ("产业链", "产业")


def chain_name(text: str) -> str:
    """The chain as the list groups it: 「石油装备产业链」 and 「石油装备」 are one chain."""
    name = "".join(text.split())
    for suffix in CHAIN_SUFFIXES:
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    if not name:
        raise ValidationFailed(errors={"chain": ["请填写所属产业链，如「石油装备」"]})
    return name


def _in_scope(need_id: int, actor: Actor, action: str) -> TechnologyNeed:
    need = db.session.get(TechnologyNeed, need_id)
    if need is None or not policy.can_see_listing(actor, need):
        raise NotFound("未找到该技术需求")
    if not (policy.is_admin(actor) or policy.staff_covers(actor, need.region)):
        raise Forbidden(f"只有需求所在地区的科技局工作人员可以{action}共性关键技术需求标记")
    return need


def mark_need(need_id: int, *, actor: Actor, chain: str, note: str = "") -> CommonTechMark:
    """Mark (or re-mark) a published need as a 共性关键技术 of the chain; idempotent for the same chain."""
    need = _in_scope(need_id, actor, "设置")
    if need.status != "published":
        raise Conflict("只有已发布的技术需求可以标记为共性关键技术需求")
    name = chain_name(chain)
    with unit_of_work():
        lock(need)  # two officers marking at once: the second sees the first's mark and updates it
        mark = db.session.scalar(select(CommonTechMark).filter_by(need_id=need.id))
        if mark is not None and (mark.chain, mark.note) == (name, note):
            return mark
        before = mark.chain if mark is not None else None
        if mark is None:
            mark = CommonTechMark(need_id=need.id)
            db.session.add(mark)
        mark.chain, mark.note, mark.marked_by, mark.marked_at = name, note, actor.user_id, utcnow()
        audit.record(actor, "common_tech_mark", "need", need.id, chain=name, before=before)
    return mark


def unmark_need(need_id: int, *, actor: Actor) -> None:
    """Take the 共性关键技术 mark off a need (nothing happens when it has none)."""
    need = _in_scope(need_id, actor, "取消")
    with unit_of_work():
        mark = db.session.scalar(select(CommonTechMark).filter_by(need_id=need.id))
        if mark is not None:
            audit.record(actor, "common_tech_unmark", "need", need.id, chain=mark.chain)
            db.session.delete(mark)
