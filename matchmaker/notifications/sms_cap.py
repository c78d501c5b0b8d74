"""The platform-wide daily cap on paid SMS, and the alert when it is reached (log + staff inbox)."""

from __future__ import annotations

import logging
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import Delivery, InboxMessage, User
from matchmaker.notifications import rules

log = logging.getLogger(__name__)
ALERT_CAUSE = "ops.sms_daily_cap"


def sent_today(at: datetime) -> int:
    """SMS the platform has sent (or is sending) since midnight in China."""
    sent = (Delivery.status == "sent") & (Delivery.sent_at >= rules.day_start(at))
    stmt = select(func.count(Delivery.id)).where(
        Delivery.channel == "sms", sent | (Delivery.status == "sending")
    )
    return int(db.session.scalar(stmt) or 0)


def reached(at: datetime) -> bool:
    """True when today's paid SMS have reached SMS_DAILY_CAP (0 switches the cap off); alerts once a day."""
    cap = int(current_app.config.get("SMS_DAILY_CAP") or 0)
    if cap <= 0 or sent_today(at) < cap:
        return False
    alert(at, cap)
    return True


def _operators() -> list[User]:
    """Admins, and staff of a city or province bureau (their scope code ends in 00)."""
    users = db.session.scalars(select(User).where(User.is_active.is_(True))).unique()
    return [
        u
        for u in users
        if u.has_role("admin") or (u.has_role("staff") and (u.region_scope or "").endswith("00"))
    ]


def alert(at: datetime, cap: int) -> int:
    """Log an error and put one inbox message a day in each operator's inbox; returns how many."""
    today = rules.day_start(at)
    already = db.session.scalar(
        select(InboxMessage.id)
        .where(InboxMessage.cause == ALERT_CAUSE, InboxMessage.created_at >= today)
        .limit(1)
    )
    if already is not None:
        return 0
    log.error(
        "SMS daily cap reached: %d paid SMS today; further SMS wait until tomorrow", cap, extra={"cap": cap}
    )
    operators = _operators()
    for user in operators:
        db.session.add(
            InboxMessage(
                user_id=user.id,
                cause=ALERT_CAUSE,
                title="今日短信发送量已达上限",
                body=(
                    f"平台今日已发送 {cap} 条短信，达到每日上限（SMS_DAILY_CAP）。"
                    "此后的短信将顺延到明天发送，验证码请改用邮箱接收。如属异常请排查是否有人滥发验证码；如确需提高上限，请调整配置。"
                ),
                created_at=at,
            )
        )
    db.session.commit()
    return len(operators)
