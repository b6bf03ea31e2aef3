"""The creditor playbook: exact figures from hand-worked records."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from webapp.domain.model import Event
from webapp.domain.playbook import Thread, normalise, playbook

START = date(2027, 1, 1)


def ev(day: int, type_: str, **fields) -> Event:
    return Event(on=START + timedelta(days=day), type=type_, **fields)


def sent(day: int, offer: str | None = "100.00") -> Event:
    return ev(day, "sent", letter="proposal",
              offer_monthly=Decimal(offer) if offer else None)


def test_names_are_grouped_whatever_their_case_punctuation_or_legal_form():
    assert normalise("Barclaycard Ltd.") == normalise("  barclaycard ") == "barclaycard"
    assert normalise("ＡＢＣ Bank PLC") == "abc bank"
    assert normalise("招商银行股份有限公司") == normalise("招商银行") == "招商银行"
    assert normalise("Co") == "co"  # a name that is only a legal form stays


def test_the_figures_of_one_creditor_across_three_cases():
    threads = [
        # case 1: offer 100, counter 60 after 10 days (60 %), new offer 80, accepted after 4
        Thread(1, "Lender Ltd", (sent(0), ev(10, "counter_offer", monthly=Decimal("60.00")),
                                 sent(12, "80.00"), ev(16, "accepted", monthly=Decimal("80.00"),
                                                       first_payment=START))),
        # case 2: offer 50, counter 45 after 21 days (90 %); the borrower takes it: not an answer
        Thread(2, "LENDER", (sent(0, "50.00"), ev(21, "counter_offer", monthly=Decimal("45.00")),
                            ev(25, "accepted", monthly=Decimal("45.00"), first_payment=START))),
        # case 3: offer refused after 7 days; an information request after 30 days
        Thread(3, "lender", (sent(0), ev(7, "rejected"), sent(9),
                             ev(39, "info_requested"), sent(40))),
        Thread(3, "Other Bank", (sent(0),)),
    ]
    [lender] = playbook(threads, min_cases=2)
    assert lender.key == "lender" and lender.cases == 3
    assert lender.offers == 6
    # decided: counter (1), accepted (1), counter (2), rejected (3) -> 1 of 4
    assert (lender.decided, lender.accepted, lender.acceptance_rate) == (4, 1, Decimal("25.0"))
    # counters: 60/100 = 60 %, 45/50 = 90 % -> median 75 %
    assert (lender.counters, lender.counter_pct) == (2, Decimal("75.0"))
    # replies after 10, 4, 21, 7, 30 days -> median 10
    assert (lender.replies, lender.reply_days) == (5, Decimal("10.0"))


def test_an_even_number_of_replies_takes_the_mean_of_the_middle_two():
    threads = [Thread(1, "A", (sent(0), ev(3, "rejected"))),
               Thread(2, "A", (sent(0), ev(8, "accepted", monthly=Decimal("100.00"),
                                           first_payment=START)))]
    [a] = playbook(threads, min_cases=2)
    assert a.reply_days == Decimal("5.5")
    assert a.acceptance_rate == Decimal("50.0")
    assert a.counter_pct is None and a.counters == 0


def test_a_counter_offer_to_an_offer_without_a_figure_has_no_percentage():
    threads = [Thread(1, "A", (sent(0, None), ev(3, "counter_offer", monthly=Decimal("10")))),
               Thread(2, "A", (sent(0, "30.00"), ev(3, "counter_offer", monthly=Decimal("10"))))]
    [a] = playbook(threads, min_cases=2)
    assert (a.counters, a.counter_pct) == (1, Decimal("33.3"))


def test_a_creditor_seen_in_fewer_cases_than_the_minimum_is_not_shown():
    threads = [Thread(1, "Solo Bank", (sent(0), ev(5, "rejected"), sent(6),
                                       ev(9, "accepted", monthly=Decimal("1"),
                                          first_payment=START)))]
    assert playbook(threads, min_cases=2) == []
    [solo] = playbook(threads, min_cases=1)
    assert (solo.offers, solo.decided, solo.accepted) == (2, 2, 1)


def test_debts_without_any_record_do_not_count_as_cases():
    threads = [Thread(1, "A", (sent(0),)), Thread(2, "A", ())]
    assert playbook(threads, min_cases=2) == []


def test_the_name_shown_is_the_most_used_spelling():
    threads = [Thread(1, "ACME Ltd", (sent(0),)), Thread(2, "Acme", (sent(0),)),
               Thread(3, "Acme", (sent(0),))]
    [acme] = playbook(threads)
    assert acme.name == "Acme" and acme.acceptance_rate is None and acme.reply_days is None


def test_on_a_tie_the_name_shown_is_not_in_capitals_and_the_shortest():
    threads = [Thread(1, "LOWELL", (sent(0),)), Thread(2, "Lowell Ltd", (sent(0),)),
               Thread(3, "Lowell", (sent(0),))]
    [lowell] = playbook(threads)
    assert lowell.name == "Lowell"
