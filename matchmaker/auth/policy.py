"""The one object-level policy module: every endpoint asks here who may see or do what.

Rules in one place:
- the public summary of a published (or closed/expired) listing is visible to anyone;
- its confidential detail to any signed-in user;
- drafts, submitted and rejected listings only to members of the owning organisation, staff whose
  region scope contains the listing's region, and admins (others get 404, not 403);
- contact details unmasked only for the owner organisation, staff in scope and admins (and, once
  matching lands, both sides of a connected match);
- review actions (publish, reject, unpublish) only for staff in scope (403 for staff out of scope)
  and admins.
"""

from __future__ import annotations

from typing import Any

from matchmaker.auth.actor import Actor
from matchmaker.taxonomy import regions


def is_admin(actor: Actor) -> bool:
    """Admins act everywhere."""
    return actor.has_role("admin")


def staff_covers(actor: Actor, region: str | None) -> bool:
    """True when the actor is staff whose region scope contains the region."""
    if not actor.has_role("staff") or actor.user is None or not actor.user.region_scope or not region:
        return False
    return regions.within(actor.user.region_scope, region)


def staff_region(actor: Actor, region: str | None) -> str | None:
    """The region staff act for: the one asked (if their scope holds it) or their own; None if not allowed."""
    own = actor.user.region_scope if actor.user is not None and actor.has_role("staff") else None
    region = region or own
    if not region or not (is_admin(actor) or staff_covers(actor, region)):
        return None
    return region


def is_member(actor: Actor, org_id: int | None) -> bool:
    """True when the actor belongs to the organisation."""
    return actor.org_id is not None and actor.org_id == org_id


def can_see_listing(actor: Actor, listing: Any) -> bool:
    """May the actor know the listing exists at all?"""
    if listing.is_public:
        return True
    return is_admin(actor) or is_member(actor, listing.org_id) or staff_covers(actor, listing.region)


def can_see_detail(actor: Actor, listing: Any) -> bool:
    """May the actor read the confidential detail?"""
    if is_admin(actor) or is_member(actor, listing.org_id) or staff_covers(actor, listing.region):
        return True
    return listing.is_public and actor.is_authenticated


def can_see_contact(actor: Actor, listing: Any, *, connected: bool = False) -> bool:
    """May the actor see the listing's contact details unmasked?"""
    return (
        connected
        or is_admin(actor)
        or is_member(actor, listing.org_id)
        or staff_covers(actor, listing.region)
    )


def can_edit_listing(actor: Actor, listing: Any) -> bool:
    """Owners (members of the owning organisation) and admins may edit and run owner actions."""
    return is_admin(actor) or is_member(actor, listing.org_id)


def can_review_listing(actor: Actor, listing: Any) -> bool:
    """Staff in scope and admins may publish, reject or unpublish."""
    return is_admin(actor) or staff_covers(actor, listing.region)


def can_manage_org(actor: Actor, org_id: int) -> bool:
    """Members may edit their organisation's profile; admins any."""
    return is_admin(actor) or is_member(actor, org_id)


def can_verify_org(actor: Actor, org: Any) -> bool:
    """Staff in scope verify organisations in their region; admins any."""
    return is_admin(actor) or staff_covers(actor, org.region)


def listing_scope_filter(actor: Actor) -> dict[str, Any]:
    """What non-public listings the actor may list: its own org, staff regions, or everything."""
    if is_admin(actor):
        return {"everything": True, "org_ids": [], "region_scopes": []}
    org_ids = [actor.org_id] if actor.org_id is not None else []
    scopes = (
        [actor.user.region_scope]
        if actor.has_role("staff") and actor.user and actor.user.region_scope
        else []
    )
    return {"everything": False, "org_ids": org_ids, "region_scopes": scopes}


# Events (对接会): published events are public; managing one is for staff whose scope holds its region.
def can_see_event(actor: Actor, event: Any) -> bool:
    """Published (or later) events are public; drafts only for staff in scope and admins."""
    return event.is_public or can_manage_event(actor, event)


def can_manage_event(actor: Actor, event: Any) -> bool:
    """Staff in scope and admins edit the event, review registrations, plan the agenda, read the report."""
    return is_admin(actor) or staff_covers(actor, event.region)


def can_see_registration(actor: Actor, event: Any, registration: Any) -> bool:
    """A registration is seen by its own organisation and by whoever manages the event."""
    return is_member(actor, registration.org_id) or can_manage_event(actor, event)


def can_record_outcome(actor: Actor, event: Any, meeting: Any) -> bool:
    """Either side of a meeting, or whoever manages the event, records how it went."""
    sides = (meeting.need_reg.org_id, meeting.output_reg.org_id)
    return any(is_member(actor, org_id) for org_id in sides) or can_manage_event(actor, event)


# --- 揭榜挂帅 challenges -------------------------------------------------------------------------
# - a challenge in draft/submitted/rejected/cancelled is known only to the posting unit, staff in
#   scope and admins (others 404); from publication on anyone sees the list;
# - the posting unit sees every submitted application to its challenge, never another's drafts;
# - an applicant (lead unit or consortium member on the platform) sees only its own application;
# - an expert sees only the applications assigned to them (identities hidden in blind review);
# - staff see and decide everything in their region; review actions out of scope get 403.


def can_see_challenge(actor: Actor, challenge: Any) -> bool:
    """May the actor know the challenge exists at all?"""
    if challenge.is_public:
        return True
    return can_edit_challenge(actor, challenge) or staff_covers(actor, challenge.region)


def can_edit_challenge(actor: Actor, challenge: Any) -> bool:
    """Members of the posting unit (and admins) edit the list and run the poster's actions."""
    return is_admin(actor) or is_member(actor, challenge.org_id)


def can_review_challenge(actor: Actor, challenge: Any) -> bool:
    """Staff in scope and admins review, publish, assign experts, award and accept."""
    return is_admin(actor) or staff_covers(actor, challenge.region)


def can_manage_challenge(actor: Actor, challenge: Any) -> bool:
    """The posting unit, staff in scope and admins: they see review notes, contacts and the intake check."""
    return can_edit_challenge(actor, challenge) or can_review_challenge(actor, challenge)


def is_applicant(actor: Actor, application: Any) -> bool:
    """The actor belongs to the lead unit or a consortium member of the application."""
    return actor.org_id is not None and actor.org_id in application.org_ids()


def can_see_application(actor: Actor, application: Any) -> bool:
    """Applicants, the posting unit (once submitted), assigned experts, staff in scope and admins."""
    challenge = application.challenge
    if is_admin(actor) or is_applicant(actor, application) or staff_covers(actor, challenge.region):
        return True
    if application.status in ("draft", "withdrawn"):
        return False
    return is_member(actor, challenge.org_id)


def can_edit_application(actor: Actor, application: Any) -> bool:
    """Only members of the lead unit (and admins) change or withdraw an application."""
    return is_admin(actor) or is_member(actor, application.lead_org_id)
