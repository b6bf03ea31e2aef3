"""The letter catalogue: one row per letter type, as data.

Adding a letter means adding a row here and a template per language under
``templates/letters/<lang>/<key>.html``. A template may be specialised for one
jurisdiction as ``<key>.<JURISDICTION>.html`` (``prove_debt.US.html``); the
renderer picks the most specific file that exists, so the law that differs
lives in templates and in ``rules.py``, never in ``if`` statements here.

Within a jurisdiction the law can also differ by who holds the debt
(``Debt.holder``): ``rules.py`` gives a letter only the rules that bind its
recipient. Every letter type is offered for every holder: a US lender gets the
proof-of-debt and contact letters too, as a plain request for the account's
details and a statement of contact preferences, with no FDCPA citation (the
Act binds collectors and debt buyers, not the lender). Letters go to every
creditor of a proposal at once, and a request still has value where no
statute compels an answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from webapp.domain.contacts import evaluate
from webapp.domain.model import JURISDICTIONS, Case, Debt

#: Languages a letter can be written in, with the Babel locale for each
#: jurisdiction. English letters to British creditors use British conventions
#: (``15 Jan 2027``); every other English letter uses American ones.
LANGUAGES: dict[str, dict[str, str]] = {
    "en": {"GB": "en_GB", "US": "en_US", "CN": "en_US", "other": "en_US"},
    "zh_CN": {"GB": "zh_CN", "US": "zh_CN", "CN": "zh_CN", "other": "zh_CN"},
}

#: The language a jurisdiction's letters are written in by default.
DEFAULT_LANGUAGE: dict[str, str] = {"CN": "zh_CN"}

#: Output formats the renderer and the CLI know.
FORMATS = ("html", "pdf", "docx")


class FieldKind(StrEnum):
    """How an extra field given by the user is parsed."""

    #: an ISO date (``2027-02-14``)
    DATE = "date"
    #: free text, escaped when rendered
    TEXT = "text"
    #: any of a fixed set of keys (``Field.choices``), given as a list or comma-separated
    CHOICES = "choices"
    #: yes or no (``True``/``False``, or "yes"/"no", "true"/"false", "1"/"0")
    FLAG = "flag"
    #: an amount ≥ 0 (a decimal string such as ``"120.50"``), to the cent
    MONEY = "money"
    #: whose collection contacts the letter's evidence table lists: a debt id or a
    #: collector's name, as the contact log counts callers (``Contact.caller``)
    CALLER = "caller"


@dataclass(frozen=True)
class Field:
    """An extra value a letter needs beyond the case and the plan.

    ``default_days`` gives a date field a default of *today + n days*, so the
    letter still works when the user has not chosen one yet.
    """

    name: str
    kind: FieldKind = FieldKind.TEXT
    required: bool = False
    default_days: int | None = None
    #: the keys a CHOICES field accepts
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class LetterType:
    """One row of the catalogue."""

    key: str
    title: dict[str, str]
    jurisdictions: tuple[str, ...] = JURISDICTIONS
    #: the strategy whose offer the letter carries; None: the letter offers nothing
    strategy: str | None = None
    #: strategies the user may choose instead of ``strategy``
    alternatives: tuple[str, ...] = ()
    fields: tuple[Field, ...] = ()
    #: template name without language and extension; defaults to ``key``
    template: str = ""
    #: a rule (``rules.py``) capping how many monthly instalments the offer may have
    term_limit: str = ""
    #: the kinds of debt the letter may go to (empty: any)
    kinds: tuple[str, ...] = ()
    #: the letter a set sends instead to a debt outside ``kinds``
    instead: str = ""
    #: True: written to the priority creditors (rent, council tax, energy), not the others
    priority: bool = False
    #: the days the letter gives for a reply, instead of the case's ``reply_days``
    reply_days: int | None = None
    #: True: it answers one creditor's reply, so it is written to that creditor
    #: alone (from the creditor's page), never to every creditor at once
    one_at_a_time: bool = False
    #: True: its figures come from the negotiation record and its re-plan, so the
    #: creditor's page writes it; the letters page does not offer it
    from_record: bool = False
    #: True: written from the collection-contact log, with the table of one caller's
    #: contacts that break a rule (it needs one); never part of a proposal's set
    evidence: bool = False
    #: the kinds of rule (``letters.evidence.topic``) its table lists first; when
    #: none of those is broken, every rule broken (empty: every rule)
    evidence_topics: tuple[str, ...] = ()
    #: True: addressed to the regulator or ombudsman, about the creditor
    to_regulator: bool = False

    @property
    def makes_offer(self) -> bool:
        """Letters that carry a strategy's offer (they need a plan)."""
        return self.strategy is not None

    @property
    def with_statement(self) -> bool:
        """Letters that ask for an arrangement go out with the budget statement attached."""
        return self.makes_offer or self.priority

    def fits(self, kind: str) -> bool:
        """Whether the letter may go to a debt of ``kind``."""
        return not self.kinds or str(kind) in self.kinds

    @property
    def template_name(self) -> str:
        return self.template or self.key

    def allows(self, strategy: str) -> bool:
        """Whether this letter can carry the offers of ``strategy``."""
        return strategy == self.strategy or strategy in self.alternatives


_CIRCUMSTANCES = Field("circumstances")
_CALLER = Field("caller", FieldKind.CALLER)
#: Proof of hardship the borrower may enclose, with its name in each language.
PROOFS: dict[str, dict[str, str]] = {
    "unemployment": {"en": "proof of unemployment", "zh_CN": "失业证明"},
    "diagnosis": {"en": "a medical diagnosis", "zh_CN": "诊断书"},
    "bank_statements": {"en": "bank statements", "zh_CN": "银行流水"},
}
_PROOFS = Field("proofs", FieldKind.CHOICES, choices=tuple(PROOFS))
#: Ask the creditor to waive the interest and charges already added (the borrower's choice).
_WAIVE = Field("waive_charges", FieldKind.FLAG)
#: Plans that pay every creditor each month; a letter proposing monthly
#: payments may carry any of them.
_MONTHLY = ("pro_rata", "term_extension", "avalanche", "snowball")

CATALOGUE: dict[str, LetterType] = {
    row.key: row
    for row in (
        LetterType(
            "hold",
            {"en": "Request to hold collection", "zh_CN": "暂缓催收申请"},
            fields=(
                Field("offer_by", FieldKind.DATE, True, 28), _CIRCUMSTANCES, _PROOFS, _WAIVE
            ),
        ),
        LetterType(
            "proposal",
            {"en": "Offer of payment", "zh_CN": "还款方案申请"},
            strategy="pro_rata",
            alternatives=_MONTHLY,
            fields=(_CIRCUMSTANCES, _PROOFS, _WAIVE),
        ),
        LetterType(
            "cn_instalment",
            {"en": "Request for a personalised instalment plan", "zh_CN": "个性化分期还款申请"},
            jurisdictions=("CN",),
            strategy="term_extension",
            alternatives=_MONTHLY,
            fields=(_CIRCUMSTANCES, _PROOFS, _WAIVE),
            term_limit="max_instalment_months",
            # 第七十条 is a rule of the credit-card Measures: other debts get a proposal
            kinds=("credit_card",),
            instead="proposal",
        ),
        LetterType(
            "token",
            {"en": "Token payment offer", "zh_CN": "暂缓期小额还款申请"},
            strategy="token",
            fields=(Field("reason"), _PROOFS, _WAIVE),
        ),
        LetterType(
            "settlement",
            {"en": "Full and final settlement offer", "zh_CN": "一次性结清申请"},
            strategy="settlement",
            # below_floor: the user insisted on offering less than the settlement
            # floor (issue 12); recorded with the letter, written nowhere in it
            fields=(Field("deadline", FieldKind.DATE, True, 21), _CIRCUMSTANCES,
                    Field("below_floor", FieldKind.FLAG)),
        ),
        LetterType(
            "reconsider",
            {"en": "Please reconsider my offer", "zh_CN": "请求重新考虑还款方案"},
            strategy="pro_rata",
            alternatives=_MONTHLY,
            fields=(Field("refused_on", FieldKind.DATE), _CIRCUMSTANCES, _PROOFS, _WAIVE),
        ),
        LetterType(
            "prove_debt",
            {"en": "Request for proof of the debt", "zh_CN": "债务核实申请"},
            jurisdictions=("GB", "US", "CN"),
            fields=(Field("dispute"),),
        ),
        LetterType(
            "contact_restrictions",
            {"en": "How you may contact me", "zh_CN": "规范催收联系方式的要求"},
            # with a caller (written from the contact log): the night-time and
            # third-party contacts it answers, in a table
            fields=(Field("contact_times"), _CALLER),
            evidence_topics=("time", "third_party"),
        ),
        LetterType(
            "confirmation",
            {"en": "Confirmation of our agreement", "zh_CN": "电话协商结果书面确认"},
            strategy="pro_rata",
            alternatives=(*_MONTHLY, "token"),
            fields=(Field("call_date", FieldKind.DATE, True), Field("agent")),
        ),
        LetterType(
            "annual_review",
            {"en": "Annual review of my payment arrangement", "zh_CN": "还款安排年度复核"},
            strategy="pro_rata",
            alternatives=_MONTHLY,
            fields=(Field("arrangement_since", FieldKind.DATE), _CIRCUMSTANCES),
        ),
        # The next letters of a negotiation (issue 8): each follows a status.
        LetterType(
            "follow_up",
            {"en": "Reminder: my offer is waiting for your reply", "zh_CN": "还款方案回复催询函"},
            # the date the offer went out: from the negotiation record when there is one
            fields=(Field("sent_on", FieldKind.DATE),),
            reply_days=14,
            one_at_a_time=True,
        ),
        LetterType(
            "information",
            {"en": "The information you asked for", "zh_CN": "补充材料说明函"},
            fields=(Field("documents"), _PROOFS),
            one_at_a_time=True,
        ),
        LetterType(
            "complaint",
            {"en": "Formal complaint", "zh_CN": "正式投诉函"},
            fields=(Field("refused_on", FieldKind.DATE), _CIRCUMSTANCES),
            one_at_a_time=True,
        ),
        LetterType(
            "counter_proposal",
            {"en": "My answer to your counter-offer", "zh_CN": "关于贵方还款金额提议的回复"},
            # the figures of the negotiation and its re-plan, from the creditor's page
            fields=(
                Field("countered_on", FieldKind.DATE),
                Field("their_monthly", FieldKind.MONEY, True),
                Field("counter_monthly", FieldKind.MONEY, True),
                Field("offered_monthly", FieldKind.MONEY),
                Field("available", FieldKind.MONEY),
                Field("shortfall", FieldKind.MONEY),
                Field("others_left", FieldKind.MONEY),
            ),
            one_at_a_time=True,
            from_record=True,
        ),
        LetterType(
            "write_off",
            {"en": "Request to write off the debt", "zh_CN": "债务核销（减免）申请"},
            fields=(_CIRCUMSTANCES, _PROOFS),
        ),
        # Written from the contact log (issue 9): the evidence table is part of the letter.
        LetterType(
            "contact_complaint",
            {"en": "Complaint about how you are collecting this debt",
             "zh_CN": "关于违规催收行为的投诉函"},
            fields=(_CALLER,),
            one_at_a_time=True,
            evidence=True,
        ),
        LetterType(
            "regulator_complaint",
            {"en": "Complaint about debt collection", "zh_CN": "关于违规催收行为的投诉"},
            jurisdictions=("CN", "US", "GB"),
            # the day the borrower complained to the firm, and its final response (the
            # UK ombudsman needs one of them); China: which regulator (``regulators.py``)
            fields=(_CALLER, Field("complained_on", FieldKind.DATE),
                    Field("final_response_on", FieldKind.DATE), Field("route")),
            one_at_a_time=True,
            evidence=True,
            to_regulator=True,
        ),
        LetterType(
            "priority_arrears",
            {"en": "Arrangement to pay the arrears", "zh_CN": "欠费分期补缴申请"},
            fields=(_CIRCUMSTANCES, _PROOFS),
            # the council, the landlord, the energy or water supplier (DOMAIN.md)
            kinds=("council_tax", "rent_arrears", "utility"),
            priority=True,
        ),
    )
}

#: The budget statement is a document of its own, sent with every offer.
BUDGET_STATEMENT = LetterType(
    "budget_statement", {"en": "Budget statement", "zh_CN": "家庭收支情况说明"}
)


@dataclass(frozen=True)
class Conventions:
    """How a letter opens and closes in one locale."""

    salutation: str
    closing: tuple[str, ...]
    signature_label: str = ""


#: Opening and closing formulas per locale. Chinese letters address the
#: creditor by name (``致…：``) in the template, so ``salutation`` is empty.
CONVENTIONS: dict[str, Conventions] = {
    "en_GB": Conventions("Dear Sir or Madam,", ("Yours faithfully,",)),
    "en_US": Conventions("Dear Sir or Madam:", ("Sincerely,",)),
    "zh_CN": Conventions("", ("此致", "敬礼"), "申请人"),
}

#: Spending groups of the budget statement, in the Standard Financial
#: Statement's order, with their names per language.
CATEGORY_LABELS: dict[str, dict[str, str]] = {
    "housing": {"en": "Home", "zh_CN": "住房"},
    "utilities": {"en": "Utilities", "zh_CN": "水电燃气"},
    "food": {"en": "Food and housekeeping", "zh_CN": "伙食及日用"},
    "transport": {"en": "Travel and transport", "zh_CN": "交通"},
    "school": {"en": "School and childcare", "zh_CN": "子女教育及托育"},
    "care_health": {"en": "Care and health", "zh_CN": "医疗及照护"},
    "insurance": {"en": "Pensions and insurance", "zh_CN": "保险及养老金"},
    "communications": {"en": "Communications and leisure", "zh_CN": "通讯及休闲"},
    "personal": {"en": "Personal costs", "zh_CN": "个人开支"},
    "other": {"en": "Other", "zh_CN": "其他"},
}

#: Payment frequencies as the budget statement names them.
FREQUENCY_LABELS: dict[str, dict[str, str]] = {
    "weekly": {"en": "weekly", "zh_CN": "每周"},
    "fortnightly": {"en": "fortnightly", "zh_CN": "每两周"},
    "four_weekly": {"en": "every four weeks", "zh_CN": "每四周"},
    "monthly": {"en": "monthly", "zh_CN": "每月"},
    "quarterly": {"en": "quarterly", "zh_CN": "每季度"},
    "yearly": {"en": "yearly", "zh_CN": "每年"},
}


#: Kinds of debt as the budget statement names them (priority debts are listed).
KIND_LABELS: dict[str, dict[str, str]] = {
    "mortgage": {"en": "Mortgage", "zh_CN": "房屋按揭贷款"},
    "secured_loan": {"en": "Secured loan", "zh_CN": "抵押贷款"},
    "rent_arrears": {"en": "Rent arrears", "zh_CN": "拖欠房租"},
    "council_tax": {"en": "Council tax", "zh_CN": "市政税"},
    "utility": {"en": "Energy and water", "zh_CN": "水电燃气欠费"},
    "tax": {"en": "Tax", "zh_CN": "税款"},
    "child_support": {"en": "Child support", "zh_CN": "子女抚养费"},
    "credit_card": {"en": "Credit card", "zh_CN": "信用卡"},
    "personal_loan": {"en": "Personal loan", "zh_CN": "个人贷款"},
    "online_loan": {"en": "Online loan", "zh_CN": "网络贷款"},
    "bnpl": {"en": "Buy now, pay later", "zh_CN": "先买后付"},
    "overdraft": {"en": "Overdraft", "zh_CN": "透支"},
    "other": {"en": "Other", "zh_CN": "其他"},
}

#: What the borrower should do with every letter: advice for them, never
#: printed in the letter itself.
BORROWER_NOTE: dict[str, str] = {
    "en": "Keep a copy of every letter you send, and proof of posting or sending.",
    "zh_CN": "请保留所寄信件的副本及邮寄、发送凭证。",
}


def letter_type(key: str) -> LetterType:
    """The catalogue row for ``key`` (KeyError if there is none)."""
    if key == BUDGET_STATEMENT.key:
        return BUDGET_STATEMENT
    return CATALOGUE[key]


def recipients(letter: LetterType, case: Case) -> list[tuple[Debt, LetterType]]:
    """Who a set of ``letter`` goes to, and the letter each one gets.

    Offer letters go to every non-priority creditor with a balance; a priority
    letter to every priority creditor of its kinds with a balance. A debt outside
    the letter's kinds gets the letter named by ``instead`` (a 个性化分期 set
    writes an ordinary proposal to an online lender), or nothing.
    """
    if letter.evidence:
        return _complained_of(letter, case)
    debts = case.priority_debts if letter.priority else case.non_priority_debts
    out = []
    for debt in debts:
        if debt.balance <= 0:
            continue
        if letter.fits(debt.kind):
            out.append((debt, letter))
        elif letter.instead:
            out.append((debt, CATALOGUE[letter.instead]))
    return out


def _complained_of(letter: LetterType, case: Case) -> list[tuple[Debt, LetterType]]:
    """An evidence letter goes to each debt whose own contacts (logged with its
    id) break a rule of the case's jurisdiction, priority debts included."""
    if case.jurisdiction not in letter.jurisdictions:
        return []
    callers = {case.contacts[i].caller for i, _rule in evaluate(case.jurisdiction, case.contacts)}
    return [(d, letter) for d in case.debts if d.id in callers]


def default_language(case_language: str, jurisdiction: str) -> str:
    """The language to write in when none is chosen: the case's, else the jurisdiction's."""
    wanted = case_language.replace("-", "_").lower()
    for lang in LANGUAGES:
        if wanted and (wanted == lang.lower() or lang.lower().startswith(wanted)):
            return lang
    return DEFAULT_LANGUAGE.get(jurisdiction, "en")


def locale_for(lang: str, jurisdiction: str) -> str:
    """The Babel locale a letter in ``lang`` to a creditor in ``jurisdiction`` uses."""
    return LANGUAGES[lang].get(jurisdiction, LANGUAGES[lang]["other"])
