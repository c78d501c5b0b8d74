"""Schemas for 科技副总 placements: candidates, filing, terms, consent, review, reports, dump."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from matchmaker.models.placements import GRADES, PARTIES, PLACEMENT_STATUSES
from matchmaker.schemas.common import (
    CodeList,
    Money,
    PartialSchema,
    StrictSchema,
    Text,
    field_code,
    one_of_vocab,
    region_code,
)

DAYS = validate.Range(min=1, max=31, error="每月服务天数应为 1～31 天")


class CandidateQuery(StrictSchema):
    """A talent need (need_id), or a direct request: what the enterprise needs, in its own words."""

    need_id = fields.Integer()
    org_id = fields.Integer(metadata={"description": "科技局代企业查询时必填"})
    title = Text(200)
    summary = Text(2000)
    fields_ = CodeList(field_code, max_items=10, data_key="fields", attribute="fields")
    keywords = fields.List(Text(30), validate=validate.Length(max=10))
    top = fields.Integer(load_default=10, validate=validate.Range(min=1, max=30))


class CandidateOutput(Schema):
    """An output that put the researcher on the list."""

    id = fields.Integer()
    title = fields.String()
    score = fields.Float()


class Candidate(Schema):
    """A researcher ranked for the need, with the reasons."""

    researcher_id = fields.Integer()
    name = fields.String()
    unit_id = fields.Integer()
    unit_name = fields.String()
    title = fields.String(metadata={"description": "职称（专家库中有记录时）"})
    score = fields.Float(metadata={"description": "匹配度（最佳成果的校准概率）"})
    explanation = fields.String()
    breakdown = fields.Dict(keys=fields.String(), values=fields.Float())
    outputs = fields.List(fields.Nested(CandidateOutput))


class CandidateList(Schema):
    """Candidates, best first."""

    items = fields.List(fields.Nested(Candidate))


class PlacementTerms(StrictSchema):
    """What the three parties agree to."""

    title = Text(200, min_len=4)
    fields_ = CodeList(field_code, max_items=10, data_key="fields", attribute="fields")
    duties = Text(5000, required=True, min_len=10)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    days_per_month = fields.Integer(
        required=True, validate=DAYS, metadata={"description": "每月在企业服务天数"}
    )
    pay = Money("企业支付的工作报酬（万元/年）", max_wan=500, required=True)


class PlacementCreate(PlacementTerms):
    """A new placement: the enterprise (staff file for one in scope), the researcher, the terms."""

    org_id = fields.Integer(metadata={"description": "企业；企业用户默认本单位，科技局代为申请时必填"})
    researcher_id = fields.Integer(required=True)
    need_id = fields.Integer(metadata={"description": "企业的人才需求（可不填：直接提出）"})


class PlacementUpdate(PartialSchema, PlacementTerms):
    """New terms while the parties confirm (send If-Match); every confirmation is cleared."""


class PlacementConfirm(StrictSchema):
    """Which party the caller confirms for (optional: the server knows who the caller is)."""

    party = fields.String(validate=one_of_vocab(PARTIES))


class PlacementReview(StrictSchema):
    """County staff recommend the placement to the province, or decline (with a reason)."""

    decision = fields.String(
        required=True,
        validate=validate.OneOf(["recommend", "decline"], error="decision 应为 recommend 或 decline"),
    )
    comment = Text(1000)


class ProvinceOutcome(StrictSchema):
    """What the province decided on the 省科技副总 application."""

    outcome = fields.String(
        required=True,
        validate=validate.OneOf(
            ["approved", "not_approved"], error="outcome 应为 approved（立项）或 not_approved（未立项）"
        ),
    )
    note = Text(500, metadata={"description": "如立项文件文号"})


class Assessment(StrictSchema):
    """The end-of-term assessment."""

    grade = fields.String(required=True, validate=one_of_vocab(GRADES))
    comment = Text(2000, required=True, min_len=4)


class WorkReportCreate(StrictSchema):
    """The researcher's report for one year of the term."""

    year = fields.Integer(required=True, validate=validate.Range(min=1, max=3))
    summary = Text(5000, required=True, min_len=20)
    days_on_site = fields.Integer(required=True, validate=validate.Range(min=0, max=366))
    results = Text(5000, load_default="")


class Countersign(StrictSchema):
    """The enterprise's opinion on the report."""

    comment = Text(1000, required=True, min_len=2)


class WorkReport(Schema):
    """A yearly work report."""

    year = fields.Integer()
    summary = fields.String()
    days_on_site = fields.Integer()
    results = fields.String()
    submitted_at = fields.DateTime()
    countersigned_at = fields.DateTime(allow_none=True)
    enterprise_comment = fields.String()


class PartyState(Schema):
    """One party and whether it has confirmed."""

    party = fields.String()
    label = fields.String()
    name = fields.String()
    confirmed_at = fields.DateTime(allow_none=True)


class Placement(Schema):
    """A placement as its parties and staff see it."""

    id = fields.Integer()
    title = fields.String()
    org_id = fields.Integer()
    org_name = fields.String()
    region = fields.String()
    region_name = fields.String()
    researcher_id = fields.Integer()
    researcher_name = fields.String()
    unit_org_id = fields.Integer()
    unit_name = fields.String()
    need_id = fields.Integer(allow_none=True)
    fields_ = fields.List(fields.String(), data_key="fields", attribute="fields")
    duties = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date()
    days_per_month = fields.Integer()
    pay = fields.Float(metadata={"description": "万元/年"})
    status = fields.String(metadata={"description": "、".join(PLACEMENT_STATUSES)})
    status_label = fields.String()
    province_status = fields.String(allow_none=True, metadata={"description": "推荐、立项或未立项"})
    version = fields.Integer()
    parties = fields.List(fields.Nested(PartyState))
    my_parties = fields.List(fields.String(), metadata={"description": "调用者可代表确认的一方"})
    review_comment = fields.String()
    province_note = fields.String()
    province_decided_at = fields.DateTime(allow_none=True)
    grade = fields.String(allow_none=True)
    grade_label = fields.String(allow_none=True)
    assessment_comment = fields.String()
    reports = fields.List(fields.Nested(WorkReport))
    created_at = fields.DateTime()


class PlacementList(Schema):
    """Placements the caller may see."""

    items = fields.List(fields.Nested(Placement))


class PlacementQuery(StrictSchema):
    """Filter by status."""

    status = fields.String(validate=one_of_vocab(PLACEMENT_STATUSES))


class PlacementGroup(Schema):
    """Placements of one county or field."""

    code = fields.String()
    name = fields.String()
    active = fields.Integer()
    approved = fields.Integer()
    recommended = fields.Integer()


class PlacementDashboard(Schema):
    """科技副总 in scope: in office now, approved by the province, waiting; by county and field."""

    region = fields.String(allow_none=True)
    active = fields.Integer(metadata={"description": "在岗（省级立项且在任期内）"})
    approved = fields.Integer(metadata={"description": "获批省科技副总（立项，含期满已考核）"})
    recommended = fields.Integer(metadata={"description": "已推荐待省里结果"})
    consenting = fields.Integer(metadata={"description": "三方确认中"})
    by_county = fields.List(fields.Nested(PlacementGroup))
    by_field = fields.List(fields.Nested(PlacementGroup))


class PlacementDashboardQuery(StrictSchema):
    """A region within the caller's scope."""

    region = fields.String(validate=region_code, load_default=None)
