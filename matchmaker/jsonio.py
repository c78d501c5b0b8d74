"""The app's JSON provider: Chinese as it is, keys in the order the schema gives them."""

from __future__ import annotations

import json
from typing import Any

from flask.json.provider import DefaultJSONProvider


class SafeJSONProvider(DefaultJSONProvider):
    """UTF-8 JSON without escapes, falling back to \\u escapes for what UTF-8 cannot carry.

    A lone surrogate (say, an unknown field name echoed in a 422) cannot be encoded as UTF-8; the
    escaped form is still valid JSON, so the answer stays a 4xx instead of becoming a 500.
    """

    ensure_ascii = False
    sort_keys = False

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        """Serialise; re-serialise with escapes when the text would not encode."""
        text = super().dumps(obj, **kwargs)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            kwargs.setdefault("default", self.default)
            return json.dumps(obj, **{**kwargs, "ensure_ascii": True})
        return text
