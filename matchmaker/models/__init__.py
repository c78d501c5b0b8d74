"""SQLAlchemy models, one module per aggregate."""

from matchmaker.models.audit import AuditLog
from matchmaker.models.campaigns import Campaign, CampaignInvitation
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
from matchmaker.models.contracts.filings import CooperationFiling, FilingAttachment
from matchmaker.models.contracts.register import TechContract
from matchmaker.models.contracts.subsidies import SubsidyItem, SubsidyObjection, SubsidyRound
from matchmaker.models.contracts.vouchers import Voucher, VoucherBatch, VoucherProvider
from matchmaker.models.embeddings import ListingEmbedding
from matchmaker.models.events import Event, EventMeeting, EventRegistration
from matchmaker.models.listings import LISTING_MODELS, NeedIndicator, ResearchOutput, TechnologyNeed
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
from matchmaker.models.periodic_reports import PeriodicReport
from matchmaker.models.placements import Placement, PlacementReport
from matchmaker.models.pushes import CompilationItem, OutputCompilation, PushReaction
from matchmaker.models.transfer_lists import CommonTechMark
from matchmaker.models.users import ApiToken, User

__all__ = [
    "LISTING_MODELS",
    "Acceptance",
    "AnnouncedEvent",
    "ApiToken",
    "ApplicationMember",
    "AuditLog",
    "Campaign",
    "CampaignInvitation",
    "Challenge",
    "ChallengeApplication",
    "ChallengeAward",
    "ChallengeIndicator",
    "ChallengeListReview",
    "CommonTechMark",
    "CompilationItem",
    "Consent",
    "CooperationFiling",
    "Delivery",
    "DeliveryMilestone",
    "Event",
    "EventMeeting",
    "EventRegistration",
    "ExpertProfile",
    "ExtensionRequest",
    "FilingAttachment",
    "InboxMessage",
    "ListingEmbedding",
    "Match",
    "MatchRun",
    "NeedIndicator",
    "NotificationPreference",
    "Objection",
    "Organization",
    "OutboxEvent",
    "OutputCompilation",
    "PaymentTranche",
    "PendingPush",
    "PeriodicReport",
    "Placement",
    "PlacementReport",
    "ProgressReport",
    "PushReaction",
    "ResearchOutput",
    "ReviewAssignment",
    "SubsidyItem",
    "SubsidyObjection",
    "SubsidyRound",
    "TechContract",
    "TechnologyNeed",
    "User",
    "VerificationCode",
    "Voucher",
    "VoucherBatch",
    "VoucherProvider",
]
