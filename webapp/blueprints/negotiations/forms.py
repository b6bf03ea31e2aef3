"""The form that records what happened with a creditor."""

from __future__ import annotations

from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectField, StringField, TimeField
from wtforms.validators import InputRequired, Length

from ...domain.uploads import EVIDENCE_TYPES, LETTER_TYPES
from ...filters import filesize
from ...forms import (
    BaseForm,
    DecimalText,
    PlanDate,
    TextArea,
    UploadField,
    choice_validator,
    options,
)
from .labels import CHANNELS, CONTACT_CHANNELS, EVENT, PARTIES

#: What the file pickers offer: types and extensions, so that a phone offers its
#: photos (and, for a contact, its recordings) as well as its files. No
#: ``capture``: that would open the camera and hide the camera roll.
LETTER_ACCEPT = "application/pdf,image/*,.pdf,.heic,.heif"
EVIDENCE_ACCEPT = "image/*,audio/*,application/pdf,.heic,.heif,.amr,.m4a,.opus,.3gp"


def _limit() -> str:
    return filesize(current_app.config["UPLOAD_MAX_BYTES"])


class EventForm(BaseForm):
    type = SelectField(_l("What happened"), validate_choice=False)
    on = PlanDate(_l("When"))
    monthly = DecimalText(_l("Monthly amount"), optional=True,
                          description=_l("Their counter-offer, or the amount agreed."))
    first_payment = PlanDate(_l("First payment on"), optional=True)
    total = DecimalText(_l("Total agreed (optional)"), optional=True,
                        description=_l("Leave empty when it is the whole balance."))
    amount = DecimalText(_l("Amount paid"), optional=True)
    channel = SelectField(_l("How"), choices=options([("", _l("Not said")), *CHANNELS]),
                          default="", validate_choice=False,
                          validators=[choice_validator(dict([("", ""), *CHANNELS]))])
    notes = TextArea(_l("Notes (optional)"), validators=[Length(max=2000)],
                     description=_l("What they said, a reference number, who you spoke to."))
    attachment = UploadField(_l("The creditor's letter (PDF or photo)"), kinds=LETTER_TYPES,
                             types=_l("a PDF or a photo (PNG, JPEG, WebP or HEIC)"),
                             render_kw={"accept": LETTER_ACCEPT})

    def __init__(self, allowed: list[str], **kwargs):
        super().__init__(**kwargs)
        self.attachment.description = _(
            "Optional. A PDF, or a photo of the letter (PNG, JPEG, WebP or HEIC), at most "
            "%(size)s. Only you can download it.", size=_limit())
        pairs = [(key, EVENT[key]) for key in allowed]
        self.type.choices = options(pairs)
        self.type.validators = [choice_validator(dict(pairs))]

    #: The fields each kind of event needs, asked here so the message is in the
    #: page's language (the service checks them again, with the whole record).
    NEEDS = {"counter_offer": ("monthly",), "accepted": ("monthly", "first_payment"),
             "payment": ("amount",)}

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        needs = self.NEEDS.get(self.type.data, ())
        for name in needs:
            field = self[name]
            if field.data in (None, "") and not field.errors:
                field.errors = [*field.errors, _l("Fill this in for this kind of reply.")]
                ok = False
        for name in ("monthly", "amount", "total"):
            field = self[name]
            value = field.value
            if value is not None and value <= 0 and (name in needs or name == "total") \
                    and not field.errors:
                field.errors = [*field.errors, _l("Must be more than 0.")]
                ok = False
        return ok

    def values(self) -> dict:
        return {"monthly": self.monthly.value, "first_payment": self.first_payment.data,
                "total": self.total.value, "amount": self.amount.value,
                "channel": self.channel.data or "", "notes": self.notes.data or ""}


class ContactForm(BaseForm):
    """A collector's contact, quick to log on a phone right after it happened."""

    on = PlanDate(_l("Date"))
    at = TimeField(_l("Time"), validators=[InputRequired(message=_l("Enter the time."))])
    channel = SelectField(_l("How they contacted"), choices=options(CONTACT_CHANNELS),
                          default="call", validate_choice=False,
                          validators=[choice_validator(dict(CONTACT_CHANNELS))])
    connected = BooleanField(_l("It was a conversation (the call was answered)"))
    party = SelectField(_l("Who they contacted"), choices=options(PARTIES), default="borrower",
                        validate_choice=False, validators=[choice_validator(dict(PARTIES))])
    debt_ref = SelectField(_l("About which debt"), validate_choice=False)
    collector = StringField(_l("Who called (company or name, optional)"),
                            validators=[Length(max=300)])
    notes = TextArea(_l("What was said (optional)"), validators=[Length(max=2000)],
                     description=_l("Their words as closely as you remember, threats, the "
                                    "number they called from."))
    attachment = UploadField(
        _l("Screenshot or recording"), kinds=EVIDENCE_TYPES,
        types=_l("a photo or screenshot (PNG, JPEG, WebP or HEIC), a recording (MP3, M4A, "
                 "AAC, OGG, WAV or AMR) or a PDF"),
        render_kw={"accept": EVIDENCE_ACCEPT})

    def __init__(self, debts: list[tuple[str, str]], **kwargs):
        super().__init__(**kwargs)
        self.attachment.description = _(
            "Optional. A screenshot or photo, a recording of the call, or a PDF, at most "
            "%(size)s. Only you can download it.", size=_limit())
        pairs = [("", _l("Not sure")), *debts]
        self.debt_ref.choices = options(pairs)
        self.debt_ref.validators = [choice_validator(dict(pairs))]


class AcceptForm(BaseForm):
    """Accept the creditor's counter-offer: their figure, from a first payment date."""

    #: the page's event form has a ``first_payment`` too: ids must stay unique
    PREFIX = "accept"

    first_payment = PlanDate(_l("First payment on"))


class CounterForm(BaseForm):
    """Counter with another figure: a monthly amount to see the re-plan for (GET)."""

    class Meta:
        csrf = False  # a question asked by GET; nothing is saved

    counter = DecimalText(_l("Your monthly figure"), minimum=Decimal("0.01"))


class CounterLetterForm(BaseForm):
    """Write the letter that answers their counter-offer with the user's figure (POST)."""

    counter = DecimalText(_l("Your monthly figure"), minimum=Decimal("0.01"))


#: The letters a flagged caller's contacts are answered with (the form's buttons).
CONTACT_LETTERS = ("contact_restrictions", "contact_complaint", "regulator_complaint")
LETTER_LANGUAGES = [("en", "English"), ("zh_CN", "简体中文")]
#: China: who supervises the lender, so who takes the complaint.
ROUTES = [
    ("nfra", _l("Bank or consumer finance company (12378)")),
    ("local", _l("Online micro-lender (local regulator)")),
]


class ContactLetterForm(BaseForm):
    """One click from a caller's flagged contacts to a letter; the fields the
    letter still needs are shown only when they are missing."""

    caller = HiddenField()
    #: set by the button pressed
    letter_type = StringField(validators=[choice_validator(dict.fromkeys(CONTACT_LETTERS))])
    language = SelectField(_l("Language of the letter"), choices=options(LETTER_LANGUAGES),
                           validate_choice=False,
                           validators=[choice_validator(dict(LETTER_LANGUAGES))])
    debt_ref = SelectField(_l("Which of your debts are they collecting?"), default="",
                           validate_choice=False)
    route = SelectField(_l("Who lent you the money?"), choices=options(ROUTES), default="",
                        validate_choice=False,
                        validators=[choice_validator(dict([("", ""), *ROUTES]))],
                        description=_l("It is in the loan contract or the app's 'about' page. "
                                       "Not sure? Call 12378 and ask."))
    complained_on = PlanDate(_l("When you complained to them"), optional=True,
                             description=_l("The Financial Ombudsman Service takes your "
                                            "complaint after their final response, or 8 weeks "
                                            "after you complained to them."))
    final_response_on = PlanDate(_l("Their final response came on (if it came)"),
                                 optional=True)
    sender_name = StringField(_l("Your name, as on letters"), validators=[Length(max=300)])
    sender_address = TextArea(_l("Your postal address"), validators=[Length(max=1000)])
    account_ref = StringField(_l("Account or reference number"), validators=[Length(max=80)])
    account_ref_unknown = BooleanField(_l("I don't have it"))

    def __init__(self, debts: list[tuple[str, str]], **kwargs):
        super().__init__(**kwargs)
        pairs = [("", _l("Choose")), *debts]
        self.debt_ref.choices = options(pairs)
        self.debt_ref.validators = [choice_validator(dict(pairs))]
