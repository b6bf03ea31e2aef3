"""The rules letters cite, per jurisdiction, as data.

Templates read these as ``rules.<name>``: a citation in the letter's
language, or a plain fact (a number of days, a time of day). A jurisdiction
without a rule simply lacks the key, and templates only cite what is there.
Sources: ``shared/DOMAIN.md``; re-check a source before changing its wording.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True)
class Cite:
    """The name of a rule in each language a letter can be written in."""

    en: str
    zh_CN: str

    def in_(self, lang: str) -> str:
        """The citation in ``lang``."""
        return getattr(self, lang)


_RULES: dict[str, dict[str, Any]] = {
    "GB": {
        # FCA CONC 7.3.4R: firms must consider reasonable offers (refusing one can breach it)
        "consider_offers": Cite(
            "rule CONC 7.3.4R of the FCA's Consumer Credit sourcebook, which requires you "
            "to consider a reasonable offer of repayment",
            "英国金融行为监管局《消费信贷规则》CONC 7.3.4R（贷款机构应当考虑合理的还款方案）",
        ),
        "forbearance": Cite(
            "the forbearance rules in chapter 7 of the FCA's Consumer Credit sourcebook (CONC 7)",
            "英国金融行为监管局《消费信贷规则》第七章关于宽容处理的规定",
        ),
        "contact": Cite(
            "chapter 7 of the FCA's Consumer Credit sourcebook (CONC 7), which forbids "
            "oppressive collection and contact with third parties about my debt",
            "英国金融行为监管局《消费信贷规则》第七章（禁止不当催收及向第三方透露债务）",
        ),
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
        "prove_debt": Cite(
            "the Fair Debt Collection Practices Act, 15 U.S.C. § 1692g",
            "美国《公平债务催收作业法》第1692g条（15 U.S.C. § 1692g）",
        ),
        "dispute_days": 30,
        "stop_contact": Cite("15 U.S.C. § 1692c(c)", "美国《公平债务催收作业法》第1692c(c)条"),
        "third_parties": Cite(
            "15 U.S.C. § 1692b, which allows you to contact others only to locate me",
            "美国《公平债务催收作业法》第1692b条（仅为查找债务人下落方可联系第三方）",
        ),
        "call_hours": ("8:00", "21:00"),
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


def rules_for(jurisdiction: str, lang: str) -> dict[str, Any]:
    """The rules of ``jurisdiction`` with citations already in ``lang``."""
    return {
        name: value.in_(lang) if isinstance(value, Cite) else value
        for name, value in RULES.get(jurisdiction, RULES["other"]).items()
    }
