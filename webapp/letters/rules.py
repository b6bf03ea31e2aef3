"""The rules letters cite, per jurisdiction, as data.

Templates read these as ``rules.<name>``: a citation in the letter's
language, or a plain fact (a number of days, a time of day). A jurisdiction
without a rule simply lacks the key, and templates only cite what is there.
Sources: ``shared/DOMAIN.md``; re-check a source before changing its wording.

Some laws bind only some holders of a debt: the US Fair Debt Collection
Practices Act and Regulation F bind debt collectors (collection agencies and
debt buyers), not the lender that gave the credit. Such a rule is wrapped in
:class:`ByHolder`; :func:`rules_for` leaves it out of a letter to any other
holder, so a letter to an original creditor cites no FDCPA section at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from webapp.domain.model import Holder


@dataclass(frozen=True)
class Cite:
    """The name of a rule in each language a letter can be written in."""

    en: str
    zh_CN: str

    def in_(self, lang: str) -> str:
        """The citation in ``lang``."""
        return getattr(self, lang)


@dataclass(frozen=True)
class ByHolder:
    """A rule whose value depends on who holds the debt; absent for other holders."""

    values: MappingProxyType[str, Any]

    def for_holder(self, holder: str) -> Any:
        return self.values.get(holder)


#: Who counts as a debt collector under the FDCPA (15 U.S.C. § 1692a(6)): an
#: agency collecting for others, and a buyer whose business is collecting
#: (most debt buyers). The lender collecting its own debt does not.
COLLECTORS = (Holder.COLLECTION_AGENCY.value, Holder.DEBT_BUYER.value)


def _collectors(value: Any) -> ByHolder:
    """A rule that binds debt collectors only."""
    return ByHolder(MappingProxyType({h: value for h in COLLECTORS}))


_RULES: dict[str, dict[str, Any]] = {
    "GB": {
        # FCA CONC 7.3.4R: "forbearance and due consideration" is the rule's own
        # phrase; the example of a likely breach (not allowing affordable
        # payments on a reasonable proposal) is the FCA's guidance on the rule.
        "forbearance": Cite(
            "rule CONC 7.3.4R of the FCA's Consumer Credit sourcebook, which requires you "
            "to treat customers in arrears or default with forbearance and due consideration",
            "英国金融行为监管局《消费信贷规则》CONC 7.3.4R"
            "（应当以宽容和应有的体谅对待拖欠或违约的客户）",
        ),
        "consider_offers": Cite(
            "rule CONC 7.3.4R of the FCA's Consumer Credit sourcebook, which requires you "
            "to treat customers in arrears or default with forbearance and due "
            "consideration. The FCA's guidance on that rule gives, as an example of a likely "
            "breach, a firm that does not allow alternative, affordable payments when the "
            "customer makes a reasonable proposal for repaying the debt",
            "英国金融行为监管局《消费信贷规则》CONC 7.3.4R"
            "（应当以宽容和应有的体谅对待拖欠或违约的客户；该局就此规则发布的指引指出，"
            "客户提出合理还款方案而贷款机构不允许其以可负担的替代金额还款的，很可能违反该规则）",
        ),
        # CONC 7.9 (contact with customers): 7.9.4R unreasonable times and the
        # customer's reasonable requests; unfair disclosure to third parties and
        # reasonable steps so that they do not learn of the debt. No numeric
        # hours: 08:00-21:00 is Parley's reading (shared/CASEFILE.md).
        "contact": Cite(
            "section 7.9 of the FCA's Consumer Credit sourcebook (CONC 7.9) and UK data "
            "protection law",
            "英国金融行为监管局《消费信贷规则》第7.9节（不得在不合理的时间联系客户，"
            "应适当考虑客户对联系时间、地点和方式的合理要求，不得不当地向第三方透露客户的债务信息）"
            "及英国数据保护法",
        ),
        "contact_requests": Cite(
            "Rule CONC 7.9.4R of the FCA's Consumer Credit sourcebook requires you not to "
            "contact me at unreasonable times and to pay due regard to my reasonable requests "
            "about when, where and how I am contacted",
            "英国金融行为监管局《消费信贷规则》CONC 7.9.4R规定，不得在不合理的时间联系客户，"
            "并应适当考虑客户对联系时间、地点和方式的合理要求",
        ),
        "disclosure": Cite(
            "CONC 7.9 also requires you not to disclose information about my debt to anyone "
            "else unfairly, and to take reasonable steps so that others do not become aware "
            "that I am being pursued for a debt; UK data protection law (the UK GDPR and the "
            "Data Protection Act 2018) protects my personal data, including what I owe",
            "《消费信贷规则》第7.9节还规定，不得不当地向第三方透露客户的债务信息，"
            "并应采取合理措施避免第三方知悉客户正被追讨债务；英国数据保护法"
            "（《英国通用数据保护条例》及《2018年数据保护法》）亦保护本人的个人信息，包括本人的债务信息",
        ),
        # Parley's reading of "unreasonable times" (CONC sets no hours): say so.
        "call_hours": ("8:00", "21:00"),
        # CCA s.77 (fixed-sum) and s.78 (running-account): a copy of the executed
        # agreement and a signed statement of the account, for a £1 fee. Not
        # the default notice: that is no part of these sections.
        "prove_debt": Cite(
            "sections 77 and 78 of the Consumer Credit Act 1974",
            "英国《1974年消费信贷法》第77条至第78条",
        ),
        # the statutory fee for a s.77-78 request is £1
        "prove_debt_fee": Decimal("1.00"),
        "prove_debt_fee_currency": "GBP",
        "complaints": Cite("the Financial Ombudsman Service", "英国金融申诉专员服务机构"),
        # settlement offers are marked so they cannot be used as an admission of the debt
        "without_prejudice": Cite("Without prejudice", "无损权益（Without prejudice）"),
        "credit_files": Cite("the credit reference agencies", "各征信机构"),
    },
    "US": {
        # The FDCPA (15 U.S.C. § 1692 ff.) and Regulation F (12 C.F.R. part 1006)
        # bind debt collectors only; see COLLECTORS.
        "prove_debt": _collectors(Cite(
            "the Fair Debt Collection Practices Act, 15 U.S.C. § 1692g",
            "美国《公平债务催收作业法》第1692g条（15 U.S.C. § 1692g）",
        )),
        "dispute_days": _collectors(30),
        "stop_contact": _collectors(
            Cite("15 U.S.C. § 1692c(c)", "美国《公平债务催收作业法》第1692c(c)条")
        ),
        # 1692c(b): no communication about the debt with third parties without
        # consent; 1692b is only the exception for finding the consumer.
        "third_parties": _collectors(Cite(
            "15 U.S.C. § 1692c(b)", "美国《公平债务催收作业法》第1692c(b)条"
        )),
        "locate_only": _collectors(Cite(
            "15 U.S.C. § 1692b", "美国《公平债务催收作业法》第1692b条"
        )),
        # 1692c(a)(1): 8 a.m. to 9 p.m. at the consumer's location, unless the
        # collector knows a time is inconvenient. A request to any other holder.
        "call_hours": ("8:00", "21:00"),
        "call_hours_rule": _collectors(Cite(
            "15 U.S.C. § 1692c(a)(1)", "美国《公平债务催收作业法》第1692c(a)(1)条"
        )),
        # Regulation F: a request not to use a medium must be honored (1006.14(h));
        # more than 7 calls in 7 days, or a call within 7 days of a conversation,
        # is presumed harassment (1006.14(b)(2)).
        "one_channel": _collectors(Cite(
            "12 C.F.R. § 1006.14(h)", "美国《F条例》第1006.14(h)条（12 C.F.R. § 1006.14(h)）"
        )),
        "call_frequency": _collectors(Cite(
            "12 C.F.R. § 1006.14(b)(2)",
            "美国《F条例》第1006.14(b)(2)条（12 C.F.R. § 1006.14(b)(2)）",
        )),
        # Reporting a debt without saying it is disputed: 1692e(8) for collectors;
        # the Fair Credit Reporting Act's duty on anyone who furnishes information.
        "report_disputed": ByHolder(MappingProxyType({
            **{h: Cite("15 U.S.C. § 1692e(8)", "美国《公平债务催收作业法》第1692e(8)条")
               for h in COLLECTORS},
            Holder.ORIGINAL_CREDITOR.value: Cite(
                "15 U.S.C. § 1681s-2(a)(3)", "美国《公平信用报告法》第1681s-2(a)(3)条"
            ),
        })),
        "credit_files": Cite("the credit bureaus", "各征信机构"),
        "complaints": Cite(
            "the Consumer Financial Protection Bureau", "美国消费者金融保护局（CFPB）"
        ),
    },
    "CN": {
        "instalment": Cite(
            "Article 70 of the Measures for the Supervision and Administration of Credit "
            "Card Business of Commercial Banks (2011)",
            "《商业银行信用卡业务监督管理办法》第七十条",
        ),
        # 第七十条: personalised instalments run for at most five years
        "max_instalment_months": 60,
        "collection": Cite(
            "Article 68 of the Measures for the Supervision and Administration of Credit "
            "Card Business of Commercial Banks, which limits collection to the debtor and "
            "guarantor",
            "《商业银行信用卡业务监督管理办法》第六十八条",
        ),
        # 第六十九条: the bank must note and check an objection to its collection
        "collection_objection": Cite(
            "Article 69 of the same Measures, which requires the bank to record and check "
            "an objection to its collection",
            "《商业银行信用卡业务监督管理办法》第六十九条",
        ),
        # the source of the night-time and calls-per-day limits (CASEFILE.md, cn.night,
        # cn.calls_per_day): a national standard, not an industry association's guideline
        "online_collection": Cite(
            "the national standard GB/T 45251-2025 “Internet finance — Personal online "
            "consumer credit — Guidelines for post-loan collection risk control” "
            "(《互联网金融 个人网络消费信贷 贷后催收风控指引》)",
            "《互联网金融 个人网络消费信贷 贷后催收风控指引》（GB/T 45251-2025）",
        ),
        "quiet_hours": ("22:00", "8:00"),
        "max_calls_per_day": 3,
        "credit_dispute": Cite(
            "Article 25 of the Regulation on the Administration of Credit Investigation Industry",
            "《征信业管理条例》第二十五条",
        ),
        "dispute_days": 20,
        "credit_files": Cite(
            "the credit reference system of the People's Bank of China", "中国人民银行征信系统"
        ),
        "complaints": Cite(
            "the financial regulator (complaints hotline 12378)", "金融监管部门（投诉热线12378）"
        ),
    },
    "other": {},
}

RULES: MappingProxyType[str, MappingProxyType[str, Any]] = MappingProxyType(
    {k: MappingProxyType(v) for k, v in _RULES.items()}
)


def rules_for(
    jurisdiction: str, lang: str, holder: str = Holder.ORIGINAL_CREDITOR.value
) -> dict[str, Any]:
    """The rules of ``jurisdiction`` that bind ``holder``, with citations in ``lang``."""
    out = {}
    for name, value in RULES.get(jurisdiction, RULES["other"]).items():
        if isinstance(value, ByHolder):
            value = value.for_holder(str(holder))
            if value is None:
                continue
        out[name] = value.in_(lang) if isinstance(value, Cite) else value
    return out
