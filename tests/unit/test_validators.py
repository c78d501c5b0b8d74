"""Credit codes, mobile numbers, e-mail addresses and their masking."""

from __future__ import annotations

import pytest

from matchmaker.taxonomy.validators import (
    mask_email,
    mask_phone,
    normalize_mobile,
    normalize_uscc,
    uscc_check_char,
    uscc_with_check,
    valid_email,
    valid_mobile,
    valid_uscc,
)

# Published codes of well-known companies (营业执照), each with a different check character.
REAL_USCC = [
    "914403001922038216",  # 华为技术有限公司
    "91440300708461136T",  # 深圳市腾讯计算机系统有限公司
    "91330100716105852F",  # 阿里巴巴（中国）有限公司
    "91110108551385082Q",  # 小米科技有限责任公司
    "91110000710925462X",  # 中国石油天然气股份有限公司
]


@pytest.mark.parametrize("code", REAL_USCC)
def test_real_credit_codes_are_valid(code: str) -> None:
    assert valid_uscc(code)
    assert uscc_check_char(code[:17]) == code[17]
    assert uscc_with_check(code[:17]) == code


@pytest.mark.parametrize("code", REAL_USCC)
def test_every_wrong_check_character_is_rejected(code: str) -> None:
    wrong = [c for c in "0123456789ABCDEFGHJKLMNPQRTUWXY" if c != code[17]]
    assert len(wrong) == 30
    assert not any(valid_uscc(code[:17] + c) for c in wrong)


def test_malformed_credit_codes_are_rejected() -> None:
    assert not valid_uscc("91440300708461136")  # 17 characters
    assert not valid_uscc("91440300708461136TT")  # 19 characters
    assert not valid_uscc("9144030070846113IT")  # I is not in the alphabet
    assert not valid_uscc("")
    assert not valid_uscc(None)


def test_check_character_zero_when_sum_is_multiple_of_31() -> None:
    assert uscc_check_char("00000000000000000") == "0"
    assert valid_uscc("000000000000000000")
    assert uscc_check_char("10000000000000000") == "Y"  # 31 - 1 = 30 -> Y, the last symbol


def test_credit_code_normalization() -> None:
    assert normalize_uscc(" 91440300 708461136t ") == "91440300708461136T"
    assert valid_uscc("91440300708461136t")


def test_generator_builds_valid_codes_and_rejects_bad_input() -> None:
    code = uscc_with_check("91320831MA1XY4R23")
    assert len(code) == 18 and valid_uscc(code)
    with pytest.raises(ValueError):
        uscc_with_check("91320831MA1XY4R2")
    with pytest.raises(ValueError):
        uscc_with_check("91320831MA1XY4R2O")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("+86 138-1234-5678", "13812345678"),
        ("008619912345678", "19912345678"),
        ("8615012345678", "15012345678"),
    ],
)
def test_mobile_numbers_are_normalized(raw: str, expected: str) -> None:
    assert valid_mobile(raw)
    assert normalize_mobile(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["12812345678", "1381234567", "138123456789", "23812345678", "0517-86901234", "", None, "+8612812345678"],
)
def test_invalid_mobile_numbers(raw: str | None) -> None:
    assert not valid_mobile(raw)
    assert normalize_mobile(raw) is None


@pytest.mark.parametrize(
    "address",
    ["alice@example.com", "zhang.san+match@njtech.edu.cn", "12345678@qq.com", "a_b-c@mail.sina.com.cn"],
)
def test_valid_emails(address: str) -> None:
    assert valid_email(address)


@pytest.mark.parametrize(
    "address",
    [
        "alice",
        "alice@",
        "@example.com",
        "alice@example",
        "alice@@example.com",
        "a..b@example.com",
        ".alice@example.com",
        "alice@-example.com",
        "ali ce@example.com",
        "a" * 65 + "@example.com",
        "",
        None,
    ],
)
def test_invalid_emails(address: str | None) -> None:
    assert not valid_email(address)


def test_mask_phone() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("+86 138-1234-5678") == "138****5678"
    assert mask_phone("0517-86901234") == "051****1234"
    assert mask_phone("12345") == "*****"
    assert mask_phone("") == ""
    assert mask_phone(None) == ""


def test_mask_email() -> None:
    assert mask_email("alice@example.com") == "a***@example.com"
    assert mask_email("z@qq.com") == "z***@qq.com"
    assert mask_email("not-an-address") == "***"
    assert mask_email("") == ""
    assert "alice" not in mask_email("alice@example.com")
