"""The 奖补 calculation, pure: paid amount inside the period × rate, then the project and enterprise caps.

- Only payments dated inside the round's period count (a project paid over two years is
  subsidised in each year's round for that year's payments).
- The rate is the base rate, or a named category's higher rate (揭榜挂帅, key industry chains).
- The project cap holds over every round: what earlier approved rounds granted is deducted.
- The enterprise cap holds per enterprise in the round: its projects are served in filing order.
Amounts are in 万元, rounded half up to the fen of 万元 (0.01).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Policy:
    """A round's rules."""

    start: date
    end: date
    base_rate: Decimal
    category_rates: dict[str, Decimal] = field(default_factory=dict)
    project_cap: Decimal | None = None
    enterprise_cap: Decimal | None = None


@dataclass(frozen=True)
class Project:
    """A filed project as the calculation sees it."""

    filing_id: int
    org_id: int
    category: str
    payments: tuple[tuple[date, Decimal], ...]
    granted_before: Decimal = Decimal(0)  # approved in earlier rounds


@dataclass
class Subsidy:
    """One project's result and how it was reached."""

    filing_id: int
    org_id: int
    paid: Decimal
    rate: Decimal
    computed: Decimal
    amount: Decimal
    steps: list[str]


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _text(value: Decimal) -> str:
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"


def rate_for(policy: Policy, category: str) -> Decimal:
    """The base rate, or the category's higher one."""
    return max(policy.base_rate, policy.category_rates.get(category, policy.base_rate))


def _one(policy: Policy, project: Project) -> Subsidy:
    paid = sum((amount for day, amount in project.payments if policy.start <= day <= policy.end), Decimal(0))
    rate = rate_for(policy, project.category)
    computed = _money(paid * rate)
    steps = [f"期内实际支付 {_text(paid)} 万元 × {_text(rate * 100)}% = {_text(computed)} 万元"]
    amount = computed
    if policy.project_cap is not None:
        room = max(policy.project_cap - project.granted_before, Decimal(0))
        if amount > room:
            amount = room
            before = f"（此前已获 {_text(project.granted_before)} 万元）" if project.granted_before else ""
            steps.append(
                f"单个项目奖补上限 {_text(policy.project_cap)} 万元{before}，核减为 {_text(amount)} 万元"
            )
    return Subsidy(project.filing_id, project.org_id, paid, rate, computed, amount, steps)


def compute(policy: Policy, projects: list[Project]) -> list[Subsidy]:
    """Every project's subsidy with its breakdown, caps applied (projects with nothing paid give 0)."""
    results = [_one(policy, p) for p in sorted(projects, key=lambda p: p.filing_id)]
    if policy.enterprise_cap is None:
        return results
    used: dict[int, Decimal] = {}
    for result in results:
        room = max(policy.enterprise_cap - used.get(result.org_id, Decimal(0)), Decimal(0))
        if result.amount > room:
            result.amount = room
            result.steps.append(
                f"企业年度奖补上限 {_text(policy.enterprise_cap)} 万元，核减为 {_text(room)} 万元"
            )
        used[result.org_id] = used.get(result.org_id, Decimal(0)) + result.amount
    return results
