"""公示, objections and the award (挂帅) of a challenge; the public result."""

from __future__ import annotations

from flask_smorest import Blueprint

from matchmaker.api.challenges.delivery import present_award
from matchmaker.api.http.context import actor, signed_in
from matchmaker.api.http.objections import ObjectionApi, add_objection_views
from matchmaker.schemas.challenges import delivery as d
from matchmaker.schemas.challenges import review as s
from matchmaker.services.challenges import award as challenge_award

blp = Blueprint(
    "challenge_award", __name__, url_prefix="/api/v1", description="揭榜挂帅：公示、异议、确定揭榜结果"
)


@blp.route("/challenges/<int:challenge_id>/publicity", methods=["POST"])
@blp.arguments(s.Publicity)
@blp.response(200, s.Result)
def start_publicity(data, challenge_id):
    """Propose the winner(s) and open 公示 (staff in scope; single: 1 team, race: 1..max_winners)."""
    challenge_award.start_publicity(challenge_id, actor=signed_in(), **data)
    return challenge_award.result(challenge_id, actor=signed_in())


@blp.route("/challenges/<int:challenge_id>/result", methods=["GET"])
@blp.response(200, s.Result)
def result(challenge_id):
    """The announced result (anyone, once 公示 has started): the proposed or awarded teams only."""
    return challenge_award.result(challenge_id, actor=actor())


OBJECTIONS = ObjectionApi(
    service=challenge_award,
    schemas=s,
    prefix="",
    docs=(
        "File an objection during the 公示 window (anyone signed in).",
        "Objections: all for staff in scope, my own for anyone else.",
        "Record how an objection was handled (upheld removes the proposed team).",
    ),
)
add_objection_views(blp, "/challenges/<int:challenge_id>", OBJECTIONS)


@blp.route("/challenges/<int:challenge_id>/award", methods=["POST"])
@blp.arguments(d.AwardConfirm)
@blp.response(201, d.AwardList)
def confirm_award(data, challenge_id):
    """After 公示 without open objections: one agreement per winner (staff in scope)."""
    awards = challenge_award.confirm_award(challenge_id, actor=signed_in(), awards=data["awards"])
    return {"items": [present_award(a) for a in awards]}
