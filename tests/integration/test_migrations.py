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
