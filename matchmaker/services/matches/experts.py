"""Expert researchers for a need (专家推荐): the people behind the best-matched outputs, ranked."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from matchmaker.auth.actor import Actor
from matchmaker.extensions import db
from matchmaker.models import Match, User
from matchmaker.services.matches.lifecycle import MatchFilter, matches_for_listing

# Each further matched output of the same researcher adds a little, never more than the best match.
EXTRA_OUTPUT_BONUS = 0.05
MAX_BONUS_OUTPUTS = 4


@dataclass
class Expert:
    """A researcher ranked for a need, with the outputs that earned the place."""

    user_id: int
    name: str
    title: str
    org_name: str
    is_expert: bool
    score: float
    explanation: str
    outputs: list[dict[str, Any]] = field(default_factory=list)


def experts_for_need(need_id: int, *, actor: Actor, limit: int = 10) -> list[Expert]:
    """Researchers whose outputs match the need best (owner organisation and staff in scope only)."""
    matches, _ = matches_for_listing("need", need_id, actor=actor, filters=MatchFilter(per_page=100))
    by_owner: dict[int, list[Match]] = {}
    for match in matches:
        if match.status != "declined" and match.output.owner_id is not None:
            by_owner.setdefault(match.output.owner_id, []).append(match)
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(by_owner))).unique()}
    experts = []
    for owner_id, owned in by_owner.items():
        user = users.get(owner_id)
        if user is None or not user.is_active or not user.has_role("researcher", "expert"):
            continue
        owned.sort(key=lambda m: -m.score)
        bonus = EXTRA_OUTPUT_BONUS * min(len(owned) - 1, MAX_BONUS_OUTPUTS)
        experts.append(Expert(
            user_id=user.id, name=user.name, title=user.title, org_name=user.org.name if user.org else "",
            is_expert=user.has_role("expert"), score=round(owned[0].score + bonus, 6),
            explanation=owned[0].explanation,
            outputs=[{"id": m.output_id, "title": m.output.title, "score": m.score} for m in owned[:5]],
        ))  # fmt: skip
    experts.sort(key=lambda e: (-e.score, e.user_id))
    return experts[:limit]
