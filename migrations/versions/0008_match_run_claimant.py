"""match runs: the claim names the claiming job, so its own retry takes the run back at once

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 11:15:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("match_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_by", sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table("match_runs", schema=None) as batch_op:
        batch_op.drop_column("claimed_by")
