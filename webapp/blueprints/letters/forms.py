"""Forms for letters: generate a set, edit a draft, mark one sent."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectField
from wtforms.validators import InputRequired, Length, ValidationError

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


class GenerateForm(BaseForm):
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

    def __init__(self, types: list[tuple[str, str]], **kwargs):
        super().__init__(**kwargs)
        self.letter_type.choices = options(types)
        self.letter_type.validators = [choice_validator(dict(types))]


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
