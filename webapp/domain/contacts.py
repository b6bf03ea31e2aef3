"""Collection-contact rules: one table of rules per jurisdiction, one evaluator.

Each row of :data:`RULES` names a rule (``cn.night``), the jurisdiction it
belongs to, the test it applies and its source (``shared/CASEFILE.md``).
Adding a rule is adding a row; the tests are small parametrised classes.

Conventions (CASEFILE.md): a contact's local time and local date are those of
``at`` as written (with its own offset). "Earlier", "already" and "up to it"
go by ``at`` as an instant, ties by the contact's index in the list, so the
order the log is written in never changes what is flagged. Contacts are
counted per caller: the ``debt_id`` when given, else the collector's name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, time

from .model import Case, Contact

CALL = "call"
BORROWER = "borrower"


@dataclass(frozen=True)
class Log:
    """The contacts in the order the rules count them, grouped by caller."""

    contacts: Sequence[Contact]
    #: index → position in time order (instant, then index)
    rank: dict[int, int]
    #: caller → indexes of that caller's contacts, in time order
    by_caller: dict[str, list[int]]

    @classmethod
    def of(cls, contacts: Sequence[Contact]) -> Log:
        order = sorted(range(len(contacts)), key=lambda i: (contacts[i].at.astimezone(UTC), i))
        by_caller: dict[str, list[int]] = defaultdict(list)
        for i in order:
            by_caller[contacts[i].caller].append(i)
        return cls(contacts, {i: pos for pos, i in enumerate(order)}, dict(by_caller))

    def earlier_same_caller(self, i: int) -> list[Contact]:
        """The caller's contacts before contact ``i`` (in time order)."""
        mine = self.by_caller[self.contacts[i].caller]
        return [self.contacts[j] for j in mine if self.rank[j] < self.rank[i]]


def local_date(c: Contact) -> date:
    return c.at.date()


def local_time(c: Contact) -> time:
    return c.at.timetz().replace(tzinfo=None)


@dataclass(frozen=True)
class OutsideHours:
    """Contact by one of ``channels`` at a local time ≥ ``late`` or < ``early``."""

    channels: frozenset[str]
    early: time
    late: time

    def breaks(self, log: Log, i: int) -> bool:
        c = log.contacts[i]
        return c.channel in self.channels and not self.early <= local_time(c) < self.late


@dataclass(frozen=True)
class ThirdParty:
    """Someone other than the borrower was contacted."""

    def breaks(self, log: Log, i: int) -> bool:
        return log.contacts[i].party != BORROWER


@dataclass(frozen=True)
class ConnectedCallsPerDay:
    """A connected call when the caller already had ``limit`` connected calls that local date."""

    limit: int

    def breaks(self, log: Log, i: int) -> bool:
        c = log.contacts[i]
        if c.channel != CALL or not c.connected:
            return False
        day = local_date(c)
        already = sum(1 for e in log.earlier_same_caller(i)
                      if e.channel == CALL and e.connected and local_date(e) == day)
        return already >= self.limit


@dataclass(frozen=True)
class CallsInDays:
    """A call that is at least the ``nth`` call by the caller (this one included,
    counting calls up to it) on the ``days`` local dates ending on its date."""

    nth: int
    days: int

    def breaks(self, log: Log, i: int) -> bool:
        c = log.contacts[i]
        if c.channel != CALL:
            return False
        day = local_date(c)
        count = 1 + sum(1 for e in log.earlier_same_caller(i)
                        if e.channel == CALL and 0 <= (day - local_date(e)).days < self.days)
        return count >= self.nth


@dataclass(frozen=True)
class CallAfterConversation:
    """A call when an earlier connected call by the caller was on a local date
    0 to ``days`` − 1 days before."""

    days: int

    def breaks(self, log: Log, i: int) -> bool:
        c = log.contacts[i]
        if c.channel != CALL:
            return False
        day = local_date(c)
        return any(e.channel == CALL and e.connected and 0 <= (day - local_date(e)).days < self.days
                   for e in log.earlier_same_caller(i))


@dataclass(frozen=True)
class Rule:
    id: str
    jurisdiction: str
    test: OutsideHours | ThirdParty | ConnectedCallsPerDay | CallsInDays | CallAfterConversation
    #: where the rule comes from, as a letter may cite it
    source: str
    #: False where the source is a guideline or a reading, not a statute:
    #: letters then say so rather than call it a breach of law
    statutory: bool = True


_ANY_BUT_LETTER = frozenset({"call", "sms", "message", "email", "visit"})
_GBT = "GB/T 45251-2025 《互联网金融 个人网络消费信贷 贷后催收风控指引》"

#: Every rule, by jurisdiction. CASEFILE.md's table, one row each.
RULES: tuple[Rule, ...] = (
    Rule("cn.night", "CN",
         OutsideHours(frozenset({"call", "sms", "message", "visit"}), time(8), time(22)),
         _GBT, statutory=False),
    Rule("cn.calls_per_day", "CN", ConnectedCallsPerDay(3), _GBT, statutory=False),
    Rule("cn.third_party", "CN", ThirdParty(),
         "《商业银行信用卡业务监督管理办法》第六十八条; " + _GBT),
    Rule("us.time", "US", OutsideHours(_ANY_BUT_LETTER, time(8), time(21)),
         "15 U.S.C. § 1692c(a)(1)"),
    # Regulation F as finally adopted: (b)(2)(i)(A) and (B) are the two prongs of the
    # presumption of a violation; (b)(2)(ii) is the presumption of compliance.
    Rule("us.7in7", "US", CallsInDays(8, 7), "12 CFR 1006.14(b)(2)(i)(A)"),
    Rule("us.after_conversation", "US", CallAfterConversation(7),
         "12 CFR 1006.14(b)(2)(i)(B)"),
    Rule("us.third_party", "US", ThirdParty(), "15 U.S.C. § 1692c(b)"),
    Rule("gb.time", "GB", OutsideHours(_ANY_BUT_LETTER, time(8), time(21)),
         "FCA CONC 7.9.4R (unreasonable times; 8 a.m. to 9 p.m. is Parley's reading)",
         statutory=False),
    Rule("gb.third_party", "GB", ThirdParty(),
         "FCA CONC 7 and data-protection law (disclosing a debt to others): to be checked",
         statutory=False),
)

RULES_BY_ID = {rule.id: rule for rule in RULES}


def rules_for(jurisdiction: str) -> tuple[Rule, ...]:
    return tuple(rule for rule in RULES if rule.jurisdiction == jurisdiction)


def evaluate(jurisdiction: str, contacts: Sequence[Contact]) -> list[tuple[int, str]]:
    """``(contact index, rule id)`` for every contact that breaks a rule of the
    jurisdiction, sorted by index, then rule id."""
    rules = rules_for(jurisdiction)
    if not rules or not contacts:
        return []
    log = Log.of(contacts)
    return sorted((i, rule.id) for i in range(len(contacts)) for rule in rules
                  if rule.test.breaks(log, i))


def breaches(case: Case) -> list[tuple[int, str]]:
    return evaluate(case.jurisdiction, case.contacts)
