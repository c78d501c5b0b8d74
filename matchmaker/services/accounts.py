"""Accounts: registration, login and logout, admin user management, organisation profiles."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select

from matchmaker.auth import policy
from matchmaker.auth.actor import Actor
from matchmaker.auth.passwords import hash_password, needs_rehash, verify_password
from matchmaker.auth.tokens import issue_token
from matchmaker.errors import Conflict, Forbidden, NotFound, Unauthorized, ValidationFailed
from matchmaker.extensions import db
from matchmaker.models import ApiToken, Organization, User
from matchmaker.models.common import utcnow
from matchmaker.services import audit
from matchmaker.services.notifications import record_consent
from matchmaker.services.uow import unit_of_work
from matchmaker.taxonomy.validators import normalize_mobile

SELF_SERVICE_ROLES = {"enterprise", "researcher", "expert"}
_dummy: list[str] = []


def _dummy_hash() -> str:
    """A hash to verify against for unknown logins, so they cost as much as a wrong password."""
    if not _dummy:
        _dummy.append(hash_password("timing-equaliser"))
    return _dummy[0]


def _ensure_unique(email: str, phone: str | None, exclude_id: int | None = None) -> None:
    clauses = [func.lower(User.email) == email.lower()]
    if phone:
        clauses.append(User.phone == phone)
    stmt = select(User).where(or_(*clauses))
    if exclude_id is not None:
        stmt = stmt.where(User.id != exclude_id)
    existing = db.session.scalar(stmt)
    if existing is not None:
        field = "email" if existing.email.lower() == email.lower() else "phone"
        raise Conflict("该邮箱或手机号已注册", errors={field: ["已被其他账号使用（already registered）"]})


def register(*, actor: Actor, data: dict[str, Any]) -> User:
    """Self-registration: a new user with a new, unverified organisation."""
    roles = set(data["roles"])
    if not roles <= SELF_SERVICE_ROLES:
        raise ValidationFailed(errors={"roles": ["只能自助注册企业、科研人员或专家角色"]})
    phone = normalize_mobile(data["phone"]) if data.get("phone") else None
    _ensure_unique(data["email"], phone)
    org_data = data["organization"]
    if org_data.get("uscc") and db.session.scalar(
        select(Organization).where(Organization.uscc == org_data["uscc"])
    ):
        raise Conflict(
            "该统一社会信用代码已注册，请联系本单位已有账号或管理员添加成员",
            errors={"organization": {"uscc": ["已注册（already registered）"]}},
        )
    with unit_of_work():
        org = Organization(**org_data, verified=False)
        db.session.add(org)
        db.session.flush()
        user = User(
            org_id=org.id,
            name=data["name"],
            email=data["email"].lower(),
            phone=phone,
            password_hash=hash_password(data["password"]),
            roles=sorted(roles),
            title=data.get("title", ""),
        )
        db.session.add(user)
        db.session.flush()
        for purpose in sorted(set(data.get("consents") or [])):
            record_consent(user_id=user.id, purpose=purpose, granted=True, source="registration", ip=actor.ip)
        audit.record(
            Actor(user=user, request_id=actor.request_id, ip=actor.ip),
            "register",
            "user",
            user.id,
            org_id=org.id,
        )
    return user


def login(*, actor: Actor, login: str, password: str, ttl_hours: int) -> tuple[str, ApiToken]:
    """Check credentials (email or mobile) and issue a bearer token."""
    ident = login.strip()
    phone = normalize_mobile(ident) if "@" not in ident else None
    stmt = (
        select(User).where(User.phone == phone)
        if phone
        else select(User).where(func.lower(User.email) == ident.lower())
    )
    user = db.session.scalar(stmt)
    if user is None or not user.is_active:
        verify_password(_dummy_hash(), password)
        raise Unauthorized("账号或密码错误")
    if not verify_password(user.password_hash, password):
        raise Unauthorized("账号或密码错误")
    with unit_of_work():
        if needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        user.last_login_at = utcnow()
        plain, row = issue_token(user, ttl_hours)
        db.session.flush()
        audit.record(Actor(user=user, request_id=actor.request_id, ip=actor.ip), "login", "user", user.id)
    return plain, row


def logout(*, actor: Actor) -> None:
    """Revoke the token the actor is using."""
    if actor.token_id is None:
        raise Unauthorized()
    with unit_of_work():
        row = db.session.get(ApiToken, actor.token_id)
        if row is not None and row.revoked_at is None:
            row.revoked_at = utcnow()
        audit.record(actor, "logout", "user", actor.user_id)


def _require_admin(actor: Actor) -> None:
    if not policy.is_admin(actor):
        raise Forbidden("仅管理员可操作")


def list_users(*, actor: Actor, page: int, per_page: int, role: str | None = None) -> tuple[list[User], int]:
    """Admin: one page of users."""
    _require_admin(actor)
    stmt = select(User)
    if role:
        stmt = stmt.where(func.cast(User.roles, db.String).like(f'%"{role}"%'))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(stmt.order_by(User.id).limit(per_page).offset((page - 1) * per_page)).unique()
    return list(rows), total


def _check_staff_scope(roles: list[str], region_scope: str | None) -> None:
    if "staff" in roles and not region_scope:
        raise ValidationFailed(
            errors={"region_scope": ["科技局工作人员必须指定辖区（staff need a region scope）"]}
        )


def create_user(*, actor: Actor, data: dict[str, Any]) -> User:
    """Admin: create any user, including staff with a region scope and other admins."""
    _require_admin(actor)
    phone = normalize_mobile(data["phone"]) if data.get("phone") else None
    _ensure_unique(data["email"], phone)
    _check_staff_scope(data["roles"], data.get("region_scope"))
    if data.get("org_id") is not None and db.session.get(Organization, data["org_id"]) is None:
        raise ValidationFailed(errors={"org_id": ["单位不存在（no such organization）"]})
    with unit_of_work():
        user = User(
            org_id=data.get("org_id"),
            name=data["name"],
            email=data["email"].lower(),
            phone=phone,
            password_hash=hash_password(data["password"]),
            roles=sorted(set(data["roles"])),
            region_scope=data.get("region_scope"),
            title=data.get("title", ""),
        )
        db.session.add(user)
        db.session.flush()
        audit.record(actor, "create", "user", user.id, roles=user.roles)
    return user


def update_user(user_id: int, *, actor: Actor, data: dict[str, Any]) -> User:
    """Admin: change roles, scope, active flag or name."""
    _require_admin(actor)
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("用户不存在")
    roles = data.get("roles", user.roles)
    _check_staff_scope(roles, data.get("region_scope", user.region_scope))
    with unit_of_work():
        for key, value in data.items():
            setattr(user, key, sorted(set(value)) if key == "roles" else value)
        if data.get("is_active") is False:
            for token in db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)):
                token.revoked_at = token.revoked_at or utcnow()
        audit.record(actor, "update", "user", user.id, fields=sorted(data))
    return user


def get_org(org_id: int) -> Organization:
    """An organisation's public profile."""
    org = db.session.get(Organization, org_id)
    if org is None:
        raise NotFound("单位不存在")
    return org


def list_orgs(*, kind: str | None, region: str | None, q: str | None, page: int, per_page: int):
    """Public directory of organisations."""
    from matchmaker.queries.scope import region_clause

    stmt = select(Organization)
    if kind:
        stmt = stmt.where(Organization.kind == kind)
    if region:
        stmt = stmt.where(region_clause(Organization.region, region))
    if q:
        stmt = stmt.where(Organization.name.contains(q))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(stmt.order_by(Organization.id).limit(per_page).offset((page - 1) * per_page))
    return list(rows), total


def update_org(org_id: int, *, actor: Actor, data: dict[str, Any]) -> Organization:
    """Members edit their organisation's profile (never its verified flag)."""
    org = get_org(org_id)
    if not policy.can_manage_org(actor, org_id):
        raise Forbidden("只能修改本单位资料")
    if "uscc" in data and data["uscc"] != org.uscc:
        if org.verified:
            raise Conflict("已认证单位不能自行修改统一社会信用代码，请联系科技局")
        if db.session.scalar(select(Organization.id).where(Organization.uscc == data["uscc"])):
            raise Conflict(
                "该统一社会信用代码已被其他单位使用", errors={"uscc": ["已注册（already registered）"]}
            )
    with unit_of_work():
        for key, value in data.items():
            setattr(org, key, value)
        audit.record(actor, "update", "organization", org.id, fields=sorted(data))
    return org


def verify_org(org_id: int, *, actor: Actor, verified: bool) -> Organization:
    """Staff in scope mark an organisation verified (or not)."""
    org = get_org(org_id)
    if not policy.can_verify_org(actor, org):
        raise Forbidden("该单位不在您的辖区内" if actor.has_role("staff") else "仅科技局工作人员可认证单位")
    with unit_of_work():
        org.verified = verified
        audit.record(actor, "verify" if verified else "unverify", "organization", org.id)
    return org
