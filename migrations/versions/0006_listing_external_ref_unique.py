"""listings: external_ref unique per organisation (needs, outputs), so parallel imports create each row once

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 10:40:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TABLES = ("needs", "outputs")


def upgrade():
    for table in TABLES:
        # Copies made by concurrent imports before this constraint keep their rows (matches may point
        # at them) but lose the reference, oldest first wins; staff close them like any listing.
        op.execute(
            f"UPDATE {table} SET external_ref = NULL WHERE external_ref IS NOT NULL AND id > ("
            f"SELECT MIN(o.id) FROM {table} o WHERE o.org_id = {table}.org_id"
            f" AND o.external_ref = {table}.external_ref)"
        )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_unique_constraint(f"uq_{table}_org_external_ref", ["org_id", "external_ref"])


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f"uq_{table}_org_external_ref", type_="unique")
