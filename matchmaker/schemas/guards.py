"""Input guards every loading schema applies: bounded numbers and dates, no control characters.

They live on the base schema (``StrictSchema``) so no endpoint can forget them: an integer that
does not fit the database, a date whose arithmetic overflows, a NUL that PostgreSQL refuses or a
lone surrogate that cannot be encoded would otherwise reach a service and come back as a 500.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from marshmallow import ValidationError, fields, validate

from matchmaker.models.common import INT_MAX, INT_MIN

# Numeric(18, 4) is the widest money-free numeric column; every money field has its own cap.
NUMBER_MAX = 10**12
YEAR_MIN, YEAR_MAX = 1900, 2100
# C0 and C1 controls except tab, line feed and carriage return, DEL, and lone UTF-16 surrogates.
FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
CONTROL_MESSAGE = "不能包含控制字符或无效字符（control characters and lone surrogates are not allowed）"
DATE_MESSAGE = f"日期应在 {YEAR_MIN} 年至 {YEAR_MAX} 年之间（year must be between {YEAR_MIN} and {YEAR_MAX}）"


def _has_upper_bound(field: fields.Field) -> bool:
    return any(isinstance(v, validate.Range) and v.max is not None for v in field.validators)


def _has_lower_bound(field: fields.Field) -> bool:
    return any(isinstance(v, validate.Range) and v.min is not None for v in field.validators)


def _year_in_range(value: date | datetime) -> None:
    if not YEAR_MIN <= value.year <= YEAR_MAX:
        raise ValidationError(DATE_MESSAGE)


def _add(field: fields.Field, validator: Any) -> None:
    # Fields are deep-copied per schema instance, so this never leaks into another schema.
    field.validators = [*field.validators, validator]


def bound_field(field: fields.Field) -> None:
    """Give a number or date field the bounds it lacks; recurse into lists, tuples and dicts."""
    if isinstance(field, fields.Integer):
        low = None if _has_lower_bound(field) else INT_MIN
        high = None if _has_upper_bound(field) else INT_MAX
        if low is not None or high is not None:
            _add(field, validate.Range(min=low, max=high))
    elif isinstance(field, fields.Number):
        low = None if _has_lower_bound(field) else -NUMBER_MAX
        high = None if _has_upper_bound(field) else NUMBER_MAX
        if low is not None or high is not None:
            _add(field, validate.Range(min=low, max=high))
    elif isinstance(field, fields.Date | fields.DateTime):
        _add(field, _year_in_range)
    elif isinstance(field, fields.List):
        bound_field(field.inner)
    elif isinstance(field, fields.Tuple):
        for inner in field.tuple_fields:
            bound_field(inner)
    elif isinstance(field, fields.Dict) and field.value_field is not None:
        bound_field(field.value_field)


def _bad_text(value: Any) -> bool:
    if isinstance(value, str):
        return FORBIDDEN.search(value) is not None
    if isinstance(value, Mapping):
        return any(_bad_text(k) or _bad_text(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_bad_text(item) for item in value)
    return False


def _safe_key(key: Any) -> str:
    return FORBIDDEN.sub("\ufffd", str(key))


def check_text(data: Any) -> None:
    """Reject control characters and lone surrogates anywhere in the input, per top-level field."""
    if not isinstance(data, Mapping):
        if _bad_text(data):
            raise ValidationError(CONTROL_MESSAGE)
        return
    keys = data.keys()
    bad = {}
    for key in keys:
        # A query string or form may repeat a key; every value is checked.
        values = data.getlist(key) if hasattr(data, "getlist") else [data[key]]
        if _bad_text(key) or any(_bad_text(v) for v in values):
            bad[_safe_key(key)] = [CONTROL_MESSAGE]
    if bad:
        raise ValidationError(bad)


def json_number(value: Any) -> Any:
    """A bound as JSON wants it: Decimal bounds become int or float (OpenAPI needs numbers)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
