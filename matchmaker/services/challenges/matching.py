"""The ranked outputs and teams for a challenge, as the poster and staff in scope see them."""

from __future__ import annotations

from typing import Any

from matchmaker.auth import policy
from matchmaker.auth.actor import Actor
from matchmaker.errors import Forbidden
from matchmaker.queries.challenge_matches import rank_outputs
from matchmaker.services.challenges.lists import load_challenge


def matches_for(challenge_id: int, *, actor: Actor) -> list[dict[str, Any]]:
    """The ranked outputs and teams for the poster and staff in scope, with explanations."""
    challenge = load_challenge(challenge_id, actor=actor)
    if not policy.can_manage_challenge(actor, challenge):
        raise Forbidden("只有发榜单位和辖区科技局可以查看推荐的科研团队")
    return [
        {
            "output_id": r.output.id,
            "title": r.output.title,
            "org_id": r.output.org_id,
            "org_name": r.output.org.name if r.output.org else "",
            "team_lead": r.output.team_lead,
            "region": r.output.region,
            "score": r.score,
            "breakdown": r.breakdown,
            "explanation": r.explanation,
        }
        for r in rank_outputs(challenge)
    ]
