"""Output pushes to a county (成果推送): a compilation of research outputs for the county's firms.

Staff pick outputs by hand or from the best matches of the county's published needs; the
compilation is pushed once to the county's enterprises as one digest, and its outputs appear in the
county's 成果汇编 whatever the university's region. Reactions are enterprises asking to be put in
touch about a pushed output.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.extensions import db
from matchmaker.models.common import UTCDateTime, utcnow
from matchmaker.models.listings import ResearchOutput


class OutputCompilation(db.Model):  # type: ignore[name-defined]
    """Outputs selected for one county (or city), pushed to its enterprises once."""

    __tablename__ = "output_compilations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    region: Mapped[str] = mapped_column(String(6), index=True)
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)  # draft, pushed
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    pushed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    pushed_orgs: Mapped[int] = mapped_column(Integer, default=0)

    items: Mapped[list[CompilationItem]] = relationship(
        order_by="CompilationItem.position", cascade="all, delete-orphan", lazy="selectin"
    )


class CompilationItem(db.Model):  # type: ignore[name-defined]
    """One output in a compilation: picked by hand, or matched to a need of the county (with why)."""

    __tablename__ = "output_compilation_items"
    __table_args__ = (UniqueConstraint("compilation_id", "output_id", name="uq_output_compilation_items"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    compilation_id: Mapped[int] = mapped_column(
        ForeignKey("output_compilations.id", ondelete="CASCADE"), index=True
    )
    output_id: Mapped[int] = mapped_column(ForeignKey("outputs.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str] = mapped_column(String(10), default="manual")  # manual, matched
    need_id: Mapped[int | None] = mapped_column(ForeignKey("needs.id", ondelete="SET NULL"))
    score: Mapped[float | None] = mapped_column(Float)
    explanation: Mapped[str] = mapped_column(String(500), default="")

    output: Mapped[ResearchOutput] = relationship(lazy="joined")


class PushReaction(db.Model):  # type: ignore[name-defined]
    """An enterprise asked to be put in touch about a pushed output (once per output)."""

    __tablename__ = "output_push_reactions"
    __table_args__ = (
        UniqueConstraint("compilation_id", "output_id", "org_id", name="uq_output_push_reactions"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    compilation_id: Mapped[int] = mapped_column(
        ForeignKey("output_compilations.id", ondelete="CASCADE"), index=True
    )
    output_id: Mapped[int] = mapped_column(ForeignKey("outputs.id", ondelete="CASCADE"))
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
