"""How a 技术转移清单 names its period, and the industry chain a mark groups under (pure rules)."""

from __future__ import annotations

from datetime import date

import pytest

from matchmaker.errors import ValidationFailed
from matchmaker.reports.transfer_lists import dates_period, parse_period
from matchmaker.services.transfer_lists import chain_name


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31), "2026年第四季度"),
        ("2026Q1", date(2026, 1, 1), date(2026, 3, 31), "2026年第一季度"),
        ("2028-02", date(2028, 2, 1), date(2028, 2, 29), "2028年2月"),
        ("2026-12", date(2026, 12, 1), date(2026, 12, 31), "2026年12月"),
        ("2026", date(2026, 1, 1), date(2026, 12, 31), "2026年"),
    ],
)
def test_a_period_is_a_year_quarter_or_month(text, start, end, label):
    period = parse_period(text)
    assert (period.start, period.end, period.label) == (start, end, label)


@pytest.mark.parametrize("text", ["2026-Q0", "2026-13", "2026-00", "26-Q4", "1899", "2026年", ""])
def test_anything_else_is_refused(text):
    with pytest.raises(ValueError):
        parse_period(text)


def test_dates_are_named_as_printed():
    assert dates_period(date(2026, 10, 1), date(2026, 12, 31)).label == "2026年10月1日至2026年12月31日"
    assert dates_period(date(2026, 10, 1), None).label == "2026年10月1日起"
    assert dates_period(None, date(2026, 6, 30)).label == "截至2026年6月30日"


def test_chain_names_group_with_or_without_the_suffix():
    assert chain_name("石油装备产业链") == chain_name(" 石油 装备 ") == "石油装备"
    assert chain_name("仪器仪表产业") == "仪器仪表"
    for blank in ("产业链", "  "):
        with pytest.raises(ValidationFailed):
            chain_name(blank)
