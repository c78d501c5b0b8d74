"""/api/v1/taxonomy: regions, industry fields and vocabularies."""

from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import Schema, fields

from matchmaker.errors import NotFound
from matchmaker.schemas.common import StrictSchema, region_code
from matchmaker.taxonomy import fields as field_tree
from matchmaker.taxonomy import regions, vocab

blp = Blueprint("taxonomy", __name__, url_prefix="/api/v1/taxonomy", description="分类与代码表")


class RegionQuery(StrictSchema):
    """Which region's children to list (top level when absent)."""

    parent = fields.String(validate=region_code)


class Region(Schema):
    """A GB/T 2260 region."""

    code = fields.String(required=True)
    name = fields.String(required=True)
    level = fields.String(required=True, metadata={"description": "province、city 或 county"})
    full_name = fields.String(required=True)
    has_children = fields.Boolean(required=True)


class RegionDetail(Region):
    """A region with its path from the province down."""

    path = fields.List(fields.Nested(Region), required=True)


class RegionList(Schema):
    """Regions of one level."""

    items = fields.List(fields.Nested(Region), required=True)


class FieldTree(Schema):
    """The industry field tree: each node has code, name and children."""

    items = fields.List(fields.Dict(), required=True)


def _labels() -> fields.Dict:
    return fields.Dict(keys=fields.String(), values=fields.String(), required=True)


class Vocabularies(Schema):
    """Each code list: code -> Chinese label."""

    org_kinds = _labels()
    qualifications = _labels()
    need_types = _labels()
    coop_modes = _labels()
    maturity_stages = _labels()
    trl_levels = _labels()
    ip_types = _labels()
    roles = _labels()


def _region(code: str) -> dict:
    r = regions.get(code)
    assert r is not None
    return {
        "code": r.code,
        "name": r.name,
        "level": r.level,
        "full_name": regions.full_name(code),
        "has_children": bool(regions.children(code)),
    }


@blp.route("/regions", methods=["GET"])
@blp.arguments(RegionQuery, location="query")
@blp.response(200, RegionList)
def list_regions(query):
    """Provinces, or the children of a region (GB/T 2260)."""
    parent = query.get("parent")
    codes = regions.children(parent) if parent else regions.provinces()
    return {"items": [_region(c) for c in codes]}


@blp.route("/regions/<code>", methods=["GET"])
@blp.response(200, RegionDetail)
def get_region(code):
    """One region with its path from the province down."""
    if not regions.exists(code):
        raise NotFound("未知的行政区划代码")
    return {**_region(code), "path": [_region(c) for c in regions.path(code)]}


@blp.route("/fields", methods=["GET"])
@blp.response(200, FieldTree)
def field_list():
    """The industry field tree (产业领域)."""
    return {"items": field_tree.tree()}


@blp.route("/vocabularies", methods=["GET"])
@blp.response(200, Vocabularies)
def vocabularies():
    """Code lists with Chinese labels: org kinds, qualifications, need types, modes, maturity, IP, roles."""
    return {
        "org_kinds": dict(vocab.ORG_KINDS),
        "qualifications": dict(vocab.QUALIFICATIONS),
        "need_types": dict(vocab.NEED_TYPES),
        "coop_modes": dict(vocab.COOP_MODES),
        "maturity_stages": dict(vocab.MATURITY_STAGES),
        "trl_levels": {str(k): v for k, v in vocab.TRL_LEVELS.items()},
        "ip_types": dict(vocab.IP_TYPES),
        "roles": dict(vocab.ROLES),
    }
