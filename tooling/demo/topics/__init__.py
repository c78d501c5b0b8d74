"""Industry topics the demo writes about: per field, products, problems, methods and scenes.

A problem is (short, issue, target, methods): ``short`` fits in a title ("小流量测量精度提升"),
``issue`` follows the product in a sentence ("在小流量工况下测量误差偏大"), ``target`` states the
wanted or achieved figure, and ``methods`` are approaches that really address it. Every product
of a topic must fit every problem of that topic; a field with different kinds of product (gauges
and valves) has several topics. Patent titles are templates over ``{o}`` (product) and ``{m}``.
"""

from __future__ import annotations

from functools import cache

from tooling.demo.topics.base import Problem, Topic

__all__ = ["Problem", "Topic", "by_field"]


@cache
def by_field() -> dict[str, tuple[Topic, ...]]:
    """The topics of each field code (a field may have several, e.g. gauges and valves)."""
    from tooling.demo.topics import electronics_energy, instruments_materials, textiles_food

    found: dict[str, list[Topic]] = {}
    for module in (instruments_materials, textiles_food, electronics_energy):
        for topic in module.TOPICS:
            found.setdefault(topic.field, []).append(topic)
    return {code: tuple(topics) for code, topics in found.items()}
