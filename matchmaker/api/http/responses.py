"""HTTP semantics applied to every response in one place: security headers, caching, ETags, Location.

- Security headers on everything (docs, health and errors included); HSTS only over TLS, since a
  browser that saw it on plain HTTP would lock a development host out.
- API responses vary by who asks (contacts are masked for strangers), so they carry
  ``Vary: Authorization`` and ``Cache-Control: private, no-cache``; only the taxonomy, the same for
  everyone, may be cached publicly.
- The ETag of a GET is computed from the body actually sent, so an owner, another firm and an
  anonymous visitor never share one; a view's version tag (for If-Match) is kept as its prefix.
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask import Flask, Response, current_app, request, url_for

from matchmaker import etags

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"
SERVER_NAME = "matchmaker"
PUBLIC_CACHE_PREFIXES = ("taxonomy.",)
PUBLIC_CACHE = "public, max-age=3600"
PRIVATE_CACHE = "private, no-cache"

# Where the resource a 201 created can be read: target endpoint and the argument its id fills
# (None: the target's arguments all come from the request's own URL).
LOCATIONS: dict[str, tuple[str, str | None]] = {
    "auth.register": ("auth.me", None),
    "users.create_user": ("users.update_user", "user_id"),
    "needs.create": ("needs.get", "listing_id"),
    "outputs.create": ("outputs.get", "listing_id"),
    "challenges.create": ("challenges.get", "challenge_id"),
    "challenges.add_list_review": ("challenges.list_reviews", None),
    "challenge_applications.create": ("challenge_applications.get", "application_id"),
    "challenge_review.assign": ("challenge_review.get_assignment", "assignment_id"),
    "challenge_award.file_objection": ("challenge_award.objections", None),
    "challenge_award.confirm_award": ("challenge_award.result", None),
    "challenge_delivery.add_report": ("challenge_delivery.get_award", None),
    "challenge_delivery.midterm": ("challenge_delivery.get_award", None),
    "challenge_delivery.request_extension": ("challenge_delivery.get_award", None),
    "challenge_delivery.acceptance": ("challenge_delivery.get_award", None),
    "events.create": ("events.get", "event_id"),
    "events.register": ("events.my_registration", None),
    "notifications.post_consent": ("notifications.get_settings", None),
    "tech_contracts.create_contract": ("tech_contracts.get_contract", "contract_id"),
    "vouchers.create_batch": ("vouchers.get_batch", "batch_id"),
    "vouchers.apply": ("vouchers.get_voucher", "voucher_id"),
    "vouchers.register_provider": ("vouchers.list_providers", None),
    "cooperation_filings.create_filing": ("cooperation_filings.get_filing", "filing_id"),
    "cooperation_filings.add_attachment": ("cooperation_filings.read_attachment", "attachment_id"),
    "subsidy_rounds.create_round": ("subsidy_rounds.get_round", "round_id"),
    "subsidy_rounds.file_objection": ("subsidy_rounds.objections", None),
    "campaigns.create": ("campaigns.get", "campaign_id"),
    "campaigns.file_need": ("needs.get", "listing_id"),
    "campaigns.visit": ("needs.get", "listing_id"),
    "output-compilations.create": ("output-compilations.get", "compilation_id"),
    "periodic-reports.create": ("periodic-reports.get", "report_id"),
    "periodic-reports.correct": ("periodic-reports.get", "report_id"),
    "placements.create": ("placements.get", "placement_id"),
    "placements.add_report": ("placements.get", None),
}


def _security(response: Response) -> None:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    # The development server would announce "Werkzeug/x Python/y"; say nothing about versions.
    response.headers["Server"] = SERVER_NAME


def _cache(response: Response) -> None:
    response.vary.add("Authorization")
    if "Cache-Control" in response.headers:
        return
    endpoint = request.endpoint or ""
    if request.method in ("GET", "HEAD") and response.status_code == 200:
        public = endpoint.startswith(PUBLIC_CACHE_PREFIXES)
        response.headers["Cache-Control"] = PUBLIC_CACHE if public else PRIVATE_CACHE
    else:
        response.headers["Cache-Control"] = "no-store"


def _etag(response: Response) -> Response:
    reading = request.method in ("GET", "HEAD") and response.status_code == 200
    versioned = response.status_code in (200, 201) and "ETag" in response.headers
    if response.is_streamed or not (reading or versioned):
        return response
    digest = hashlib.sha256(response.get_data()).hexdigest()[:16]
    response.headers["ETag"] = etags.representation(response.headers.get("ETag"), digest)
    if reading:
        response.make_conditional(request)  # turns itself into a 304 when If-None-Match matches
    return response


def location_for(endpoint: str, body: Any) -> str | None:
    """The URL of what a 201 from this endpoint created, or None when nothing can be read there."""
    target = LOCATIONS.get(endpoint)
    if target is None:
        return None
    name, id_argument = target
    rules = list(current_app.url_map.iter_rules(name)) if name in current_app.view_functions else []
    if not rules:
        return None
    known = dict(request.view_args or {})
    if id_argument and isinstance(body, dict) and isinstance(body.get("id"), int):
        known[id_argument] = body["id"]
    arguments = {key: known[key] for key in rules[0].arguments if key in known}
    if len(arguments) != len(rules[0].arguments):
        return None
    return url_for(name, **arguments)


def _location(response: Response) -> None:
    if response.status_code != 201 or "Location" in response.headers:
        return
    location = location_for(request.endpoint or "", response.get_json(silent=True))
    if location:
        response.headers["Location"] = location


def finish(response: Response) -> Response:
    """Apply every rule above to one response."""
    _security(response)
    if request.path.startswith("/api/v1/"):
        _cache(response)
        _location(response)
        response = _etag(response)
    return response


def install(app: Flask) -> None:
    """Run `finish` after every request, error responses included."""
    app.after_request(finish)
