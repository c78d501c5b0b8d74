"""Agenda solver (对接会日程): one-to-one meetings in slots and at tables, maximising the total score.

Pure: plain data in, plain data out (no Flask, no database). Constraints: one meeting per
participant per slot, at most ``cap`` meetings per participant, at most ``tables`` meetings per
slot, nobody in a slot they declared unavailable, each pair at most once, pinned meetings kept
where they are and banned pairs never scheduled.

Algorithm (deterministic: every order is by score, then by pair):
1. seed with the greedy baseline: pairs best first, each in the first slot open to both sides;
2. fill: a pair that found no open slot although both sides have room gets one by moving one of
   its sides' meetings to another slot (a one-step relocation);
3. improve by ejection chains: an unplaced pair may take a slot by evicting what is in its way
   (both sides' meetings in that slot, a side's weakest meeting when it is at the cap, the slot's
   weakest meeting when every table is taken); the evicted sides are repaired by inserting their
   best unplaced pairs again. A move is kept only if the total strictly rises, so the result is
   never below the greedy seed. Passes repeat until one finds nothing (or ``max_passes``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from matchmaker.agenda.board import Board, Meeting, Pair, Problem

EPS = 1e-9
SLOTS_TRIED = 3  # per unplaced pair, the cheapest slots an ejection is attempted in


@dataclass(frozen=True)
class Solution:
    """The planned meetings and their total score."""

    meetings: list[Meeting]
    total: float


def candidates(problem: Problem) -> list[Pair]:
    """Schedulable pairs, best first (ties by pair), without banned and pinned ones."""
    pinned = {m.pair for m in problem.pinned}
    pairs = [p for p in problem.scores if p not in problem.banned and p not in pinned and p[0] != p[1]]
    return sorted(pairs, key=lambda p: (-problem.scores[p], p))


def _first_fit(board: Board, pair: Pair) -> bool:
    if not board.has_room(pair):
        return False
    for slot in range(board.problem.slots):
        if board.open(pair, slot):
            board.place(pair, slot)
            return True
    return False


def greedy(problem: Problem) -> Solution:
    """The baseline: pairs best first, each in the first slot open to both sides."""
    board = Board(problem)
    for pair in candidates(problem):
        _first_fit(board, pair)
    return Solution(board.meetings(), board.total)


def _relocate(board: Board, pair: Pair, avoid: int) -> bool:
    """Move a placed meeting to another open slot (not ``avoid``); False leaves it where it was."""
    if pair in board.fixed:
        return False
    home = board.lift(pair)
    for slot in range(board.problem.slots):
        if slot not in (home, avoid) and board.open(pair, slot):
            board.place(pair, slot)
            return True
    board.place(pair, home)
    return False


def insert(board: Board, pair: Pair) -> bool:
    """Place the pair, directly or after moving one meeting of each side out of the way."""
    if _first_fit(board, pair):
        return True
    if not board.has_room(pair):
        return False
    a, b = pair
    spare = [s for s in range(board.problem.slots) if len(board.in_slot[s]) < board.problem.tables]
    if not spare:
        return False  # every table of every slot is taken: moving meetings frees none
    for slot in range(board.problem.slots):
        if board.blocked(a, slot) or board.blocked(b, slot) or spare == [slot]:
            continue
        mark = board.mark()
        in_way = {board.at[x][slot] for x in pair if slot in board.at[x]}
        if len(board.in_slot[slot]) >= board.problem.tables and not in_way:
            continue
        if all(_relocate(board, other, slot) for other in sorted(in_way)) and board.open(pair, slot):
            board.place(pair, slot)
            return True
        board.undo(mark)
    return False


def _evictions(board: Board, pair: Pair, slot: int) -> list[Pair] | None:
    """What must leave so the pair can meet in the slot; None if something pinned is in the way."""
    cap, out = board.problem.cap, set()
    for who in pair:
        if slot in board.at[who]:
            out.add(board.at[who][slot])
    for who in pair:
        mine = [p for p in out if who in p]
        if board.load(who) - len(mine) >= cap:
            weakest = board.weakest(who, skip_slot=slot)
            if weakest is None:
                return None
            out.add(weakest)
    if len(board.in_slot[slot] - out) >= board.problem.tables:
        movable = [p for p in board.in_slot[slot] - out if p not in board.fixed]
        if not movable:
            return None
        out.add(min(movable, key=lambda p: (board.score(p), p)))
    return None if out & board.fixed else sorted(out)


class _Improver:
    """Ejection-chain local search over a seeded board."""

    def __init__(self, board: Board, order: list[Pair]) -> None:
        self.board = board
        self.order = order
        self.neighbours: dict[int, list[Pair]] = defaultdict(list)
        for pair in order:  # already best first
            self.neighbours[pair[0]].append(pair)
            self.neighbours[pair[1]].append(pair)
        self.best = {who: board.score(pairs[0]) for who, pairs in self.neighbours.items()}

    def repair(self, people: set[int]) -> None:
        """Insert the best unplaced pairs of the people who lost a meeting."""
        board = self.board
        pool = {
            p for who in people for p in self.neighbours[who] if p not in board.slot_of and board.has_room(p)
        }
        for pair in sorted(pool, key=lambda p: (-board.score(p), p)):
            insert(board, pair)

    def _slot_costs(self, pair: Pair) -> list[tuple[float, int, list[Pair]]]:
        board, costs = self.board, []
        for slot in range(board.problem.slots):
            if board.blocked(pair[0], slot) or board.blocked(pair[1], slot):
                continue
            out = _evictions(board, pair, slot)
            if out is not None:
                costs.append((sum(board.score(p) for p in out), slot, out))
        return sorted(costs, key=lambda c: (c[0], c[1]))[:SLOTS_TRIED]

    def try_pair(self, pair: Pair) -> bool:
        """Try to bring an unplaced pair in by ejection; True when the total rose."""
        board = self.board
        gain = board.score(pair)
        for cost, slot, out in self._slot_costs(pair):
            freed = {who for p in out for who in p} - set(pair)
            if gain - cost + sum(self.best.get(who, 0.0) for who in freed) <= EPS:
                continue
            before, mark = board.total, board.mark()
            for evicted in out:
                board.lift(evicted)
            if board.open(pair, slot):
                board.place(pair, slot)
                self.repair(freed | set(pair))
                if board.total > before + EPS:
                    board.commit()
                    return True
            board.undo(mark)
        return False

    def run(self, max_passes: int) -> None:
        """Passes over the unplaced pairs until one finds no improvement."""
        for _ in range(max_passes):
            improved = False
            for pair in self.order:
                if pair not in self.board.slot_of and self.try_pair(pair):
                    improved = True
            if not improved:
                return


def solve(problem: Problem, *, max_passes: int = 12) -> Solution:
    """Plan the agenda: greedy seed, relocation fill, then ejection-chain improvement."""
    board = Board(problem)
    order = candidates(problem)
    for pair in order:
        _first_fit(board, pair)
    for pair in order:
        if pair not in board.slot_of:
            insert(board, pair)
    board.commit()
    _Improver(board, order).run(max_passes)
    return Solution(board.meetings(), board.total)
