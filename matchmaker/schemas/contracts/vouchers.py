"""Schemas of 创新券: batches, providers, applications, issue, claim and payout."""

from __future__ import annotations

from marshmallow import fields, validate

from matchmaker.models.contracts.vouchers import VOUCHER_STATUSES
from matchmaker.schemas.common import StrictSchema, Text, region_code
from matchmaker.schemas.contracts.register import money
from matchmaker.taxonomy import vocab


class BatchCreate(StrictSchema):
    """A yearly batch: budget and per-voucher cap (万元), who may apply, until when vouchers are valid."""

    year = fields.Integer(required=True, validate=validate.Range(min=2000, max=2100))
    name = Text(100, required=True)
    region = fields.String(required=True, validate=region_code)
    budget = money(required=True)
    max_amount = money(required=True)
    qualifications = fields.List(fields.String(validate=validate.OneOf(list(vocab.QUALIFICATIONS))))
    valid_until = fields.Date(required=True)


class Batch(StrictSchema):
    """A batch with what is left of its budget."""

    id = fields.Integer()
    year = fields.Integer()
    name = fields.String()
    region = fields.String()
    budget = fields.Float()
    committed = fields.Float(metadata={"description": "已发放未退回的额度"})
    paid_out = fields.Float()
    remaining = fields.Function(lambda b: float(b.budget) - float(b.committed or 0))
    max_amount = fields.Float()
    qualifications = fields.List(fields.String())
    valid_until = fields.Date()
    status = fields.String()


class BatchList(StrictSchema):
    """Batches."""

    items = fields.List(fields.Nested(Batch))


class ProviderCreate(StrictSchema):
    """What services the provider offers (检验检测、研发设计、技术咨询……)."""

    services = Text(2000, required=True)


class Provider(StrictSchema):
    """A service provider."""

    id = fields.Integer()
    org_id = fields.Integer()
    org_name = fields.Function(lambda p: p.org.name)
    services = fields.String()
    status = fields.String()


class ProviderList(StrictSchema):
    """Providers."""

    items = fields.List(fields.Nested(Provider))


class ProviderQuery(StrictSchema):
    """Filter by status."""

    status = fields.String(validate=validate.OneOf(["pending", "approved", "rejected"]))


class Decision(StrictSchema):
    """approve or reject."""

    approve = fields.Boolean(required=True)


class VoucherApply(StrictSchema):
    """The amount asked for and what the service is for."""

    amount = money(required=True)
    purpose = Text(2000, required=True)


class VoucherIssue(StrictSchema):
    """The face value and, if shorter than the batch's, the validity."""

    amount = money(required=True)
    valid_until = fields.Date()


class VoucherReject(StrictSchema):
    """Why the application is refused."""

    reason = Text(500, required=True)


class VoucherClaim(StrictSchema):
    """The service bought: provider, contract, invoice, service report, and the amount to redeem."""

    provider_id = fields.Integer(required=True, validate=validate.Range(min=1))
    contract_number = Text(60, required=True)
    invoice_number = Text(60, required=True)
    report = Text(5000, required=True)
    amount = money(required=True)


class VoucherPayout(StrictSchema):
    """The amount staff verified and paid."""

    amount = money(required=True)


class Voucher(StrictSchema):
    """A voucher as its enterprise, the provider and staff see it."""

    id = fields.Integer()
    batch_id = fields.Integer()
    org_id = fields.Integer()
    org_name = fields.Function(lambda v: v.org.name)
    region = fields.String()
    status = fields.String()
    requested_amount = fields.Float()
    purpose = fields.String()
    reject_reason = fields.String(allow_none=True)
    amount = fields.Float(allow_none=True)
    code = fields.String(allow_none=True)
    valid_until = fields.Date(allow_none=True)
    provider_id = fields.Integer(allow_none=True)
    service = fields.Dict()
    claim_amount = fields.Float(allow_none=True)
    payout_amount = fields.Float(allow_none=True)
    issued_at = fields.DateTime(allow_none=True)
    redeemed_at = fields.DateTime(allow_none=True)


class VoucherList(StrictSchema):
    """Vouchers."""

    items = fields.List(fields.Nested(Voucher))


class VoucherQuery(StrictSchema):
    """Filter by batch and status."""

    batch_id = fields.Integer()
    status = fields.String(validate=validate.OneOf(VOUCHER_STATUSES))
