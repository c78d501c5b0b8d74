"""Causes of 揭榜挂帅 lists and applications: review queue, decisions, the push to matching teams,
the window closing, cancellation, and applications submitted or withdrawn.

References: ``challenge/<id>@<version>`` for a decision on a list, ``challenge/<id>`` for the
one-off push to matching researchers, ``challenge_application/<id>@<version>`` for applications.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from matchmaker.extensions import db
from matchmaker.models import Challenge, ChallengeApplication, User
from matchmaker.models.common import CHINA
from matchmaker.notifications.causes.builtin import org_users, ref_id, staff_in
from matchmaker.notifications.causes.registry import Cause, Event, register
from matchmaker.notifications.links import link
from matchmaker.queries.challenges import reviewed_applications


def beijing(moment: datetime | None) -> str:
    """A time as Beijing wall-clock text, e.g. 2026-12-01 17:00."""
    return moment.astimezone(CHINA).strftime("%Y-%m-%d %H:%M") if moment else "—"


def applicant_users(applications: list[ChallengeApplication]) -> list[int]:
    """Members of every unit (lead or platform consortium member) of the applications."""
    orgs = {org for app in applications for org in app.org_ids()}
    return org_users(sorted(orgs)) if orgs else []


def _everyone(challenge: Challenge, applications: list[ChallengeApplication]) -> list[int]:
    """The posting unit, staff in scope and the applicant teams, each once."""
    recipients = org_users([challenge.org_id]) + staff_in(challenge.region) + applicant_users(applications)
    return list(dict.fromkeys(recipients))


def _context(challenge: Challenge) -> dict[str, Any]:
    return {
        "title": challenge.title,
        "org_name": challenge.org.name if challenge.org else "",
        "reason": challenge.reject_reason or "",
        "closes": beijing(challenge.apply_closes_at),
        "bounty": f"{challenge.bounty_total:g}" if challenge.bounty_total else "面议",
        "link": link("challenge", id=challenge.id),
    }


def _challenge(ref: str) -> Challenge | None:
    return db.session.get(Challenge, ref_id(ref))


def load_submitted(ref: str, extra: Mapping[str, Any]) -> Event | None:
    """Staff in scope hear that a list waits for their review."""
    challenge = _challenge(ref)
    if challenge is None or challenge.status != "submitted":
        return None
    return Event(recipients=staff_in(challenge.region), context=_context(challenge))


def load_poster(ref: str, extra: Mapping[str, Any]) -> Event | None:
    """The posting unit hears the review decision on its list."""
    challenge = _challenge(ref)
    if challenge is None:
        return None
    return Event(recipients=org_users([challenge.org_id]), context=_context(challenge))


def load_closed(ref: str, extra: Mapping[str, Any]) -> Event | None:
    """Poster, staff in scope and applicants hear that the window has closed."""
    challenge = _challenge(ref)
    if challenge is None or challenge.closed_at is None:
        return None
    applications = reviewed_applications(challenge)
    # closed early by staff: the moment it closed, not the deadline it never reached
    closes = beijing(min(challenge.closed_at, challenge.apply_closes_at or challenge.closed_at))
    context = {**_context(challenge), "count": len(applications), "closes": closes}
    return Event(recipients=_everyone(challenge, applications), context=context)


def load_cancelled(ref: str, extra: Mapping[str, Any]) -> Event | None:
    """The posting unit, applicants and staff in scope hear that a list was cancelled."""
    challenge = _challenge(ref)
    if challenge is None or challenge.status != "cancelled":
        return None
    return Event(
        recipients=_everyone(challenge, reviewed_applications(challenge)), context=_context(challenge)
    )


def load_recommended(ref: str, extra: Mapping[str, Any]) -> Event | None:
    """Owners of the outputs that best match a newly published list (a personalised recommendation)."""
    from matchmaker.queries.challenge_matches import push_targets

    challenge = _challenge(ref)
    if challenge is None or challenge.status != "published":
        return None
    best: dict[int, Any] = {}
    for item in push_targets(challenge):  # best first: each reader hears about their best output
        owners = [item.output.owner_id] if item.output.owner_id else org_users([item.output.org_id])
        for user_id in owners:
            best.setdefault(user_id, item)

    def per_user(user: User) -> dict[str, Any] | None:
        """The reader's own best-matching output and why it matches."""
        item = best.get(user.id)
        if item is None:
            return None
        return {"output_title": item.output.title, "explanation": item.explanation}

    return Event(recipients=list(best), context=_context(challenge), per_user=per_user)


def load_application(ref: str, extra: Mapping[str, Any]) -> Event | None:
    """The posting unit hears of an application; the lead unit gets the confirmation."""
    application = db.session.get(ChallengeApplication, ref_id(ref))
    if application is None:
        return None
    challenge = application.challenge
    lead = application.lead_org.name if application.lead_org else ""
    context = {**_context(challenge), "lead": lead}

    def per_user(user: User) -> dict[str, Any]:
        """Who is reading: the poster or the team."""
        mine = user.org_id == application.lead_org_id
        return {"whose": "您单位" if mine else lead}

    recipients = org_users([challenge.org_id])
    if application.status == "submitted":
        recipients += org_users([application.lead_org_id])
    return Event(recipients=recipients, context=context, per_user=per_user)


def register_challenge_cause(
    name: str, subject: str, lines: tuple[str, ...], sms: str, loader: Any, **kw: Any
) -> None:
    """Register a 揭榜挂帅 cause (kind ``challenge``; the SMS names the list's title)."""
    register(
        Cause(
            name=name, kind="challenge", subject=subject, lines=lines, sms=sms, sms_params=("title",),
            loader=loader, **kw,
        )
    )  # fmt: skip


register_challenge_cause(
    "challenge.list_submitted",
    "【榜单待审】{{ org_name }}提交了榜单《{{ title }}》",
    ("{{ org_name }}提交了揭榜挂帅榜单《{{ title }}》，请及时审核并设置揭榜申报期。",),
    "有新的揭榜挂帅榜单《{{ title }}》待审核，请登录平台处理。",
    load_submitted,
)
register_challenge_cause(
    "challenge.list_published",
    "【榜单发布】您的榜单《{{ title }}》已发布",
    ("您提交的榜单《{{ title }}》已通过科技局审核并正式发布，揭榜申报截止时间：{{ closes }}。",),
    "您的榜单《{{ title }}》已审核通过并发布。",
    load_poster,
)
register_challenge_cause(
    "challenge.list_rejected",
    "【榜单退回】您的榜单《{{ title }}》需要修改",
    (
        "您提交的榜单《{{ title }}》未通过审核，已退回修改。",
        "退回原因：{{ reason }}",
        "修改后可重新提交审核。",
    ),
    "您的榜单《{{ title }}》被退回，请登录平台查看原因并修改。",
    load_poster,
)
register_challenge_cause(
    "challenge.recommended",
    "【揭榜推荐】新榜单《{{ title }}》与您的成果相关",
    (
        "{{ org_name }}发布了揭榜挂帅榜单《{{ title }}》，",
        "榜单金额 {{ bounty }} 万元，申报截止 {{ closes }}。",
        "与您的成果《{{ output_title }}》相关：{{ explanation }}",
        "欢迎组织团队揭榜。",
    ),
    "新榜单《{{ title }}》与您的成果相关，欢迎登录平台揭榜。",
    load_recommended,
    personalised=True,
)
register_challenge_cause(
    "challenge.window_closed",
    "【申报截止】榜单《{{ title }}》揭榜申报已截止",
    ("榜单《{{ title }}》的揭榜申报已于 {{ closes }} 截止，共收到 {{ count }} 份申请，进入评审阶段。",),
    "榜单《{{ title }}》揭榜申报已截止，进入评审阶段。",
    load_closed,
)
register_challenge_cause(
    "challenge.cancelled",
    "【榜单取消】榜单《{{ title }}》已取消",
    ("榜单《{{ title }}》已取消。", "原因：{{ reason }}"),
    "榜单《{{ title }}》已取消，详情请登录平台查看。",
    load_cancelled,
)
register_challenge_cause(
    "challenge.application_submitted",
    "【揭榜申请】{{ whose }}已揭榜《{{ title }}》",
    ("{{ whose }}已提交榜单《{{ title }}》的揭榜申请，申报截止 {{ closes }}，截止后进入专家评审。",),
    "榜单《{{ title }}》收到揭榜申请，请登录平台查看。",
    load_application,
)
register_challenge_cause(
    "challenge.application_withdrawn",
    "【撤回申请】{{ lead }}撤回了对《{{ title }}》的揭榜申请",
    ("{{ lead }}已撤回对榜单《{{ title }}》的揭榜申请。",),
    "榜单《{{ title }}》有一份揭榜申请被撤回。",
    load_application,
)
