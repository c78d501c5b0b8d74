"""Schemas of 产学研合作项目备案: the filing, its payments, attachments and the staff check."""

from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from matchmaker.models.contracts.filings import (
    ATTACHMENT_KINDS,
    CHECKLIST,
    FILING_CATEGORIES,
    FILING_STATUSES,
)
from matchmaker.schemas.common import PartialSchema, StrictSchema, Text, one_of_vocab
from matchmaker.schemas.contracts.register import money


class Payment(StrictSchema):
    """One payment to the partner: date and amount (万元)."""

    paid_on = fields.Date(required=True)
    amount = money(required=True)


class _FilingFields(Schema):
    title = Text(200, min_len=4)
    content = Text(5000)
    partner_org_id = fields.Integer(validate=validate.Range(min=1))
    partner_name = Text(120)
    contract_number = Text(40)
    amount = money()
    starts_on = fields.Date()
    ends_on = fields.Date()
    category = fields.String(validate=one_of_vocab(FILING_CATEGORIES))
    payments = fields.List(fields.Nested(Payment), validate=validate.Length(max=50))


class FilingCreate(_FilingFields, StrictSchema):
    """A new filing; `match_id` or `challenge_award_id` pre-fills partner, title, amount and category."""

    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    match_id = fields.Integer(validate=validate.Range(min=1))
    challenge_award_id = fields.Integer(validate=validate.Range(min=1))


class FilingUpdate(_FilingFields, PartialSchema):
    """Changes to a draft or returned filing (`payments` replaced whole)."""


class Attachment(StrictSchema):
    """An attached file (read it at its URL)."""

    id = fields.Integer()
    kind = fields.String()
    filename = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    created_at = fields.DateTime()


class Filing(StrictSchema):
    """A filing as its enterprise and staff in scope see it."""

    id = fields.Integer()
    org_id = fields.Integer()
    org_name = fields.Function(lambda f: f.org.name)
    region = fields.String()
    title = fields.String()
    content = fields.String()
    partner_org_id = fields.Integer(allow_none=True)
    partner_name = fields.String()
    contract_id = fields.Integer(allow_none=True)
    contract_number = fields.String(allow_none=True)
    amount = fields.Float()
    paid_amount = fields.Float()
    starts_on = fields.Date()
    ends_on = fields.Date()
    category = fields.String()
    payments = fields.List(fields.Dict())
    match_id = fields.Integer(allow_none=True)
    challenge_award_id = fields.Integer(allow_none=True)
    status = fields.String()
    checklist = fields.Dict()
    return_reasons = fields.List(fields.String())
    filing_number = fields.String(allow_none=True)
    attachments = fields.List(fields.Nested(Attachment))
    submitted_at = fields.DateTime(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)


class FilingList(StrictSchema):
    """Filings."""

    items = fields.List(fields.Nested(Filing))


class FilingQuery(StrictSchema):
    """Filter by status."""

    status = fields.String(validate=validate.OneOf(FILING_STATUSES))


class AttachmentForm(Schema):
    """What the file is (`?kind=contract|invoice|payment|other` beside the multipart file)."""

    kind = fields.String(required=True, validate=one_of_vocab(ATTACHMENT_KINDS))


class AttachmentFile(Schema):
    """The multipart upload: a PDF or image under `file` (≤ 4 MB)."""

    file = Upload(required=True)


class FilingCheck(StrictSchema):
    """Staff's checklist (every item must hold to approve) and decision; reasons when returning."""

    checklist = fields.Dict(
        keys=fields.String(validate=validate.OneOf(list(CHECKLIST))), values=fields.Boolean(), required=True
    )
    decision = fields.String(required=True, validate=validate.OneOf(["approve", "return"]))
    reasons = fields.List(Text(500), load_default=list, validate=validate.Length(max=10))
