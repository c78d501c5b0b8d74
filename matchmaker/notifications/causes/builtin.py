"""Built-in causes: new matches, the other side's interest and connection, review results, digest, codes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.matching.calibration import percent
from matchmaker.models import LISTING_MODELS, Match, User
from matchmaker.notifications.causes.registry import Cause, Event, register
from matchmaker.notifications.links import link
from matchmaker.taxonomy import regions

KIND_LABEL = {"need": "技术需求", "output": "科技成果"}


def org_users(org_ids: list[int]) -> list[int]:
    """Active members of the organisations."""
    stmt = select(User.id).where(User.org_id.in_(org_ids), User.is_active.is_(True)).order_by(User.id)
    return list(db.session.scalars(stmt))


def ref_id(ref: str) -> int:
    """The object id in a reference such as ``match/12`` or ``event/7@v2``."""
    return int(ref.partition("/")[2].partition("@")[0])


def _split(ref: str) -> tuple[str, int]:
    return ref.partition("/")[0], ref_id(ref)


def staff_in(region: str) -> list[int]:
    """Active staff whose region scope contains the region."""
    stmt = select(User).where(User.is_active.is_(True), User.region_scope.isnot(None)).order_by(User.id)
    return [
        u.id
        for u in db.session.scalars(stmt).unique()
        if u.has_role("staff") and regions.within(u.region_scope or "", region)
    ]


def _match_context(match: Match, side: str) -> dict[str, Any]:
    mine, other = (match.need, match.output) if side == "need" else (match.output, match.need)
    return {
        "my_kind": KIND_LABEL[mine.KIND],
        "my_title": mine.title,
        "other_kind": KIND_LABEL[other.KIND],
        "other_title": other.title,
        "score": percent(match.score),
        "explanation": match.explanation,
        "link": link("match", id=match.id),
    }


def _by_side(match: Match) -> Any:
    def per_user(user: User) -> dict[str, Any]:
        """The match as the reader's side sees it."""
        return _match_context(match, "need" if user.org_id == match.need_org_id else "output")

    return per_user


def load_match_new(ref: str, extra: Mapping[str, Any]) -> Event | None:
    """A new strong match: the side the pending push names (``org_id``), or both sides."""
    match = db.session.get(Match, _split(ref)[1])
    if match is None or match.status != "proposed":
        return None
    orgs = [extra["org_id"]] if extra.get("org_id") else [match.need_org_id, match.output_org_id]
    return Event(recipients=org_users(orgs), per_user=_by_side(match))


def load_match_interested(ref: str, extra: Mapping[str, Any]) -> Event | None:
    """The side that has not answered yet hears that the other side is interested."""
    match = db.session.get(Match, _split(ref)[1])
    if match is None or match.status != "proposed":
        return None
    waiting = [s for s in ("need", "output") if getattr(match, f"{s}_side") != "interested"]
    if len(waiting) != 1:
        return None
    org_id = match.need_org_id if waiting[0] == "need" else match.output_org_id
    return Event(recipients=org_users([org_id]), context=_match_context(match, waiting[0]))


def load_match_connected(ref: str, extra: Mapping[str, Any]) -> Event | None:
    """Both sides hear that contacts are now visible to each other."""
    match = db.session.get(Match, _split(ref)[1])
    if match is None or match.connected_at is None:
        return None
    return Event(recipients=org_users([match.need_org_id, match.output_org_id]), per_user=_by_side(match))


def load_listing(ref: str, extra: Mapping[str, Any]) -> Event | None:
    """The owner organisation of a reviewed listing; the reason when it was sent back."""
    kind, listing_id = _split(ref)
    listing = db.session.get(LISTING_MODELS[kind], listing_id)
    if listing is None:
        return None
    context = {
        "kind_label": KIND_LABEL[kind],
        "title": listing.title,
        "reason": listing.reject_reason or "",
        "link": link(kind, id=listing.id),
    }
    return Event(recipients=org_users([listing.org_id]), context=context)


register(
    Cause(
        name="match.new",
        kind="match",
        subject="【匹配推荐】您的{{ my_kind }}有新的{{ other_kind }}匹配（匹配度 {{ score }}%）",
        lines=(
            "平台为您发布的{{ my_kind }}《{{ my_title }}》推荐了{{ other_kind }}《{{ other_title }}》，"
            "匹配度 {{ score }}%。",
            "推荐理由：{{ explanation }}",
        ),
        sms="您发布的{{ my_kind }}《{{ my_title }}》有新的匹配推荐，请登录平台查看。",
        sms_params=("my_kind", "my_title"),
        personalised=True,
        loader=load_match_new,
    )
)
register(
    Cause(
        name="match.interested",
        kind="match",
        subject="【对接意向】对方对您的{{ my_kind }}表示了合作意向",
        lines=(
            "{{ other_kind }}《{{ other_title }}》的发布方"
            "对您的{{ my_kind }}《{{ my_title }}》表示了合作意向。",
            "如您也有意向，请登录平台确认；双方确认后可查看彼此的联系方式。",
        ),
        sms="您发布的{{ my_kind }}《{{ my_title }}》收到合作意向，请登录平台查看。",
        sms_params=("my_kind", "my_title"),
        loader=load_match_interested,
    )
)
register(
    Cause(
        name="match.connected",
        kind="match",
        subject="【对接成功】双方均已确认合作意向，可查看联系方式",
        lines=(
            "您的{{ my_kind }}《{{ my_title }}》与{{ other_kind }}《{{ other_title }}》"
            "双方均已确认合作意向。",
            "现在可以在平台上查看对方的联系方式，祝合作顺利。",
        ),
        sms="您的{{ my_kind }}《{{ my_title }}》对接成功，可登录平台查看对方联系方式。",
        sms_params=("my_kind", "my_title"),
        loader=load_match_connected,
    )
)
register(
    Cause(
        name="listing.published",
        kind="listing",
        subject="【审核通过】您的{{ kind_label }}已发布",
        lines=("您提交的{{ kind_label }}《{{ title }}》已通过科技局审核并正式发布。",),
        sms="您提交的{{ kind_label }}《{{ title }}》已审核通过并发布。",
        sms_params=("kind_label", "title"),
        loader=load_listing,
    )
)
register(
    Cause(
        name="listing.rejected",
        kind="listing",
        subject="【审核退回】您的{{ kind_label }}需要修改",
        lines=(
            "您提交的{{ kind_label }}《{{ title }}》未通过审核，已退回修改。",
            "退回原因：{{ reason }}",
        ),
        sms="您提交的{{ kind_label }}《{{ title }}》被退回，请登录平台查看原因并修改。",
        sms_params=("kind_label", "title"),
        loader=load_listing,
    )
)
register(
    Cause(
        name="digest.weekly",
        kind="digest",
        subject="【需求信息汇编】{{ period }} 新发布的需求、成果与待处理匹配",
        lines=(),
        sms=None,
        channels=("email",),
        email_template="digest",
        personalised=True,
    )
)
register(
    Cause(
        name="verify.code",
        kind="account",
        subject="【验证码】您正在绑定{{ target_label }}",
        lines=("您的验证码是 {{ code }}，{{ ttl }} 分钟内有效。", "如非本人操作，请忽略本消息。"),
        sms="您的验证码为{{ code }}，{{ ttl }}分钟内有效，请勿泄露。",
        sms_params=("code", "ttl"),
        channels=(),
        transactional=True,
    )
)
register(
    Cause(
        name="password.reset",
        kind="account",
        subject="【验证码】您正在重置登录密码",
        lines=(
            "您的验证码是 {{ code }}，{{ ttl }} 分钟内有效。",
            "如非本人操作，请忽略本消息，您的密码不会改变。",
        ),
        sms="您正在重置密码，验证码为{{ code }}，{{ ttl }}分钟内有效，请勿泄露。",
        sms_params=("code", "ttl"),
        channels=(),
        transactional=True,
    )
)
