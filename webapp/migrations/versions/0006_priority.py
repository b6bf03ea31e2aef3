"""priority debts: arrears and their catch-up payment; the case's token offer

Revision ID: 0006_priority
Revises: 0002
Create Date: 2026-11-30 17:40:00

All three columns are nullable (None: not given), so existing rows keep their
meaning: a priority debt without arrears is paid its contractual payment, and
a case without a token offer uses the jurisdiction's default.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_priority'
down_revision = '0007_jobs'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('debts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('arrears', sa.Numeric(precision=14, scale=2), nullable=True))
        batch_op.add_column(sa.Column('arrears_payment', sa.Numeric(precision=14, scale=2),
                                      nullable=True))
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token_offer', sa.Numeric(precision=14, scale=2),
                                      nullable=True))


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('token_offer')
    with op.batch_alter_table('debts', schema=None) as batch_op:
        batch_op.drop_column('arrears_payment')
        batch_op.drop_column('arrears')
