"""Fixtures for notification tests: an injected clock, consented users, a published match, SMTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from matchmaker.extensions import db
from matchmaker.services.notifications import record_consent
from tests import factories as f
from tests.integration.conftest import smtp_server  # noqa: F401  the real loopback SMTP server
from tests.workers.conftest import fake_rq, run_jobs  # noqa: F401  rq on fakeredis, in-process worker

# 10:00 in Shanghai on a Wednesday: outside the SMS quiet hours.
MORNING = datetime(2026, 11, 18, 2, 0, tzinfo=UTC)


class Clock:
    """A settable clock the notification code reads through NOTIFY_CLOCK."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        """Move the clock forward."""
        self.at += timedelta(**delta)


@pytest.fixture
def clock(app):
    """The clock, set to a weekday morning in Shanghai."""
    c = Clock(MORNING)
    app.config["NOTIFY_CLOCK"] = c
    return c


@pytest.fixture
def outbox(app) -> Path:
    """The outbox folder of the embedded channels."""
    return Path(app.config["OUTBOX_DIR"])


def body_of(mail: Any, subtype: str = "plain") -> str:
    """The text or HTML part of a parsed message."""
    part = mail.get_body((subtype,))
    assert part is not None
    return part.get_content()


def consent_all(*users, channels=("email", "sms")) -> None:
    """Record e-mail and SMS consent for the users, as the settings page would."""
    for user in users:
        for purpose in channels:
            record_consent(user_id=user.id, purpose=purpose, granted=True, source="test")
    db.session.commit()


def publish_matching_need(client, world) -> int:
    """Rita's sensor output is indexed; Alice's sensor need is published by the county: a strong match."""
    output = f.make_output(world.uni, world.rita, title="MEMS 压力传感器温度漂移数字补偿方法")
    f.index_listings(output)
    return f.publish_sensor_need(client, world)


class Flaky:
    """A channel failing with the queued errors, then succeeding."""

    provider = "flaky"

    def __init__(self, *errors):
        self.errors, self.sent = list(errors), []

    def send(self, message):
        if self.errors:
            raise self.errors.pop(0)
        self.sent.append(message)
        return f"flaky-{message.delivery_id}"
