"""共性关键技术 marks on needs, for the 产业(行业)共性关键技术需求清单

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 13:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('common_tech_marks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('need_id', sa.Integer(), nullable=False),
    sa.Column('chain', sa.String(length=50), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('marked_by', sa.Integer(), nullable=False),
    sa.Column('marked_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['marked_by'], ['users.id'], name=op.f('fk_common_tech_marks_marked_by_users')),
    sa.ForeignKeyConstraint(['need_id'], ['needs.id'], name=op.f('fk_common_tech_marks_need_id_needs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_common_tech_marks')),
    sa.UniqueConstraint('need_id', name=op.f('uq_common_tech_marks_need_id'))
    )
    with op.batch_alter_table('common_tech_marks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_common_tech_marks_chain'), ['chain'], unique=False)


def downgrade():
    with op.batch_alter_table('common_tech_marks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_common_tech_marks_chain'))

    op.drop_table('common_tech_marks')
