"""A counselor's caseload page with 10,000 cases: speed and SQL statements.

    .venv/bin/python bench/caseload.py --database postgresql://127.0.0.1:5432/parley_caseload \\
        [--cases 10000] [--requests 200]

Empties the database (``DROP SCHEMA public CASCADE`` on PostgreSQL; a SQLite
file is recreated) and migrates it, then creates one counselor and ``--cases``
clients, each with one case of three debts whose negotiation records cover
every status (letters out and late, requests, refusals, counter-offers,
agreements paid up and in arrears, paid off), granted to the counselor. Rows go
in by ``COPY`` on PostgreSQL (multi-row INSERTs on SQLite); the caseload
summaries are then worked out by the application's own code
(``services.caseload.refresh_all``), as ``parley caseload-refresh`` would.

It then times, in process with Flask's test client (the whole request: session,
login check, queries, template), ``--requests`` requests of each of: the first
page, a filter (overdue), a search (a creditor's name) and a later page; and
prints p50/p95 in milliseconds and the SQL statements each request ran.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PASSWORD = "correct horse battery staple"
CREDITORS = ("Barclaycard", "Lloyds Bank", "Capital One", "Vanquis Bank", "NewDay Ltd",
             "Lowell", "Cabot Financial", "招商银行", "Provident", "Aqua Card")


def _value(column, row: dict):
    if column.key in row:
        return row[column.key]
    default = column.default
    if default is not None:
        return default.arg(None) if callable(default.arg) else default.arg
    return None


def bulk_insert(conn, table, rows: list[dict]) -> None:
    """Insert ``rows`` (every column not given takes its Python default):
    ``COPY`` on PostgreSQL, multi-row INSERTs elsewhere."""
    if not rows:
        return
    columns = [c for c in table.columns if c.key in rows[0] or (
        not c.primary_key and (c.default is not None or c.server_default is None))]
    full = [{c.key: _value(c, r) for c in columns} for r in rows]
    if conn.dialect.name != "postgresql":
        conn.execute(table.insert(), full)
        return
    import json

    def cell(value):
        if value is None:
            return "\\N"
        if isinstance(value, bool):
            return "t" if value else "f"
        if isinstance(value, list | dict):
            value = json.dumps(value)
        text = value.isoformat() if hasattr(value, "isoformat") else str(value)
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")

    buffer = io.StringIO()
    for r in full:
        buffer.write("\t".join(cell(r[c.key]) for c in columns) + "\n")
    raw = conn.connection.dbapi_connection
    names = ", ".join(f'"{c.name}"' for c in columns)
    with raw.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        copy.write(buffer.getvalue())


def _next_id(conn, table) -> int:
    from sqlalchemy import func, select

    return (conn.execute(select(func.max(table.c.id))).scalar() or 0) + 1


def _events(kind: int, debt: int, today: date) -> list[dict]:
    """A negotiation record of one of ten shapes (dates relative to ``today``)."""
    d = lambda days: today - timedelta(days=days)  # noqa: E731
    shape = (kind + debt) % 10
    if shape == 0:
        return []
    out = [{"on": d(70), "type": "sent", "letter": "proposal", "offer_monthly": Decimal("50.00")}]
    if shape == 1:
        out[0]["on"] = d(10)  # a letter out, waiting
    elif shape == 2:
        pass  # a letter out 70 days ago: no reply
    elif shape == 3:
        out.append({"on": d(60), "type": "info_requested"})
    elif shape == 4:
        out.append({"on": d(5), "type": "rejected"})
    elif shape == 5:
        out.append({"on": d(8), "type": "counter_offer", "monthly": Decimal("35.00")})
    elif shape in (6, 7, 8):
        first = d(45)
        out.append({"on": d(60), "type": "accepted", "monthly": Decimal("50.00"),
                    "first_payment": first})
        paid = {6: 2, 7: 1, 8: 0}[shape]  # 6: up to date; 7 and 8: in arrears
        out += [{"on": first + timedelta(days=30 * k), "type": "payment",
                 "amount": Decimal("50.00")} for k in range(paid)]
    else:
        out.append({"on": d(400), "type": "accepted", "monthly": Decimal("100.00"),
                    "first_payment": d(390), "total": Decimal("200.00")})
        out[0]["on"] = d(410)
        out += [{"on": d(390), "type": "payment", "amount": Decimal("100.00")},
                {"on": d(360), "type": "payment", "amount": Decimal("100.00")}]
    return out


def seed(app, counselor_email: str, cases: int, *, password: str = PASSWORD) -> None:
    """``cases`` clients, one case each, all granted to a new counselor (bulk inserts),
    then every summary worked out by the application's code."""
    from webapp.auth import hash_password
    from webapp.extensions import db
    from webapp.models import Case, CaseGrant, Debt, NegotiationEvent, User
    from webapp.models.types import now_utc
    from webapp.services import caseload

    today = date.today()
    now = now_utc()
    with app.app_context():
        hashed = hash_password(password)
        with db.engine.begin() as conn:
            users, case_t, debts_t, events_t, grants_t = (
                m.__table__ for m in (User, Case, Debt, NegotiationEvent, CaseGrant))
            uid, cid, did, eid = (_next_id(conn, t) for t in (users, case_t, debts_t, events_t))
            counselor = uid
            user_rows = [{"id": counselor, "email": counselor_email, "display_name": "Bench",
                          "password_hash": hashed, "role": "counselor", "created_at": now}]
            case_rows, debt_rows, event_rows, grant_rows = [], [], [], []
            for i in range(cases):
                owner, case_id = uid + 1 + i, cid + i
                user_rows.append({"id": owner, "email": f"client{i}.{counselor}@example.com",
                                  "display_name": f"Client {i}", "password_hash": hashed,
                                  "role": "borrower", "created_at": now})
                jurisdiction = "CN" if i % 5 == 0 else "GB"
                case_rows.append({"id": case_id, "owner_id": owner, "title": f"Household {i}",
                                  "currency": "CNY" if jurisdiction == "CN" else "GBP",
                                  "jurisdiction": jurisdiction, "start_date": today,
                                  "created_at": now, "updated_at": now})
                grant_rows.append({"case_id": case_id, "counselor_id": counselor,
                                   "granted_by_id": owner, "granted_at": now})
                for k in range(3):
                    ref = f"d{k}"
                    debt_rows.append({"id": did, "case_id": case_id, "ref": ref,
                                      "creditor": CREDITORS[(i + 3 * k) % len(CREDITORS)],
                                      "kind": "credit_card",
                                      "balance": Decimal(1000 + 250 * ((i + k) % 8)),
                                      "contractual_payment": Decimal("60.00")})
                    did += 1
                    for position, e in enumerate(_events(i, k, today)):
                        event_rows.append({"id": eid, "case_id": case_id, "debt_ref": ref,
                                           "position": position, "channel": "post",
                                           "created_at": now, **e})
                        eid += 1
            for table, rows in ((users, user_rows), (case_t, case_rows), (debts_t, debt_rows),
                                (events_t, event_rows), (grants_t, grant_rows)):
                bulk_insert(conn, table, rows)
            if conn.dialect.name == "postgresql":
                from sqlalchemy import text

                for table in (users, case_t, debts_t, events_t):
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', "
                                      f"'id'), (SELECT MAX(id) FROM {table.name}))"))
        caseload.refresh_all()
        db.session.remove()
        if db.engine.dialect.name == "postgresql":
            from sqlalchemy import text

            with db.engine.connect() as conn:  # what autovacuum would soon do
                conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))


def _percentile(values: list[float], q: float) -> float:  # float ok: timings
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def measure(app, email: str, urls: dict[str, str], requests: int) -> dict[str, dict]:
    """Per URL: wall-clock p50/p95 (ms), this process's CPU p50 (ms: Flask,
    SQLAlchemy, the template; not PostgreSQL's), the time spent waiting for
    the database p50 (ms), and the SQL statements each request ran."""
    import pyotp
    from sqlalchemy import event

    from webapp.extensions import db
    from webapp.services import accounts, twofactor

    with app.app_context():  # a counselor logs in with two factors: enrol, then a code
        user = accounts.find_by_email(email)
        secret = user.totp_secret or twofactor.begin(user)
        if not user.totp_enabled:
            twofactor.confirm(user, pyotp.TOTP(secret).at(time.time() - twofactor.STEP))
        secret = accounts.find_by_email(email).totp_secret
        db.session.remove()
    client = app.test_client()
    answer = client.post("/auth/login", data={"email": email, "password": PASSWORD})
    if answer.status_code == 302 and answer.location.endswith("/auth/login/code"):
        answer = client.post("/auth/login/code", data={"code": pyotp.TOTP(secret).now()})
    assert answer.status_code == 302, answer.status_code
    with app.app_context():
        engine = db.engine
    statements: list[float] = []  # float ok: timings
    started: list[float] = []  # float ok: timings

    def before(*_args):
        started.append(time.perf_counter())

    def after(*_args):
        statements.append(time.perf_counter() - started.pop())

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    out = {}
    try:
        for name, url in urls.items():
            assert client.get(url).status_code == 200, url  # warm up
            wall, cpu, sql, counts = [], [], [], set()
            for _ in range(requests):
                statements.clear()
                start, start_cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                wall.append((time.perf_counter() - start) * 1000)  # float ok: timing
                cpu.append((time.process_time() - start_cpu) * 1000)  # float ok: timing
                sql.append(sum(statements) * 1000)  # float ok: timing
                assert response.status_code == 200, url
                counts.add(len(statements))
            out[name] = {"p50": statistics.median(wall), "p95": _percentile(wall, 0.95),
                         "cpu": statistics.median(cpu), "sql": statistics.median(sql),
                         "statements": sorted(counts)}
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="a database URL; it is emptied")
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--reuse", action="store_true",
                        help="measure the database as a previous run left it (no reset)")
    args = parser.parse_args()

    from sqlalchemy import create_engine, text

    from webapp import create_app
    from webapp.commands.serve import upgrade_database
    from webapp.config import normalise_database_url

    url = normalise_database_url(args.database)
    if args.reuse:
        pass
    elif url.startswith("postgresql"):
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    elif url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    config = {"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url,
              "RATELIMIT_ENABLED": False, "RATELIMIT_STORAGE_URI": "memory://",
              "PASSWORD_HASH_FAST": True, "WTF_CSRF_ENABLED": False}
    app = create_app(config)
    email = "counselor@example.com"
    if not args.reuse:
        upgrade_database(app)
        start = time.perf_counter()
        seed(app, email, args.cases)
        print(f"seeded {args.cases} cases (3 debts each, summaries included) "
              f"in {time.perf_counter() - start:.1f} s")
    urls = {"first page": "/caseload", "filter: overdue": "/caseload?filter=overdue",
            "search: creditor": "/caseload?q=vanquis", "search: client": "/caseload?q=client42.",
            "page 40": "/caseload?page=40"}
    results = measure(app, email, urls, args.requests)
    print(f"{args.requests} requests each; CPU: this process (not the database's); "
          "SQL: waiting for the database")
    print(f"{'page':<18} {'p50 ms':>7} {'p95 ms':>7} {'CPU p50':>8} {'SQL p50':>8}  statements")
    worst = 0.0  # float ok: timing
    for name, r in results.items():
        print(f"{name:<18} {r['p50']:7.1f} {r['p95']:7.1f} {r['cpu']:8.1f} {r['sql']:8.1f}  "
              f"{r['statements']}")
        worst = max(worst, r["p95"])
    print(f"worst p95: {worst:.1f} ms (target < 50 ms); load average now: "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
