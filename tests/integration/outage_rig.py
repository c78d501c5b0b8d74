"""The production set-up on loopback for the outage suite: the app on PostgreSQL, osmem-server as
the search engine, Redis, SMTP and a real worker process, with every recovery schedule in seconds.

``Rig`` holds the running pieces; ``Burst`` sends the writes over HTTP and keeps the ones the API
acknowledged; ``settled`` and ``owed_mail`` read the end state from the database and the SMTP server.
"""

from __future__ import annotations

import itertools
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email import message_from_bytes
from typing import Any

import requests
from sqlalchemy import func, select
from werkzeug.serving import make_server

from matchmaker.extensions import db, search_backend
from matchmaker.models import (
    AnnouncedEvent,
    Delivery,
    Match,
    MatchRun,
    OutboxEvent,
    PendingPush,
    TechnologyNeed,
)
from search import coverage, indexer
from workers.schedule import Recurring

# Every replay and repair every few seconds (production: every minute, the heal every five). Not
# every second: workers take the index queue first and an empty drain costs a second on a busy
# machine, so index jobs due each second starve the notify queue behind them.
DRAIN = "workers.jobs.maintenance.drain_backlog"
SCHEDULE = (
    Recurring("drain-backlog", DRAIN, "index", every=3, kwargs={"grace": 0}),
    Recurring("search-heal", "workers.jobs.index.heal_search", "index", every=5),
    Recurring("notify-outbox", "workers.jobs.notify.drain_announced", "notify", every=3, kwargs={"grace": 0}),
    Recurring("notify-pushes", "workers.jobs.notify.drain_pushes", "notify", every=3),
    Recurring("notify-due", "workers.jobs.notify.send_due", "notify", every=3),
)
# The same shortened clocks for the app in the test and the worker process.
FAST = {
    "NOTIFY_OUTBOX_GRACE": "0",
    "NOTIFY_SENDING_TIMEOUT": "3",  # a send cut by a killed horse goes again after 3 s
    "NOTIFY_RETRY_WAITS": "[1, 1, 2, 2]",  # an SMTP outage is retried within seconds
    "NOTIFY_MAX_ATTEMPTS": "20",
    "MATCH_CLAIM_TIMEOUT": "3",  # a run claimed by a killed job is free again after 3 s
    "JOB_RETRY_INTERVALS": "[1, 2, 3]",
    "WORKER_TTL": "20",
}
_prefixes = itertools.count(1)


def settings(pg_url: str, redis_url: str, es_url: str, smtp: Any) -> dict[str, str]:
    """Environment of the worker process (and, parsed, of the app in the test)."""
    return {
        "DATABASE_URL": pg_url,
        "REDIS_URL": redis_url,
        "SEARCH_BACKEND": "elasticsearch",
        "ELASTICSEARCH_URL": es_url,
        "ELASTICSEARCH_COMPAT_HEADERS": "0",
        "ELASTICSEARCH_TIMEOUT": "2",
        "SEARCH_REFRESH": "1",
        "SEARCH_INDEX_PREFIX": f"outage{next(_prefixes)}-",
        "SMTP_HOST": smtp.host,
        "SMTP_PORT": str(smtp.port),
        "SMTP_SSL": "0",
        "SMTP_TIMEOUT": "3",
        "MATCH_EMBEDDER": "hash-bigram",
        "SEARCH_VECTOR_DIM": "64",  # the hash-bigram double's (a rebuild refuses vectors of another size)
        **FAST,
    }


def app_config(env: dict[str, str]) -> dict[str, Any]:
    """The same settings as app config keys and types, for create_app in the test process."""
    from config import ENV_SETTINGS
    from config.env import parse_value

    keys = {"DATABASE_URL": "SQLALCHEMY_DATABASE_URI"}
    config: dict[str, Any] = {}
    for var, raw in env.items():
        key, parser = ENV_SETTINGS.get(var, (keys.get(var, var), None))
        config[keys.get(var, key)] = parse_value(var, parser, raw) if parser else raw
    return config


@dataclass
class WebServer:
    """The WSGI app served by werkzeug's threaded server in a thread of the test process."""

    app: Any
    server: Any = None
    url: str = ""

    def start(self) -> None:
        """Listen on a free loopback port."""
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        """Stop serving."""
        self.server.shutdown()


@dataclass
class Burst:
    """Writes sent over HTTP, several at a time; ``acked`` keeps what answered 200."""

    url: str
    acked: list[tuple[str, int, str]] = field(default_factory=list)
    refused: Counter = field(default_factory=Counter)

    def _post(self, op: tuple[str, int, str, dict[str, str]]) -> None:
        kind, object_id, who, headers = op
        path = (
            f"/api/v1/needs/{object_id}/publish"
            if kind == "publish"
            else f"/api/v1/matches/{object_id}/interest"
        )
        response = requests.post(self.url + path, headers=headers, timeout=30)
        if response.status_code == 200:
            self.acked.append((kind, object_id, who))
        else:
            assert response.headers["Content-Type"].startswith("application/json"), response.text[:300]
            assert response.status_code == 503, (path, response.status_code, response.text[:300])
            self.refused[response.json()["code"]] += 1

    def send(self, ops: list[tuple[str, int, str, dict[str, str]]]) -> None:
        """Send the writes four at a time and wait for every answer."""
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(self._post, ops))


def _count(model: Any, *where: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def stuck() -> dict[str, int]:
    """Work still waiting anywhere; all zero once the system has settled."""
    found = {
        "search outbox": _count(OutboxEvent, OutboxEvent.acked_at.is_(None)),
        "announcements": _count(AnnouncedEvent, AnnouncedEvent.handled_at.is_(None)),
        "pushes": _count(PendingPush, PendingPush.delivered_at.is_(None)),
        "deliveries": _count(Delivery, Delivery.status.in_(("queued", "sending", "deferred"))),
        "match runs": _count(MatchRun, MatchRun.finished_at.is_(None)),
    }
    return {name: n for name, n in found.items() if n}


def index_equals_database() -> bool:
    """The engine holds exactly the database's documents at their versions, and says so."""
    backend = search_backend()
    try:
        return backend.id_versions() == indexer.database_versions() and not coverage.measure(backend).partial
    except Exception:  # the engine is still coming back
        return False


def report(published: list[int], logs: Callable[[], str]) -> str:
    """What has not settled yet, then the workers' logs."""
    ranked = {oid for (oid,) in db.session.execute(select(MatchRun.object_id).where(MatchRun.kind == "need"))}
    drift = indexer.check(search_backend())
    return f"stuck={stuck()} unranked={set(published) - ranked} drift={drift}\n{logs()}"


def settled(published: Callable[[], list[int]]) -> bool:
    """Nothing waiting, the index equal to the database, every published need ranked."""
    if stuck() or not index_equals_database():
        return False
    ranked = {oid for (oid,) in db.session.execute(select(MatchRun.object_id).where(MatchRun.kind == "need"))}
    return set(published()) <= ranked


def published_needs(ids: list[int]) -> list[int]:
    """Which of these needs the database has as published."""
    stmt = select(TechnologyNeed.id).where(TechnologyNeed.id.in_(ids), TechnologyNeed.status == "published")
    return sorted(db.session.scalars(stmt))


def connected_matches(ids: list[int]) -> list[int]:
    """Which of these matches the database has as connected."""
    return sorted(db.session.scalars(select(Match.id).where(Match.id.in_(ids), Match.status == "connected")))


def sent_by_key(user_ids: set[int]) -> Counter:
    """Sent deliveries per (cause, object, channel, user) for these users."""
    rows = db.session.execute(
        select(Delivery.cause, Delivery.object_ref, Delivery.channel, Delivery.user_id).where(
            Delivery.status == "sent", Delivery.user_id.in_(user_ids)
        )
    )
    return Counter(tuple(row) for row in rows)


def mail_by_key(smtp: Any, addresses: dict[str, int]) -> Counter:
    """Distinct messages the SMTP server received per (cause, object, user), by Message-ID.

    A resend after an interrupted send carries the same Message-ID, which receivers de-duplicate
    on; a second message for the same notification would carry another one and count twice here."""
    ids = {
        message_from_bytes(m.data)["Message-ID"]
        for m in smtp.messages
        if any(rcpt in addresses for rcpt in m.rcpt_tos)
    }
    rows = db.session.execute(
        select(Delivery.provider_id, Delivery.cause, Delivery.object_ref, Delivery.user_id).where(
            Delivery.channel == "email", Delivery.user_id.in_(set(addresses.values()))
        )
    )
    known = {pid: (cause, ref, user) for pid, cause, ref, user in rows}
    assert ids <= set(known), f"mail no delivery row accounts for: {ids - set(known)}"
    return Counter(known[i] for i in ids)
