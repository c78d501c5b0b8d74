"""The solver's working state: who meets whom in which slot, with an undo log for tentative moves."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

Pair = tuple[int, int]


def pair_key(a: int, b: int) -> Pair:
    """The unordered pair as (smaller, larger), the one key a pair has everywhere."""
    return (a, b) if a < b else (b, a)


@dataclass(frozen=True)
class Meeting:
    """One meeting: participants a and b (a < b), a slot (0-based) and a table (1-based)."""

    a: int
    b: int
    slot: int
    table: int

    @property
    def pair(self) -> Pair:
        """The meeting's pair key."""
        return pair_key(self.a, self.b)


@dataclass(frozen=True)
class Problem:
    """An agenda to plan: slots, tables per slot, a per-participant cap and the scored candidate pairs.

    ``pinned`` meetings stay exactly where they are (and count against caps and tables);
    ``banned`` pairs are never scheduled (staff removed them).
    """

    slots: int
    tables: int
    cap: int
    scores: dict[Pair, float]
    unavailable: dict[int, frozenset[int]] = field(default_factory=dict)
    pinned: tuple[Meeting, ...] = ()
    banned: frozenset[Pair] = frozenset()


class Board:
    """Meetings placed so far, indexed by participant and by slot; every change can be undone."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.at: dict[int, dict[int, Pair]] = defaultdict(dict)
        self.in_slot: list[set[Pair]] = [set() for _ in range(problem.slots)]
        self.slot_of: dict[Pair, int] = {}
        self.fixed: set[Pair] = set()
        self.total = 0.0
        self._log: list[tuple[str, Pair, int]] = []
        for meeting in problem.pinned:
            self.place(meeting.pair, meeting.slot)
            self.fixed.add(meeting.pair)
        self._log.clear()

    def score(self, pair: Pair) -> float:
        """The pair's score (0 for a pinned pair that is not a candidate)."""
        return self.problem.scores.get(pair, 0.0)

    def load(self, who: int) -> int:
        """How many meetings the participant has."""
        return len(self.at[who])

    def blocked(self, who: int, slot: int) -> bool:
        """The participant cannot meet anyone in the slot (declared unavailable)."""
        return slot in self.problem.unavailable.get(who, frozenset())

    def has_room(self, pair: Pair) -> bool:
        """Both sides are below the cap."""
        cap = self.problem.cap
        return self.load(pair[0]) < cap and self.load(pair[1]) < cap

    def open(self, pair: Pair, slot: int) -> bool:
        """The pair could meet in the slot right now (both free and available, a table left)."""
        a, b = pair
        return (
            len(self.in_slot[slot]) < self.problem.tables
            and slot not in self.at[a]
            and slot not in self.at[b]
            and not self.blocked(a, slot)
            and not self.blocked(b, slot)
        )

    def place(self, pair: Pair, slot: int) -> None:
        """Put the pair's meeting in the slot."""
        self.at[pair[0]][slot] = pair
        self.at[pair[1]][slot] = pair
        self.in_slot[slot].add(pair)
        self.slot_of[pair] = slot
        self.total += self.score(pair)
        self._log.append(("place", pair, slot))

    def lift(self, pair: Pair) -> int:
        """Take the pair's meeting off the board; returns the slot it had."""
        slot = self.slot_of.pop(pair)
        del self.at[pair[0]][slot]
        del self.at[pair[1]][slot]
        self.in_slot[slot].discard(pair)
        self.total -= self.score(pair)
        self._log.append(("lift", pair, slot))
        return slot

    def mark(self) -> int:
        """A point to undo back to."""
        return len(self._log)

    def undo(self, mark: int) -> None:
        """Revert every change made since the mark."""
        while len(self._log) > mark:
            action, pair, slot = self._log.pop()
            if action == "place":
                self.lift(pair)
            else:
                self.place(pair, slot)
            self._log.pop()

    def commit(self) -> None:
        """Forget the undo log (the current state is kept)."""
        self._log.clear()

    def weakest(self, who: int, *, skip_slot: int | None = None) -> Pair | None:
        """The participant's lowest-scoring movable meeting (outside ``skip_slot``), if any."""
        found = [p for s, p in self.at[who].items() if s != skip_slot and p not in self.fixed]
        return min(found, key=lambda p: (self.score(p), p)) if found else None

    def meetings(self) -> list[Meeting]:
        """The placed meetings with tables: pinned keep theirs, the rest take the lowest free ones."""
        pinned = {m.pair: m for m in self.problem.pinned}
        result: list[Meeting] = []
        for slot, pairs in enumerate(self.in_slot):
            taken = {pinned[p].table for p in pairs if p in pinned}
            free = (t for t in range(1, self.problem.tables + len(taken) + 1) if t not in taken)
            for pair in sorted(pairs):
                table = pinned[pair].table if pair in pinned else next(free)
                result.append(Meeting(pair[0], pair[1], slot, table))
        return sorted(result, key=lambda m: (m.slot, m.table))


def violations(problem: Problem, meetings: list[Meeting]) -> list[str]:
    """Every broken constraint in an agenda (empty when it is valid); for tests and the benchmark."""
    found: list[str] = []
    seen_pairs: set[Pair] = set()
    busy: set[tuple[int, int]] = set()
    tables: set[tuple[int, int]] = set()
    load: dict[int, int] = defaultdict(int)
    for m in meetings:
        if m.pair in seen_pairs:
            found.append(f"pair {m.pair} meets twice")
        if m.pair in problem.banned:
            found.append(f"pair {m.pair} is banned")
        if not 0 <= m.slot < problem.slots or not 1 <= m.table <= problem.tables:
            found.append(f"{m} outside the slots or tables")
        if (m.slot, m.table) in tables:
            found.append(f"table {m.table} double-booked in slot {m.slot}")
        for who in (m.a, m.b):
            if (who, m.slot) in busy:
                found.append(f"participant {who} double-booked in slot {m.slot}")
            if m.slot in problem.unavailable.get(who, frozenset()):
                found.append(f"participant {who} unavailable in slot {m.slot}")
            busy.add((who, m.slot))
            load[who] += 1
        seen_pairs.add(m.pair)
        tables.add((m.slot, m.table))
    found += [f"participant {who} has {n} meetings" for who, n in load.items() if n > problem.cap]
    return found
