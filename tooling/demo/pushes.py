"""Demo 成果推送 in 金湖县: last month's compilation of the outputs best matched to 金湖 needs, pushed,
with two firms asking to be put in touch. Rows are written directly (the demo's history is not news).
Idempotent: skipped when the compilation exists.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import CompilationItem, Organization, OutputCompilation, PushReaction, User
from matchmaker.services.pushes import best_matches

JINHU = "320831"
TITLE = "金湖县高校院所科技成果推送（第一期）"
STAFF_EMAIL = "staff.jinhu@demo.matchmaker.cn"


def seed_pushes(now: datetime) -> str:
    """Create the demo compilation unless it exists; a one-line Chinese summary."""
    if db.session.scalar(select(OutputCompilation.id).where(OutputCompilation.title == TITLE)) is not None:
        return "成果推送：演示汇编已存在。"
    staff = db.session.scalar(select(User).where(User.email == STAFF_EMAIL))
    if staff is None:
        return "成果推送：未找到金湖县科技局演示账号，跳过。"
    rows = best_matches(JINHU, 12)
    firms = list(db.session.scalars(select(Organization.id).filter_by(kind="enterprise", region=JINHU)))
    pushed_at = now - timedelta(days=20)
    compilation = OutputCompilation(
        title=TITLE, region=JINHU, status="pushed", created_by=staff.id,
        created_at=pushed_at - timedelta(days=2), pushed_at=pushed_at, pushed_orgs=len(firms),
    )  # fmt: skip
    compilation.items = [CompilationItem(position=n, **row) for n, row in enumerate(rows)]
    db.session.add(compilation)
    db.session.flush()
    for org_id, item in zip(firms[:2], rows[:2], strict=False):
        user = db.session.scalar(select(User).where(User.org_id == org_id).order_by(User.id))
        if user is not None:
            reaction = PushReaction(compilation_id=compilation.id, output_id=item["output_id"], org_id=org_id)
            reaction.user_id, reaction.at = user.id, pushed_at + timedelta(days=1)
            db.session.add(reaction)
    db.session.commit()
    return f"成果推送：《{TITLE}》已推送给金湖县 {len(firms)} 家企业（{len(rows)} 项成果）。"
