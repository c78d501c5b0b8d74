"""Causes of the money workflows: 产学研 filings, 奖补 rounds and 创新券 (kind ``funding``).

References: ``voucher/<id>``, ``filing/<id>@<stamp>``, ``subsidy_round/<id>@<stamp>``. Each loader
reads the object and names who it concerns: the enterprise's members, and staff in scope for what
waits on them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from matchmaker.extensions import db
from matchmaker.models import CooperationFiling, SubsidyRound, Voucher
from matchmaker.notifications.causes.builtin import link, org_users, ref_id, staff_in
from matchmaker.notifications.causes.challenges import beijing
from matchmaker.notifications.causes.registry import Cause, Event, register


def _funding(name: str, subject: str, lines: tuple[str, ...], sms: str, loader: Any) -> None:
    register(
        Cause(
            name=name,
            kind="funding",
            subject=subject,
            lines=lines,
            sms=sms,
            sms_params=("title",),
            loader=loader,
        )
    )


def _voucher_context(voucher: Voucher) -> dict[str, Any]:
    amount = voucher.payout_amount if voucher.status == "redeemed" else voucher.amount
    return {
        "title": voucher.batch.name,
        "org_name": voucher.org.name,
        "amount": f"{float(amount or voucher.requested_amount):g}",
        "code": voucher.code or "",
        "valid_until": voucher.valid_until.isoformat() if voucher.valid_until else "",
        "reason": voucher.reject_reason or "",
        "link": link("voucher", id=voucher.id),
    }


def load_voucher_holder(ref: str, extra: Mapping[str, Any]) -> Event | None:
    """The enterprise hears what happened to its voucher."""
    voucher = db.session.get(Voucher, ref_id(ref))
    if voucher is None:
        return None
    return Event(recipients=org_users([voucher.org_id]), context=_voucher_context(voucher))


def load_voucher_staff(ref: str, extra: Mapping[str, Any]) -> Event | None:
    """Staff in scope hear that an application or a claim waits for them."""
    voucher = db.session.get(Voucher, ref_id(ref))
    if voucher is None:
        return None
    return Event(recipients=staff_in(voucher.region), context=_voucher_context(voucher))


_funding(
    "voucher.applied",
    "【创新券待审】{{ org_name }}申领{{ title }}",
    ("{{ org_name }}申领{{ title }} {{ amount }} 万元，请登录平台审核。",),
    "{{ title }}有新的申领待审核。",
    load_voucher_staff,
)
_funding(
    "voucher.issued",
    "【创新券发放】您已获得{{ title }} {{ amount }} 万元",
    ("您申领的{{ title }}已发放：券号 {{ code }}，面额 {{ amount }} 万元，有效期至 {{ valid_until }}。",
     "请在有效期内向已备案的服务机构购买服务，并在平台申请兑现。"),
    "您已获得{{ title }}，请在有效期内使用。",
    load_voucher_holder,
)  # fmt: skip
_funding(
    "voucher.rejected",
    "【创新券申领未通过】{{ title }}",
    ("您申领的{{ title }}未通过审核。", "原因：{{ reason }}"),
    "您申领的{{ title }}未通过审核，详情请登录平台查看。",
    load_voucher_holder,
)
_funding(
    "voucher.claimed",
    "【创新券兑现待核】{{ org_name }}申请兑现{{ title }}",
    ("{{ org_name }}已提交服务合同、发票与服务报告，申请兑现{{ title }}，请登录平台核验。",),
    "{{ title }}有兑现申请待核验。",
    load_voucher_staff,
)
_funding(
    "voucher.redeemed",
    "【创新券已兑现】{{ title }}兑现 {{ amount }} 万元",
    ("您的{{ title }}（券号 {{ code }}）已核准兑现 {{ amount }} 万元。",),
    "您的{{ title }}已兑现。",
    load_voucher_holder,
)
_funding(
    "voucher.expiring",
    "【创新券即将到期】{{ title }}将于 {{ valid_until }} 到期",
    ("您的{{ title }}（券号 {{ code }}，面额 {{ amount }} 万元）将于 {{ valid_until }} 到期，请尽快使用。",),
    "您的{{ title }}即将到期，请尽快使用。",
    load_voucher_holder,
)
_funding(
    "voucher.expired",
    "【创新券已过期】{{ title }}",
    ("您的{{ title }}（券号 {{ code }}）已过有效期，额度已收回。",),
    "您的{{ title }}已过期。",
    load_voucher_holder,
)


def _filing(ref: str) -> tuple[CooperationFiling | None, dict[str, Any]]:
    filing = db.session.get(CooperationFiling, ref_id(ref))
    if filing is None:
        return None, {}
    context = {
        "title": filing.title,
        "org_name": filing.org.name,
        "partner": filing.partner_name,
        "number": filing.filing_number or "",
        "reasons": "；".join(filing.return_reasons or []),
        "link": link("filing", id=filing.id),
    }
    return filing, context


def load_filing_staff(ref: str, extra: Mapping[str, Any]) -> Event | None:
    """Staff in scope hear that a filing waits for their check."""
    filing, context = _filing(ref)
    return Event(recipients=staff_in(filing.region), context=context) if filing else None


def load_filing_owner(ref: str, extra: Mapping[str, Any]) -> Event | None:
    """The enterprise hears the decision on its filing."""
    filing, context = _filing(ref)
    return Event(recipients=org_users([filing.org_id]), context=context) if filing else None


_funding(
    "filing.submitted",
    "【备案待审】{{ org_name }}提交了产学研合作项目备案",
    ("{{ org_name }}与{{ partner }}的合作项目《{{ title }}》已提交备案，请登录平台核查。",),
    "产学研合作项目《{{ title }}》已提交备案，请核查。",
    load_filing_staff,
)
_funding(
    "filing.approved",
    "【备案通过】《{{ title }}》备案编号 {{ number }}",
    ("您提交的产学研合作项目《{{ title }}》已通过备案，备案编号：{{ number }}。",),
    "您的产学研合作项目《{{ title }}》已通过备案。",
    load_filing_owner,
)
_funding(
    "filing.returned",
    "【备案退回】《{{ title }}》需要补充材料",
    ("您提交的产学研合作项目《{{ title }}》被退回。", "原因：{{ reasons }}", "请修改后重新提交。"),
    "您的产学研合作项目《{{ title }}》被退回，请登录平台查看原因。",
    load_filing_owner,
)


def load_subsidy_list(ref: str, extra: Mapping[str, Any]) -> Event | None:
    """Every enterprise on the list hears of the 公示 or the approval, with its own amount."""
    subsidy_round = db.session.get(SubsidyRound, ref_id(ref))
    if subsidy_round is None or subsidy_round.status not in ("publicity", "approved"):
        return None
    amounts: dict[int, float] = {}
    for item in subsidy_round.items:
        amounts[item.org_id] = amounts.get(item.org_id, 0.0) + float(item.amount)
    by_user = {user: org for org in amounts for user in org_users([org])}

    def mine(user: Any) -> dict[str, Any] | None:
        org = by_user.get(user.id)
        return {"amount": f"{amounts[org]:g}"} if org is not None else None

    context = {
        "title": subsidy_round.name,
        "ends": beijing(subsidy_round.publicity_ends_at),
        "amount": "",
        "link": link("subsidy_round", id=subsidy_round.id),
    }
    return Event(recipients=list(by_user), context=context, per_user=mine)


_funding(
    "subsidy.publicity",
    "【奖补公示】{{ title }}名单公示中",
    ("{{ title }}拟奖补名单已公示，贵单位拟获奖补 {{ amount }} 万元。",
     "公示截止 {{ ends }}，如有异议请在公示期内提出。"),
    "{{ title }}名单已公示，请登录平台查看。",
    load_subsidy_list,
)  # fmt: skip
_funding(
    "subsidy.approved",
    "【奖补审定】{{ title }}名单已审定",
    ("{{ title }}奖补名单已审定，贵单位核定奖补 {{ amount }} 万元，资金将按程序拨付。",),
    "{{ title }}名单已审定，请登录平台查看。",
    load_subsidy_list,
)
