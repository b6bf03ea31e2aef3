"""The migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from webapp.extensions import db


def test_models_and_migrations_agree(app):
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


def test_migrations_go_down_to_empty_and_up_again(app):
    with app.app_context():
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {"users", "cases", "budget_items", "debts", "proposals"} <= tables


def test_proposals_saved_before_versions_are_numbered_per_case_in_order(app):
    """0016_agreements numbers the proposals already saved 1, 2, 3... per case."""
    from datetime import date

    from sqlalchemy import text

    from webapp.models import Case, Proposal, User

    with app.app_context():
        owner = User(email="old@example.com", password_hash="x")
        cases = [Case(owner=owner, currency="GBP", jurisdiction="GB",
                      start_date=date(2027, 1, 31)) for _ in range(2)]
        db.session.add_all(cases)
        db.session.flush()
        order = (cases[0].id, cases[1].id, cases[0].id, cases[0].id, cases[1].id)
        for n, case_id in enumerate(order):  # numbers the downgrade forgets
            db.session.add(Proposal(case_id=case_id, strategy="pro_rata", case_revision=1,
                                    case_snapshot={}, plan_snapshot={}, version=50 - n))
            db.session.flush()  # ids in this order
        db.session.commit()
        downgrade(revision="0014_evidence")
        upgrade()
        rows = db.session.execute(text(
            "SELECT case_id, version, cause FROM proposals ORDER BY id")).all()
        first, second = cases[0].id, cases[1].id
        assert [tuple(r) for r in rows] == [
            (first, 1, "saved"), (second, 1, "saved"), (first, 2, "saved"), (first, 3, "saved"),
            (second, 2, "saved")]


def test_0019_encrypts_existing_rows_and_files_in_place_and_the_downgrade_decrypts(app):
    """A database and upload folder from before encryption: the upgrade leaves no
    personal value in clear and the app reads them all; going down restores them."""
    from pathlib import Path

    address, ref, notes = "9 Quillfeather Row", "ACC-55501234", "rang my brother"
    folder = Path(app.config["UPLOAD_DIR"])
    with app.app_context():
        downgrade(revision="0018_offers")
        try:
            _check_0019(app, folder, address, ref, notes)
        finally:  # whatever happened, the next tests get the head schema
            db.session.remove()
            upgrade()


def _check_0019(app, folder, address, ref, notes):
    """Rows and a file at 0018, in clear; then up to 0019 and down again."""
    import json

    from sqlalchemy import select, text

    from webapp.models import CollectionContact, Debt, Letter, Proposal, Upload

    conn_sql = [
        "INSERT INTO users (id, email, display_name, password_hash, role, created_at) "
        "VALUES (1, 'm@example.com', '', 'x', 'borrower', '2026-01-01 00:00:00')",
        "INSERT INTO cases (id, public_id, owner_id, title, currency, jurisdiction, "
        "start_date, adults, children, language, min_offer, pro_rata_basis, term_apr, "
        "borrower_name, borrower_address, borrower_email, borrower_phone, revision, "
        "created_at, updated_at) VALUES (1, 'c1', 1, 't', 'GBP', 'GB', '2027-01-31', 1, "
        f"0, '', 1, 'balance', 0, 'Sam', '{address}', '', '07700 900123', 1, "
        "'2026-01-01 00:00:00', '2026-01-01 00:00:00')",
        "INSERT INTO debts (id, case_id, ref, creditor, creditor_address, creditor_email, "
        "creditor_phone, account_ref, kind, balance, apr, contractual_payment, position) "
        f"VALUES (1, 1, 'a', 'Bank', '', '', '', '{ref}', 'credit_card', 10, 0, 0, 0)",
        "INSERT INTO proposals (id, public_id, case_id, strategy, case_revision, "
        "case_snapshot, plan_snapshot, created_at) VALUES (1, 'p1', 1, 'pro_rata', 1, "
        f"'{json.dumps({'borrower': {'address': address}})}', '{{}}', "
        "'2026-01-01 00:00:00')",
        "INSERT INTO letters (id, public_id, case_id, letter_type, language, status, html, "
        "extras, sent_to, created_at, updated_at) VALUES (1, 'l1', 1, 'proposal', 'en', "
        f"'draft', '<p>{address} {ref}</p>', '{{}}', '', '2026-01-01 00:00:00', "
        "'2026-01-01 00:00:00')",
        "INSERT INTO collection_contacts (id, case_id, position, at, at_utc, channel, party, "
        "connected, collector, notes, created_at, earlier) VALUES (1, 1, 0, "
        "'2027-01-03T22:30:00+00:00', '2027-01-03 22:30:00', 'call', 'family', "
        f"false, 'Agent', '{notes}', '2026-01-01 00:00:00', "
        f"'{json.dumps([{'notes': notes}])}')",
        "INSERT INTO uploads (id, public_id, case_id, contact_id, filename, media_type, "
        "size, sha256, storage_key, created_at) VALUES (1, 'u1', 1, 1, 'shot.png', "
        f"'image/png', 3, 'x', '{'ab' * 20}', '2026-01-01 00:00:00')",
    ]
    for statement in conn_sql:
        db.session.execute(text(statement))
    db.session.commit()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ("ab" * 20)).write_bytes(b"PNG-bytes " + ref.encode())
    upgrade()
    raw = " ".join(str(v) for table in ("cases", "debts", "letters", "proposals",
                                        "collection_contacts", "uploads")
                   for row in db.session.execute(text(f"SELECT * FROM {table}"))
                   for v in row)
    assert address not in raw and ref not in raw and notes not in raw
    assert "07700" not in raw and "shot.png" not in raw
    assert ref.encode() not in (folder / ("ab" * 20)).read_bytes()
    debt = db.session.scalar(select(Debt))
    assert (debt.account_ref, debt.case.borrower_address) == (ref, address)
    assert db.session.scalar(select(Letter)).html == f"<p>{address} {ref}</p>"
    assert db.session.scalar(select(Proposal)).case_snapshot == {
        "borrower": {"address": address}}
    contact = db.session.scalar(select(CollectionContact))
    assert (contact.notes, contact.earlier) == (notes, [{"notes": notes}])
    assert db.session.scalar(select(Upload)).filename == "shot.png"
    from webapp.services import uploads

    with app.test_request_context():
        assert uploads.read(db.session.scalar(select(Upload))) == b"PNG-bytes " + \
            ref.encode()
    db.session.remove()
    downgrade(revision="0018_offers")
    assert db.session.execute(text("SELECT account_ref FROM debts")).scalar() == ref
    assert db.session.execute(text("SELECT notes FROM collection_contacts")).scalar() \
        == notes
    snapshot = db.session.execute(text("SELECT case_snapshot FROM proposals")).scalar()
    if isinstance(snapshot, str):  # SQLite gives JSON's text, PostgreSQL the value
        snapshot = json.loads(snapshot)
    assert snapshot == {"borrower": {"address": address}}
    assert (folder / ("ab" * 20)).read_bytes() == b"PNG-bytes " + ref.encode()
