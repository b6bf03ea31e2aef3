"""the contact log keeps every earlier version of an edited contact

Revision ID: 0014_evidence
Revises: 0003_versions
Create Date: 2026-11-30 18:40:00

Both columns are nullable: contacts logged before this were never edited.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_evidence'
down_revision = '0012_reminders'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('collection_contacts') as batch_op:
        batch_op.add_column(sa.Column('earlier', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('collection_contacts') as batch_op:
        batch_op.drop_column('edited_at')
        batch_op.drop_column('earlier')
