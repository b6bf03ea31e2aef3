"""jobs: a heartbeat and what a job works from; e-mails as an outbox with states

Revision ID: 0021_queue
Revises: 0020_authsec
Create Date: 2026-12-01 00:00:00

Issue 11 (background work on a real queue, crash safety): a running job stamps
``heartbeat_at`` while its worker lives, so the worker's periodic sweep can
tell a dead worker's job from a slow one; ``payload`` holds what a job works
from (the evidence table's HTML to print). ``sent_mail`` becomes the outbox:
``outcome`` goes queued -> sending -> sent (or failed, or uncertain when a
worker died while the mail server had it), ``sending_at`` says since when.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021_queue'
down_revision = '0020_authsec'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('jobs') as batch_op:
        batch_op.add_column(sa.Column('started_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('payload', sa.LargeBinary(), nullable=True))
    with op.batch_alter_table('sent_mail') as batch_op:
        batch_op.add_column(sa.Column('sending_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_sent_mail_letter_outcome', ['letter_id', 'outcome'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('sent_mail') as batch_op:
        batch_op.drop_index('ix_sent_mail_letter_outcome')
        batch_op.drop_column('sending_at')
    with op.batch_alter_table('jobs') as batch_op:
        batch_op.drop_column('payload')
        batch_op.drop_column('heartbeat_at')
        batch_op.drop_column('started_at')
