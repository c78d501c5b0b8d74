"""Well-formed but invented identifiers: credit codes, patent numbers, mobiles, people."""

from __future__ import annotations

import random

from matchmaker.taxonomy.validators import USCC_ALPHABET, uscc_with_check
from tooling.demo.vocabulary import GIVEN_NAMES, MOBILE_PREFIXES, SURNAMES

# GB 11714 organisation code: eight body characters weighted, check digit 0-9 or X.
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
# Chinese patent application numbers (12 digits since 2003) carry a mod-11 check character.
_PATENT_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
# 登记管理部门代码 + 机构类别: 9 1 enterprises (市场监管), 1 2 public institutions, 1 1 government.
_USCC_HEAD = {"enterprise": "91", "university": "12", "institute": "12", "bureau": "11"}


def org_code(body: str) -> str:
    """A nine-character organisation code: the eight body characters and their GB 11714 check."""
    values = [int(c) if c.isdigit() else ord(c) - 55 for c in body]
    check = 11 - sum(v * w for v, w in zip(values, _ORG_CODE_WEIGHTS, strict=True)) % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def uscc(rng: random.Random, kind: str, region: str, founded: int) -> str:
    """A valid unified social credit code; firms registered since 2015 get the "MA" style body."""
    if kind == "enterprise" and founded >= 2015:
        body = "MA" + "".join(rng.choice(USCC_ALPHABET) for _ in range(6))
    else:
        body = f"{rng.randint(1, 7)}{rng.randrange(10**7):07d}"
    return uscc_with_check(_USCC_HEAD[kind] + region + org_code(body))


def patent_number(rng: random.Random, year: int, kind: int) -> str:
    """A patent number such as ZL202110123456.7 (kind 1 invention, 2 utility model)."""
    digits = f"{year}{kind}{rng.randrange(2_000_000):07d}"
    total = sum(int(d) * w for d, w in zip(digits, _PATENT_WEIGHTS, strict=True)) % 11
    return f"ZL{digits}.{'X' if total == 10 else total}"


def software_number(rng: random.Random, year: int) -> str:
    """A software copyright registration number such as 2023SR0123456."""
    return f"{year}SR{rng.randrange(100_000, 1_600_000):07d}"


class People:
    """Hands out distinct names and mobile numbers from one seeded random stream."""

    def __init__(self, rng: random.Random) -> None:
        """Start with nobody named and no number used."""
        self._rng = rng
        self._names: set[str] = set()
        self._phones: set[str] = set()

    def person(self) -> tuple[str, str]:
        """A new Chinese name and its pinyin (for e-mail local parts)."""
        while True:
            (family, family_py), (given, given_py) = self._rng.choice(SURNAMES), self._rng.choice(GIVEN_NAMES)
            if family + given not in self._names:
                self._names.add(family + given)
                return family + given, family_py + given_py

    def mobile(self) -> str:
        """A new mainland mobile number (13x/15x/18x)."""
        while True:
            number = self._rng.choice(MOBILE_PREFIXES) + f"{self._rng.randrange(10**8):08d}"
            if number not in self._phones:
                self._phones.add(number)
                return number
