"""Schemas for need collection campaigns (需求征集): create, invite, visit, dump, progress."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from matchmaker.schemas.common import CodeList, StrictSchema, Text, field_code, region_code
from matchmaker.schemas.listings import NeedCreate

FORMATS = validate.OneOf(["xlsx", "docx"], error="format 应为 xlsx 或 docx")


class CampaignQuestion(StrictSchema):
    """An extra question asked with each need of the campaign."""

    key = fields.String(
        required=True,
        validate=validate.Regexp(r"^[a-z][a-z0-9_]{0,29}$", error="key 应为小写字母开头的英文标识"),
    )
    label = Text(100, required=True)
    required = fields.Boolean(load_default=False)


class CampaignCreate(StrictSchema):
    """A new campaign: period, target, industries and counties (both optional), extra questions."""

    title = Text(200, required=True, min_len=4)
    description = Text(5000, load_default="")
    region = fields.String(validate=region_code, metadata={"description": "默认为本人辖区"})
    counties = CodeList(region_code, max_items=30, load_default=list)
    industries = CodeList(field_code, max_items=20, load_default=list)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    target_count = fields.Integer(required=True, validate=validate.Range(min=1, max=100_000))
    questions = fields.List(
        fields.Nested(CampaignQuestion), validate=validate.Length(max=20), load_default=list
    )


class Campaign(Schema):
    """A campaign as listed."""

    id = fields.Integer()
    title = fields.String()
    description = fields.String()
    region = fields.String()
    counties = fields.List(fields.String())
    industries = fields.List(fields.String())
    starts_on = fields.Date()
    ends_on = fields.Date()
    target_count = fields.Integer()
    questions = fields.List(fields.Dict())
    status = fields.String()
    created_at = fields.DateTime()


class CampaignList(Schema):
    """Campaigns the caller runs (staff) or may take part in (enterprises)."""

    items = fields.List(fields.Nested(Campaign))


class CampaignInviteIn(StrictSchema):
    """Invite these enterprises, or (without org_ids) every enterprise the campaign covers."""

    org_ids = fields.List(fields.Integer(), validate=validate.Length(min=1, max=500))


class CampaignInvited(Schema):
    """Invitations made now (organisations already invited are not told again)."""

    invited = fields.Integer()
    org_ids = fields.List(fields.Integer())


class CampaignNeed(NeedCreate):
    """A need filed into the campaign, with answers to its questions."""

    answers = fields.Dict(keys=fields.String(), values=fields.String(validate=validate.Length(max=2000)))


class CampaignVisit(CampaignNeed):
    """A need a firm stated during a visit (走访), entered by staff for the firm."""

    org_id = fields.Integer(required=True)


class CampaignStage(Schema):
    """Counts at each stage."""

    code = fields.String()
    name = fields.String()
    collected = fields.Integer()
    submitted = fields.Integer()
    published = fields.Integer()
    matched = fields.Integer()


class CampaignProgress(CampaignStage):
    """Progress against the target, by county and by industry."""

    campaign_id = fields.Integer()
    target_count = fields.Integer()
    completion = fields.Float(allow_none=True, metadata={"description": "已提交 / 目标"})
    invited_orgs = fields.Integer()
    responding_orgs = fields.Integer()
    on_visit = fields.Integer(metadata={"description": "走访代录的需求数"})
    by_county = fields.List(fields.Nested(CampaignStage))
    by_industry = fields.List(fields.Nested(CampaignStage))


class CampaignExportQuery(StrictSchema):
    """The file format of the compilation."""

    format = fields.String(load_default="xlsx", validate=FORMATS)
