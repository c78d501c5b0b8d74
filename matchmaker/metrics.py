"""Prometheus metrics at ``GET /metrics``: request latency by endpoint, plus state read at scrape time.

Request latency is a histogram observed by matchmaker.api.http.observe and kept in the process (under
gunicorn with several workers set ``PROMETHEUS_MULTIPROC_DIR`` so every worker's samples are
summed; gunicorn.conf.py does). Queue
depth, the search outbox backlog and its age, and deliveries by status are read from Redis and the
database when Prometheus scrapes, so every process reports the same numbers.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from typing import Any

from prometheus_client import REGISTRY, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from matchmaker.extensions import db

log = logging.getLogger(__name__)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
REQUEST_SECONDS = Histogram(
    "matchmaker_http_request_duration_seconds",
    "Time to answer an HTTP request, by endpoint, method and status class",
    ["endpoint", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


class StateCollector(Collector):
    """Gauges read at scrape time inside the app context of the /metrics request."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """Queue depth, outbox backlog and age, deliveries by status."""
        up = GaugeMetricFamily("matchmaker_database_up", "1 when the database answered the scrape")
        try:
            families = [*_outbox(), _deliveries()]
        except SQLAlchemyError as exc:  # a scrape must still answer while the database is away
            db.session.rollback()
            log.warning("metrics: database unavailable: %s", exc)
            families = []
        up.add_metric([], 1 if families else 0)
        yield up
        yield from families
        queues = _queues()
        if queues is not None:
            yield queues

    def describe(self) -> list[Any]:
        """Nothing up front: the families are only known once read."""
        return []


def _outbox() -> Iterator[GaugeMetricFamily]:
    from matchmaker.models import OutboxEvent
    from matchmaker.models.common import utcnow

    pending = OutboxEvent.acked_at.is_(None)
    count, oldest = db.session.execute(
        select(func.count(OutboxEvent.id), func.min(OutboxEvent.created_at)).where(pending)
    ).one()
    backlog = GaugeMetricFamily("matchmaker_outbox_backlog", "Search outbox rows not yet acknowledged")
    backlog.add_metric([], count or 0)
    yield backlog
    age = GaugeMetricFamily("matchmaker_outbox_oldest_age_seconds", "Age of the oldest unacknowledged row")
    if oldest is not None and oldest.tzinfo is None:
        from datetime import UTC

        oldest = oldest.replace(tzinfo=UTC)
    age.add_metric([], (utcnow() - oldest).total_seconds() if oldest is not None else 0.0)
    yield age


def _deliveries() -> GaugeMetricFamily:
    from matchmaker.models import Delivery

    family = GaugeMetricFamily(
        "matchmaker_notification_deliveries",
        "Notification deliveries by channel and status",
        labels=["channel", "status"],
    )
    rows = db.session.execute(
        select(Delivery.channel, Delivery.status, func.count(Delivery.id)).group_by(
            Delivery.channel, Delivery.status
        )
    )
    for channel, status, count in rows:
        family.add_metric([channel, status], count)
    return family


def _queues() -> GaugeMetricFamily | None:
    from flask import current_app

    if not current_app.config.get("REDIS_URL"):
        return None  # embedded default: jobs run inline, there is no queue
    from redis.exceptions import RedisError
    from rq import Queue

    from workers.queues import QUEUES, redis_connection

    family = GaugeMetricFamily("matchmaker_queue_depth", "Jobs waiting in each rq queue", labels=["queue"])
    up = GaugeMetricFamily("matchmaker_redis_up", "1 when Redis answered the scrape")
    try:
        conn = redis_connection()
        for name in QUEUES:
            family.add_metric([name], Queue(name, connection=conn).count)
        up.add_metric([], 1)
    except RedisError as exc:
        log.warning("metrics: Redis unavailable: %s", exc)
        up.add_metric([], 0)
        return up
    return family


def render() -> bytes:
    """The exposition text: this process's (or all workers') histograms plus the scrape-time state."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        shared = CollectorRegistry()
        MultiProcessCollector(shared)
        text = generate_latest(shared)
    else:
        text = generate_latest(REGISTRY)
    state = CollectorRegistry(auto_describe=False)
    state.register(StateCollector())
    return text + generate_latest(state)
