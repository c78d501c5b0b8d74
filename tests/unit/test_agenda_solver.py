"""The agenda solver: every constraint holds, pinned and banned are honoured, and it beats greedy."""

from __future__ import annotations

import random

import pytest

from matchmaker.agenda.board import Meeting, Problem, pair_key, violations
from matchmaker.agenda.solver import greedy, solve


def random_problem(n: int, seed: int, *, slots: int = 6, tables: int = 4, cap: int = 3) -> Problem:
    """Need-side 0..n/2-1 against output-side n/2..n-1, eight partners each, some unavailability."""
    rng = random.Random(seed)
    half = n // 2
    scores = {
        pair_key(a, b): round(rng.uniform(0.2, 1.0), 3)
        for a in range(half)
        for b in rng.sample(range(half, n), 8)
    }
    unavailable = {x: frozenset(rng.sample(range(slots), 2)) for x in range(n) if rng.random() < 0.3}
    return Problem(slots=slots, tables=tables, cap=cap, scores=scores, unavailable=unavailable)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_constraint_holds_on_random_instances(seed):
    problem = random_problem(30, seed)
    solution = solve(problem)
    assert violations(problem, solution.meetings) == []
    assert len(solution.meetings) > 0
    per_slot = [sum(1 for m in solution.meetings if m.slot == s) for s in range(problem.slots)]
    assert max(per_slot) <= problem.tables
    assert solution.total == pytest.approx(sum(problem.scores[m.pair] for m in solution.meetings))


def test_the_checker_catches_each_kind_of_violation():
    problem = Problem(
        slots=2, tables=1, cap=1, scores={(1, 2): 1, (1, 3): 1}, unavailable={3: frozenset({1})}
    )
    bad = [Meeting(1, 2, 0, 1), Meeting(1, 3, 0, 1), Meeting(2, 4, 1, 2), Meeting(3, 5, 1, 1)]
    found = " | ".join(violations(problem, bad))
    for words in ("double-booked in slot 0", "table 1 double-booked", "outside", "unavailable", "meetings"):
        assert words in found


def test_beats_greedy_where_the_best_pair_blocks_two_good_ones():
    # Greedy seats 1-2 (10) and then neither 3 nor 4 has anyone left; 1-3 plus 2-4 is worth 18.
    problem = Problem(slots=1, tables=2, cap=1, scores={(1, 2): 10, (1, 3): 9, (2, 4): 9})
    assert greedy(problem).total == 10
    best = solve(problem)
    assert best.total == 18
    assert {m.pair for m in best.meetings} == {(1, 3), (2, 4)}


def test_moves_a_meeting_to_make_room_where_greedy_gives_up():
    # 1 can only come in slot 0, where greedy already put 2-3; moving 2-3 to slot 1 seats 1-2 too.
    problem = Problem(
        slots=2, tables=5, cap=2, scores={(2, 3): 10, (1, 2): 9}, unavailable={1: frozenset({1})}
    )
    assert greedy(problem).total == 10
    best = solve(problem)
    assert best.total == 19 and violations(problem, best.meetings) == []


@pytest.mark.parametrize("seed", [4, 5, 6, 7])
def test_never_below_greedy_and_deterministic(seed):
    problem = random_problem(40, seed, slots=5, tables=6, cap=3)
    first, second = solve(problem), solve(problem)
    assert first == second
    assert first.total >= greedy(problem).total


def test_pinned_meetings_stay_and_banned_pairs_stay_out():
    problem = random_problem(20, 9)
    best = max(problem.scores, key=lambda p: problem.scores[p])
    other = sorted(problem.scores)[0]
    pinned = Meeting(*other, 3, 2)
    fixed = Problem(
        slots=problem.slots, tables=problem.tables, cap=problem.cap, scores=problem.scores,
        unavailable={}, pinned=(pinned,), banned=frozenset({best}),
    )  # fmt: skip
    solution = solve(fixed)
    assert pinned in solution.meetings
    assert best not in {m.pair for m in solution.meetings}
    assert violations(fixed, solution.meetings) == []


def test_caps_tables_and_unavailable_slots_bind():
    # Everyone wants to meet 0; 0 may meet two, one table per slot, and 0 is away in slot 0.
    scores = {pair_key(0, b): 1.0 + b / 10 for b in range(1, 6)}
    problem = Problem(slots=3, tables=1, cap=2, scores=scores, unavailable={0: frozenset({0})})
    solution = solve(problem)
    assert [m.slot for m in solution.meetings] == [1, 2]
    assert {m.pair for m in solution.meetings} == {(0, 5), (0, 4)}
