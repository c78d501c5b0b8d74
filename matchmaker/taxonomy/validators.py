"""Checks and masking for identifiers users type: credit codes, mobile numbers, e-mail addresses."""

from __future__ import annotations

import re

# GB 32100-2015 统一社会信用代码: 18 characters from this 31-symbol alphabet (no I, O, Z, S, V).
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_VALUE = {char: value for value, char in enumerate(USCC_ALPHABET)}

_MOBILE = re.compile(r"1[3-9]\d{9}")
_MOBILE_PREFIXES = ("+86", "0086", "86")
_SEPARATORS = re.compile(r"[\s\-()（）]")
_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)


def normalize_uscc(value: str) -> str:
    """The code as stored: surrounding and inner spaces removed, letters upper-cased."""
    return re.sub(r"\s", "", value).upper()


def uscc_check_char(first17: str) -> str:
    """The GB 32100-2015 check character for the first 17 characters of a credit code."""
    if len(first17) != 17 or any(char not in _USCC_VALUE for char in first17):
        raise ValueError("统一社会信用代码前17位应由数字和大写字母（不含I、O、Z、S、V）组成")
    total = sum(_USCC_VALUE[char] * weight for char, weight in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_with_check(first17: str) -> str:
    """A full 18-character credit code: the 17 given characters plus their check character."""
    body = normalize_uscc(first17)
    return body + uscc_check_char(body)


def valid_uscc(value: str | None) -> bool:
    """Whether the value is a well-formed unified social credit code with a correct check character."""
    if not isinstance(value, str):
        return False
    code = normalize_uscc(value)
    if len(code) != 18 or any(char not in _USCC_VALUE for char in code):
        return False
    return uscc_check_char(code[:17]) == code[17]


def normalize_mobile(value: str | None) -> str | None:
    """The 11-digit mainland mobile number in the value, without +86 or separators; else None."""
    if not isinstance(value, str):
        return None
    digits = _SEPARATORS.sub("", value)
    for prefix in _MOBILE_PREFIXES:
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits[len(prefix) :]
            break
    return digits if _MOBILE.fullmatch(digits) else None


def valid_mobile(value: str | None) -> bool:
    """Whether the value is a mainland mobile number (1[3-9] and nine digits, +86 allowed)."""
    return normalize_mobile(value) is not None


def valid_email(value: str | None) -> bool:
    """Whether the value looks like a deliverable e-mail address (local@domain.tld)."""
    if not isinstance(value, str) or len(value) > 254:
        return False
    text = value.strip()
    return bool(_EMAIL.fullmatch(text)) and len(text.split("@", 1)[0]) <= 64


def mask_phone(value: str | None) -> str:
    """Hide the middle of a phone number: "13812345678" -> "138****5678"."""
    if not value:
        return ""
    number = normalize_mobile(value) or _SEPARATORS.sub("", value)
    if len(number) < 8:
        return "*" * len(number)
    return f"{number[:3]}****{number[-4:]}"


def mask_email(value: str | None) -> str:
    """Hide the local part but its first character: "alice@example.com" -> "a***@example.com"."""
    if not value:
        return ""
    text = value.strip()
    local, at, domain = text.rpartition("@")
    if not at or not local:
        return "***"
    return f"{local[0]}***@{domain}"
