"""产业(行业)共性关键技术需求: staff mark a published need as a common key technology of an industry chain.

One mark per need; staff in scope of the need's county set, change or remove it. The 共性关键技术需求
清单 lists the marked needs grouped by chain.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.extensions import db
from matchmaker.models.common import UTCDateTime, utcnow
from matchmaker.models.listings import TechnologyNeed


class CommonTechMark(db.Model):  # type: ignore[name-defined]
    """A need marked as a 共性关键技术 of an industry chain (产业链), by whom and when."""

    __tablename__ = "common_tech_marks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), unique=True)
    chain: Mapped[str] = mapped_column(String(50), index=True)
    note: Mapped[str] = mapped_column(String(200), default="")
    marked_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    need: Mapped[TechnologyNeed] = relationship(lazy="joined")
