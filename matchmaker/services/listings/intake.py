"""The intake check of a technology need (技术需求), with the same gaps and text rules as 榜单.

Blocking (submission refused, 422 per field): a vague title, a summary that repeats itself or is
too short to say what is wanted. Advice: no technical indicator, indicators without a unit, no
budget, no deadline, no keywords, and a near-duplicate of another need of the same organisation.
``check`` is pure; ``need_intake`` loads the need and its siblings.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from matchmaker.auth import policy
from matchmaker.auth.actor import Actor
from matchmaker.errors import Forbidden
from matchmaker.extensions import db
from matchmaker.models import TechnologyNeed
from matchmaker.services.intake import Gap, IntakeReport, letters, similarity, text_gaps, unitless_indicators

SUMMARY_MIN_CHARS = 10  # shorter than this (punctuation aside), a summary cannot say what is wanted
DUPLICATE_SIMILARITY = 0.7  # title and summary this alike: probably the same need posted twice
LIVE = ("draft", "submitted", "published", "rejected")


def _blocking(need: Any) -> list[Gap]:
    gaps = text_gaps(need.title, "summary", need.summary, "需求概述")
    if len(letters(need.summary)) < SUMMARY_MIN_CHARS and not any(g.field == "summary" for g in gaps):
        gaps.append(
            Gap(
                "summary",
                f"需求概述过于简略（少于 {SUMMARY_MIN_CHARS} 字）：请说明现状、要解决的问题和期望效果",
            )
        )
    return gaps


def _duplicate(need: Any, siblings: Iterable[Any]) -> Gap | None:
    text = f"{need.title}{need.summary}"
    for other in siblings:
        if other.id != need.id and similarity(text, f"{other.title}{other.summary}") >= DUPLICATE_SIMILARITY:
            return Gap(
                "title", f"与本单位已有需求「{other.title}」（编号 {other.id}）高度相似，请确认是否重复发布"
            )
    return None


def _advisory(need: Any, siblings: Iterable[Any]) -> list[Gap]:
    gaps: list[Gap] = []
    if not need.indicators:
        gaps.append(Gap("indicators", "建议填写量化的技术指标（如精度、效率、成本），便于精准匹配和验收"))
    unitless = unitless_indicators(need.indicators)
    if unitless:
        gaps.append(unitless)
    if need.budget_min is None and need.budget_max is None:
        gaps.append(Gap("budget_max", "建议填写预算范围（万元），便于高校院所判断合作方式"))
    if need.deadline is None:
        gaps.append(Gap("deadline", "建议填写需求截止日期，过期后自动下架"))
    if not need.keywords:
        gaps.append(Gap("keywords", "建议填写关键词，便于检索和精准推送"))
    duplicate = _duplicate(need, siblings)
    if duplicate:
        gaps.append(duplicate)
    return gaps


def check(need: Any, siblings: Iterable[Any] = ()) -> IntakeReport:
    """What the need lacks: blocking gaps and advice; ``siblings`` are the organisation's other needs."""
    siblings = list(siblings)
    return IntakeReport(blocking=_blocking(need), advisory=_advisory(need, siblings))


def siblings_of(need: Any) -> list[TechnologyNeed]:
    """The organisation's other needs that are still live (not closed or expired)."""
    stmt = select(TechnologyNeed).where(
        TechnologyNeed.org_id == need.org_id, TechnologyNeed.id != need.id, TechnologyNeed.status.in_(LIVE)
    )
    return list(db.session.scalars(stmt).unique())


def need_intake(need: Any, *, actor: Actor) -> IntakeReport:
    """The intake check for the owner, staff in scope and admins."""
    if not (policy.can_edit_listing(actor, need) or policy.can_review_listing(actor, need)):
        raise Forbidden("只有发布单位和辖区科技局可以查看需求质量检查结果")
    return check(need, siblings_of(need))
