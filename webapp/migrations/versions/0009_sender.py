"""the sender of letters: the borrower's identity number, and "no account reference"

Revision ID: 0009_sender
Revises: 0002
Create Date: 2026-11-30 17:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_sender'
down_revision = '0008_holder'
branch_labels = None
depends_on = None


def upgrade():
    # server defaults, so that existing cases and debts keep working unchanged
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('borrower_id_number', sa.String(length=40),
                                      server_default='', nullable=False))
    with op.batch_alter_table('debts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('account_ref_unknown', sa.Boolean(),
                                      server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('debts', schema=None) as batch_op:
        batch_op.drop_column('account_ref_unknown')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('borrower_id_number')
