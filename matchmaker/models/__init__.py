"""SQLAlchemy models, one module per aggregate."""

from matchmaker.models.audit import AuditLog
from matchmaker.models.challenges.delivery import (
    Acceptance,
    ChallengeAward,
    DeliveryMilestone,
    ExtensionRequest,
    PaymentTranche,
    ProgressReport,
)
from matchmaker.models.challenges.lists import (
    ApplicationMember,
    Challenge,
    ChallengeApplication,
    ChallengeIndicator,
    ChallengeListReview,
)
from matchmaker.models.challenges.review import ExpertProfile, Objection, ReviewAssignment
from matchmaker.models.embeddings import ListingEmbedding
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
from matchmaker.models.outbox import AnnouncedEvent, OutboxEvent
from matchmaker.models.users import ApiToken, User

__all__ = [
    "LISTING_MODELS",
    "Acceptance",
    "AnnouncedEvent",
    "ApiToken",
    "ApplicationMember",
    "AuditLog",
    "Challenge",
    "ChallengeApplication",
    "ChallengeAward",
    "ChallengeIndicator",
    "ChallengeListReview",
    "Consent",
    "Delivery",
    "DeliveryMilestone",
    "Event",
    "EventMeeting",
    "EventRegistration",
    "ExpertProfile",
    "ExtensionRequest",
    "InboxMessage",
    "ListingEmbedding",
    "Match",
    "MatchRun",
    "NotificationPreference",
    "Objection",
    "Organization",
    "OutboxEvent",
    "PaymentTranche",
    "PendingPush",
    "ProgressReport",
    "ResearchOutput",
    "ReviewAssignment",
    "TechnologyNeed",
    "User",
    "VerificationCode",
]
