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
#: ``POST /api/v1/plan``: the largest request body, in bytes. The worst allowed
#: case, every text at its longest in ASCII (1,000-character addresses), is
#: 212 KiB; imports through the web page may be larger (the app-wide
#: ``MAX_CONTENT_LENGTH``, 2 MiB).
MAX_API_BODY = 256 * 1024
#: The most payment lines (one debt in one month, over every strategy) a plan
#: answer from the API may carry in its monthly schedule: 2.5-8 MB of JSON,
#: depending on the length of the debt ids. A 50-debt case repaid over three to
#: five years has 4,000-8,000 (0.2-0.4 MB); the worst allowed case (100 debts
#: owing for 600 months in three strategies) has 180,000 (29 MB), so it must ask
#: for ``?schedule=yearly`` (2.7 MB) or ``none``.
MAX_SCHEDULE_ENTRIES = 50_000


def too_many(count: int, limit: int, what: str) -> str | None:
    """The message for a list over its limit (``at most 100 debts``), or None."""
    return f"at most {limit} {what}" if count > limit else None
