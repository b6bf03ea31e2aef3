"""the negotiation record (events per case and debt), the contact log, reply days

Revision ID: 0011_events
Revises: 0005_mail
Create Date: 2026-11-30 17:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_events'
down_revision = '0005_mail'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('negotiation_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('debt_ref', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('channel', sa.String(length=40), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('letter', sa.String(length=40), nullable=True),
    sa.Column('offer_monthly', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('monthly', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('first_payment', sa.Date(), nullable=True),
    sa.Column('total', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('letter_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_negotiation_events_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['letter_id'], ['letters.id'], name=op.f('fk_negotiation_events_letter_id_letters'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_negotiation_events'))
    )
    with op.batch_alter_table('negotiation_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_negotiation_events_case_id'), ['case_id'], unique=False)

    op.create_table('collection_contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('at', sa.String(length=40), nullable=False),
    sa.Column('at_utc', sa.DateTime(timezone=True), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('party', sa.String(length=20), nullable=False),
    sa.Column('connected', sa.Boolean(), nullable=False),
    sa.Column('debt_ref', sa.String(length=40), nullable=True),
    sa.Column('collector', sa.String(length=300), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_collection_contacts_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collection_contacts'))
    )
    with op.batch_alter_table('collection_contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_collection_contacts_case_id'), ['case_id'], unique=False)

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reply_days', sa.Integer(), server_default='30',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('reply_days')

    with op.batch_alter_table('collection_contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_collection_contacts_case_id'))

    op.drop_table('collection_contacts')

    with op.batch_alter_table('negotiation_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_negotiation_events_case_id'))

    op.drop_table('negotiation_events')
