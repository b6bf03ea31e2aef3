"""the pages' change counter on cases; indexes found on 10,000 cases

Revision ID: 0023_scale
Revises: 0022_caseload
Create Date: 2026-11-30 23:10:00

Issue 11: ``cases.page_version`` keys the cached pages of a case (bumped after
any write to the case or its rows: ``webapp.models.page_version``). Indexes,
from EXPLAIN ANALYZE on bench/generate.py's database (10,000 cases, 200,000
audit rows, 2,050 grants):

``audit_events (case_id, id)``: the latest event of a case (is this view a
repeat?) and the activity page, newest first, a page at a time: one index probe
instead of reading and sorting every event of the case, which grows with every
login and change. Every other lookup by case already had its index (the
foreign keys'); the one scan found, of every case for a counselor's caseload,
was the query's shape (``services.access.granted_cases_for``), not an index.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023_scale'
down_revision = '0022_caseload'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases') as batch_op:
        batch_op.add_column(sa.Column('page_version', sa.Integer(), server_default='1',
                                      nullable=False))
    with op.batch_alter_table('audit_events') as batch_op:
        batch_op.create_index('ix_audit_events_case_id_id', ['case_id', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('audit_events') as batch_op:
        batch_op.drop_index('ix_audit_events_case_id_id')
    with op.batch_alter_table('cases') as batch_op:
        batch_op.drop_column('page_version')
