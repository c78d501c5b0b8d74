"""/api/v1/placements: 科技副总 — candidates, tripartite consent, county review, 立项, reports, assessment."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_smorest import Blueprint

from matchmaker.api.http.context import signed_in
from matchmaker.reports import placements as read
from matchmaker.schemas import placements as s
from matchmaker.services.placements import access, filing, review
from matchmaker.services.placements.candidates import candidates as rank

blp = Blueprint(
    "placements",
    __name__,
    url_prefix="/api/v1/placements",
    description="科技副总：按人才需求推荐科研人员，企业、科研人员、派出单位三方确认，县区审核推荐，登记省级立项，年度报告与期满考核",
)


def _one(placement: Any, status: int = 200):
    body = read.present(placement, access.parties_of(signed_in(), placement))
    return body, status, {"ETag": filing.etag(placement)}


@blp.route("/candidates", methods=["POST"])
@blp.arguments(s.CandidateQuery)
@blp.response(200, s.CandidateList)
def candidates(data):
    """Researchers ranked for a talent need (need_id) or a direct request, with the engine's reasons."""
    return {"items": [read.present_candidate(c) for c in rank(actor=signed_in(), data=data)]}


@blp.route("", methods=["GET"])
@blp.arguments(s.PlacementQuery, location="query")
@blp.response(200, s.PlacementList)
def list_(query):
    """Placements I am party to, or of my region (staff)."""
    who = signed_in()
    items = filing.list_placements(actor=who, status=query.get("status"))
    return {"items": [read.present(p, access.parties_of(who, p)) for p in items]}


@blp.route("", methods=["POST"])
@blp.arguments(s.PlacementCreate)
@blp.response(201, s.Placement)
def create(data):
    """File a placement (enterprise for itself, county staff for an enterprise); the parties are asked."""
    return _one(filing.create_placement(actor=signed_in(), data=data), 201)


@blp.route("/<int:placement_id>", methods=["GET"])
@blp.response(200, s.Placement)
def get(placement_id):
    """One placement (its parties, staff in scope, admins)."""
    return _one(access.load_placement(placement_id, actor=signed_in()))


@blp.route("/<int:placement_id>", methods=["PATCH"])
@blp.arguments(s.PlacementUpdate)
@blp.response(200, s.Placement)
def update(data, placement_id):
    """Change the terms before all three confirmed (send If-Match); every confirmation is cleared."""
    changed = filing.update_terms(
        placement_id, actor=signed_in(), data=data, if_match=request.headers.get("If-Match")
    )
    return _one(changed)


@blp.route("/<int:placement_id>/confirm", methods=["POST"])
@blp.arguments(s.PlacementConfirm)
@blp.response(200, s.Placement)
def confirm(data, placement_id):
    """Confirm the terms for my party (enterprise, the researcher in person, the unit's administrator)."""
    return _one(filing.confirm(placement_id, actor=signed_in(), party=data.get("party")))


@blp.route("/<int:placement_id>/review", methods=["POST"])
@blp.arguments(s.PlacementReview)
@blp.response(200, s.Placement)
def review_(data, placement_id):
    """County staff recommend the agreed placement to the province (推荐), or decline it."""
    done = review.review(
        placement_id, actor=signed_in(), decision=data["decision"], comment=data.get("comment")
    )
    return _one(done)


@blp.route("/<int:placement_id>/province", methods=["POST"])
@blp.arguments(s.ProvinceOutcome)
@blp.response(200, s.Placement)
def province(data, placement_id):
    """Staff record the province's decision: 立项 (approved) or 未立项 (not_approved)."""
    done = review.record_province(
        placement_id, actor=signed_in(), outcome=data["outcome"], note=data.get("note")
    )
    return _one(done)


@blp.route("/<int:placement_id>/reports", methods=["POST"])
@blp.arguments(s.WorkReportCreate)
@blp.response(201, s.WorkReport)
def add_report(data, placement_id):
    """The researcher files the work report for one year of the term."""
    return review.file_report(placement_id, actor=signed_in(), data=data)


@blp.route("/<int:placement_id>/reports/<int:year>/countersign", methods=["POST"])
@blp.arguments(s.Countersign)
@blp.response(200, s.WorkReport)
def countersign(data, placement_id, year):
    """The enterprise countersigns the year's report with its opinion."""
    return review.countersign(placement_id, year, actor=signed_in(), comment=data["comment"])


@blp.route("/<int:placement_id>/assessment", methods=["POST"])
@blp.arguments(s.Assessment)
@blp.response(200, s.Placement)
def assessment(data, placement_id):
    """Staff assess the placement at the end of its term: 优秀, 合格 or 不合格."""
    done = review.assess(placement_id, actor=signed_in(), grade=data["grade"], comment=data["comment"])
    return _one(done)
