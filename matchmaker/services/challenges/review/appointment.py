"""Who is an expert reviewer (评审专家): appointed by bureau staff, never self-declared.

Staff whose region scope holds the person's unit (and admins) appoint or withdraw the ``expert``
role; ``flask experts import`` appoints the people of a bureau's existing expert pool in bulk. A
person whose unit is not (or no longer) verified cannot be appointed and drops out of the pool
(pool._active_profiles) until the unit is verified again.
"""

from __future__ import annotations

from matchmaker.auth import policy
from matchmaker.auth.actor import Actor
from matchmaker.errors import Forbidden, NotFound
from matchmaker.extensions import db
from matchmaker.models import User
from matchmaker.services import audit, trust
from matchmaker.services.uow import unit_of_work


def appoint(user_id: int, *, actor: Actor, appointed: bool = True) -> User:
    """Give (or take away) the expert role; staff in scope of the person's unit, or admins."""
    user = db.session.get(User, user_id)
    if user is None or not user.is_active:
        raise NotFound("用户不存在")
    if user.org is None or not policy.can_verify_org(actor, user.org):
        raise Forbidden(
            "该专家所在单位不在您的辖区内" if actor.has_role("staff") else "评审专家由科技局工作人员认定"
        )
    if appointed:
        trust.require_verified(user.org, "认定其人员为评审专家")
    roles = set(user.roles or [])
    roles = roles | {"expert"} if appointed else roles - {"expert"}
    with unit_of_work():
        user.roles = sorted(roles)
        audit.record(actor, "expert_appoint" if appointed else "expert_withdraw", "user", user.id)
    return user
