"""a counselor's caseload: one summary row per case (what the caseload page
filters and sorts on), counselors' private notes and tasks on a case

Revision ID: 0022_caseload
Revises: 0021_queue
Create Date: 2026-11-30 23:10:00

The backfill gives every existing case its summary row with what SQL alone can
say (the total owed), already expired: the statuses need the status contract's
own code, so ``parley caseload-refresh`` (or the caseload page itself, for the
counselor's cases, on first use) works them out.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022_caseload'
down_revision = '0021_queue'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('case_summaries',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('computed_changes', sa.Integer(), server_default='0', nullable=False),
    sa.Column('computed_on', sa.Date(), nullable=True),
    sa.Column('last_event_on', sa.Date(), nullable=True),
    sa.Column('total_owed', sa.Numeric(precision=18, scale=2), server_default='0',
              nullable=False),
    sa.Column('next_due', sa.Date(), nullable=True),
    sa.Column('reply_by', sa.Date(), nullable=True),
    sa.Column('payment_due', sa.Date(), nullable=True),
    sa.Column('review_on', sa.Date(), nullable=True),
    sa.Column('overdue_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('arrears_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('review_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('next_task_on', sa.Date(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('search_text', sa.Text(), server_default='', nullable=False),
    sa.Column('rows', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_summaries_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('case_id', name=op.f('pk_case_summaries'))
    )

    op.create_table('case_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('author_email', sa.String(length=254), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_case_notes_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_notes_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_notes'))
    )
    with op.batch_alter_table('case_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_notes_case_id'), ['case_id'], unique=False)

    op.create_table('case_tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('done', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_tasks_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_case_tasks_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_tasks'))
    )
    with op.batch_alter_table('case_tasks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_tasks_case_id'), ['case_id'], unique=False)

    # Backfill: a row per case with its total owed, expired (expires_at in the
    # past) so that the status contract's code works it out on first use.
    op.execute(
        "INSERT INTO case_summaries (case_id, computed_changes, total_owed, rows, expires_at, "
        "owner_id, search_text) "
        "SELECT cases.id, 0, COALESCE((SELECT SUM(debts.balance) FROM debts "
        "WHERE debts.case_id = cases.id), 0), '[]', '2000-01-01 00:00:00+00:00', "
        "cases.owner_id, LOWER(cases.title) FROM cases")


def downgrade():
    with op.batch_alter_table('case_tasks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_tasks_case_id'))
    op.drop_table('case_tasks')
    with op.batch_alter_table('case_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_notes_case_id'))
    op.drop_table('case_notes')
    op.drop_table('case_summaries')
