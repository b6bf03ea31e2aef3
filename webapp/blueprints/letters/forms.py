"""Forms for letters: generate a set, edit a draft, mark one sent."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import InputRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ...forms import BaseForm, PlanDate, TextArea, choice_validator, options
from ...letters.edited import MAX_BODY
from ...models.letter import Channel
from ...services.concurrency import parse_version

LANGUAGES = [("en", "English"), ("zh_CN", "简体中文")]
CHANNELS = [
    (Channel.POST.value, _l("By post")),
    (Channel.EMAIL.value, _l("By e-mail, myself")),
    (Channel.APP.value, _l("Through the creditor's app or website")),
    (Channel.IN_PERSON.value, _l("In person")),
]
CHANNEL_NAMES = dict(CHANNELS) | {Channel.EMAIL.value: _l("By e-mail")}
#: Hardship proofs the borrower may enclose (catalogue.PROOFS has their names in letters).
PROOF_CHOICES = [
    ("unemployment", _l("Proof of unemployment")),
    ("diagnosis", _l("A doctor's diagnosis")),
    ("bank_statements", _l("Bank statements")),
]


class CheckboxList(SelectMultipleField):
    """Several choices as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class GenerateForm(BaseForm):
    #: write to this creditor only (the next letter of its negotiation); empty: to all
    debt = HiddenField()
    # validate_choice=False: choice_validator says it more kindly than WTForms.
    letter_type = SelectField(_l("Kind of letter"), validate_choice=False)
    language = SelectField(_l("Language of the letters"), choices=options(LANGUAGES),
                           validate_choice=False, validators=[choice_validator(dict(LANGUAGES))])
    circumstances = TextArea(
        _l("What happened, in a few sentences (optional)"),
        validators=[Length(max=1500)],
        description=_l("For example: lost my job in March; now working part time. Creditors "
                       "accept offers more readily when they understand why."))
    letter_date = PlanDate(
        _l("A date for the letter (optional)"), optional=True,
        description=_l("The settlement deadline, the date your offer will follow, or the date "
                       "your offer was refused. Left empty, Parley picks a sensible one."))

    #: shown for a settlement whose budget could clear the debts (issue 13.2)
    acknowledge_surplus = BooleanField(
        _l("I understand: my budget statement shows I could repay more, and I want to "
           "offer this settlement anyway"))
    #: shown for a settlement below the floor (issue 12): written only if ticked
    insist_below_floor = BooleanField(
        _l("I want to offer this settlement anyway, although creditors rarely accept so "
           "little"))
    proofs = CheckboxList(
        _l("Proof you will enclose (optional)"), choices=options(PROOF_CHOICES),
        validate_choice=False)
    waive_charges = BooleanField(
        _l("Ask them to remove the interest and charges already added since you fell behind"))
    # Who the letters are from: asked here only when the case lacks it.
    sender_name = StringField(_l("Your name, as it will be signed"),
                              validators=[Length(max=300)])
    sender_address = TextArea(_l("Your postal address"), validators=[Length(max=1000)],
                              description=_l("Creditors reply to this address."))
    sender_id_number = StringField(
        _l("Your ID card number (optional)"), validators=[Length(max=40)],
        description=_l("Chinese creditors find your account by it. It is printed in full only "
                       "in the letters you send; Parley's pages show it masked."))

    def __init__(self, types: list[tuple[str, str]], **kwargs):
        super().__init__(**kwargs)
        self.letter_type.choices = options(types)
        self.letter_type.validators = [choice_validator(dict(types))]

    def validate_proofs(self, field) -> None:
        if any(x not in dict(PROOF_CHOICES) for x in field.data or ()):
            raise ValidationError(_l("Choose one of the options."))


class EditForm(BaseForm):
    #: the letter's version when the page was loaded: a stale save is refused
    version = HiddenField()
    body_text = TextArea(
        _l("Text of the letter"),
        validators=[InputRequired(message=_l("Write the text of the letter.")),
                    Length(max=MAX_BODY)],
        description=_l("Plain text. Leave an empty line between paragraphs. The addresses, "
                       "date, subject and closing stay as they are."),
        render_kw={"rows": 18})

    def validate_body_text(self, field) -> None:
        if not (field.data or "").strip():
            raise ValidationError(_l("Write the text of the letter."))

    def expected_version(self) -> int | None:
        return parse_version(self.version.data)


class MarkSentForm(BaseForm):
    sent_on = PlanDate(_l("Date you sent it"))
    channel = RadioField(_l("How you sent it"), choices=options(CHANNELS), default="post",
                         validate_choice=False, validators=[choice_validator(dict(CHANNELS))])
    #: shown only for a draft of an older proposal version (services.letters.old_version)
    confirm_old_version = BooleanField(_l(
        "I know this draft is from an older version of my proposal: it was sent anyway"))

    def __init__(self, earliest: date, latest: date, **kwargs):
        super().__init__(**kwargs)
        self.earliest, self.latest = earliest, latest

    def validate_sent_on(self, field) -> None:
        if field.data is None:
            return  # PlanDate already asked for a date
        if field.data > self.latest:
            raise ValidationError(_l("This date is in the future."))
        if field.data < self.earliest:
            raise ValidationError(_l("The letter was written after this date."))


class PrepareZipForm(BaseForm):
    """Just the CSRF token: the button that asks for the ZIP of all letters."""
