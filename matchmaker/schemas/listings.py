"""Schemas for needs (技术需求) and outputs (科技成果): create, partial update, dump, list query."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from matchmaker.schemas.accounts import email, mobile
from matchmaker.schemas.common import (
    CodeList,
    Indicator,
    Money,
    PageSchema,
    PartialSchema,
    StrictSchema,
    Text,
    field_code,
    one_of_vocab,
    region_code,
)
from matchmaker.taxonomy import vocab


def _contact_phone(value: str) -> None:
    if value:
        mobile(value)


def _contact_email(value: str) -> None:
    if value:
        email(value)


class ListingBase(StrictSchema):
    """Fields both kinds of listing share."""

    title = Text(200, required=True, min_len=4)
    detail = Text(20_000)
    fields_ = CodeList(
        field_code,
        data_key="fields",
        attribute="fields",
        required=True,
        validate=validate.Length(min=1, max=5),
    )
    keywords = fields.List(
        fields.String(validate=validate.Length(min=1, max=30)),
        validate=validate.Length(max=12),
        load_default=list,
    )
    modes = CodeList(one_of_vocab(vocab.COOP_MODES), max_items=7, load_default=list)
    region = fields.String(validate=region_code)
    contact_name = Text(50)
    contact_phone = fields.String(validate=_contact_phone)
    contact_email = fields.String(validate=[validate.Length(max=254), _contact_email])


class NeedCreate(ListingBase):
    """A new technology need (saved as a draft)."""

    summary = Text(5000, required=True, min_len=10)
    need_type = fields.String(required=True, validate=one_of_vocab(vocab.NEED_TYPES))
    budget_min = Money("预算下限", allow_none=True)
    budget_max = Money("预算上限", allow_none=True)
    deadline = fields.Date(allow_none=True)
    wanted_maturity = fields.String(allow_none=True, validate=one_of_vocab(vocab.MATURITY_STAGES))
    indicators = fields.List(
        fields.Nested(Indicator),
        validate=validate.Length(max=20),
        metadata={"description": "技术指标：名称、比较方式、目标值、单位；修改时整体替换"},
    )


class NeedUpdate(PartialSchema, NeedCreate):
    """Partial update of a need."""


class IpItem(StrictSchema):
    """One piece of intellectual property behind an output."""

    type = fields.String(required=True, validate=one_of_vocab(vocab.IP_TYPES))
    number = Text(40, required=True)
    title = Text(200)


class OutputCreate(ListingBase):
    """A new research output (saved as a draft)."""

    abstract = Text(5000, required=True, min_len=10)
    maturity = fields.String(required=True, validate=one_of_vocab(vocab.MATURITY_STAGES))
    trl = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=9))
    ip = fields.List(fields.Nested(IpItem), validate=validate.Length(max=20), load_default=list)
    price = Money("转让价格（不填为面议）", allow_none=True)
    negotiable = fields.Boolean(load_default=True)
    team_lead = Text(50)
    valid_until = fields.Date(allow_none=True)


class OutputUpdate(PartialSchema, OutputCreate):
    """Partial update of an output."""


class ListingDump(StrictSchema):
    """Common dump fields; detail and contacts arrive already masked by the service."""

    id = fields.Integer()
    kind = fields.String()
    status = fields.String()
    title = fields.String()
    detail = fields.String(allow_none=True)
    fields_ = fields.List(fields.String(), data_key="fields", attribute="fields")
    keywords = fields.List(fields.String())
    modes = fields.List(fields.String())
    region = fields.String()
    region_name = fields.String()
    org_id = fields.Integer()
    org_name = fields.String()
    contact_name = fields.String()
    contact_phone = fields.String()
    contact_email = fields.String()
    contact_visible = fields.Boolean()
    reject_reason = fields.String(allow_none=True)
    version = fields.Integer()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    submitted_at = fields.DateTime(allow_none=True)
    published_at = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)


class Need(ListingDump):
    """A need as the viewer may see it."""

    summary = fields.String()
    need_type = fields.String()
    budget_min = fields.Float(allow_none=True)
    budget_max = fields.Float(allow_none=True)
    deadline = fields.Date(allow_none=True)
    wanted_maturity = fields.String(allow_none=True)
    indicators = fields.List(fields.Dict())
    campaign_id = fields.Integer(allow_none=True, metadata={"description": "所属需求征集活动"})
    collected_by = fields.Integer(allow_none=True, metadata={"description": "走访代录的科技局工作人员"})
    answers = fields.Dict(allow_none=True, metadata={"description": "征集活动附加问题的回答"})


class Output(ListingDump):
    """An output as the viewer may see it."""

    abstract = fields.String()
    maturity = fields.String()
    trl = fields.Integer(allow_none=True)
    ip = fields.List(fields.Dict())
    price = fields.Float(allow_none=True)
    negotiable = fields.Boolean()
    team_lead = fields.String()
    valid_until = fields.Date(allow_none=True)


class ListingQuery(StrictSchema):
    """Filters, sort and pagination for listing needs or outputs."""

    field = fields.String(validate=field_code)
    region = fields.String(validate=region_code)
    status = fields.String(
        validate=validate.OneOf(["draft", "submitted", "published", "rejected", "closed", "expired"])
    )
    mode = fields.String(validate=one_of_vocab(vocab.COOP_MODES))
    maturity = fields.String(validate=one_of_vocab(vocab.MATURITY_STAGES))
    budget_min = fields.Float(validate=validate.Range(min=0))
    budget_max = fields.Float(validate=validate.Range(min=0))
    deadline_after = fields.Date()
    deadline_before = fields.Date()
    org_id = fields.Integer()
    mine = fields.Boolean(load_default=False)
    sort = fields.String(
        load_default="newest", validate=validate.OneOf(["newest", "oldest", "deadline", "budget"])
    )
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    after = fields.String(
        validate=validate.Length(max=500),
        metadata={
            "description": "上一页响应中的 next 游标：从该条之后继续"
            "（任意深度都与第一页一样快；与 page 二选一）"
        },
    )

    @validates_schema
    def _one_way_of_paging(self, data: dict, **_: Any) -> None:
        if data.get("after") and data.get("page", 1) != 1:
            raise ValidationError("after 与 page 不能同时使用（use either after or page）", "after")


def listing_page(item_schema: type[Schema], name: str) -> type[Schema]:
    """A page of listings: items, the total, and the cursor of the next page (null on the last)."""
    next_field = fields.String(
        allow_none=True,
        metadata={"description": "下一页的游标，作为 after 传回；最后一页为 null（cursor of the next page）"},
    )
    items = fields.List(fields.Nested(item_schema))
    return type(name, (PageSchema,), {"items": items, "next": next_field})


class SimilarQuery(StrictSchema):
    """How many similar listings to return."""

    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=50))


def similar_page(item_schema: type[Schema], name: str) -> type[Schema]:
    """Listings nearest in meaning, each with its cosine similarity, best first."""
    item = type(
        f"{name}Item",
        (Schema,),
        {
            "listing": fields.Nested(item_schema),
            "similarity": fields.Float(metadata={"description": "语义相似度（余弦，-1 至 1）"}),
        },
    )
    embedded = fields.Boolean(
        metadata={
            "description": "false 表示该条目尚未完成语义向量计算（约一分钟内完成），items 为空，请稍后再试"
        }
    )
    return type(name, (Schema,), {"items": fields.List(fields.Nested(item)), "embedded": embedded})


class Reason(StrictSchema):
    """A review decision's reason (required for reject and unpublish)."""

    reason = Text(500)
