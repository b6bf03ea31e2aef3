"""What the statuses, next actions and events are called, in the page's language."""

from flask_babel import lazy_gettext as _l

STATUS = {
    "not_contacted": _l("Not written to yet"),
    "awaiting_reply": _l("Waiting for their reply"),
    "no_reply": _l("No reply"),
    "info_requested": _l("They asked for information"),
    "rejected": _l("They refused"),
    "counter_offer": _l("They made a counter-offer"),
    "agreement_active": _l("Agreed: paying"),
    "in_arrears": _l("Agreed: payment missed"),
    "completed": _l("Paid off"),
}

#: The next action, with ``%(date)s`` where it has a due date.
ACTION = {
    "write": _l("Write to them"),
    "wait": _l("Wait for their reply until %(date)s"),
    "follow_up": _l("Send a follow-up: they did not reply by %(date)s"),
    "send_information": _l("Send what they asked for by %(date)s"),
    "reconsider": _l("Ask them to reconsider by %(date)s"),
    "decide": _l("Decide on their counter-offer by %(date)s"),
    "pay": _l("Pay the next instalment on %(date)s"),
    "pay_arrears": _l("Pay what is overdue: it was due on %(date)s"),
    "none": _l("Nothing to do"),
}

EVENT = {
    "sent": _l("Letter sent"),
    "info_requested": _l("They asked for information"),
    "rejected": _l("They refused"),
    "counter_offer": _l("They made a counter-offer"),
    "accepted": _l("They agreed"),
    "payment": _l("Payment made"),
}

#: How a reply arrived (free text in the case file; these are the form's choices).
CHANNELS = [
    ("letter", _l("By letter")),
    ("phone", _l("By phone")),
    ("email", _l("By e-mail")),
    ("app", _l("In their app or website")),
    ("in_person", _l("In person")),
    ("post", _l("By post")),
]


CONTACT_CHANNELS = [
    ("call", _l("Phone call")),
    ("sms", _l("Text message")),
    ("message", _l("Chat or app message")),
    ("email", _l("E-mail")),
    ("letter", _l("Letter")),
    ("visit", _l("Visit")),
]
PARTIES = [
    ("borrower", _l("Me")),
    ("family", _l("My family")),
    ("friend", _l("A friend")),
    ("employer", _l("My employer")),
    ("colleague", _l("A colleague")),
    ("other", _l("Someone else")),
]

#: Each collection rule in plain words (the source is shown beside it).
RULES = {
    "cn.night": _l("Contact between 10 p.m. and 8 a.m."),
    "cn.calls_per_day": _l("More than 3 answered calls in one day"),
    "cn.third_party": _l("Contacted someone other than you"),
    "us.time": _l("Contact before 8 a.m. or after 9 p.m."),
    "us.7in7": _l("More than 7 calls in 7 days"),
    "us.after_conversation": _l("Called again within 7 days of a conversation"),
    # the log says who was contacted, not what was said: 1692b allows a call
    # to others to find the borrower, so the flag says only what is known
    "us.third_party": _l("Contacted someone other than you about the debt"),
    "gb.time": _l("Contact at an unreasonable time (before 8 a.m. or after 9 p.m.)"),
    "gb.third_party": _l("Contacted someone other than you: check what they were told"),
}

_GBT = _l("China's national standard GB/T 45251-2025 on collection in online lending: a "
          "recommended standard, not a law")
#: Where each rule comes from, in plain words, and what kind of rule it is
#: (``letters/evidence.py`` words the same for the letters).
RULE_SOURCES = {
    "cn.night": _GBT,
    "cn.calls_per_day": _GBT,
    "cn.third_party": _l("Article 68 of China's credit card rules for banks "
                         "(《商业银行信用卡业务监督管理办法》第六十八条, binding on banks), and "
                         "the national standard GB/T 45251-2025 for online lenders (a "
                         "recommended standard, not a law)"),
    "us.time": _l("The US Fair Debt Collection Practices Act, 15 U.S.C. § 1692c(a)(1): a "
                  "federal law binding debt collectors"),
    "us.7in7": _l("US Regulation F, 12 CFR 1006.14(b)(2)(i)(A): such calls are presumed to be "
                  "harassment (binding debt collectors)"),
    "us.after_conversation": _l("US Regulation F, 12 CFR 1006.14(b)(2)(i)(B): such calls are "
                                "presumed to be harassment (binding debt collectors)"),
    "us.third_party": _l("The US Fair Debt Collection Practices Act, 15 U.S.C. § 1692c(b): a "
                         "federal law binding debt collectors; others may be contacted only "
                         "to find you"),
    "gb.time": _l("FCA rule CONC 7.9.4R, no contact at unreasonable times: it names no hours, "
                  "8 a.m. to 9 p.m. is Parley's reading"),
    "gb.third_party": _l("FCA rules in CONC 7.9 and data-protection law: telling others about "
                         "your debt may break them, so check what was said"),
}
