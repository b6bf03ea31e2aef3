"""spending reasons per category; a car and a settlement floor per case

Revision ID: 0018_offers
Revises: 0014_evidence
Create Date: 2026-12-02 10:00:00

Issue 12: the budget page flags spending above the guideline figures and keeps
the borrower's reason per category (printed in the budget statement); whether
the household runs a car decides transport guidelines; a settlement below the
case's floor (default 30 %, NULL here) is marked unlikely to be accepted.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018_offers'
down_revision = '0017_access'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'spending_reasons',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('category', sa.String(length=20), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('case_id', 'category', name='uq_spending_reasons_category'),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table('spending_reasons') as batch_op:
        batch_op.create_index(batch_op.f('ix_spending_reasons_case_id'), ['case_id'],
                              unique=False)
    with op.batch_alter_table('cases') as batch_op:
        batch_op.add_column(sa.Column('has_car', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('settlement_floor', sa.Numeric(precision=5, scale=2),
                                      nullable=True))


def downgrade():
    with op.batch_alter_table('cases') as batch_op:
        batch_op.drop_column('settlement_floor')
        batch_op.drop_column('has_car')
    with op.batch_alter_table('spending_reasons') as batch_op:
        batch_op.drop_index(batch_op.f('ix_spending_reasons_case_id'))
    op.drop_table('spending_reasons')
