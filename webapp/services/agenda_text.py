"""The words of reminder e-mails and calendar events, per language.

Small dictionaries rather than the interface catalogue: a reminder is written
in its reader's language from a command with no request (and a calendar feed
has no logged-in user), and ``format_money``/``format_day`` take the locale
explicitly, so nothing here depends on Flask's request locale.
"""

from __future__ import annotations

from datetime import date

from ..domain.agenda import Item
from ..formatting import format_day, format_money

LANGUAGES = ("en", "zh_CN")

#: What to do, per item kind: {creditor}, {amount}.
WHAT = {
    "en": {
        "payment": "pay {amount} to {creditor}",
        "follow_up": "send {creditor} a follow-up if they have not replied",
        "send_information": "send {creditor} the information they asked for",
        "reconsider": "ask {creditor} to reconsider",
        "decide": "decide on {creditor}'s counter-offer",
        "review": ("review your arrangement with {creditor} (at least once a year): check "
                   "that it still fits your budget"),
    },
    "zh_CN": {
        "payment": "向{creditor}还款 {amount}",
        "follow_up": "如{creditor}仍未答复，发送跟进函",
        "send_information": "把{creditor}要求的材料寄给对方",
        "reconsider": "请{creditor}重新考虑",
        "decide": "对{creditor}的还价作出决定",
        "review": "对与{creditor}的还款安排进行年度复核（至少每年一次），确认仍符合您的预算",
    },
}

MAIL = {
    "en": {
        "subject": "Parley: what is due with your creditors",
        "hello": "Hello,\n\nThis is what is due in your negotiations with your creditors.",
        "case": "Case: {title}",
        "untitled": "Your case",
        "overdue": "Overdue:",
        "coming": "Coming up:",
        "line": "- {day}: {what}",
        "link": "Open Parley to record what happened: {url}",
        "footer": ("You get this e-mail because your Parley account has a verified address. "
                   "Each reminder is sent once."),
    },
    "zh_CN": {
        "subject": "Parley 提醒：与债权人协商的近期事项",
        "hello": "您好：\n\n以下是您与债权人协商中近期要办的事。",
        "case": "案例：{title}",
        "untitled": "您的案例",
        "overdue": "已逾期：",
        "coming": "即将到期：",
        "line": "- {day}：{what}",
        "link": "请打开 Parley 记录进展：{url}",
        "footer": "您收到这封邮件，是因为您的 Parley 账户邮箱已验证。每条提醒只发送一次。",
    },
}

#: Calendar event titles: "Parley: <what>".
CALENDAR_NAME = {"en": "Parley: {title}", "zh_CN": "Parley：{title}"}
CALENDAR_SUMMARY = {"en": "Parley: {what}", "zh_CN": "Parley：{what}"}


def language(locale: str | None) -> str:
    """``en`` or ``zh_CN`` for a user's stored locale (anything Chinese is ``zh_CN``)."""
    return "zh_CN" if (locale or "").lower().replace("-", "_").startswith("zh") else "en"


#: English amounts and dates follow the case's country, as on the pages.
ENGLISH_BY_JURISDICTION = {"GB": "en_GB", "US": "en_US"}


def format_locale(lang: str, jurisdiction: str) -> str:
    """The locale to format in: Chinese as it is; English by the case's country."""
    return lang if lang != "en" else ENGLISH_BY_JURISDICTION.get(jurisdiction, "en")


def what(item: Item, currency: str, lang: str, jurisdiction: str) -> str:
    amount = (format_money(item.amount, currency, format_locale(lang, jurisdiction))
              if item.amount is not None else "")
    return WHAT[lang][item.kind].format(creditor=item.creditor, amount=amount)


def day(value: date, lang: str, jurisdiction: str) -> str:
    return format_day(value, format_locale(lang, jurisdiction))

