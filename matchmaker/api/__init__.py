"""Thin HTTP layer: blueprints registered on a flask-smorest Api with the one error shape."""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api, Blueprint

from matchmaker.errors import handle_http_exception


class MatchmakerApi(Api):
    """flask-smorest Api whose HTTP errors use the project's error shape."""

    def handle_http_exception(self, error):
        """Render HTTP errors as {code, status, message, errors}."""
        return handle_http_exception(error)


def register_api(app: Flask) -> MatchmakerApi:
    """Create the Api, register every blueprint and the health endpoints."""
    from matchmaker.api import (
        auth,
        challenge_applications,
        challenge_award,
        challenge_delivery,
        challenge_review,
        challenges,
        dashboard,
        event_agenda,
        events,
        exports,
        imports,
        jobs,
        listings,
        matches,
        notifications,
        organizations,
        search,
        taxonomy,
        users,
    )
    from matchmaker.api.health import bp as health_bp

    # Unknown query parameters are rejected like unknown body fields (a typo such as `regoin=` must
    # not silently return unfiltered results): let each schema's Meta.unknown (RAISE) decide.
    Blueprint.ARGUMENTS_PARSER.unknown = None
    api = MatchmakerApi(app, spec_kwargs={"security": [{"bearer": []}]})
    for blp in (
        auth.blp,
        users.blp,
        organizations.blp,
        listings.needs_blp,
        listings.outputs_blp,
        search.blp,
        matches.blp,
        taxonomy.blp,
        jobs.blp,
        notifications.blp,
        notifications.verify_blp,
        dashboard.blp,
        exports.blp,
        imports.blp,
        events.blp,
        event_agenda.blp,
        challenge_review.blp,
        challenge_award.blp,
        challenge_delivery.blp,
        challenges.blp,
        challenge_applications.blp,
    ):
        api.register_blueprint(blp)
    app.register_blueprint(health_bp)
    return api
