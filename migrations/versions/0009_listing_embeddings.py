"""listing embeddings for the semantic matching channel

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 11:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "listing_embeddings",
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(length=40), nullable=False),
        sa.Column("content_key", sa.String(length=64), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("kind", "object_id", "model"),
    )
    op.create_index("ix_listing_embeddings_content_key", "listing_embeddings", ["content_key"])


def downgrade():
    op.drop_index("ix_listing_embeddings_content_key", table_name="listing_embeddings")
    op.drop_table("listing_embeddings")
