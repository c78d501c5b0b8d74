"""The intake check of a 榜单 (揭榜挂帅榜单): what a good list still lacks before it can be submitted.

Blocking gaps stop submission (422 with one message per field); advisory gaps are shown to the
poster but do not stop it. The check reads a Challenge (or anything with the same attributes) and
is pure: no database, no request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PROBLEM_MIN_CHARS = 30  # a problem statement shorter than this rarely says what must be solved


@dataclass
class Gap:
    """One thing the list lacks: the field it concerns and what to do, in Chinese."""

    field: str
    message: str


@dataclass
class IntakeReport:
    """Blocking and advisory gaps of a list; ``ready`` when nothing blocks submission."""

    blocking: list[Gap] = field(default_factory=list)
    advisory: list[Gap] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        """True when the list may be submitted for review."""
        return not self.blocking

    def errors(self) -> dict[str, list[str]]:
        """Blocking gaps as per-field validation messages."""
        out: dict[str, list[str]] = {}
        for gap in self.blocking:
            out.setdefault(gap.field, []).append(gap.message)
        return out


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _blocking(ch: Any) -> list[Gap]:
    gaps: list[Gap] = []
    problem = (ch.problem or "").strip()
    if not problem:
        gaps.append(Gap("problem", "缺少技术难题描述：请写明需要攻克的具体技术问题"))
    elif len(problem) < PROBLEM_MIN_CHARS:
        gaps.append(
            Gap("problem", f"技术难题描述过于简略（少于 {PROBLEM_MIN_CHARS} 字），请说明现状、瓶颈和攻关目标")
        )
    if not ch.indicators:
        gaps.append(Gap("indicators", "缺少量化的核心指标：至少填写一项带目标值和单位的指标"))
    if not ch.time_limit_months:
        gaps.append(Gap("time_limit_months", "缺少攻关期限：请填写完成攻关的月数"))
    if _blank(ch.ip_ownership):
        gaps.append(Gap("ip_ownership", "缺少知识产权归属约定：请选择成果的知识产权归属"))
    if not ch.bounty_total:
        gaps.append(
            Gap("bounty_enterprise", "缺少榜单金额：请填写发榜单位出资（万元），如有政府补助一并填写")
        )
    if not ch.fields:
        gaps.append(Gap("fields", "缺少所属产业领域"))
    return gaps


def _advisory(ch: Any) -> list[Gap]:
    gaps: list[Gap] = []
    if _blank(ch.payment_terms):
        gaps.append(Gap("payment_terms", "建议写明支付方式，例如签订合同后拨付不少于60%、验收后拨付余款"))
    if _blank(ch.background):
        gaps.append(Gap("background", "建议补充榜单背景：企业现状、应用场景和市场需求"))
    if _blank(ch.conditions):
        gaps.append(Gap("conditions", "建议写明揭榜条件：对牵头单位资质、团队和研究基础的要求"))
    if not ch.keywords:
        gaps.append(Gap("keywords", "建议填写关键词，便于检索和向科研团队精准推送"))
    if _blank(ch.industry_chain):
        gaps.append(Gap("industry_chain", "建议填写所属产业链，便于科技局统筹"))
    if _blank(ch.contact_phone) and _blank(ch.contact_email):
        gaps.append(Gap("contact_phone", "建议留下联系电话或邮箱，方便揭榜团队咨询"))
    if ch.ip_ownership == "negotiated" and _blank(ch.ip_note):
        gaps.append(Gap("ip_note", "知识产权“另行约定”时，建议在说明中写明约定原则"))
    unitless = [i.name for i in ch.indicators if _blank(i.unit)]
    if unitless:
        gaps.append(Gap("indicators", f"以下指标未填写单位：{'、'.join(unitless)}"))
    if ch.bounty_subsidy is None:
        gaps.append(Gap("bounty_subsidy", "如申请了政府补助，请填写补助金额（万元）"))
    return gaps


def check(challenge: Any) -> IntakeReport:
    """What the list lacks: blocking gaps (submission refused) and advisory ones."""
    return IntakeReport(blocking=_blocking(challenge), advisory=_advisory(challenge))
