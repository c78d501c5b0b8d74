"""/api/v1/organizations: the public directory, profile edits and staff verification."""

from __future__ import annotations

from flask_smorest import Blueprint

from matchmaker.api.http.context import signed_in
from matchmaker.schemas import accounts as s
from matchmaker.schemas.common import page_of
from matchmaker.services import accounts, organizations

blp = Blueprint("organizations", __name__, url_prefix="/api/v1/organizations", description="单位")
OrgPage = page_of(s.Organization, "OrganizationPage")


@blp.route("", methods=["GET"])
@blp.arguments(s.OrgQuery, location="query")
@blp.response(200, OrgPage)
def list_orgs(query):
    """Public directory of organisations with kind, region and name filters."""
    items, total = accounts.list_orgs(
        kind=query.get("kind"),
        region=query.get("region"),
        q=query.get("q"),
        page=query["page"],
        per_page=query["per_page"],
    )
    return {"items": items, "total": total, "page": query["page"], "per_page": query["per_page"]}


@blp.route("/awaiting-verification", methods=["GET"])
@blp.arguments(s.PageQuery, location="query")
@blp.response(200, OrgPage)
def awaiting_verification(query):
    """Units awaiting (re-)verification in my region scope, the longest waiting first (staff, admin)."""
    items, total = organizations.awaiting_verification(actor=signed_in(), **query)
    return {"items": items, "total": total, "page": query["page"], "per_page": query["per_page"]}


@blp.route("/<int:org_id>", methods=["GET"])
@blp.response(200, s.Organization)
def get_org(org_id):
    """One organisation's public profile."""
    return accounts.get_org(org_id)


@blp.route("/<int:org_id>", methods=["PATCH"])
@blp.arguments(s.OrganizationUpdate)
@blp.response(200, s.Organization)
def update_org(data, org_id):
    """Members edit their organisation's profile."""
    return organizations.update_org(org_id, actor=signed_in(), data=data)


@blp.route("/<int:org_id>/verify", methods=["POST"])
@blp.arguments(s.Verify)
@blp.response(200, s.Organization)
def verify_org(data, org_id):
    """Staff in scope mark the organisation verified."""
    return organizations.verify_org(org_id, actor=signed_in(), verified=data["verified"])
