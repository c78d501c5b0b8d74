"""Schemas of the technology contract register (技术合同登记台账)."""

from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates_schema

from matchmaker.models.contracts.register import CONTRACT_SOURCES, CONTRACT_TYPES
from matchmaker.schemas.common import (
    CodeList,
    PageQuery,
    StrictSchema,
    Text,
    field_code,
    one_of_vocab,
    page_of,
    region_code,
)

MONEY = validate.Range(min=0, max=100_000_000)
SIDES = {"absorbed": "吸纳（买方在本地区）", "exported": "输出（卖方在本地区）"}


def money(*, required: bool = False) -> fields.Decimal:
    """An amount in 万元 (0 … 1 亿万元)."""
    return fields.Decimal(required=required, as_string=False, places=2, validate=MONEY)


class TechContractCreate(StrictSchema):
    """A contract entered by staff; sides are platform units (id) or named outside units with region."""

    number = Text(40, required=True)
    name = Text(200)
    contract_type = fields.String(required=True, validate=one_of_vocab(CONTRACT_TYPES))
    fields_ = CodeList(field_code, max_items=5, data_key="fields", attribute="fields")
    buyer_org_id = fields.Integer(validate=validate.Range(min=1))
    buyer_name = Text(120)
    buyer_region = fields.String(validate=region_code)
    seller_org_id = fields.Integer(validate=validate.Range(min=1))
    seller_name = Text(120)
    seller_region = fields.String(validate=region_code)
    amount = money(required=True)
    trade_amount = money()
    signed_on = fields.Date()
    registered_on = fields.Date(required=True)
    office = Text(100)
    match_id = fields.Integer(validate=validate.Range(min=1))
    challenge_award_id = fields.Integer(validate=validate.Range(min=1))

    @validates_schema
    def _trade_within_amount(self, data, **_):
        trade = data.get("trade_amount")
        if trade is not None and trade > data.get("amount", trade):
            raise ValidationError("技术交易额不能大于合同成交额", "trade_amount")


class TechContract(StrictSchema):
    """A register row as shown to those who may see it."""

    id = fields.Integer()
    number = fields.String()
    name = fields.String()
    contract_type = fields.String()
    contract_type_name = fields.Function(lambda c: CONTRACT_TYPES.get(c.contract_type, ""))
    fields_ = fields.List(fields.String(), data_key="fields", attribute="fields")
    buyer_org_id = fields.Integer(allow_none=True)
    buyer_name = fields.String()
    buyer_region = fields.String()
    seller_org_id = fields.Integer(allow_none=True)
    seller_name = fields.String()
    seller_region = fields.String()
    amount = fields.Float()
    trade_amount = fields.Float(allow_none=True)
    signed_on = fields.Date(allow_none=True)
    registered_on = fields.Date()
    office = fields.String()
    source = fields.String()
    source_name = fields.Function(lambda c: CONTRACT_SOURCES.get(c.source, ""))
    via_platform = fields.Boolean()
    match_id = fields.Integer(allow_none=True)
    challenge_award_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()


class TechContractQuery(PageQuery):
    """Filters of the register: region and side (吸纳 / 输出), type, source, registration dates."""

    region = fields.String(validate=region_code)
    side = fields.String(validate=one_of_vocab(SIDES))
    contract_type = fields.String(validate=one_of_vocab(CONTRACT_TYPES))
    source = fields.String(validate=one_of_vocab(CONTRACT_SOURCES))
    from_ = fields.Date(data_key="from", attribute="start")
    to = fields.Date(attribute="end")


TechContractPage = page_of(TechContract, "TechContractPage")
