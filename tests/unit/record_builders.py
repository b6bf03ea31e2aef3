"""Case files with a negotiation record or a contact log, as dicts (parsed by the tests)."""

from __future__ import annotations

import copy


def case_file(debts=None, negotiations=None, contacts=None, *, jurisdiction="GB",
              income="1000", reply_days=None, min_offer=None, basis=None) -> dict:
    """A case whose budget leaves exactly ``income`` a month for non-priority debts."""
    data = {
        "format": "parley-case/1", "currency": "GBP", "jurisdiction": jurisdiction,
        "start_date": "2027-01-31", "household": {"adults": 1, "children": 0},
        "income": [{"label": "Wages", "amount": income, "frequency": "monthly"}],
        "expenses": [],
        "debts": copy.deepcopy(debts) if debts is not None else [
            debt("a", "1000"), debt("b", "3000"), debt("c", "6000")],
    }
    options = {}
    if reply_days is not None:
        options["reply_days"] = reply_days
    if min_offer is not None:
        options["min_offer"] = min_offer
    if basis is not None:
        options["pro_rata_basis"] = basis
    if options:
        data["options"] = options
    if negotiations is not None:
        data["negotiations"] = negotiations
    if contacts is not None:
        data["contacts"] = contacts
    return data


def debt(id: str, balance: str, contractual: str = "0", kind: str = "credit_card",
         **extra) -> dict:
    return {"id": id, "creditor": f"Creditor {id}", "kind": kind, "balance": balance,
            "apr": "0", "contractual_payment": contractual, **extra}


def sent(on: str, letter: str = "proposal", **extra) -> dict:
    return {"on": on, "type": "sent", "letter": letter, **extra}


def accepted(on: str, monthly: str, first_payment: str, **extra) -> dict:
    return {"on": on, "type": "accepted", "monthly": monthly, "first_payment": first_payment,
            **extra}


def payment(on: str, amount: str) -> dict:
    return {"on": on, "type": "payment", "amount": amount}


def event(on: str, type: str, **extra) -> dict:
    return {"on": on, "type": type, **extra}


def contact(at: str, *, channel="call", party="borrower", connected=False, **extra) -> dict:
    return {"at": at, "channel": channel, "party": party, "connected": connected, **extra}
