"""The audit log: rows written inside the caller's transaction, and read by staff in scope and admins."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from matchmaker.auth import policy
from matchmaker.auth.actor import Actor
from matchmaker.errors import Forbidden
from matchmaker.extensions import db
from matchmaker.models import LISTING_MODELS, AuditLog, User
from matchmaker.queries.audit import AuditFilter, conditions, reveal_conditions


def record(actor: Actor, action: str, object_type: str, object_id: int | None, **detail: Any) -> AuditLog:
    """Add one audit row for a state change, review decision or contact reveal."""
    row = AuditLog(
        actor_id=actor.user_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        request_id=actor.request_id,
        ip=actor.ip,
        detail=detail,
    )
    db.session.add(row)
    return row


# --- reading the log (staff: their region's objects; admins: everything) ---------------------------

ACTION_LABELS = {
    "create": "创建",
    "update": "修改",
    "delete": "删除",
    "submit": "提交审核",
    "publish": "审核发布",
    "reject": "退回",
    "unpublish": "撤回发布",
    "close": "关闭",
    "expire": "到期",
    "contact_reveal": "查看联系方式",
    "match_interest": "表达对接意向",
    "match_connect": "对接成功",
    "match_agreement": "签订合作协议",
    "match_contract": "登记技术合同",
    "verify": "认证单位",
    "common_tech_mark": "标记共性关键技术需求",
    "common_tech_unmark": "取消共性关键技术需求标记",
    "login": "登录",
    "confirm": "确认（科技副总三方）",
    "recommend": "推荐至省",
    "decline": "不予推荐",
    "province_approved": "登记省级立项",
    "province_not_approved": "登记省级未立项",
    "report": "提交年度工作报告",
    "countersign": "企业签署年度报告",
    "assess": "期满考核",
}


def _scopes(actor: Actor) -> list[str] | None:
    if policy.is_admin(actor):
        return None
    if not actor.has_role("staff") or actor.user is None or not actor.user.region_scope:
        raise Forbidden("只有科技局工作人员和管理员可以查看操作日志")
    return [actor.user.region_scope]


def _names(user_ids: set[int]) -> dict[int, User]:
    if not user_ids:
        return {}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(user_ids)))}


def present(rows: list[AuditLog]) -> list[dict[str, Any]]:
    """Rows as dicts with the actor's name and unit and the action in Chinese."""
    users = _names({r.actor_id for r in rows if r.actor_id is not None})
    out = []
    for r in rows:
        user = users.get(r.actor_id) if r.actor_id is not None else None
        out.append(
            {
                "id": r.id,
                "at": r.at,
                "actor_id": r.actor_id,
                "actor_name": user.name if user else "系统",
                "actor_org": user.org.name if user and user.org else "",
                "action": r.action,
                "action_label": ACTION_LABELS.get(r.action, r.action),
                "object_type": r.object_type,
                "object_id": r.object_id,
                "request_id": r.request_id,
                "ip": r.ip,
                "detail": r.detail or {},
            }
        )
    return out


def read_log(*, actor: Actor, filters: AuditFilter, limit: int | None = None) -> tuple[list[dict], int]:
    """One page of the log the actor may read, newest first, and the total (``limit``: export)."""
    conds = conditions(filters, _scopes(actor))
    total = db.session.scalar(select(func.count()).select_from(AuditLog).where(*conds)) or 0
    stmt = select(AuditLog).where(*conds).order_by(AuditLog.at.desc(), AuditLog.id.desc())
    if limit is not None:
        stmt = stmt.limit(limit)
    else:
        stmt = stmt.limit(filters.per_page).offset((filters.page - 1) * filters.per_page)
    return present(list(db.session.scalars(stmt))), total


def contact_reveals(*, actor: Actor, page: int = 1, per_page: int = 50) -> tuple[list[dict], int]:
    """Who saw the contact details of my unit's needs and outputs, and when (newest first)."""
    if actor.org_id is None:
        return [], 0
    conds = reveal_conditions(actor.org_id)
    total = db.session.scalar(select(func.count()).select_from(AuditLog).where(*conds)) or 0
    stmt = select(AuditLog).where(*conds).order_by(AuditLog.at.desc(), AuditLog.id.desc())
    rows = list(db.session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)))
    items = present(rows)
    titles = _listing_titles(rows)
    for item in items:
        item["listing_title"] = titles.get((item["object_type"], item["object_id"]), "")
        item["match_id"] = item["detail"].get("match_id")
    return items, total


def _listing_titles(rows: list[AuditLog]) -> dict[tuple[str, int], str]:
    """(kind, id) -> title of the needs and outputs the rows name, one query per kind."""
    wanted: dict[str, set[int]] = {}
    for row in rows:
        if row.object_type in LISTING_MODELS and row.object_id is not None:
            wanted.setdefault(row.object_type, set()).add(row.object_id)
    titles: dict[tuple[str, int], str] = {}
    for kind, ids in wanted.items():
        model = LISTING_MODELS[kind]
        for listing_id, title in db.session.execute(select(model.id, model.title).where(model.id.in_(ids))):
            titles[(kind, listing_id)] = title
    return titles
