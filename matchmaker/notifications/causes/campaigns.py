"""Campaign causes: an enterprise is invited to a need collection campaign (需求征集).

Reference: ``campaign/<id>@<org id>`` (one invitation per organisation).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from matchmaker.extensions import db
from matchmaker.models import Campaign
from matchmaker.notifications.causes.builtin import link, org_users, ref_id
from matchmaker.notifications.causes.registry import Cause, register
from matchmaker.notifications.causes.registry import Event as Notice


def load_invitation(ref: str, extra: Mapping[str, Any]) -> Notice | None:
    """The invited enterprise's members hear of the campaign while it is open."""
    campaign = db.session.get(Campaign, ref_id(ref))
    org_id = int(ref.partition("@")[2] or 0)
    if campaign is None or campaign.status != "open" or not org_id:
        return None
    context = {
        "title": campaign.title,
        "ends_on": campaign.ends_on.isoformat(),
        "link": link("campaign", id=campaign.id),
    }
    return Notice(recipients=org_users([org_id]), context=context)


register(
    Cause(
        name="campaign.invited",
        kind="campaign",
        subject="【需求征集】诚邀贵单位参加《{{ title }}》",
        lines=(
            "科技局正在开展《{{ title }}》，征集期至 {{ ends_on }}。",
            "欢迎登录平台填报贵单位的技术需求，科技局将组织高校院所对接。",
        ),
        sms="科技局开展{{ title }}，截至{{ ends_on }}，欢迎登录平台填报技术需求。",
        sms_params=("title", "ends_on"),
        loader=load_invitation,
    )
)
