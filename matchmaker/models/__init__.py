"""SQLAlchemy models, one module per aggregate."""

from matchmaker.models.audit import AuditLog
from matchmaker.models.events import Event, EventMeeting, EventRegistration
from matchmaker.models.listings import LISTING_MODELS, ResearchOutput, TechnologyNeed
from matchmaker.models.matches import Match, MatchRun, PendingPush
from matchmaker.models.notifications import (
    Consent,
    Delivery,
    InboxMessage,
    NotificationPreference,
    VerificationCode,
)
from matchmaker.models.organizations import Organization
from matchmaker.models.outbox import OutboxEvent
from matchmaker.models.users import ApiToken, User

__all__ = [
    "LISTING_MODELS",
    "ApiToken",
    "AuditLog",
    "Consent",
    "Delivery",
    "Event",
    "EventMeeting",
    "EventRegistration",
    "InboxMessage",
    "Match",
    "MatchRun",
    "NotificationPreference",
    "Organization",
    "OutboxEvent",
    "PendingPush",
    "ResearchOutput",
    "TechnologyNeed",
    "User",
    "VerificationCode",
]
