"""Server-side facts that authorise: only verified units (已认证) publish or apply, and a listing's
region is its unit's region, never the client's choice.

REQUIRE_VERIFIED_ORG (on by default) switches the verification rule; bureaus (科技局) are the
verifiers themselves and are not held to it.
"""

from __future__ import annotations

from typing import Any

from flask import current_app

from matchmaker.errors import DomainError, ValidationFailed
from matchmaker.models import Organization


class UnverifiedOrganization(DomainError):
    """The unit has not (or no longer) been verified by the bureau."""

    status, code, message = 403, "organization_unverified", "本单位尚未通过科技局认证"


def require_verified(org: Organization | None, doing: str) -> None:
    """Refuse with 403 when the unit is not verified (and the rule is on)."""
    if not current_app.config.get("REQUIRE_VERIFIED_ORG", True):
        return
    if org is not None and (org.verified or org.kind == "bureau"):
        return
    raise UnverifiedOrganization(
        f"本单位尚未通过科技局认证（或资料变更后待重新认证），暂不能{doing}；请完善单位资料，等待所在地科技局认证"
    )


def listing_region(org: Organization | None, data: dict[str, Any], current: str | None = None) -> str | None:
    """The region a listing belongs to: its unit's. A different region sent by the client is a 422."""
    region = org.region if org is not None else current
    wanted = data.get("region")
    if wanted is not None and wanted != region:
        raise ValidationFailed(
            errors={
                "region": [
                    "信息所属地区即发布单位所在地区，由单位认证资料决定，不能另选（region follows the unit）"
                ]
            }
        )
    return region
