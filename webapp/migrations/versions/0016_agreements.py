"""proposals are numbered versions per case; an agreement at a new figure makes
the next version

Revision ID: 0016_agreements
Revises: 0014_evidence
Create Date: 2026-12-01 10:00:00

Existing proposals are numbered 1, 2, 3... per case in the order they were
saved (by id), all with cause "saved". On SQLite the table is rebuilt with
AUTOINCREMENT kept (0003_versions), so a deleted proposal's id is never reused.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016_agreements'
down_revision = '0015_uploads'
branch_labels = None
depends_on = None


def _batch():
    if op.get_bind().dialect.name == 'sqlite':
        return op.batch_alter_table('proposals', recreate='always',
                                    table_kwargs={'sqlite_autoincrement': True})
    return op.batch_alter_table('proposals')


def upgrade():
    with _batch() as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1',
                                      nullable=False))
        batch_op.add_column(sa.Column('cause', sa.String(length=20), server_default='saved',
                                      nullable=False))
        batch_op.add_column(sa.Column('cause_debt_ref', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_proposals_parent_id_proposals'),
                                    'proposals', ['parent_id'], ['id'], ondelete='SET NULL')
    # Number the proposals already saved, per case, in the order they were saved.
    op.execute(
        "UPDATE proposals SET version = (SELECT COUNT(*) FROM proposals AS earlier "
        "WHERE earlier.case_id = proposals.case_id AND earlier.id <= proposals.id)")
    with _batch() as batch_op:
        batch_op.create_unique_constraint('uq_proposals_case_version', ['case_id', 'version'])


def downgrade():
    with _batch() as batch_op:
        batch_op.drop_constraint('uq_proposals_case_version', type_='unique')
        batch_op.drop_constraint('fk_proposals_parent_id_proposals', type_='foreignkey')
        batch_op.drop_column('parent_id')
        batch_op.drop_column('cause_debt_ref')
        batch_op.drop_column('cause')
        batch_op.drop_column('version')
