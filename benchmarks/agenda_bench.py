"""Agenda quality and speed: our solver's total match score against the greedy baseline, same run.

Usage: python benchmarks/agenda_bench.py [--sizes 50 100 200] [--seeds 3] [--slots 12]

Instances are random but seeded, shaped like a county matchmaking fair: 60% of the participants
are enterprises bringing needs, the rest universities and institutes bringing outputs; a tenth of
the outputs are "popular" (many needs match them, and well), each need has 8-20 matched outputs
with scores from a Beta(2, 3) draw (popular ones shifted up), a quarter of the participants cannot
come in one to three slots, each participant may have at most ``--cap`` meetings, and there are
tables for a quarter of the participants per slot. The baseline is the usual greedy: pairs by score,
each in the first slot open to both. Both agendas are checked against every constraint; the table
reports each total, their ratio and both runtimes (machines are shared: compare within a row).

"bound" is an upper bound on any agenda's total: the best choice of pairs when slots are ignored
(each participant meets at most min(cap, slots it can attend) others, at most slots × tables
meetings in all), a maximum-weight bipartite b-matching solved exactly as a min-cost flow.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matchmaker.agenda.board import Problem, pair_key, violations  # noqa: E402
from matchmaker.agenda.solver import greedy, solve  # noqa: E402


def instance(n: int, seed: int, *, slots: int, cap: int) -> Problem:
    """A seeded random fair with ``n`` participants."""
    rng = random.Random(seed)
    needs = list(range(int(n * 0.6)))
    outputs = list(range(len(needs), n))
    popular = set(rng.sample(outputs, max(1, len(outputs) // 10)))
    scores: dict[tuple[int, int], float] = {}
    for need in needs:
        for output in rng.sample(outputs, min(len(outputs), rng.randint(8, 20))):
            boost = 0.25 if output in popular else 0.0
            scores[pair_key(need, output)] = round(min(0.99, rng.betavariate(2, 3) + boost), 4)
    away = {
        who: frozenset(rng.sample(range(slots), rng.randint(1, 3))) for who in range(n) if rng.random() < 0.25
    }
    return Problem(slots=slots, tables=max(2, n // 4), cap=cap, scores=scores, unavailable=away)


def upper_bound(problem: Problem) -> float:
    """Max-weight b-matching (needs are the lower id of every pair) by successive shortest paths."""
    people = sorted({who for pair in problem.scores for who in pair})
    index = {who: i + 1 for i, who in enumerate(people)}
    source, sink = 0, len(people) + 1
    graph: list[list[list]] = [[] for _ in range(sink + 1)]  # edge: [to, capacity, cost, reverse index]

    def edge(a: int, b: int, capacity: int, cost: float) -> None:
        graph[a].append([b, capacity, cost, len(graph[b])])
        graph[b].append([a, 0, -cost, len(graph[a]) - 1])

    needs = {a for a, _ in problem.scores}
    for who in people:
        room = min(problem.cap, problem.slots - len(problem.unavailable.get(who, ())))
        edge(*((source, index[who]) if who in needs else (index[who], sink)), room, 0.0)
    for (a, b), score in problem.scores.items():
        edge(index[a], index[b], 1, -score)
    total = 0.0
    for _ in range(problem.slots * problem.tables):
        cost, back = _shortest(graph, source, sink)
        if cost >= -1e-12:
            break
        total -= cost
        node = sink
        while node != source:
            prev, i = back[node]
            graph[prev][i][1] -= 1
            graph[node][graph[prev][i][3]][1] += 1
            node = prev
    return total


def _shortest(graph: list[list[list]], source: int, sink: int) -> tuple[float, dict[int, tuple[int, int]]]:
    """Bellman-Ford with a queue (SPFA): the cheapest residual path and how to walk it back."""
    from collections import deque

    dist = [float("inf")] * len(graph)
    dist[source], back, queue, queued = 0.0, {}, deque([source]), {source}
    while queue:
        node = queue.popleft()
        queued.discard(node)
        for i, (to, capacity, cost, _) in enumerate(graph[node]):
            if capacity > 0 and dist[node] + cost < dist[to] - 1e-12:
                dist[to], back[to] = dist[node] + cost, (node, i)
                if to not in queued:
                    queue.append(to)
                    queued.add(to)
    return dist[sink], back


def run(problem: Problem) -> dict[str, float]:
    """Both solvers on one instance: totals, meeting counts and seconds."""
    start = time.perf_counter()
    base = greedy(problem)
    base_s = time.perf_counter() - start
    start = time.perf_counter()
    ours = solve(problem)
    ours_s = time.perf_counter() - start
    for name, solution in (("greedy", base), ("solver", ours)):
        broken = violations(problem, solution.meetings)
        if broken:
            raise SystemExit(f"{name} broke a constraint: {broken[:3]}")
    return {
        "greedy": base.total,
        "ours": ours.total,
        "greedy_n": len(base.meetings),
        "ours_n": len(ours.meetings),
        "greedy_s": base_s,
        "ours_s": ours_s,
        "bound": upper_bound(problem),
    }


def main() -> None:
    """Print one row per size (mean over seeds)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 100, 200])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--slots", type=int, default=12)
    parser.add_argument("--cap", type=int, default=6)
    args = parser.parse_args()
    header: tuple[str, ...] = (
        "participants",
        "pairs",
        "greedy",
        "ours",
        "ours/greedy",
        "bound",
        "greedy/bound",
        "ours/bound",
    )
    header += ("meetings g/o", "greedy s", "our s")
    print(" | ".join(header))
    print(" | ".join("-" * len(h) for h in header))
    for n in args.sizes:
        rows, pairs = [], 0
        for seed in range(args.seeds):
            problem = instance(n, 1000 * n + seed, slots=args.slots, cap=args.cap)
            pairs += len(problem.scores)
            rows.append(run(problem))
        mean = {key: statistics.fmean(row[key] for row in rows) for key in rows[0]}
        ratio = statistics.fmean(row["ours"] / row["greedy"] for row in rows)
        of_bound = {k: statistics.fmean(row[k] / row["bound"] for row in rows) for k in ("greedy", "ours")}
        print(
            f"{n} | {pairs // args.seeds} | {mean['greedy']:.2f} | {mean['ours']:.2f} | {ratio:.4f} | "
            f"{mean['bound']:.2f} | {of_bound['greedy']:.4f} | {of_bound['ours']:.4f} | "
            f"{mean['greedy_n']:.0f}/{mean['ours_n']:.0f} | {mean['greedy_s']:.3f} | {mean['ours_s']:.3f}"
        )


if __name__ == "__main__":
    main()
