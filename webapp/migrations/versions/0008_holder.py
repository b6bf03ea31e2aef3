"""who holds each debt; where the lump sum comes from

Revision ID: 0008_holder
Revises: 0002
Create Date: 2026-11-30 17:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_holder'
down_revision = '0004_sessions'
branch_labels = None
depends_on = None


def upgrade():
    # Server defaults, so that existing debts are held by their original
    # creditor and existing cases say nothing about their lump sum.
    with op.batch_alter_table('debts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('holder', sa.String(length=20),
                                      server_default='original_creditor', nullable=False))
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lump_sum_source', sa.String(length=300),
                                      server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('lump_sum_source')
    with op.batch_alter_table('debts', schema=None) as batch_op:
        batch_op.drop_column('holder')
