"""listing pages: an index for the catalogue's default order (newest shown first)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01 14:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    for table in ("needs", "outputs"):
        op.create_index(
            f"ix_{table}_shown", table, [sa.text("coalesce(published_at, created_at)"), "id", "status"]
        )


def downgrade():
    for table in ("needs", "outputs"):
        op.drop_index(f"ix_{table}_shown", table_name=table)
