"""What encryption at rest costs: a value encrypted and decrypted, and the case
and creditor pages rendered in process (the test client, SQLite in a temporary
folder), each the median of ``--runs``.

    .venv/bin/python bench/encryption.py [--runs 50] [--debts 6]

Run it from another checkout (``git archive`` of a commit before encryption,
``PYTHONPATH=DIR .venv/bin/python DIR/bench/encryption.py`` with this file
copied there, ``--pages-only``) for the figures before.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000  # float ok: timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--debts", type=int, default=6)
    parser.add_argument("--pages-only", action="store_true",
                        help="skip the per-value timings (a checkout before encryption)")
    args = parser.parse_args()

    from webapp import create_app
    from webapp.commands.serve import upgrade_database
    from webapp.extensions import db
    from webapp.models import Case
    from webapp.services import accounts, cases, proposals
    from webapp.services.letters import default_type, generate_for_proposal

    folder = Path(tempfile.mkdtemp())
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite",
                      "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": False, "PASSWORD_HASH_FAST": True,
                      "JOBS_BACKEND": "inline", "UPLOAD_DIR": str(folder / "uploads")})
    upgrade_database(app)
    import webapp

    print(f"webapp from {Path(webapp.__file__).parent}")
    if not args.pages_only:
        from webapp.crypto import current_keyring

        with app.app_context():
            keys = current_keyring()
            token = keys.encrypt("17 Larkspur Mews, Thornbury LS1 1AA")
            enc = _median_ms(lambda: keys.encrypt("17 Larkspur Mews, Thornbury LS1 1AA"),
                             2000)
            dec = _median_ms(lambda: keys.decrypt(token), 2000)
        print(f"one value: encrypt {enc * 1000:.1f} µs, decrypt {dec * 1000:.1f} µs")

    example = json.loads((ROOT / "tests/data/examples/gb-family.json").read_text())
    example["borrower"] = {"name": "Sam Lee", "address": "1 High Street\nLeeds",
                           "phone": "07700 900123", "email": "sam@example.com"}
    debts = example["debts"]
    while len(debts) < args.debts:
        extra = dict(debts[len(debts) % len(example["debts"])])
        extra["id"] = f"extra{len(debts)}"
        debts.append(extra)
    for n, debt in enumerate(debts):
        debt["account_ref"] = f"ACC-{n:04d}-5412987623451098"
    with app.app_context():
        user = accounts.register("bench@example.com", "correct horse battery", "borrower")
        case = cases.import_case(user, json.dumps(example))
        _budget, results, *_rest = proposals.plan_with_advice(case)
        strategy = next(r.name for r in results if r.feasible)
        proposal = proposals.save_proposal(case, strategy)
        generate_for_proposal(proposal, default_type(strategy, case.jurisdiction), "en")
        db.session.commit()
        public_id, ref, proposal_id = case.public_id, case.debts[0].ref, proposal.public_id
        count = len(db.session.get(Case, case.id).debts)
        db.session.remove()
    client = app.test_client()
    client.post("/auth/login", data={"email": "bench@example.com",
                                     "password": "correct horse battery"})
    for label, url in (("case page", f"/cases/{public_id}"),
                       ("creditor page", f"/cases/{public_id}/creditors/{ref}"),
                       ("letters page", f"/cases/{public_id}/proposals/"
                                        f"{proposal_id}/letters")):
        assert client.get(url).status_code == 200, url
        ms = _median_ms(lambda url=url: client.get(url), args.runs)
        print(f"{label} ({count} debts): {ms:.1f} ms (median of {args.runs})")


if __name__ == "__main__":
    main()
