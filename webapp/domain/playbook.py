"""The creditor playbook: what each creditor did with the offers a counselor sent.

Pure: it reads negotiation records (each debt's events, in order) from the
cases a counselor may open and gives, per creditor (its name normalised, so
"Barclaycard Ltd." and "barclaycard" count together):

* ``offers``: the ``sent`` events;
* an offer's reply is the first reply event after it (an agreement recorded
  after a counter-offer is the borrower taking the creditor's figure, not an
  answer to an offer, and is not counted);
* ``decided``: the offers the creditor answered with a decision (accepted,
  rejected or a counter-offer); ``accepted`` of them were accepted, and the
  acceptance rate is accepted ÷ decided (an offer still waiting, or answered
  with a request for information, is no refusal);
* the median counter-offer as a percentage of the offer it answered (the
  latest ``sent`` before it with an ``offer_monthly``);
* the median days from an offer to the creditor's first reply of any kind.

A creditor is listed only when its records come from at least ``min_cases``
cases: the playbook is an aggregate, never one client's story.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

from .model import Event
from .negotiation import EventType

#: Cases a creditor's figures must come from before they are shown.
MIN_CASES = 2
#: Replies that answer an offer.
REPLIES = (EventType.INFO_REQUESTED, EventType.REJECTED, EventType.COUNTER_OFFER,
           EventType.ACCEPTED)
DECISIONS = (EventType.REJECTED, EventType.COUNTER_OFFER, EventType.ACCEPTED)
#: Words that name a company's legal form, not the company.
_SUFFIXES = ("ltd", "limited", "plc", "inc", "llc", "co", "company", "有限公司", "股份有限公司")
_HUNDRED = Decimal(100)
_TENTH = Decimal("0.1")


def normalise(name: str) -> str:
    """The key creditors are grouped by: case, width, punctuation, spacing and a
    trailing legal form ignored."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = re.sub(r"[^\w\s&]", " ", text)
    words = text.split()
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words.pop()
    key = " ".join(words)
    for suffix in ("股份有限公司", "有限公司"):  # written without a space in Chinese
        if key.endswith(suffix) and len(key) > len(suffix):
            key = key[: -len(suffix)].strip()
            break
    return key


@dataclass(frozen=True)
class Thread:
    """One debt's negotiation record in one case."""

    case: int | str
    creditor: str
    events: tuple[Event, ...]


@dataclass(frozen=True)
class CreditorPlaybook:
    key: str
    #: the spelling most records use
    name: str
    cases: int
    offers: int
    decided: int
    accepted: int
    #: accepted ÷ decided, in percent to 0.1 (None: nothing decided yet)
    acceptance_rate: Decimal | None
    #: how many counter-offers the median is of, and the median in percent of the offer
    counters: int
    counter_pct: Decimal | None
    #: how many replies the median is of, and the median in days
    replies: int
    reply_days: Decimal | None


@dataclass
class _Tally:
    names: dict[str, int] = field(default_factory=dict)
    cases: set = field(default_factory=set)
    offers: int = 0
    decided: int = 0
    accepted: int = 0
    counter_pcts: list[Decimal] = field(default_factory=list)
    reply_days: list[Decimal] = field(default_factory=list)


def _median(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return Decimal(median(values)).quantize(_TENTH, ROUND_HALF_UP)


def _count(tally: _Tally, events: Iterable[Event]) -> None:
    pending = None  # the offer awaiting its first reply
    offered = None  # the latest offer's monthly figure, for a counter-offer
    for event in events:
        if event.type == EventType.SENT:
            tally.offers += 1
            pending = event
            if event.offer_monthly is not None:
                offered = event.offer_monthly
        elif event.type in REPLIES and pending is not None:
            tally.reply_days.append(Decimal((event.on - pending.on).days))
            pending = None
            _decision(tally, event, offered)


def _decision(tally: _Tally, event: Event, offered: Decimal | None) -> None:
    if event.type not in DECISIONS:
        return
    tally.decided += 1
    if event.type == EventType.ACCEPTED:
        tally.accepted += 1
    elif event.type == EventType.COUNTER_OFFER and offered and event.monthly is not None:
        tally.counter_pcts.append(event.monthly / offered * _HUNDRED)


def playbook(threads: Iterable[Thread], min_cases: int = MIN_CASES) -> list[CreditorPlaybook]:
    """Every creditor with records from at least ``min_cases`` cases, by name."""
    tallies: dict[str, _Tally] = {}
    for thread in threads:
        key = normalise(thread.creditor)
        if not key:
            continue
        tally = tallies.setdefault(key, _Tally())
        name = thread.creditor.strip()
        tally.names[name] = tally.names.get(name, 0) + 1
        if thread.events:
            tally.cases.add(thread.case)
        _count(tally, thread.events)
    out = []
    for key, t in tallies.items():
        if len(t.cases) < min_cases or t.offers == 0:
            continue
        rate = (Decimal(t.accepted) / Decimal(t.decided) * _HUNDRED).quantize(
            _TENTH, ROUND_HALF_UP) if t.decided else None
        # The spelling most records use; on a tie, one not in capitals, the shortest.
        name = max(sorted(t.names), key=lambda n: (t.names[n], not n.isupper(), -len(n)))
        out.append(CreditorPlaybook(key, name, len(t.cases), t.offers, t.decided, t.accepted,
                                    rate, len(t.counter_pcts), _median(t.counter_pcts),
                                    len(t.reply_days), _median(t.reply_days)))
    return sorted(out, key=lambda p: p.key)
