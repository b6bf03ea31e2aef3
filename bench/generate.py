"""Fill a PostgreSQL database with many cases, fast, for bench/scale.py.

    .venv/bin/python bench/generate.py --database postgresql://127.0.0.1:5432/NAME
                                       [--cases 10000] [--borrowers 5] [--reset]

One template case is made through Parley's own services (so every row is one
the application would write): a case file with 8 debts, 20 negotiation events
(a letter to every creditor, four agreements and their payments), 30 collection
contacts and a budget, imported, planned, its proposal saved and its letters
written. The other cases are copies of it made by PostgreSQL itself
(``INSERT ... SELECT ... FROM generate_series``: no row crosses the wire), with
new ids, public ids and owners, spread over ``--borrowers`` borrowers. One
counselor (``counselor@example.com``) holds grants on 50 of them, and 20 more
counselors on 100 each (some revoked), so ``case_grants`` is not trivially
small; every case gets 20 audit rows.

All accounts' password: ``correct horse battery staple``. The script prints
the template case's public id and a JSON line of what it made.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PASSWORD = "correct horse battery staple"
COUNSELOR = "counselor@example.com"


def borrower_email(n: int) -> str:
    return f"borrower{n}@example.com"


def template_case() -> dict:
    """The case file every generated case is a copy of."""
    data = json.loads((ROOT / "tests/data/examples/gb-family.json").read_text())
    data["start_date"] = "2026-03-01"
    data["borrower"] = {"name": "Sam Scale", "address": "1 High Street\nLeeds LS1 1AA"}
    kinds = ["credit_card", "personal_loan", "bnpl", "overdraft", "credit_card",
             "personal_loan", "online_loan", "credit_card"]
    data["debts"] = [
        {"id": f"d{n}", "creditor": f"Creditor {n}", "kind": kind,
         "balance": f"{900 + 350 * n}.00", "apr": "19.9", "contractual_payment": f"{40 + 5 * n}",
         "account_ref": f"ACC-{n:04d}"}
        for n, kind in enumerate(kinds)]
    negotiations = []
    for n in range(8):
        events = [{"on": "2026-04-01", "type": "sent", "letter": "proposal",
                   "offer_monthly": "20.00"}]
        if n < 4:  # four agreements with three payments each: 8 + 4 + 8 = 20 events
            events.append({"on": "2026-04-20", "type": "accepted", "monthly": "20.00",
                           "first_payment": "2026-05-15"})
            events += [{"on": f"2026-0{5 + k}-15", "type": "payment", "amount": "20.00"}
                       for k in range(2)]
        negotiations.append({"debt_id": f"d{n}", "events": events})
    data["negotiations"] = negotiations
    channels = ["call", "sms", "letter", "call", "email", "message"]
    data["contacts"] = [
        {"at": f"2026-0{4 + k % 6}-{1 + k % 27:02d}T{8 + k % 14:02d}:15:00+00:00",
         "debt_id": f"d{k % 8}", "channel": channels[k % len(channels)],
         "connected": k % 3 == 0, "party": "borrower" if k % 5 else "family",
         "collector": f"Agency {k % 4}", "notes": "called about the account"}
        for k in range(30)]
    return data


def _make_template(app) -> dict:
    from webapp.extensions import db
    from webapp.models import User
    from webapp.services import accounts, cases, proposals
    from webapp.services.letters import default_type, generate_for_proposal

    with app.app_context():
        owner = accounts.register(borrower_email(0), PASSWORD, "borrower")
        accounts.register(COUNSELOR, PASSWORD, "counselor")
        case = cases.import_case(owner, json.dumps(template_case()))
        _budget, results, *_rest = proposals.plan_with_advice(case)
        strategy = next(r.name for r in results if r.feasible)
        proposal = proposals.save_proposal(case, strategy)
        letters = generate_for_proposal(proposal, default_type(strategy, case.jurisdiction), "en")
        db.session.commit()
        password_hash = db.session.get(User, owner.id).password_hash
        return {"case_id": case.id, "case": case.public_id, "proposal_id": proposal.id,
                "letter": letters[0].public_id, "owner_id": owner.id,
                "password_hash": password_hash}


def _columns(table, **override: str) -> tuple[str, str]:
    """The INSERT's column list and the SELECT's expressions: every column but
    ``id``, each copied from the template row ``t`` unless overridden."""
    names = [c.name for c in table.columns if c.name != "id" or "id" in override]
    exprs = [override.get(name, f't."{name}"') for name in names]
    return ", ".join(f'"{n}"' for n in names), ", ".join(exprs)


def _clone(conn, template: dict, copies: int, owners: list[int]) -> None:
    from sqlalchemy import text

    from webapp.extensions import db

    tables = db.metadata.tables
    tid, pid = template["case_id"], template["proposal_id"]
    cbase = conn.execute(text("SELECT max(id) FROM cases")).scalar()
    pbase = conn.execute(text("SELECT max(id) FROM proposals")).scalar()
    owner_array = "ARRAY[" + ",".join(map(str, owners)) + "]"
    series = f"generate_series(1, {copies}) AS g"
    new_case = f"{cbase} + g"

    def run(sql: str, label: str) -> None:
        started = time.perf_counter()
        count = conn.execute(text(sql)).rowcount
        print(f"  {label:22} {count:>9,} rows  {time.perf_counter() - started:6.1f} s",
              flush=True)

    cols, exprs = _columns(
        tables["cases"], id=new_case, public_id="'c' || lpad(g::text, 10, '0')",
        owner_id=f"({owner_array})[1 + g % {len(owners)}]", title="'Case ' || g")
    run(f"INSERT INTO cases ({cols}) SELECT {exprs} FROM cases t, {series} WHERE t.id = {tid}",
        "cases")
    cols, exprs = _columns(tables["proposals"], id=f"{pbase} + g", case_id=new_case,
                           public_id="'p' || lpad(g::text, 10, '0')", parent_id="NULL")
    run(f"INSERT INTO proposals ({cols}) SELECT {exprs} FROM proposals t, {series} "
        f"WHERE t.id = {pid}", "proposals")
    for name in ("budget_items", "debts", "negotiation_events", "collection_contacts",
                 "spending_reasons"):
        override = {"case_id": new_case}
        if name == "negotiation_events":
            override["letter_id"] = "NULL"
        cols, exprs = _columns(tables[name], **override)
        run(f"INSERT INTO {name} ({cols}) SELECT {exprs} FROM {name} t, {series} "
            f"WHERE t.case_id = {tid}", name)
    cols, exprs = _columns(tables["letters"], case_id=new_case, proposal_id=f"{pbase} + g",
                           public_id="'l' || lpad(g::text, 10, '0') || '-' || t.id")
    run(f"INSERT INTO letters ({cols}) SELECT {exprs} FROM letters t, {series} "
        f"WHERE t.case_id = {tid}", "letters")
    for name in ("cases", "proposals", "letters", "budget_items", "debts",
                 "negotiation_events", "collection_contacts", "spending_reasons"):
        conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                          f"(SELECT max(id) FROM {name}))"))


def _people(conn, template: dict, borrowers: int) -> list[int]:
    """More borrowers and 20 more counselors (same password), inserted directly."""
    from sqlalchemy import text

    rows = [(borrower_email(n), "borrower") for n in range(1, borrowers)]
    rows += [(f"counselor{n}@example.com", "counselor") for n in range(1, 21)]
    for email, role in rows:
        conn.execute(text(
            "INSERT INTO users (email, display_name, password_hash, role, created_at) "
            "VALUES (:e, '', :h, :r, now())"), {"e": email, "h": template["password_hash"],
                                                  "r": role})
    return [template["owner_id"]] + list(conn.execute(text(
        "SELECT id FROM users WHERE role = 'borrower' AND id <> :o ORDER BY id"),
        {"o": template["owner_id"]}).scalars())


def _grants_and_log(conn) -> None:
    from sqlalchemy import text

    counselor = conn.execute(text("SELECT id FROM users WHERE email = :e"),
                             {"e": COUNSELOR}).scalar()
    # The main counselor: 50 cases of one borrower (a day's caseload).
    conn.execute(text(
        "INSERT INTO case_grants (case_id, counselor_id, granted_by_id, granted_at) "
        "SELECT c.id, :u, c.owner_id, now() FROM cases c ORDER BY c.id LIMIT 50"),
        {"u": counselor})
    # Twenty others, 100 cases each, every fifth grant revoked.
    conn.execute(text(
        "INSERT INTO case_grants (case_id, counselor_id, granted_by_id, granted_at, revoked_at) "
        "SELECT c.id, u.id, c.owner_id, now() - interval '30 days', "
        "CASE WHEN c.id % 5 = 0 THEN now() ELSE NULL END "
        "FROM users u JOIN cases c ON c.id % 100 = u.id % 100 "
        "WHERE u.email LIKE 'counselor%@example.com' AND u.email <> :main"), {"main": COUNSELOR})
    conn.execute(text(
        "INSERT INTO audit_events (case_id, at, actor_id, actor_email, action, via, "
        "subject_email) SELECT c.id, now() - k * interval '7 hours', c.owner_id, u.email, "
        "CASE WHEN k = 20 THEN 'create' WHEN k % 4 = 0 THEN 'change' ELSE 'view' END, "
        "'web', '' FROM cases c JOIN users u ON u.id = c.owner_id, generate_series(1, 20) k"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="postgresql://...")
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--borrowers", type=int, default=5)
    parser.add_argument("--reset", action="store_true", help="empty that database first")
    args = parser.parse_args()
    if not args.database.startswith("postgres"):
        raise SystemExit("--database must be a PostgreSQL URL (the copies are made in SQL)")
    os.environ.update(DATABASE_URL=args.database, SECRET_KEY="bench", RATELIMIT_ENABLED="0")
    os.environ.pop("REDIS_URL", None)
    from sqlalchemy import text

    from webapp import create_app
    from webapp.commands.serve import upgrade_database
    from webapp.extensions import db

    started = time.perf_counter()
    app = create_app()
    with app.app_context():
        if args.reset:
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
    upgrade_database(app)
    template = _make_template(app)
    print(f"template case {template['case']} ({time.perf_counter() - started:.1f} s)", flush=True)
    with app.app_context(), db.engine.begin() as conn:
        owners = _people(conn, template, args.borrowers)
        _clone(conn, template, args.cases - 1, owners)
        _grants_and_log(conn)
    with app.app_context(), db.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
        counts = {name: conn.execute(text(f"SELECT count(*) FROM {name}")).scalar()
                  for name in ("users", "cases", "debts", "negotiation_events",
                               "collection_contacts", "budget_items", "proposals", "letters",
                               "case_grants", "audit_events")}
    print(json.dumps({"template": template["case"], "letter": template["letter"],
                      "seconds": round(time.perf_counter() - started, 1), "rows": counts}))


if __name__ == "__main__":
    main()
