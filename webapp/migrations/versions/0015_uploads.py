"""uploads: a creditor's letter with a reply, a screenshot or recording with a contact

Revision ID: 0015_uploads
Revises: 0014_evidence
Create Date: 2026-12-01 10:00:00

The rows describe the files; the bytes are in UPLOAD_DIR (webapp.storage).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_uploads'
down_revision = '0014_evidence'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('uploads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=24), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('media_type', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_key', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(event_id IS NULL) <> (contact_id IS NULL)', name=op.f('ck_uploads_one_owner')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_uploads_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['contact_id'], ['collection_contacts.id'], name=op.f('fk_uploads_contact_id_collection_contacts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['negotiation_events.id'], name=op.f('fk_uploads_event_id_negotiation_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_uploads')),
    sa.UniqueConstraint('public_id', name=op.f('uq_uploads_public_id')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_uploads_storage_key')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('uploads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_uploads_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_uploads_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_uploads_event_id'), ['event_id'], unique=False)


def downgrade():
    with op.batch_alter_table('uploads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_uploads_event_id'))
        batch_op.drop_index(batch_op.f('ix_uploads_contact_id'))
        batch_op.drop_index(batch_op.f('ix_uploads_case_id'))

    op.drop_table('uploads')
