"""Argon2id password hashing and the rule a new password must meet."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()


def configure(*, time_cost: int, memory_cost: int) -> None:
    """Set argon2 cost parameters (the test settings lower them; production keeps the library defaults)."""
    global _hasher
    _hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost)


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return _hasher.hash(password)


def verify_password(stored: str, password: str) -> bool:
    """True when the password matches the stored hash."""
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(stored)


# Password rule of 等保 2.0 grade (GB/T 22239-2019, 身份鉴别): long enough, mixed character classes,
# and not one of the passwords every guessing list starts with.
MIN_LENGTH = 8
MAX_LENGTH = 128
MIN_CLASSES = 3
_COMMON_FILE = Path(__file__).with_name("common_passwords.txt")


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, lower-cased."""
    lines = _COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def _classes(password: str) -> int:
    kinds = (str.islower, str.isupper, str.isdigit)
    found = {i for ch in password for i, test in enumerate(kinds) if ch.isascii() and test(ch)}
    if any(not (ch.isascii() and ch.isalnum()) for ch in password):
        found.add(3)  # symbols (and any non-ASCII character) count as the fourth class
    return len(found)


def password_problems(password: str, *, personal: tuple[str | None, ...] = ()) -> list[str]:
    """Why a new password is refused (empty when it is acceptable); personal = e-mail, phone, name."""
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        return [f"密码长度应为 {MIN_LENGTH} 到 {MAX_LENGTH} 位（length {MIN_LENGTH}-{MAX_LENGTH}）"]
    problems = []
    if _classes(password) < MIN_CLASSES:
        problems.append(
            "密码须包含大写字母、小写字母、数字、符号中的至少三类（3 of: upper, lower, digit, symbol）"
        )
    lowered = password.lower()
    if lowered in common_passwords():
        problems.append("该密码过于常见，请换一个（too common）")
    for item in personal:
        stem = (item or "").split("@")[0].lower()
        if len(stem) >= 4 and stem in lowered:
            problems.append("密码不能包含邮箱、手机号或姓名（must not contain your e-mail or phone）")
            break
    return problems
