"""optimistic locks, one-time form tokens, letter sending claims, letter
generations; on SQLite, ids are never reused

Revision ID: 0003_versions
Revises: 0002
Create Date: 2026-11-30 17:30:00

Every new column has a server default (or is nullable), so existing rows survive:
they start at version 1 and generation 0. On SQLite the tables whose rows are
saved by id and version are rebuilt with AUTOINCREMENT (the rows are copied), so
a deleted row's id is never given to a new row; PostgreSQL sequences never do.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_versions'
down_revision = '0009_sender'
branch_labels = None
depends_on = None

NEVER_REUSE_IDS = ('cases', 'budget_items', 'debts', 'proposals', 'letters', 'negotiations')


def _batch(table, autoincrement):
    if op.get_bind().dialect.name == 'sqlite' and table in NEVER_REUSE_IDS:
        return op.batch_alter_table(table, recreate='always',
                                    table_kwargs={'sqlite_autoincrement': autoincrement})
    return op.batch_alter_table(table)


def upgrade():
    with _batch('cases', True) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with _batch('budget_items', True) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('form_token', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint('uq_budget_items_form_token', ['case_id', 'form_token'])

    with _batch('debts', True) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('form_token', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint('uq_debts_form_token', ['case_id', 'form_token'])

    with _batch('proposals', True) as batch_op:
        batch_op.add_column(sa.Column('letters_generation', sa.Integer(), server_default='0',
                                      nullable=False))

    with _batch('letters', True) as batch_op:
        batch_op.add_column(sa.Column('sending_since', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    if op.get_bind().dialect.name == 'sqlite':
        with _batch('negotiations', True):
            pass


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        with _batch('negotiations', False):
            pass

    with _batch('letters', False) as batch_op:
        batch_op.drop_column('version')
        batch_op.drop_column('sending_since')

    with _batch('proposals', False) as batch_op:
        batch_op.drop_column('letters_generation')

    with _batch('debts', False) as batch_op:
        batch_op.drop_constraint('uq_debts_form_token', type_='unique')
        batch_op.drop_column('form_token')
        batch_op.drop_column('version')

    with _batch('budget_items', False) as batch_op:
        batch_op.drop_constraint('uq_budget_items_form_token', type_='unique')
        batch_op.drop_column('form_token')
        batch_op.drop_column('version')

    with _batch('cases', False) as batch_op:
        batch_op.drop_column('version')
