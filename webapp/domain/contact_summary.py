"""What each caller did, in numbers a borrower can quote.

"14 calls in 7 days, 3 after 10 p.m., 2 to my family": the facts behind such a
sentence, computed from the contact log and its breaches (``contacts.py``).
The words are put together at the edge, in the interface's language; this
module only counts. Local times and dates are those of ``at`` as written.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, time

from .contacts import RULES_BY_ID, OutsideHours, evaluate, local_date, local_time
from .model import Contact

#: The order parties are named in (CASEFILE.md's list, the borrower left out).
THIRD_PARTIES = ("family", "friend", "employer", "colleague", "other")


@dataclass
class CallerFacts:
    """One caller's contacts, counted."""

    #: the caller as the rules count them (``debt_id``, else the collector's name)
    key: str
    #: what the borrower calls them: the collector's name, else the creditor's
    caller: str
    contacts: int = 0
    calls: int = 0
    #: local dates from the first contact to the last, both counted
    days: int = 0
    #: the most calls on one local date
    most_calls_in_a_day: int = 0
    #: contacts that break a time rule at or after its evening limit / before its morning one
    late: int = 0
    early: int = 0
    #: the time rule's limits, when one was broken
    late_from: time | None = None
    early_until: time | None = None
    #: party → contacts with someone other than the borrower
    third_parties: dict[str, int] = field(default_factory=dict)
    #: rule id → contacts that break it, in rule-table order
    rules: dict[str, int] = field(default_factory=dict)


def summarise(jurisdiction: str, contacts: Sequence[Contact],
              creditors: Mapping[str, str] | None = None,
              flagged: Sequence[tuple[int, str]] | None = None) -> list[CallerFacts]:
    """One :class:`CallerFacts` per caller, the one with most breaches first
    (then most contacts, then name). ``flagged`` is ``evaluate``'s answer when
    the caller has it already; ``creditors`` maps debt ids to creditor names."""
    if flagged is None:
        flagged = evaluate(jurisdiction, contacts)
    creditors = creditors or {}
    by_index: dict[int, list[str]] = {}
    for i, rule_id in flagged:
        by_index.setdefault(i, []).append(rule_id)
    groups: dict[str, list[int]] = {}
    for i, c in enumerate(contacts):
        groups.setdefault(c.caller, []).append(i)
    order = {rule_id: n for n, rule_id in enumerate(RULES_BY_ID)}
    result = []
    for key, indexes in groups.items():
        mine = [contacts[i] for i in indexes]
        first = mine[0]
        facts = CallerFacts(key, first.collector or creditors.get(first.debt_id or "", "")
                            or key or "?")
        facts.contacts = len(mine)
        facts.calls = sum(1 for c in mine if c.channel == "call")
        dates = sorted(local_date(c) for c in mine)
        facts.days = (dates[-1] - dates[0]).days + 1
        per_day = Counter(local_date(c) for c in mine if c.channel == "call")
        facts.most_calls_in_a_day = max(per_day.values(), default=0)
        parties = Counter(c.party for c in mine)
        facts.third_parties = {p: parties[p] for p in THIRD_PARTIES if parties[p]}
        rules: Counter[str] = Counter()
        for i in indexes:
            for rule_id in by_index.get(i, []):
                rules[rule_id] += 1
                test = RULES_BY_ID[rule_id].test
                if isinstance(test, OutsideHours):
                    if local_time(contacts[i]) >= test.late:
                        facts.late += 1
                        facts.late_from = test.late
                    else:
                        facts.early += 1
                        facts.early_until = test.early
        facts.rules = {r: rules[r] for r in sorted(rules, key=order.__getitem__)}
        result.append(facts)
    result.sort(key=lambda f: (-sum(f.rules.values()), -f.contacts, f.caller))
    return result


def flagged_contacts(jurisdiction: str, contacts: Sequence[Contact], caller: str,
                     flagged: Sequence[tuple[int, str]] | None = None,
                     ) -> list[tuple[int, tuple[str, ...]]]:
    """``(index, rule ids)`` of each of ``caller``'s contacts that breaks a rule,
    in time order (the instant, then the index: the order the rules count in);
    the rule ids in rule-table order. What a letter lists as its evidence."""
    if flagged is None:
        flagged = evaluate(jurisdiction, contacts)
    order = {rule_id: n for n, rule_id in enumerate(RULES_BY_ID)}
    by_index: dict[int, list[str]] = {}
    for i, rule_id in flagged:
        if contacts[i].caller == caller:
            by_index.setdefault(i, []).append(rule_id)
    mine = sorted(by_index, key=lambda i: (contacts[i].at.astimezone(UTC), i))
    return [(i, tuple(sorted(by_index[i], key=order.__getitem__))) for i in mine]
