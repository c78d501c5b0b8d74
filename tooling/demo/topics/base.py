"""What a demo topic is: one kind of product in one industry field, and its problems."""

from __future__ import annotations

from dataclasses import dataclass

Problem = tuple[str, str, str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class Topic:
    """What needs and outputs about one kind of product in one industry field talk about."""

    field: str
    business: str
    firm_words: tuple[str, ...]
    objects: tuple[str, ...]
    problems: tuple[Problem, ...]
    scenes: tuple[str, ...]
    patents: tuple[str, ...] = ("一种基于{m}的{o}",)
