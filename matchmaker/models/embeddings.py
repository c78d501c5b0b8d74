"""Sentence embeddings stored with each listing (语义向量), written by the index job."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.extensions import db
from matchmaker.models.common import UTCDateTime, utcnow


class ListingEmbedding(db.Model):  # type: ignore[name-defined]
    """One listing's vector for one model, with the hash of the text it was computed from."""

    __tablename__ = "listing_embeddings"

    kind: Mapped[str] = mapped_column(String(12), primary_key=True)
    object_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    model: Mapped[str] = mapped_column(String(40), primary_key=True)
    content_key: Mapped[str] = mapped_column(String(64), index=True)
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
