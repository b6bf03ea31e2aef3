"""the account archive as a background job; a calendar feed's last audited day

Revision ID: 0019_archive
Revises: 0018_offers
Create Date: 2026-11-30 23:10:00

Issue 10: a borrower downloads one ZIP of all their cases (or of one case). It
is made in the background like the letters ZIP, so a job now belongs to a user
(``jobs.user_id``) and to a case only when it is about one (``jobs.case_id``
nullable). Issue 8: a calendar feed's fetches go into the case's audit log once
per feed per day (``calendar_links.audited_on``).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019_archive'
down_revision = '0018_offers'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('jobs') as batch_op:
        batch_op.add_column(sa.Column('user_id', sa.Integer(), nullable=True))
        batch_op.alter_column('case_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_foreign_key(batch_op.f('fk_jobs_user_id_users'), 'users',
                                    ['user_id'], ['id'], ondelete='CASCADE')
        batch_op.create_index(batch_op.f('ix_jobs_user_id'), ['user_id'], unique=False)
    with op.batch_alter_table('calendar_links') as batch_op:
        batch_op.add_column(sa.Column('audited_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('calendar_links') as batch_op:
        batch_op.drop_column('audited_on')
    # Archives belong to no case: they go with the column that allows them.
    op.execute("DELETE FROM jobs WHERE case_id IS NULL")
    with op.batch_alter_table('jobs') as batch_op:
        batch_op.drop_index(batch_op.f('ix_jobs_user_id'))
        batch_op.drop_constraint(batch_op.f('fk_jobs_user_id_users'), type_='foreignkey')
        batch_op.drop_column('user_id')
        batch_op.alter_column('case_id', existing_type=sa.Integer(), nullable=False)
