"""Schemas of the 技术转移清单: the list query (region, period, format) and the 共性关键技术 mark."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from matchmaker.reports.transfer_lists import dates_period, parse_period
from matchmaker.schemas.common import StrictSchema, Text, region_code


def _period(value: str) -> None:
    try:
        parse_period(value)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc


class TransferListQuery(StrictSchema):
    """A county of the caller's scope (their own by default), a period or dates, and the file format."""

    region = fields.String(validate=region_code, load_default=None)
    period = fields.String(
        validate=_period, load_default=None, metadata={"description": "2026、2026-Q4 或 2026-10"}
    )
    from_ = fields.Date(data_key="from", attribute="start", load_default=None)
    to = fields.Date(attribute="end", load_default=None)
    format = fields.String(
        load_default="xlsx", validate=validate.OneOf(["xlsx", "docx"], error="format 应为 xlsx 或 docx")
    )

    @validates_schema
    def _one_period(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("period") and (data.get("start") or data.get("end")):
            raise ValidationError("period 与 from/to 只能选一种", "period")
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise ValidationError("开始日期不能晚于结束日期", "from")

    @post_load
    def _span(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        text = data.pop("period")
        data["span"] = parse_period(text) if text else dates_period(data["start"], data["end"])
        return data


class CommonTechMarkIn(StrictSchema):
    """The industry chain (产业链) the need is a common key technology of, and why (optional)."""

    chain = Text(50, required=True, metadata={"description": "所属产业链，如「石油装备」"})
    note = Text(200, load_default="", metadata={"description": "共性技术说明"})


class CommonTechMark(Schema):
    """A need marked as 共性关键技术 of a chain."""

    need_id = fields.Integer()
    need_title = fields.String(attribute="need.title")
    region = fields.String(attribute="need.region")
    chain = fields.String()
    note = fields.String()
    marked_by = fields.Integer()
    marked_at = fields.DateTime()
