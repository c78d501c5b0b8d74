"""/api/v1/output-compilations: 成果推送 — outputs compiled for a county and pushed to its firms."""

from __future__ import annotations

from flask_smorest import Blueprint

from matchmaker.api.http.context import signed_in
from matchmaker.schemas import pushes as s
from matchmaker.services import pushes

blp = Blueprint(
    "output-compilations",
    __name__,
    url_prefix="/api/v1/output-compilations",
    description="成果推送：科技局为本县（市）企业编制成果汇编（人工选入或按需求匹配），一次推送，统计企业反馈",
)


def _one(compilation, status: int = 200):
    return pushes.present(compilation, actor=signed_in()), status


@blp.route("", methods=["GET"])
@blp.response(200, s.CompilationList)
def list_():
    """Staff: their region's compilations; enterprises: those pushed to them."""
    who = signed_in()
    return {"items": pushes.present_many(pushes.list_compilations(actor=who), actor=who)}


@blp.route("", methods=["POST"])
@blp.arguments(s.CompilationCreate)
@blp.response(201, s.Compilation)
def create(data):
    """Staff open a compilation for a region of their scope."""
    return _one(
        pushes.create_compilation(actor=signed_in(), title=data["title"], region=data.get("region")), 201
    )


@blp.route("/<int:compilation_id>", methods=["GET"])
@blp.response(200, s.Compilation)
def get(compilation_id):
    """One compilation with its outputs (staff in scope; the region's enterprises once pushed)."""
    return _one(pushes.load_compilation(compilation_id, actor=signed_in()))


@blp.route("/<int:compilation_id>/outputs", methods=["POST"])
@blp.arguments(s.OutputIds)
@blp.response(200, s.Compilation)
def add(data, compilation_id):
    """Add published outputs by hand, whatever the university's region."""
    return _one(pushes.add_outputs(compilation_id, actor=signed_in(), output_ids=data["output_ids"]))


@blp.route("/<int:compilation_id>/suggest", methods=["POST"])
@blp.arguments(s.SuggestIn)
@blp.response(200, s.Compilation)
def suggest(data, compilation_id):
    """Add the outputs that best match the region's published needs, with the engine's explanations."""
    return _one(pushes.add_matched(compilation_id, actor=signed_in(), limit=data["limit"]))


@blp.route("/<int:compilation_id>/outputs/<int:output_id>", methods=["DELETE"])
@blp.response(200, s.Compilation)
def remove(compilation_id, output_id):
    """Take an output out of a draft compilation."""
    return _one(pushes.remove_output(compilation_id, output_id, actor=signed_in()))


@blp.route("/<int:compilation_id>/push", methods=["POST"])
@blp.response(200, s.Compilation)
def push(compilation_id):
    """Push it once to the region's enterprises: one digest each (preferences and caps apply)."""
    return _one(pushes.push(compilation_id, actor=signed_in()))


@blp.route("/<int:compilation_id>/outputs/<int:output_id>/react", methods=["POST"])
@blp.response(200, s.Reaction)
def react(compilation_id, output_id):
    """An enterprise it was pushed to asks to be put in touch about an output (请帮我对接)."""
    return pushes.react(compilation_id, output_id, actor=signed_in())
