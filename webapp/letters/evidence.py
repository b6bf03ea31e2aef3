"""The contact log as a letter's evidence, in the letter's language.

Which contacts break which rule is the domain's business
(``webapp.domain.contacts``, one table per jurisdiction); this module words
it for a letter: each contact of one caller that breaks a rule (its local
date-time with the UTC offset, how, whom, which rule), and each rule broken in
plain words with where it comes from and what kind of rule it is.

The sources were re-checked for issue 9 against shared/DOMAIN.md: China's
night-time, calls-a-day and contacts rules for online lending come from the
national standard GB/T 45251-2025, a *recommended* standard (GB/T), not a law,
and the letters say so; Article 68 of the credit-card Measures binds banks and
is cited for credit cards only; the US rules bind debt collectors (a lender
collecting its own debt is told so); the UK's CONC 7.9.4R names no hours (the
hours are the borrower's, and the letters say so) and a contact with a third
party is something to check, not a proven breach.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from webapp.domain.contact_summary import flagged_contacts
from webapp.domain.contacts import RULES_BY_ID, OutsideHours, ThirdParty
from webapp.domain.errors import FieldError
from webapp.domain.model import Case, Debt

from .rules import COLLECTORS, Cite

if TYPE_CHECKING:
    from .catalogue import LetterType

_GBT_EN = ("China's national standard GB/T 45251-2025, “Internet finance — Personal online "
           "consumer credit — Guidelines for post-loan collection risk control” "
           "(《互联网金融 个人网络消费信贷 贷后催收风控指引》)")
_GBT_ZH = "国家标准《互联网金融 个人网络消费信贷 贷后催收风控指引》（GB/T 45251-2025）"
_NOT_LAW_EN = "It is a recommended national standard, not a law or regulation."
_NOT_LAW_ZH = "该标准为推荐性国家标准，不是法律或行政法规。"
_PRESUMED_EN = "Such calls are presumed to be harassment unless the collector shows otherwise."
_PRESUMED_ZH = "此类致电推定构成骚扰，除非催收人能证明并非如此。"


@dataclass(frozen=True)
class RuleWords:
    """A rule as a letter puts it: in plain words, the short citation for the
    table, and the source with what kind of rule it is."""

    name: Cite
    short: Cite
    source: Cite
    #: the source for a debt other than a credit card, where it differs
    source_not_card: Cite | None = None


RULE_WORDS: dict[str, RuleWords] = {
    "cn.night": RuleWords(
        Cite("Contact between 10 p.m. and 8 a.m.", "在晚22:00至次日早8:00之间催收"),
        Cite("GB/T 45251-2025", "GB/T 45251-2025"),
        Cite(f"{_GBT_EN}: unless agreed with the debtor, collection should not take place "
             f"between 22:00 and 8:00. {_NOT_LAW_EN}",
             f"{_GBT_ZH}：双方未约定催收时间的，不应在每日22:00至次日8:00催收。{_NOT_LAW_ZH}"),
    ),
    "cn.calls_per_day": RuleWords(
        Cite("More than three answered collection calls in one day",
             "同一天接通的催收电话超过3次"),
        Cite("GB/T 45251-2025", "GB/T 45251-2025"),
        Cite(f"{_GBT_EN}: a lender and the collection agencies working for it should together "
             f"make no more than three connected calls a day to one debtor. {_NOT_LAW_EN}",
             f"{_GBT_ZH}：同一金融机构及其委托的第三方催收机构每日与单一债务人接通的催收电话"
             f"合计不应超过3次。{_NOT_LAW_ZH}"),
    ),
    "cn.third_party": RuleWords(
        Cite("Contact with someone other than me", "联系本人以外的其他人"),
        Cite("Art. 68; GB/T 45251-2025", "第六十八条；GB/T 45251-2025"),
        Cite("Article 68 of the Measures for the Supervision and Administration of Credit Card "
             "Business of Commercial Banks (2011), a regulation that binds banks: a bank may "
             "collect only from the debtor and the guarantor, never from unrelated third "
             f"parties. {_GBT_EN} says the same for online lending (collect only from the "
             "debtor, never from the people in their contacts); that standard is a recommended "
             "national standard, not a law.",
             "《商业银行信用卡业务监督管理办法》（2011年）第六十八条（银行业监管部门规章，对商业银行"
             "有约束力）：催收对象仅限债务人及担保人，不得对与债务无关的第三人进行催收。"
             f"{_GBT_ZH}亦规定只应向债务人催收，不应向联系人催收（该标准为推荐性国家标准，"
             "不是法律）。"),
        Cite(f"{_GBT_EN}: collect only from the debtor, never from the people in their "
             f"contacts. {_NOT_LAW_EN}",
             f"{_GBT_ZH}：只应向债务人催收，不应向联系人催收。{_NOT_LAW_ZH}"),
    ),
    "us.time": RuleWords(
        Cite("Contact before 8 a.m. or after 9 p.m., my local time",
             "在本人当地时间早8点前或晚9点后联系"),
        Cite("15 U.S.C. § 1692c(a)(1)", "15 U.S.C. § 1692c(a)(1)"),
        Cite("the Fair Debt Collection Practices Act, 15 U.S.C. § 1692c(a)(1), a federal "
             "statute: a debt collector may not contact a consumer before 8 a.m. or after "
             "9 p.m. local time.",
             "美国《公平债务催收作业法》第1692c(a)(1)条（联邦法律）：债务催收人不得在消费者"
             "当地时间早8点前或晚9点后与其联系。"),
    ),
    "us.7in7": RuleWords(
        Cite("More than seven calls within seven days", "连续七天内致电超过七次"),
        Cite("12 C.F.R. § 1006.14(b)(2)(i)(A)", "12 C.F.R. § 1006.14(b)(2)(i)(A)"),
        Cite("Regulation F, 12 C.F.R. § 1006.14(b)(2)(i)(A), a federal regulation under the "
             "Fair Debt Collection Practices Act: a debt collector calling about a debt more "
             f"than seven times within seven consecutive days. {_PRESUMED_EN}",
             "美国《F条例》第1006.14(b)(2)(i)(A)条（依《公平债务催收作业法》制定的联邦法规）："
             f"债务催收人就同一笔债务在连续七天内致电超过七次。{_PRESUMED_ZH}"),
    ),
    "us.after_conversation": RuleWords(
        Cite("A call within seven days after a telephone conversation",
             "通话后七天内再次致电"),
        Cite("12 C.F.R. § 1006.14(b)(2)(i)(B)", "12 C.F.R. § 1006.14(b)(2)(i)(B)"),
        Cite("Regulation F, 12 C.F.R. § 1006.14(b)(2)(i)(B), a federal regulation under the "
             "Fair Debt Collection Practices Act: a debt collector calling within seven days "
             f"after a telephone conversation with the consumer about the debt. {_PRESUMED_EN}",
             "美国《F条例》第1006.14(b)(2)(i)(B)条（依《公平债务催收作业法》制定的联邦法规）："
             f"债务催收人在与消费者就该债务通话后七天内再次致电。{_PRESUMED_ZH}"),
    ),
    "us.third_party": RuleWords(
        Cite("Contact with someone other than me", "联系本人以外的其他人"),
        Cite("15 U.S.C. § 1692c(b)", "15 U.S.C. § 1692c(b)"),
        Cite("the Fair Debt Collection Practices Act, 15 U.S.C. § 1692c(b), a federal statute: "
             "without the consumer's consent a debt collector may not communicate with anyone "
             "else about the debt; 15 U.S.C. § 1692b allows contact with others only to find "
             "out where the consumer lives or works.",
             "美国《公平债务催收作业法》第1692c(b)条（联邦法律）：未经消费者同意，债务催收人"
             "不得就该债务与其他任何人联系；第1692b条仅允许为查找消费者的住址或工作地点而联系他人。"),
    ),
    "gb.time": RuleWords(
        Cite("Contact before 8 a.m. or after 9 p.m.", "早8点前或晚9点后联系"),
        Cite("CONC 7.9.4R", "CONC 7.9.4R"),
        Cite("FCA rule CONC 7.9.4R: a firm must not contact a customer at unreasonable "
             "times. The rule names no hours: before 8 a.m. and after 9 p.m. are the times I "
             "regard as unreasonable.",
             "英国金融行为监管局《消费信贷规则》CONC 7.9.4R：不得在不合理的时间联系客户。该规则"
             "未规定具体时段；早8点前、晚9点后是本人认为不合理的时间。"),
    ),
    "gb.third_party": RuleWords(
        Cite("Contact with someone other than me", "联系本人以外的其他人"),
        Cite("CONC 7.9; UK GDPR", "CONC 7.9；英国数据保护法"),
        Cite("the FCA rules in CONC 7.9 and UK data protection law (the UK GDPR and the Data "
             "Protection Act 2018): a firm must not disclose a customer's debt to others "
             "unfairly. Whether these contacts did so depends on what was said: I ask you to "
             "check.",
             "英国金融行为监管局《消费信贷规则》第7.9节及英国数据保护法（《英国通用数据保护条例》"
             "及《2018年数据保护法》）：不得不当地向他人透露客户的债务信息。上述联系是否构成"
             "不当透露，取决于对方所说的内容，请贵方核查。"),
    ),
}

CHANNELS: dict[str, Cite] = {
    "call": Cite("Phone call", "电话"),
    "sms": Cite("Text message", "短信"),
    "message": Cite("App or chat message", "应用或聊天消息"),
    "email": Cite("E-mail", "电子邮件"),
    "letter": Cite("Letter", "信件"),
    "visit": Cite("Visit", "上门"),
}
ANSWERED = {True: Cite("answered", "已接通"), False: Cite("not answered", "未接通")}
PARTIES: dict[str, Cite] = {
    "borrower": Cite("Me", "本人"),
    "family": Cite("My family", "本人家人"),
    "friend": Cite("A friend", "本人朋友"),
    "employer": Cite("My employer", "本人工作单位"),
    "colleague": Cite("A colleague", "本人同事"),
    "other": Cite("Someone else", "其他人"),
}

#: What a rule is about: the contact-restrictions letter lists the time and
#: third-party breaches; the complaints list every one.
TIME, THIRD_PARTY, FREQUENCY = "time", "third_party", "frequency"


def topic(rule_id: str) -> str:
    test = RULES_BY_ID[rule_id].test
    if isinstance(test, OutsideHours):
        return TIME
    return THIRD_PARTY if isinstance(test, ThirdParty) else FREQUENCY


def stamp(at: datetime) -> str:
    """``2027-01-03 22:30 +08:00``: the local time as logged, with its offset."""
    offset = at.strftime("%z")
    return f"{at:%Y-%m-%d %H:%M} {offset[:3]}:{offset[3:]}"


@dataclass(frozen=True)
class Line:
    """One contact of the table, in the letter's language."""

    when: str
    how: str
    who: str
    #: each rule broken: plain words and the short citation
    rules: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Broken:
    """One rule broken, how often, and its source in plain words."""

    id: str
    name: str
    count: int
    source: str
    statutory: bool
    topic: str


@dataclass(frozen=True)
class Evidence:
    """One caller's contacts that break a rule, as a letter shows them."""

    #: the agency named in the log ("" when the contacts name none)
    collector: str
    lines: tuple[Line, ...]
    broken: tuple[Broken, ...]
    first: date
    last: date
    #: US: the rules bind debt collectors; False when the letter goes to the lender
    binds: bool = True

    @property
    def count(self) -> int:
        return len(self.lines)

    @property
    def guidelines(self) -> tuple[Broken, ...]:
        """The rules broken whose source is not binding law (a standard, a reading)."""
        return tuple(b for b in self.broken if not b.statutory)

    def about(self, which: str) -> tuple[Broken, ...]:
        return tuple(b for b in self.broken if b.topic == which)


def build_evidence(case: Case, debt: Debt, caller: str, lang: str, holder: str,
                   topics: frozenset[str] | None = None) -> Evidence | None:
    """The evidence of ``caller``'s contacts (a debt id or a collector's name) for
    a letter about ``debt`` in ``lang``; only rules of ``topics`` when given.
    None when no contact of the caller breaks such a rule."""
    contacts = case.contacts
    found = [(i, tuple(r for r in rules if topics is None or topic(r) in topics))
             for i, rules in flagged_contacts(case.jurisdiction, contacts, caller)]
    found = [(i, rules) for i, rules in found if rules]
    if not found:
        return None
    card = str(debt.kind) == "credit_card"
    lines, counts = [], {}
    for i, rules in found:
        c = contacts[i]
        how = CHANNELS[c.channel].in_(lang)
        if c.channel == "call":
            how += (", " if lang == "en" else "，") + ANSWERED[c.connected].in_(lang)
        lines.append(Line(stamp(c.at), how, PARTIES[c.party].in_(lang), tuple(
            (RULE_WORDS[r].name.in_(lang), RULE_WORDS[r].short.in_(lang)) for r in rules)))
        for r in rules:
            counts[r] = counts.get(r, 0) + 1
    broken = []
    for rule_id in (r for r in RULES_BY_ID if r in counts):
        words = RULE_WORDS[rule_id]
        # Article 68 binds banks' card business: for any other debt only the
        # (recommended) standard is left, so the rule is cited as a guideline.
        own = words.source_not_card is None or card
        source = words.source if own else words.source_not_card
        broken.append(Broken(rule_id, words.name.in_(lang), counts[rule_id], source.in_(lang),
                             RULES_BY_ID[rule_id].statutory and own, topic(rule_id)))
    named = [contacts[i].collector for i, _ in found if contacts[i].collector]
    days = [contacts[i].at.date() for i, _ in found]
    binds = case.jurisdiction != "US" or str(holder) in COLLECTORS
    return Evidence(named[0] if named else "", tuple(lines), tuple(broken), min(days),
                    max(days), binds)


def evidence_for(case: Case, debt: Debt | None, letter: LetterType, lang: str, holder: str,
              values: Mapping[str, Any]) -> tuple[Evidence | None, list[FieldError]]:
    """The table of the caller's contacts that break a rule, for a letter written
    from the contact log: an evidence letter, or any letter given a caller."""
    caller = values.get("caller")
    if debt is None or not (letter.evidence or caller):
        return None, []
    caller = caller or debt.id
    topics = frozenset(letter.evidence_topics) or None
    found = build_evidence(case, debt, caller, lang, holder, topics)
    if found is None and topics is not None:
        found = build_evidence(case, debt, caller, lang, holder)
    if found is None:
        path = "extras.caller" if values.get("caller") else "contacts"
        return None, [FieldError(path, f"no contact by '{caller}' breaks a collection rule of "
                                       f"{case.jurisdiction}: there is nothing to complain of")]
    return found, []

