"""Output push causes: a county's compilation of research outputs (成果推送) reaches its enterprises.

Reference: ``output_compilation/<id>``; one digest per person, honouring the personalisation opt-out
and the daily push caps like match recommendations.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Organization, OutputCompilation
from matchmaker.notifications.causes.builtin import link, org_users, ref_id
from matchmaker.notifications.causes.registry import Cause, register
from matchmaker.notifications.causes.registry import Event as Notice
from matchmaker.queries.scope import region_clause
from matchmaker.taxonomy import regions

SHOWN = 5


def load_push(ref: str, extra: Mapping[str, Any]) -> Notice | None:
    """Members of every enterprise in the compilation's region, once it is pushed."""
    compilation = db.session.get(OutputCompilation, ref_id(ref))
    if compilation is None or compilation.status != "pushed":
        return None
    stmt = select(Organization.id).where(
        Organization.kind == "enterprise", region_clause(Organization.region, compilation.region)
    )
    titles = [i.output.title for i in compilation.items[:SHOWN]]
    context = {
        "title": compilation.title,
        "region_name": regions.full_name(compilation.region),
        "count": len(compilation.items),
        "titles": "；".join(titles),
        "link": link("output_compilation", id=compilation.id),
    }
    return Notice(recipients=org_users(list(db.session.scalars(stmt))), context=context)


register(
    Cause(
        name="outputs.pushed",
        kind="push",
        subject="【成果推送】{{ title }}（{{ count }} 项科技成果）",
        lines=(
            "科技局为{{ region_name }}企业精选了 {{ count }} 项高校院所科技成果，包括：{{ titles }}。",
            "如对某项成果感兴趣，请登录平台点击“请帮我对接”，科技局将协助联系成果团队。",
        ),
        sms="科技局向贵单位推送{{ count }}项科技成果，请登录平台查看。",
        sms_params=("count",),
        personalised=True,
        loader=load_push,
    )
)
