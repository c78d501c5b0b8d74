"""/api/v1/campaigns: need collection campaigns (需求征集) — invitations, visits, progress, 需求汇编."""

from __future__ import annotations

from flask_smorest import Blueprint

from matchmaker.api.exports import catalogue_file
from matchmaker.api.http.context import signed_in
from matchmaker.api.listings import one_listing
from matchmaker.reports import campaigns as progress
from matchmaker.schemas import campaigns as s
from matchmaker.schemas.listings import Need
from matchmaker.services import campaigns

blp = Blueprint(
    "campaigns",
    __name__,
    url_prefix="/api/v1/campaigns",
    description="需求征集：科技局发起征集、邀请企业、走访代录，查看进度并导出需求汇编",
)


@blp.route("", methods=["GET"])
@blp.response(200, s.CampaignList)
def list_():
    """Staff: the campaigns of their region; enterprises: the open campaigns covering them."""
    return {"items": campaigns.list_campaigns(actor=signed_in())}


@blp.route("", methods=["POST"])
@blp.arguments(s.CampaignCreate)
@blp.response(201, s.Campaign)
def create(data):
    """Staff open a campaign in their region."""
    return campaigns.create_campaign(actor=signed_in(), data=data)


@blp.route("/<int:campaign_id>", methods=["GET"])
@blp.response(200, s.Campaign)
def get(campaign_id):
    """One campaign (staff who run it, enterprises it covers)."""
    return campaigns.load_campaign(campaign_id, actor=signed_in())


@blp.route("/<int:campaign_id>/close", methods=["POST"])
@blp.response(200, s.Campaign)
def close(campaign_id):
    """Staff close the campaign."""
    return campaigns.close_campaign(campaign_id, actor=signed_in())


@blp.route("/<int:campaign_id>/invitations", methods=["POST"])
@blp.arguments(s.CampaignInviteIn)
@blp.response(200, s.CampaignInvited)
def invite(data, campaign_id):
    """Invite enterprises (each is told once, by inbox, e-mail and SMS per their preferences)."""
    rows = campaigns.invite(campaign_id, actor=signed_in(), org_ids=data.get("org_ids"))
    return {"invited": len(rows), "org_ids": [r.org_id for r in rows]}


@blp.route("/<int:campaign_id>/needs", methods=["POST"])
@blp.arguments(s.CampaignNeed)
@blp.response(201, Need)
def file_need(data, campaign_id):
    """An enterprise the campaign covers files a need into it (a draft; submit it as usual)."""
    return one_listing(campaigns.file_need(campaign_id, actor=signed_in(), data=data), 201)


@blp.route("/<int:campaign_id>/visits", methods=["POST"])
@blp.arguments(s.CampaignVisit)
@blp.response(201, Need)
def visit(data, campaign_id):
    """Staff enter a need stated by a firm during a visit (走访): the firm's need, sent to review."""
    org_id = data.pop("org_id")
    return one_listing(
        campaigns.collect_on_visit(campaign_id, actor=signed_in(), org_id=org_id, data=data), 201
    )


@blp.route("/<int:campaign_id>/progress", methods=["GET"])
@blp.response(200, s.CampaignProgress)
def progress_(campaign_id):
    """Collected, submitted, published and matched against the target, by county and industry (staff)."""
    return progress.progress(campaigns.managed_campaign(campaign_id, actor=signed_in()))


@blp.route("/<int:campaign_id>/compilation", methods=["GET"])
@blp.arguments(s.CampaignExportQuery, location="query")
@blp.response(200, description="xlsx 或 docx 文件")
def compilation(query, campaign_id):
    """The campaign's 需求汇编: its published needs grouped by industry field (staff)."""
    compiled = progress.compilation(campaigns.managed_campaign(campaign_id, actor=signed_in()))
    return catalogue_file(compiled, query["format"])
