"""personal fields and uploaded files encrypted at rest

Revision ID: 0024_crypt
Revises: 0023_scale
Create Date: 2026-12-01 00:00:00

Issue 10: every personal value is stored as a Fernet token (webapp.crypto).
The columns that were short strings or JSON become text (a token is longer
than its value, and JSON is kept as the token of its text); then every row's
values, and every file in UPLOAD_DIR, are encrypted in place with the app's
first key. The downgrade decrypts them and gives the columns their old types.

Files are not in the database's transaction: a file already encrypted (or
already clear, going down) is recognised and left as it is, so running either
direction again after a failure finishes the job.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024_crypt'
down_revision = '0023_scale'
branch_labels = None
depends_on = None

#: Text columns encrypted; a "" stays "" and NULL stays NULL.
TEXT = {
    'cases': ('borrower_name', 'borrower_address', 'borrower_email', 'borrower_phone',
              'borrower_id_number', 'lump_sum_source'),
    'debts': ('creditor_address', 'creditor_email', 'creditor_phone', 'account_ref'),
    'letters': ('html', 'body_text', 'sent_to'),
    'negotiation_events': ('notes',),
    'collection_contacts': ('collector', 'notes'),
    'sent_mail': ('recipient', 'cc'),
    'spending_reasons': ('text',),
    'uploads': ('filename',),
    'case_notes': ('body',),
    'case_tasks': ('title',),
    'users': ('totp_secret',),
}
#: JSON columns kept as the token of their JSON text.
JSON = {
    'letters': ('extras',),
    'collection_contacts': ('earlier',),
    'proposals': ('case_snapshot',),
}
#: Binary columns kept as the token of their bytes.
BYTES = {'jobs': ('result', 'payload')}

#: Columns whose type changes: (column, old type, nullable).
WIDENED = {
    'cases': [('borrower_name', sa.String(300), False), ('borrower_email', sa.String(254), False),
              ('borrower_phone', sa.String(40), False),
              ('borrower_id_number', sa.String(40), False),
              ('lump_sum_source', sa.String(300), False)],
    'debts': [('creditor_email', sa.String(254), False), ('creditor_phone', sa.String(40), False),
              ('account_ref', sa.String(80), False)],
    'letters': [('sent_to', sa.String(300), False), ('extras', sa.JSON(), False)],
    'collection_contacts': [('collector', sa.String(300), False), ('earlier', sa.JSON(), True)],
    'sent_mail': [('recipient', sa.String(254), False), ('cc', sa.String(254), False)],
    'proposals': [('case_snapshot', sa.JSON(), False)],
    'uploads': [('filename', sa.String(200), False)],
    'case_tasks': [('title', sa.String(200), False)],
    'users': [('totp_secret', sa.String(64), True)],
}
#: Tables that must keep SQLite's AUTOINCREMENT when batch mode copies them.
AUTOINCREMENT = {'cases', 'debts', 'letters', 'proposals', 'uploads'}


def _keyring():
    from webapp.crypto import current_keyring

    return current_keyring()


def _batch(table):
    return op.batch_alter_table(
        table, table_kwargs={'sqlite_autoincrement': True} if table in AUTOINCREMENT else {})


def _widen():
    for table, columns in WIDENED.items():
        with _batch(table) as batch_op:
            for name, old, nullable in columns:
                batch_op.alter_column(name, existing_type=old, type_=sa.Text(),
                                      existing_nullable=nullable,
                                      postgresql_using=f'{name}::text')


def _narrow():
    for table, columns in WIDENED.items():
        with _batch(table) as batch_op:
            for name, old, nullable in columns:
                using = f'{name}::json' if isinstance(old, sa.JSON) else f'{name}::varchar'
                batch_op.alter_column(name, existing_type=sa.Text(), type_=old,
                                      existing_nullable=nullable, postgresql_using=using)


def _convert(columns_by_table, column_type, change):
    """Apply ``change`` to every non-empty value of the columns, row by row."""
    conn = op.get_bind()
    for table_name, names in columns_by_table.items():
        table = sa.table(table_name, sa.column('id', sa.Integer),
                         *[sa.column(n, column_type) for n in names])
        rows = conn.execute(sa.select(table)).all()
        for row in rows:
            values = {n: change(getattr(row, n)) for n in names
                      if getattr(row, n) not in (None, '', b'')}
            if values:
                conn.execute(table.update().where(table.c.id == row.id).values(**values))


def _uploads(change):
    from flask import current_app

    from webapp.crypto import DecryptionError
    from webapp.storage import LocalStorage

    folder = current_app.config.get('UPLOAD_DIR')
    if not folder:
        return
    store = LocalStorage(folder)
    for key, _written in list(store.list()):
        try:
            data = store.get(key)
        except FileNotFoundError:
            continue  # a cut-off write (``.part``): the sweep removes it
        try:
            new = change(data)
        except DecryptionError:
            continue  # already clear (a downgrade run again)
        if new is not None:
            store.overwrite(key, new)


def upgrade():
    _widen()
    keys = _keyring()
    _convert(TEXT, sa.Text, keys.encrypt)
    # 'null' is how the JSON type kept None: it becomes NULL.
    _convert(JSON, sa.Text, lambda v: None if v == 'null' else keys.encrypt(v))
    _convert(BYTES, sa.LargeBinary, lambda v: keys.encrypt_bytes(bytes(v)))

    from webapp.crypto import DecryptionError

    def encrypt_file(data):
        try:
            keys.decrypt_bytes(data)
            return None  # already encrypted (the upgrade run again)
        except DecryptionError:
            return keys.encrypt_bytes(data)

    _uploads(encrypt_file)


def downgrade():
    keys = _keyring()
    _uploads(keys.decrypt_bytes)
    _convert(BYTES, sa.LargeBinary, lambda v: keys.decrypt_bytes(bytes(v)))
    _convert(JSON, sa.Text, keys.decrypt)
    _convert(TEXT, sa.Text, keys.decrypt)
    _narrow()
