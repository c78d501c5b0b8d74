"""Fixtures for operations tests: rq on fakeredis."""

from tests.workers.conftest import fake_rq  # noqa: F401  rq on fakeredis
