"""English letters read as a careful person wrote them, and carry what the best
public templates carry (issue 13, items 10 and 11). Checked on the text a
creditor reads: extracted from the rendered HTML, and from the PDF."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest

from tests.letters.support import (
    EXAMPLES,
    TODAY,
    able_to_offer,
    hostile_raw,
    html_text,
    load_raw,
    pdf_text,
    required_extras,
    us_collectors_raw,
    with_lump_sum,
)
from webapp.domain.casefile import parse_case
from webapp.domain.plan import make_plan
from webapp.formatting import format_day, format_money
from webapp.letters import CATALOGUE, render_letter, render_pdf
from webapp.letters.catalogue import locale_for, recipients

#: British spellings that must not reach an American reader.
BRITISH = re.compile(r"\b(neighbours?|honour|towards|instalments?|personalised|licence|"
                     r"fortnightly|favour|organisation|cheque)\b", re.IGNORECASE)


def build(raw: dict):
    case = parse_case(raw)
    return case, make_plan(case)


def text_of(case_plan, debt, key, lang="en", **extras) -> str:
    case, plan = case_plan
    return html_text(render_letter(case, debt, key, lang, today=TODAY, plan=plan, extras=extras))


def body(text: str) -> str:
    """The letter without the addresses and reference (what Parley wrote)."""
    return text.split("Dear Sir or Madam", 1)[1]


# --- 13.10: numbers in words, American spelling and times, real sentences ---------


def test_two_creditors_are_two_creditors_not_all_2_of_them():
    text = text_of(build(with_lump_sum(load_raw("gb-family"))), "vanq", "proposal")
    assert "to share between my two creditors, including you" in text
    assert "all 2 of my creditors" not in text


def test_three_creditors_share_among_them():
    text = text_of(build(hostile_raw()), "x1", "proposal")
    assert "to share among my three creditors, including you" in text
    assert re.search(r"all \d+ of my", text) is None


def test_american_letters_use_american_spelling_and_times():
    us = build(us_collectors_raw())
    contact = text_of(us, "midland", "contact_restrictions")
    assert "before 8 a.m. or after 9 p.m." in contact
    assert "neighbors" in contact and "neighbours" not in contact
    lender = text_of(us, "chase", "contact_restrictions")
    assert "before 8 a.m. or after 9 p.m." in lender and "neighbors" in lender
    british = text_of(build(with_lump_sum(load_raw("gb-family"))), "vanq",
                      "contact_restrictions")
    assert "before 8am or after 9pm" in british and "neighbours" in british


def _english_combos():
    for name, path in EXAMPLES.items():
        jurisdiction = json.loads(path.read_text(encoding="utf-8"))["jurisdiction"]
        if jurisdiction == "GB":
            continue
        for key, row in CATALOGUE.items():
            if jurisdiction in row.jurisdictions:
                yield pytest.param(name, key, id=f"{name}-{key}")


@pytest.mark.parametrize(("name", "key"), list(_english_combos()))
def test_no_british_spelling_in_any_english_letter_to_a_non_british_creditor(
        examples, name, key):
    case, plan = able_to_offer(*examples[name], key)
    given = {"contact_times": "after 6 p.m.", **required_extras("confirmation"),
             **required_extras("counter_proposal")}
    extras = {f.name: given[f.name] for f in CATALOGUE[key].fields if f.name in given}
    for debt, letter in recipients(CATALOGUE[key], case):
        text = body(html_text(render_letter(case, debt.id, letter.key, "en", today=TODAY,
                                            plan=plan, extras=extras)))
        assert BRITISH.search(text) is None, (debt.id, BRITISH.search(text).group())
    statement = html_text(render_letter(case, None, "budget_statement", "en", today=TODAY,
                                        plan=plan))
    assert BRITISH.search(statement) is None


def test_the_american_budget_statement_says_every_two_weeks_not_fortnightly(examples):
    case, plan = examples["us-with-priority"]  # paid fortnightly
    statement = html_text(render_letter(case, None, "budget_statement", "en", today=TODAY,
                                        plan=plan))
    assert "every two weeks" in statement and "fortnightly" not in statement


def test_the_personalised_instalment_letter_in_english_is_spelt_for_its_locale(examples):
    case, plan = examples["cn-credit-cards"]  # English letters to Chinese banks: en_US
    text = html_text(render_letter(case, "icbc", "cn_instalment", "en", today=TODAY, plan=plan))
    assert "Request for a personalized installment plan" in text
    assert "installment" in text and "instalment" not in text


def test_the_third_party_rule_is_a_real_sentence():
    text = text_of(build(us_collectors_raw()), "allied", "contact_restrictions")
    assert "You may contact others only as" not in text
    line = next(x for x in text.splitlines() if "1692b" in x)
    # every sentence of it starts with a capital and ends with a full stop
    for sentence in re.split(r"(?<=\.) (?=[A-Z])", line):
        assert sentence[0].isupper() and sentence.endswith("."), sentence


def test_an_american_pdf_has_the_american_times_and_spelling():
    case, plan = build(us_collectors_raw())
    pdf = pdf_text(render_pdf(render_letter(case, "midland", "contact_restrictions", "en",
                                            today=TODAY, plan=plan)))
    assert "before 8 a.m. or after 9 p.m." in pdf and "neighbors" in pdf


# --- 13.11: what the best public templates carry ---------------------------------


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_budget_statement_lists_every_creditor_with_balance_and_offer(examples, name):
    case, plan = examples[name]
    locale = locale_for("en", case.jurisdiction)
    text = html_text(render_letter(case, None, "budget_statement", "en", today=TODAY, plan=plan))
    offers = next(s for s in plan["strategies"] if s["name"] == "pro_rata")["offers"]
    lines = text.splitlines()
    assert "Balance" in lines[lines.index("Offers to creditors") + 2:][:3]
    for debt in case.non_priority_debts:
        offer = next(o for o in offers if o["debt_id"] == debt.id)
        row = lines[lines.index(debt.creditor, lines.index("Offers to creditors")):][:3]
        assert row == [debt.creditor, format_money(debt.balance, case.currency, locale),
                       format_money(Decimal(offer["monthly"]), case.currency, locale)
                       + " a month"]
    total = sum((d.balance for d in case.non_priority_debts), Decimal(0))
    assert format_money(total, case.currency, locale) in lines[lines.index("Total"):][:3]


def test_the_budget_statement_pdf_lists_the_balances(examples):
    case, plan = examples["gb-family"]
    pdf = pdf_text(render_pdf(render_letter(case, None, "budget_statement", "en", today=TODAY,
                                            plan=plan)))
    offers = pdf.split("Offers to creditors", 1)[1]
    assert "Vanquis £2,150.00 £192.16 a month" in offers
    assert "Klarna £260.00 £23.24 a month" in offers


OFFER_LETTERS = [key for key, row in CATALOGUE.items() if row.makes_offer]


def _offer_combos():
    for name, path in EXAMPLES.items():
        jurisdiction = json.loads(path.read_text(encoding="utf-8"))["jurisdiction"]
        for key in OFFER_LETTERS:
            if jurisdiction in CATALOGUE[key].jurisdictions:
                yield pytest.param(name, key, id=f"{name}-{key}")


@pytest.mark.parametrize(("name", "key"), list(_offer_combos()))
def test_every_offer_letter_gives_a_reply_by_date_and_how_payments_will_be_made(
        examples, name, key):
    case, plan = able_to_offer(*examples[name], key)
    locale = locale_for("en", case.jurisdiction)
    debt = case.non_priority_debts[0]
    extras = required_extras(key)
    text = body(html_text(render_letter(case, debt.id, key, "en", today=TODAY, plan=plan,
                                        extras=extras)))
    if key == "settlement":
        deadline = format_day(TODAY + timedelta(days=21), locale)
        assert f"This offer is open until {deadline}: please reply in writing by then." in text
        assert "in one payment by bank transfer" in text
    else:
        reply_by = format_day(TODAY + timedelta(days=30), locale)
        assert re.search(rf"Please (reply|confirm these terms) in writing by {reply_by}[.,]",
                         text), text
        method = {"GB": "by standing order from my bank account",
                  "US": "by online bill pay from my bank account"}.get(case.jurisdiction,
                                                                       "by bank transfer")
        verb = "continue to pay" if key == "annual_review" else "make the payments"
        assert f"I will {verb} {method}" in text
    if case.jurisdiction == "US":
        assert "I do not authorize you to withdraw money from my bank account yourself." in text


def test_a_settlement_letter_says_where_the_lump_sum_comes_from():
    raw = with_lump_sum(load_raw("gb-family"))
    raw["lump_sum_source"] = "a gift from my parents, which I do not have to repay"
    text = text_of(build(raw), "vanq", "settlement")
    assert "Where the money comes from: a gift from my parents, which I do not have to " \
           "repay." in text
    plain = text_of(build(with_lump_sum(load_raw("gb-family"))), "vanq", "settlement")
    assert "Where the money comes from" not in plain
    assert "The money for this payment is available now." in plain


def test_a_dispute_letter_to_a_debt_buyer_asks_the_debts_age_and_the_buyers_license():
    text = text_of(build(us_collectors_raw()), "midland", "prove_debt")
    assert ("the date of default (or charge-off) and the date of the last payment on the "
            "account, so that I can tell how old the debt is") in text
    assert "whether you are licensed to collect debts in my state and, if you are, your " \
           "license number" in text
    assert "when and from whom you bought the debt" in text


def test_the_offer_letter_pdf_has_the_reply_date_and_payment_method(examples):
    case, plan = examples["gb-family"]
    pdf = pdf_text(render_pdf(render_letter(case, "vanq", "proposal", "en", today=TODAY,
                                            plan=plan)))
    assert ("Please reply in writing by 31 Dec 2026, telling me whether you accept this "
            "offer.") in pdf
    assert "I will make the payments by standing order from my bank account" in pdf


def test_the_budget_statement_counts_the_household_in_words(examples):
    case, plan = examples["us-with-priority"]  # one adult, no children
    text = html_text(render_letter(case, None, "budget_statement", "en", today=TODAY,
                                   plan=plan))
    assert "Household: one adult, no children." in text
    case, plan = examples["gb-family"]
    text = html_text(render_letter(case, None, "budget_statement", "en", today=TODAY,
                                   plan=plan))
    assert "Household: one adult, two children." in text


def test_small_counts_are_words_and_a_single_payment_is_singular(examples):
    case, plan = examples["gb-family"]
    token = text_of(able_to_offer(case, plan, "token"), "vanq", "token")
    assert "starting on 15 Jan 2027, for three months." in token
    raw = with_lump_sum(load_raw("gb-family"))
    raw["income"][0]["amount"] = "2000"  # enough to clear Klarna in one payment
    text = text_of(build(raw), "klarna", "proposal")
    assert "would be repaid in one monthly payment" in text or \
           re.search(r"would be repaid in (two|three|four|five|six|seven|eight|nine|ten) "
                     r"monthly payments", text), text
    assert re.search(r"repaid in [1-9] monthly", text) is None
