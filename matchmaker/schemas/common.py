"""Shared schema pieces: strict, guarded base, taxonomy-checked fields, money, pagination."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, pre_load, validate, validates_schema

from matchmaker.models.common import CHINA
from matchmaker.schemas import guards
from matchmaker.taxonomy import fields as field_tree
from matchmaker.taxonomy import regions


class StrictSchema(Schema):
    """Unknown fields are rejected, numbers and dates bounded, control characters refused.

    Every schema that loads input derives from this (see schemas/guards.py for why).
    """

    class Meta:
        unknown = RAISE

    def on_bind_field(self, field_name: str, field_obj: fields.Field) -> None:
        """Bound every number and date field the schema declares."""
        guards.bound_field(field_obj)

    @pre_load
    def _refuse_control_characters(self, data: Any, **_: Any) -> Any:
        guards.check_text(data)
        return data


class PartialSchema(StrictSchema):
    """Base of partial-update schemas: every field optional, but the body must change something.

    marshmallow has no ``Meta.partial`` option, so partial loading is switched on per instance.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("partial", True)
        super().__init__(*args, **kwargs)

    @validates_schema
    def _not_empty(self, data: dict[str, Any], **_: Any) -> None:
        if not data:
            raise ValidationError("请求体为空，没有要修改的字段（no fields to update）")


def region_code(value: str) -> None:
    """A GB/T 2260 code the platform knows."""
    if not regions.exists(value):
        raise ValidationError("未知的行政区划代码（unknown GB/T 2260 region code）")


def field_code(value: str) -> None:
    """A code from the industry field tree."""
    if not field_tree.exists(value):
        raise ValidationError(f"未知的产业领域代码：{value}（unknown field code）")


def one_of_vocab(vocab: Mapping[str, str]) -> validate.Validator:
    """Accept only codes of a vocabulary, with the Chinese labels in the message."""
    choices = list(vocab)
    listing = "、".join(f"{k}（{v}）" for k, v in vocab.items())
    return validate.OneOf(choices, error=f"取值应为：{listing}（must be one of: {', '.join(choices)}）")


def Text(max_len: int, *, required: bool = False, min_len: int = 0, **kw: Any) -> fields.String:
    """A string with a length cap; blank strings count as missing when required."""
    return fields.String(
        required=required, validate=validate.Length(min=max(min_len, 1 if required else 0), max=max_len), **kw
    )


# 10 亿元: above any technology contract, need budget or 揭榜挂帅 bounty of a city's platform.
MONEY_MAX_WAN = 100_000


def Money(label: str, *, max_wan: int = MONEY_MAX_WAN, positive: bool = False, **kw: Any) -> fields.Decimal:
    """An amount in 万元 (ten thousand yuan), two decimals, bounded and documented as such."""
    low = "大于 0" if positive else "0"
    return fields.Decimal(
        places=2,
        as_string=False,
        validate=validate.Range(
            min=0,
            max=max_wan,
            min_inclusive=not positive,
            error=f"金额应为{low}～{max_wan:,} 万元（amount in 万元, {low} to {max_wan}）",
        ),
        metadata={"description": f"{label}，单位：万元（{low}～{max_wan:,} 万元）"},
        **kw,
    )


def CodeList(item_validator: Any, *, max_items: int = 10, **kw: Any) -> fields.List:
    """A short list of validated codes."""
    kw.setdefault("validate", validate.Length(max=max_items))
    return fields.List(fields.String(validate=item_validator), **kw)


class PageQuery(StrictSchema):
    """page / per_page query parameters."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class PageSchema(Schema):
    """Envelope of a paginated list."""

    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


def page_of(item_schema: type[Schema], name: str) -> type[Schema]:
    """A page envelope schema with `items` of the given schema."""
    return type(name, (PageSchema,), {"items": fields.List(fields.Nested(item_schema))})


class MessageSchema(Schema):
    """A simple acknowledgement."""

    message = fields.String()


def china_datetime(**kw: Any) -> fields.AwareDateTime:
    """A date-time field; a value sent without an offset is read as China time (UTC+8)."""
    return fields.AwareDateTime(default_timezone=CHINA, **kw)


# --- shared by 榜单 and technology needs: quantified indicators and the intake check -------------


class Indicator(StrictSchema):
    """A quantified core indicator: name, comparator, target value and unit."""

    name = Text(100, required=True)
    comparator = fields.String(
        load_default=">=",
        validate=validate.OneOf([">=", "<=", "="], error="比较方式应为 >=、<= 或 =（comparator）"),
    )
    target = fields.Decimal(places=4, as_string=False, required=True)
    unit = Text(20, load_default="")


class Gap(Schema):
    """One gap of the intake check."""

    field = fields.String()
    message = fields.String()


class Intake(Schema):
    """The intake check: blocking gaps (submission refused) and advisory ones."""

    ready = fields.Boolean()
    blocking = fields.List(fields.Nested(Gap))
    advisory = fields.List(fields.Nested(Gap))
