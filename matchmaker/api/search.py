"""/api/v1/search: Chinese full-text search with filters, facets, highlights and suggestions."""

from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from matchmaker.api.http.context import actor
from matchmaker.schemas.common import StrictSchema, Text, field_code, one_of_vocab, region_code
from matchmaker.services.listings import search as searching
from matchmaker.taxonomy import vocab

blp = Blueprint(
    "search", __name__, url_prefix="/api/v1/search", description="检索：技术需求、科技成果与揭榜挂帅榜单"
)


class SearchQuery(StrictSchema):
    """Search parameters."""

    q = Text(200, load_default="")
    type = fields.String(validate=validate.OneOf(["need", "output", "challenge"]))
    field = fields.String(validate=field_code)
    region = fields.String(validate=region_code)
    maturity = fields.String(validate=one_of_vocab(vocab.MATURITY_STAGES))
    mode = fields.String(validate=one_of_vocab(vocab.COOP_MODES))
    budget_min = fields.Float(validate=validate.Range(min=0))
    budget_max = fields.Float(validate=validate.Range(min=0))
    sort = fields.String(
        load_default="relevance", validate=validate.OneOf(["relevance", "newest", "deadline"])
    )
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=500))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class SearchHit(Schema):
    """One hit: ids, title, public summary, highlighted snippets."""

    doc_id = fields.String()
    kind = fields.String()
    id = fields.Integer()
    score = fields.Float()
    title = fields.String()
    summary = fields.String()
    highlights = fields.Dict(keys=fields.String(), values=fields.String())
    status = fields.Function(lambda hit: hit.source.get("status"))
    org_name = fields.Function(lambda hit: hit.source.get("org_name"))
    region = fields.Function(lambda hit: hit.source.get("region"))
    fields_ = fields.Function(lambda hit: hit.source.get("fields"), data_key="fields")
    published_at = fields.Function(lambda hit: hit.source.get("published_at"))
    deadline = fields.Function(lambda hit: hit.source.get("deadline"))


class SearchPage(Schema):
    """Hits, the total and facet counts."""

    total = fields.Integer()
    total_exact = fields.Boolean(
        metadata={
            "description": "false when the engine stopped counting at its cap: total is then a lower bound"
        }
    )
    # not `partial`: marshmallow's Schema uses that attribute name for itself
    partial_ = fields.Boolean(
        data_key="partial",
        attribute="partial",
        metadata={
            "description": "true while the index is being rebuilt or lacks part of the catalogue (an "
            "engine that came back empty): hits and totals are then incomplete; retry shortly"
        },
    )
    page = fields.Integer()
    per_page = fields.Integer()
    hits = fields.List(fields.Nested(SearchHit))
    facets = fields.Dict(
        keys=fields.String(), values=fields.Dict(keys=fields.String(), values=fields.Integer())
    )


class SuggestQuery(StrictSchema):
    """What the user has typed so far."""

    q = Text(50, required=True)
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=20))


class Suggestions(Schema):
    """Completions, best first."""

    suggestions = fields.List(fields.String())


PARTIAL_HEADER = "X-Search-Partial"


@blp.route("", methods=["GET"])
@blp.arguments(SearchQuery, location="query")
@blp.response(
    200,
    SearchPage,
    headers={
        PARTIAL_HEADER: {
            "description": "`true` when the answer is partial (index rebuilding or behind), else `false`",
            "schema": {"type": "string", "enum": ["true", "false"]},
        }
    },
)
def search(query):
    """Search the public catalogue (plus own drafts and, for staff, the region's review queue)."""
    result = searching.search_listings(actor=actor(), query=query)
    return result, 200, {PARTIAL_HEADER: "true" if result.partial else "false"}


@blp.route("/suggest", methods=["GET"])
@blp.arguments(SuggestQuery, location="query")
@blp.response(200, Suggestions)
def suggest(query):
    """Complete titles and keywords as the user types."""
    return {"suggestions": searching.suggest(actor=actor(), prefix=query["q"], limit=query["limit"])}
