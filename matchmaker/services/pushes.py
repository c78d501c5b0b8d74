"""Output pushes to a county (成果推送): compile outputs for the county's firms and push them once.

Staff in scope of the compilation's region create it, add published outputs by hand or take the
best-matched outputs for the region's published needs (the matching engine's stored matches, with
their explanations), then push it: one digest to the members of every enterprise in the region,
through the notification rules (preferences, the personalisation opt-out, push caps). Enterprises
of the region react to a pushed output ("请帮我对接"), which staff count.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from matchmaker.announce import announce
from matchmaker.auth import policy
from matchmaker.auth.actor import Actor
from matchmaker.errors import Conflict, Forbidden, NotFound, ValidationFailed
from matchmaker.extensions import db
from matchmaker.models import (
    CompilationItem,
    Match,
    Organization,
    OutputCompilation,
    PushReaction,
    ResearchOutput,
    TechnologyNeed,
)
from matchmaker.models.common import utcnow
from matchmaker.queries.audit import register_scope
from matchmaker.queries.scope import region_clause
from matchmaker.services import audit
from matchmaker.services.uow import unit_of_work
from matchmaker.taxonomy import regions

MAX_ITEMS = 200
register_scope("output_compilation", OutputCompilation)


def can_manage(actor: Actor, compilation: OutputCompilation) -> bool:
    """Staff whose scope holds the compilation's region, and admins."""
    return policy.is_admin(actor) or policy.staff_covers(actor, compilation.region)


def _reader(actor: Actor, compilation: OutputCompilation) -> bool:
    if can_manage(actor, compilation):
        return True
    org = actor.user.org if actor.user is not None else None
    if org is None or org.kind != "enterprise" or compilation.status != "pushed":
        return False
    return regions.within(compilation.region, org.region)


def load_compilation(compilation_id: int, *, actor: Actor) -> OutputCompilation:
    """Staff in scope; once pushed, also the region's enterprises. NotFound for anyone else."""
    compilation = db.session.get(OutputCompilation, compilation_id)
    if compilation is None or not _reader(actor, compilation):
        raise NotFound("未找到该成果汇编")
    return compilation


def managed_compilation(compilation_id: int, *, actor: Actor) -> OutputCompilation:
    """The compilation for staff in scope (403 outside it), while it is still a draft when editing."""
    compilation = db.session.get(OutputCompilation, compilation_id)
    if compilation is None:
        raise NotFound("未找到该成果汇编")
    if not can_manage(actor, compilation):
        raise Forbidden("该成果汇编不在您的辖区内")
    return compilation


def create_compilation(*, actor: Actor, title: str, region: str | None) -> OutputCompilation:
    """Staff open a compilation for a region of their scope (their own by default)."""
    if not actor.has_role("staff", "admin"):
        raise Forbidden("只有科技局工作人员可以编制成果汇编")
    region = policy.staff_region(actor, region)
    if region is None:
        raise Forbidden("所选地区超出您的辖区")
    with unit_of_work():
        compilation = OutputCompilation(title=title, region=region, created_by=actor.user_id, status="draft")
        db.session.add(compilation)
        db.session.flush()
        audit.record(actor, "create", "output_compilation", compilation.id)
    return compilation


def list_compilations(*, actor: Actor) -> list[OutputCompilation]:
    """Staff: their region's compilations; enterprises: those pushed to them."""
    stmt = select(OutputCompilation).order_by(OutputCompilation.id.desc())
    return [c for c in db.session.scalars(stmt) if _reader(actor, c)]


def _draft(compilation_id: int, actor: Actor) -> OutputCompilation:
    compilation = managed_compilation(compilation_id, actor=actor)
    if compilation.status != "draft":
        raise Conflict("成果汇编已推送，不能再修改")
    return compilation


def _append(compilation: OutputCompilation, rows: list[dict[str, Any]]) -> int:
    have = {i.output_id for i in compilation.items}
    added = 0
    for row in rows:
        if row["output_id"] in have or len(compilation.items) >= MAX_ITEMS:
            continue
        compilation.items.append(CompilationItem(position=len(compilation.items), **row))
        have.add(row["output_id"])
        added += 1
    return added


def add_outputs(compilation_id: int, *, actor: Actor, output_ids: list[int]) -> OutputCompilation:
    """Add published outputs by hand (any university's region); outputs already in it are skipped."""
    compilation = _draft(compilation_id, actor)
    stmt = select(ResearchOutput.id).where(
        ResearchOutput.id.in_(output_ids), ResearchOutput.status == "published"
    )
    found = set(db.session.scalars(stmt))
    missing = [i for i in output_ids if i not in found]
    if missing:
        raise ValidationFailed(errors={"output_ids": [f"以下成果不存在或未发布：{missing}"]})
    with unit_of_work():
        added = _append(compilation, [{"output_id": i, "source": "manual"} for i in output_ids])
        audit.record(actor, "compile_outputs", "output_compilation", compilation.id, added=added)
    return compilation


def best_matches(region: str, limit: int) -> list[dict[str, Any]]:
    """The best-matched published outputs for the region's published needs, each once, best first."""
    stmt = (
        select(Match)
        .join(TechnologyNeed, TechnologyNeed.id == Match.need_id)
        .join(ResearchOutput, ResearchOutput.id == Match.output_id)
        .where(
            region_clause(TechnologyNeed.region, region),
            TechnologyNeed.status == "published",
            ResearchOutput.status == "published",
            Match.status != "declined",
        )
        .order_by(Match.score.desc(), Match.id)
        .limit(limit * 10)
    )
    picked: dict[int, dict[str, Any]] = {}
    for match in db.session.scalars(stmt).unique():
        if match.output_id not in picked:
            why = f"匹配需求「{match.need.title}」：{match.explanation}"[:500]
            picked[match.output_id] = dict(
                output_id=match.output_id,
                source="matched",
                need_id=match.need_id,
                score=match.score,
                explanation=why,
            )
        if len(picked) >= limit:
            break
    return list(picked.values())


def add_matched(compilation_id: int, *, actor: Actor, limit: int) -> OutputCompilation:
    """Add the outputs that best match the region's published needs, with the engine's explanation."""
    compilation = _draft(compilation_id, actor)
    rows = best_matches(compilation.region, limit)
    with unit_of_work():
        added = _append(compilation, rows)
        audit.record(actor, "compile_matched", "output_compilation", compilation.id, added=added)
    return compilation


def remove_output(compilation_id: int, output_id: int, *, actor: Actor) -> OutputCompilation:
    """Take an output out of a draft compilation."""
    compilation = _draft(compilation_id, actor)
    with unit_of_work():
        compilation.items = [i for i in compilation.items if i.output_id != output_id]
        for n, item in enumerate(compilation.items):
            item.position = n
    return compilation


def _enterprises(region: str) -> list[int]:
    stmt = select(Organization.id).where(
        Organization.kind == "enterprise", region_clause(Organization.region, region)
    )
    return list(db.session.scalars(stmt))


def push(compilation_id: int, *, actor: Actor) -> OutputCompilation:
    """Push the compilation once to the region's enterprises, as one digest per person."""
    compilation = _draft(compilation_id, actor)
    if not compilation.items:
        raise ValidationFailed(errors={"items": ["成果汇编为空，请先选入成果"]})
    orgs = _enterprises(compilation.region)
    with unit_of_work() as uow:
        compilation.status, compilation.pushed_at, compilation.pushed_orgs = "pushed", utcnow(), len(orgs)
        audit.record(actor, "push", "output_compilation", compilation.id, orgs=len(orgs))
        announce(uow, "outputs.pushed", f"output_compilation/{compilation.id}")
    return compilation


def react(compilation_id: int, output_id: int, *, actor: Actor) -> PushReaction:
    """An enterprise the compilation was pushed to asks to be put in touch about one of its outputs."""
    compilation = load_compilation(compilation_id, actor=actor)
    if compilation.status != "pushed" or not actor.has_role("enterprise") or actor.org_id is None:
        raise Forbidden("只有收到推送的企业可以提出对接意向")
    if output_id not in {i.output_id for i in compilation.items}:
        raise NotFound("该成果不在本次推送中")
    found = db.session.scalar(
        select(PushReaction).filter_by(
            compilation_id=compilation.id, output_id=output_id, org_id=actor.org_id
        )
    )
    if found is not None:
        return found
    with unit_of_work():
        row = PushReaction(
            compilation_id=compilation.id, output_id=output_id, org_id=actor.org_id, user_id=actor.user_id
        )
        db.session.add(row)
        audit.record(actor, "push_reaction", "output_compilation", compilation.id, output_id=output_id)
    return row


def present_many(compilations: list[OutputCompilation], *, actor: Actor) -> list[dict[str, Any]]:
    """Several compilations as ``present`` shows them, reading all their reactions in one query."""
    found: dict[int, list[PushReaction]] = {c.id: [] for c in compilations}
    stmt = select(PushReaction).where(PushReaction.compilation_id.in_(found))
    for reaction in db.session.scalars(stmt):
        found[reaction.compilation_id].append(reaction)
    return [present(c, actor=actor, reactions=found[c.id]) for c in compilations]


def present(
    compilation: OutputCompilation, *, actor: Actor, reactions: list[PushReaction] | None = None
) -> dict[str, Any]:
    """The compilation with its outputs (public fields) and, for staff, the reactions.

    ``reactions`` are the compilation's when the caller has read them (a list reads them at once).
    """
    if reactions is None:
        reactions = list(db.session.scalars(select(PushReaction).filter_by(compilation_id=compilation.id)))
    data = {c.key: getattr(compilation, c.key) for c in OutputCompilation.__table__.columns}
    data["region_name"] = regions.full_name(compilation.region)
    data["items"] = [
        {
            "output_id": i.output_id, "title": i.output.title, "org_name": i.output.org.name,
            "output_region": regions.full_name(i.output.region), "source": i.source, "need_id": i.need_id,
            "score": i.score, "explanation": i.explanation,
            "reactions": sum(1 for r in reactions if r.output_id == i.output_id),
        }
        for i in compilation.items
    ]  # fmt: skip
    data["reacted_orgs"] = len({r.org_id for r in reactions})
    if not can_manage(actor, compilation):
        data["reacted_orgs"] = None
        for item in data["items"]:
            item["reactions"] = None
    return data
