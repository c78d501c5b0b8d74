"""Schemas for the audit log (操作日志): filters, rows, and the contact-reveal list."""

from __future__ import annotations

from marshmallow import fields, validate

from matchmaker.schemas.common import PageQuery, StrictSchema, Text, china_datetime, page_of

FORMATS = validate.OneOf(["json", "xlsx"], error="format 应为 json 或 xlsx")


class AuditQuery(PageQuery):
    """Filters: who (actor_id), what (action), which object (object_type, object_id), when (from, to)."""

    actor_id = fields.Integer()
    action = Text(50)
    object_type = Text(30)
    object_id = fields.Integer()
    from_ = china_datetime(data_key="from", attribute="since")
    to = china_datetime(attribute="until")
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    format = fields.String(load_default="json", validate=FORMATS)


class AuditRow(StrictSchema):
    """One recorded action."""

    id = fields.Integer()
    at = fields.DateTime()
    actor_id = fields.Integer(allow_none=True)
    actor_name = fields.String()
    actor_org = fields.String()
    action = fields.String()
    action_label = fields.String()
    object_type = fields.String()
    object_id = fields.Integer(allow_none=True)
    request_id = fields.String(allow_none=True)
    ip = fields.String(allow_none=True)
    detail = fields.Dict()


class ContactReveal(StrictSchema):
    """Someone saw the contact details of one of my unit's listings."""

    id = fields.Integer()
    at = fields.DateTime()
    actor_name = fields.String()
    actor_org = fields.String()
    object_type = fields.String(metadata={"description": "need 或 output"})
    object_id = fields.Integer()
    listing_title = fields.String()
    match_id = fields.Integer(allow_none=True)


AuditPage = page_of(AuditRow, "AuditPage")
ContactRevealPage = page_of(ContactReveal, "ContactRevealPage")
