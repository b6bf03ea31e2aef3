"""Building a letter's context: the offer to the cent, and every bad input
reported as a ValidationError naming its field."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from tests.letters.support import TODAY, in_deficit, load_raw
from webapp.domain.casefile import parse_case
from webapp.domain.errors import ValidationError
from webapp.domain.model import Holder
from webapp.domain.plan import make_plan
from webapp.letters import build_context


def paths(exc: pytest.ExceptionInfo) -> list[str]:
    return [e.path for e in exc.value.errors]


def test_proposal_carries_the_pro_rata_offer_as_decimal(examples):
    case, plan = examples["gb-family"]
    ctx = build_context(case, "vanq", "proposal", "en", today=TODAY, plan=plan)
    assert ctx.offer.monthly == Decimal("192.16")
    assert ctx.offer.strategy == "pro_rata"
    assert ctx.offer.first_date == case.start_date
    assert ctx.locale == "en_GB"
    assert [line.monthly for line in ctx.offers] == [Decimal("192.16"), Decimal("23.24")]


def test_proposal_may_carry_the_term_extension_offer(examples):
    case, plan = examples["gb-family"]
    ctx = build_context(
        case, "vanq", "proposal", "en", today=TODAY, plan=plan, strategy="term_extension"
    )
    assert ctx.offer.monthly == Decimal("179.17")
    assert ctx.offer.instalments == 12


def test_token_offer_has_its_review_date(examples):
    # token payments only in deficit (issue 14.4); in China ¥100 by default (13.7)
    case, plan = in_deficit(examples["cn-credit-cards"][0])
    ctx = build_context(case, "icbc", "token", "zh_CN", today=TODAY, plan=plan)
    assert ctx.offer.monthly == Decimal("100.00")
    assert ctx.offer.review_date == date(2027, 6, 30)
    assert ctx.offer.review_months == 3


def test_settlement_offer_is_the_lump_sum_share(examples):
    case, plan = examples["us-with-priority"]
    ctx = build_context(case, "amex", "settlement", "en", today=TODAY, plan=plan)
    assert ctx.offer.amount == Decimal("631.03") and ctx.offer.percent == Decimal("10.34")
    assert ctx.extras["deadline"] == TODAY + timedelta(days=21)


def test_cn_instalment_reads_the_schedule_to_the_last_instalment(examples):
    case, plan = examples["cn-credit-cards"]
    ctx = build_context(case, "icbc", "cn_instalment", "zh_CN", today=TODAY, plan=plan)
    o = ctx.offer
    assert (o.monthly, o.instalments, o.last_amount) == (Decimal("2923.08"), 13, Decimal("2923.04"))
    assert o.monthly * (o.instalments - 1) + o.last_amount == Decimal("38000.00")


def test_cn_instalment_refuses_a_term_beyond_sixty_months():
    raw = load_raw("cn-credit-cards")
    raw["debts"][0]["balance"] = "380000"
    case = parse_case(raw)
    plan = make_plan(case)
    with pytest.raises(ValidationError) as exc:
        build_context(
            case, "icbc", "cn_instalment", "zh_CN", today=TODAY, plan=plan, strategy="pro_rata"
        )
    assert paths(exc) == ["strategy"] and "60 months" in str(exc.value)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"letter_key": "grovel"}, ["type"]),
        ({"lang": "fr"}, ["lang"]),
        ({"lang": "fr", "letter_key": "grovel"}, ["type", "lang"]),
        ({"letter_key": "cn_instalment"}, ["type"]),
        ({"debt_id": "nope"}, ["debt"]),
        ({"debt_id": "energy"}, ["debt"]),  # a priority debt gets no offer
        ({"strategy": "token"}, ["strategy"]),  # a proposal does not carry token offers
        ({"strategy": "settlement", "letter_key": "settlement"}, ["strategy"]),  # infeasible
        ({"plan": None}, ["plan"]),
        ({"extras": {"colour": "red"}}, ["extras.colour"]),
        ({"letter_key": "hold", "extras": {"offer_by": "31/01/2027"}}, ["extras.offer_by"]),
        ({"letter_key": "hold", "extras": {"offer_by": 7}}, ["extras.offer_by"]),
        ({"letter_key": "confirmation"}, ["extras.call_date"]),
    ],
)
def test_bad_input_names_the_field(kwargs, expected):
    case = parse_case(load_raw("gb-family"))  # no lump sum: settlement is infeasible
    args = {"debt_id": "vanq", "letter_key": "proposal", "lang": "en", "plan": make_plan(case)}
    args.update(kwargs)
    with pytest.raises(ValidationError) as exc:
        build_context(
            case,
            args.pop("debt_id"),
            args.pop("letter_key"),
            args.pop("lang"),
            today=TODAY,
            **args,
        )
    assert paths(exc) == expected


def test_letters_without_an_offer_need_no_plan(examples):
    case, _ = examples["us-with-priority"]
    ctx = build_context(case, "sofi", "prove_debt", "en", today=TODAY)
    assert ctx.offer is None and ctx.offers == ()
    # SoFi is the original creditor: the FDCPA's 30 days are not its rule.
    assert "dispute_days" not in ctx.rules
    bought = replace(case, debts=tuple(
        replace(d, holder=Holder.DEBT_BUYER) if d.id == "sofi" else d for d in case.debts))
    ctx = build_context(bought, "sofi", "prove_debt", "en", today=TODAY)
    assert ctx.rules["dispute_days"] == 30 and ctx.holder == "debt_buyer"


def test_a_single_strategy_dict_is_accepted_as_the_plan(examples):
    case, plan = in_deficit(examples["gb-family"][0])
    token = next(s for s in plan["strategies"] if s["name"] == "token")
    ctx = build_context(case, "klarna", "token", "en", today=TODAY, plan=token)
    assert ctx.offer.monthly == Decimal("1.00")


def test_an_instalment_calendar_rounds_the_count_up_and_ends_with_the_remainder():
    """Decimal's // truncates towards zero, so -(-a // b) was a floor: 1300 at 150 a
    month came out as 8 payments, the last of 250.00 (more than the monthly offer)."""
    from datetime import date
    from decimal import Decimal

    from webapp.letters.offers import _calendar

    rows = _calendar(Decimal("1300.00"), Decimal("150.00"), date(2027, 1, 31))
    assert len(rows) == 9
    assert rows[-1] == (date(2027, 9, 30), Decimal("100.00"))
    assert sum(amount for _day, amount in rows) == Decimal("1300.00")
