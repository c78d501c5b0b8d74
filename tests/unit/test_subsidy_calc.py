"""The 奖补 calculation on worked examples: rates, caps, and payments spread across rounds."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from matchmaker.services.contracts.subsidy_calc import Policy, Project, compute

Y2026 = Policy(
    start=date(2026, 1, 1),
    end=date(2026, 12, 31),
    base_rate=D("0.10"),
    category_rates={"challenge": D("0.25"), "key_chain": D("0.15")},
)


def project(filing_id=1, org_id=1, category="general", payments=((date(2026, 3, 1), D(100)),), before=D(0)):
    return Project(filing_id, org_id, category, tuple(payments), before)


def test_base_rate_on_what_was_paid():
    [result] = compute(Y2026, [project(payments=((date(2026, 3, 1), D(60)), (date(2026, 9, 1), D("40.5"))))])
    assert (result.paid, result.rate, result.amount) == (D("100.5"), D("0.10"), D("10.05"))
    assert result.steps == ["期内实际支付 100.5 万元 × 10% = 10.05 万元"]


def test_named_categories_get_their_higher_rate():
    results = compute(Y2026, [project(1, category="challenge"), project(2, org_id=2, category="key_chain")])
    assert [(r.rate, r.amount) for r in results] == [(D("0.25"), D(25)), (D("0.15"), D(15))]


def test_only_payments_inside_the_period_count_and_later_rounds_take_the_rest():
    payments = ((date(2025, 11, 20), D(50)), (date(2026, 2, 10), D(30)), (date(2027, 1, 5), D(20)))
    [y2026] = compute(Y2026, [project(payments=payments)])
    assert (y2026.paid, y2026.amount) == (D(30), D(3))
    y2027 = Policy(start=date(2027, 1, 1), end=date(2027, 12, 31), base_rate=D("0.10"))
    [next_round] = compute(y2027, [project(payments=payments, before=D(3))])
    assert (next_round.paid, next_round.amount) == (D(20), D(2))


def test_the_project_cap_counts_what_earlier_rounds_granted():
    capped = Policy(start=Y2026.start, end=Y2026.end, base_rate=D("0.25"), project_cap=D(50))
    [fresh] = compute(capped, [project(payments=((date(2026, 5, 1), D(400)),))])
    assert (fresh.computed, fresh.amount) == (D(100), D(50))
    [again] = compute(capped, [project(payments=((date(2026, 5, 1), D(400)),), before=D(45))])
    assert again.amount == D(5) and "此前已获 45 万元" in again.steps[-1]
    [full] = compute(capped, [project(payments=((date(2026, 5, 1), D(400)),), before=D(60))])
    assert full.amount == D(0)


def test_the_enterprise_cap_serves_projects_in_filing_order():
    policy = Policy(start=Y2026.start, end=Y2026.end, base_rate=D("0.20"), enterprise_cap=D(30))
    projects = [
        project(3, payments=((date(2026, 4, 1), D(100)),)),
        project(1, payments=((date(2026, 4, 1), D(100)),)),
        project(2, org_id=2, payments=((date(2026, 4, 1), D(100)),)),
    ]
    results = {r.filing_id: r.amount for r in compute(policy, projects)}
    assert results == {1: D(20), 3: D(10), 2: D(20)}


def test_nothing_paid_gives_nothing():
    [result] = compute(Y2026, [project(payments=())])
    assert result.amount == D(0) and result.paid == D(0)
