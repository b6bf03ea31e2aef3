"""How much one case may hold: the bounds that keep every request bounded.

Generous for real households and for counselors (a household rarely has more
than 20 creditors; StepChange's largest plans have about 40), small enough that
the worst allowed case is planned in well under a second and its letters are a
bounded amount of PDF work. The case-file parser (:mod:`.casefile`) enforces
them for the API, the CLI and imports; the web forms check the same numbers
before adding a row. The README's "Limits" section lists them.
"""

from __future__ import annotations

#: Debts per case.
MAX_DEBTS = 100
#: Budget items per direction: income lines, and expense lines (200 in all).
MAX_INCOME_ITEMS = 100
MAX_EXPENSE_ITEMS = 100
#: Negotiation events per debt, and collection contacts per case (for the
#: negotiation and contact-log blocks of the case file, CASEFILE.md).
MAX_EVENTS_PER_NEGOTIATION = 200
MAX_CONTACTS = 2000
#: ``POST /api/v1/plan``: the largest request body, in bytes. A 100-debt case
#: with full addresses is about 60-120 KiB; imports through the web page may
#: be larger (the app-wide ``MAX_CONTENT_LENGTH``).
MAX_API_BODY = 256 * 1024
#: The most payment lines (one debt in one month, over every strategy) a plan
#: answer may carry in its monthly schedule: about 3-8 MB of JSON. A 50-debt,
#: ten-year case needs about 15,000; the worst allowed case (100 debts, 600
#: months) would need 190,000 (29 MB), so it must ask for ``yearly`` or ``none``.
MAX_SCHEDULE_ENTRIES = 50_000

def too_many(count: int, limit: int, what: str) -> str | None:
    """The message for a list over its limit (``at most 100 debts``), or None."""
    return f"at most {limit} {what}" if count > limit else None
