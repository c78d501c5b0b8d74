"""Thin HTTP layer: blueprints registered on a flask-smorest Api with the one error shape."""

from __future__ import annotations

from typing import Any

from apispec import APISpec
from flask import Flask
from flask_smorest import Api

from matchmaker.api.http import docs, openapi, parsing
from matchmaker.errors import ErrorSchema, handle_http_exception

# Before any view module is imported: their @blp.arguments bind the parser when they are decorated.
parsing.install()


class MatchmakerApi(Api):
    """flask-smorest Api whose HTTP errors use the project's error shape.

    With ``API_SPEC_LAZY`` the views are documented the first time anything reads ``spec`` (the
    /api/openapi.json endpoint, the docs UIs, ``flask openapi``), not while the app starts.
    """

    ERROR_SCHEMA = ErrorSchema
    _pending_docs: list[tuple[Any, str, Any]]

    @property
    def spec(self) -> APISpec:
        """The OpenAPI spec, with every blueprint registered so far documented."""
        pending, self._pending_docs = self.__dict__.get("_pending_docs") or [], []
        for blp, name, parameters in pending:
            blp.register_views_in_doc(self, self._app, self._spec, name=name, parameters=parameters)
        return self._spec

    @spec.setter
    def spec(self, value: APISpec) -> None:
        # flask-smorest builds a plain APISpec; ours only adds a finishing step to to_dict().
        if type(value) is APISpec:
            value.__class__ = openapi.FinishedSpec
        self._spec = value

    def register_blueprint(self, blp: Any, *, parameters: Any = None, **options: Any) -> None:
        """Register the blueprint; document its views now, or on first use of the spec when lazy."""
        if not self._app.config.get("API_SPEC_LAZY"):
            super().register_blueprint(blp, parameters=parameters, **options)
            return
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        self.__dict__.setdefault("_pending_docs", []).append((blp, name, parameters))
        self._spec.tag({"name": name, "description": blp.description})

    def handle_http_exception(self, error):
        """Render HTTP errors as {code, status, message, errors}."""
        return handle_http_exception(error)


def register_api(app: Flask) -> MatchmakerApi:
    """Create the Api, register every blueprint and the health endpoints."""
    from matchmaker.api import (
        audit,
        campaigns,
        dashboard,
        exports,
        imports,
        jobs,
        listings,
        matches,
        notifications,
        periodic_reports,
        placements,
        pushes,
        search,
        taxonomy,
        transfer_lists,
    )
    from matchmaker.api.accounts import auth, organizations, users
    from matchmaker.api.challenges import applications as challenge_applications
    from matchmaker.api.challenges import award as challenge_award
    from matchmaker.api.challenges import delivery as challenge_delivery
    from matchmaker.api.challenges import lists as challenges
    from matchmaker.api.challenges import review as challenge_review
    from matchmaker.api.contracts import filings as cooperation_filings
    from matchmaker.api.contracts import register as tech_contracts
    from matchmaker.api.contracts import subsidies as subsidy_rounds
    from matchmaker.api.contracts import vouchers
    from matchmaker.api.events import agenda as event_agenda
    from matchmaker.api.events import lifecycle as events
    from matchmaker.api.health import bp as health_bp

    openapi.install_converter(app)
    api = MatchmakerApi(
        app, spec_kwargs={"security": [{"bearer": []}], "extra_plugins": [openapi.OperationsPlugin()]}
    )
    openapi.configure(api)
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
        tech_contracts.blp,
        vouchers.blp,
        cooperation_filings.blp,
        subsidy_rounds.blp,
        audit.blp,
        campaigns.blp,
        pushes.blp,
        periodic_reports.blp,
        transfer_lists.blp,
        placements.blp,
    ):
        api.register_blueprint(blp)
    app.register_blueprint(health_bp)
    app.register_blueprint(docs.bp)
    return api
