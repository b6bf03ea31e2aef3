"""Form building blocks shared by every blueprint.

Every field refuses what the database or the engine cannot hold, so that bad
input comes back as a message beside the field and never reaches a 500:
non-finite or over-precise money, control characters and NUL bytes (one text
rule shared with the case-file parser, ``domain/text.py``), over-long strings,
integers beyond a column, dates outside the plan range.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    Field,
    IntegerField,
    PasswordField,
    SelectChoice,
    StringField,
    TextAreaField,
)
from wtforms.validators import ValidationError

from .domain.text import normalise, text_problem
from .domain.uploads import Accepted, Refusal, UploadRefused, accept
from .filters import filesize
from .render_speed import wtforms_translations

MAX_MONEY = Decimal("999999999999.99")  # Numeric(14, 2)
MIN_DATE = date(2000, 1, 1)
MAX_DATE = date(2099, 12, 31)


class BaseForm(FlaskForm):
    """Applies the one text rule (``webapp.domain.text``) to every text field.

    Line breaks become ``\n`` before the field's validators run (so a length
    limit counts what is stored); text with a
    control character is then refused beside its field. The case-file parser
    applies the same rule, so whatever a form accepts exports and re-imports.
    Passwords are never rewritten (a secret is compared as typed), and fields
    named in ``raw_fields`` (a pasted case file) are left to the parser, which
    names the offending field; NUL is refused everywhere (PostgreSQL cannot
    store it).
    """

    #: Names of text fields taken as typed (besides passwords).
    raw_fields: frozenset[str] = frozenset()

    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            # WTForms' catalogue loaded once per locale, not once per request
            return wtforms_translations(super().get_translations(form))

    def _rule_applies(self, field: Field) -> bool:
        return (isinstance(field.data, str) and not isinstance(field, PasswordField)
                and field.name not in self.raw_fields)

    def validate(self, extra_validators=None) -> bool:
        for field in self:
            if self._rule_applies(field):
                field.data = normalise(field.data)
        ok = super().validate(extra_validators)
        for field in self:
            if not isinstance(field.data, str):
                continue
            if "\x00" in field.data or (self._rule_applies(field) and text_problem(field.data)):
                field.errors = [*field.errors, _l("Contains a character that is not allowed.")]
                ok = False
        if not ok:
            for field in self:
                if isinstance(field, UploadField):
                    field.ask_again()
        return ok


class TextArea(TextAreaField):
    """A multi-line text field (line breaks are normalised by :class:`BaseForm`)."""


class DecimalText(StringField):
    """A decimal typed as text: ``1,234.50`` and ``1234.5`` both work; NaN does not.

    ``places`` is the most decimals allowed; ``maximum`` the largest value.
    """

    def __init__(self, label=None, validators=None, *, places=2, maximum=MAX_MONEY,
                 minimum=Decimal(0), optional=False, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.places = places
        self.maximum = maximum
        self.minimum = minimum
        self.optional = optional
        self.value: Decimal | None = None

    def process_data(self, value) -> None:
        # A stored Decimal (editing) is shown as its plain string.
        self.data = "" if value is None else str(value)

    def pre_validate(self, form) -> None:
        raw = str(self.data or "").strip().replace(",", "").replace("，", "")
        self.value = None
        if raw == "":
            if self.optional:
                return
            raise ValidationError(_l("Enter an amount."))
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise ValidationError(_l("Enter a number, like 1234.50.")) from None
        if not value.is_finite():
            raise ValidationError(_l("Enter a number, like 1234.50."))
        if value < self.minimum:
            raise ValidationError(_l("Must be at least %(n)s.", n=self.minimum))
        if value > self.maximum:
            raise ValidationError(_l("Must be at most %(n)s.", n=self.maximum))
        if -value.as_tuple().exponent > self.places:
            raise ValidationError(_l("Use at most %(n)s decimal places.", n=self.places))
        self.value = value


class BoundedInteger(IntegerField):
    """An integer within [minimum, maximum]; empty allowed when ``optional``."""

    def __init__(self, label=None, validators=None, *, minimum=0, maximum=10**6,
                 optional=False, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.minimum, self.maximum, self.optional = minimum, maximum, optional

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0].strip() == "" and self.optional:
            self.data = None
            return
        super().process_formdata(valuelist)

    def pre_validate(self, form) -> None:
        if self.process_errors:
            return  # WTForms already said "Not a valid integer value."
        if self.data is None:
            if self.optional:
                return
            raise ValidationError(_l("Enter a whole number."))
        if not self.minimum <= self.data <= self.maximum:
            raise ValidationError(
                _l("Must be between %(a)s and %(b)s.", a=self.minimum, b=self.maximum)
            )


class PlanDate(DateField):
    """A date between 2000 and 2099: the range the schedules are built for.

    With ``optional=True`` an empty field is fine (``data`` is None); a date
    that does not parse is still refused.
    """

    def __init__(self, label=None, validators=None, *, optional=False, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.optional = optional

    def process_formdata(self, valuelist):
        # Browsers post an empty date input as "": for an optional date that is
        # "no date", not "Not a valid date value".
        if self.optional and valuelist and not "".join(valuelist).strip():
            self.data = None
            return
        super().process_formdata(valuelist)

    def pre_validate(self, form) -> None:
        if self.process_errors:
            return
        if self.data is None:
            if self.optional:
                return
            raise ValidationError(_l("Enter a date (YYYY-MM-DD)."))
        if not MIN_DATE <= self.data <= MAX_DATE:
            raise ValidationError(_l("Choose a date between 2000 and 2099."))


class UploadField(FileField):
    """An optional file, checked by content (``webapp.domain.uploads``) against
    ``kinds`` and ``UPLOAD_MAX_BYTES``; refused with a message naming the field.

    ``accepted`` is the checked file (or None when none was chosen) for the
    service to store. ``types`` says in words what the field takes.
    """

    def __init__(self, label=None, validators=None, *, kinds: tuple[str, ...], types,
                 **kwargs):
        super().__init__(label, validators, **kwargs)
        self.kinds, self.types = kinds, types
        self.accepted: Accepted | None = None

    def pre_validate(self, form) -> None:
        self.accepted = None
        if not self.data:
            return
        limit = current_app.config["UPLOAD_MAX_BYTES"]
        # One byte past the limit is enough to tell "too large".
        data = self.data.stream.read(limit + 1)
        try:
            self.accepted = accept(self.data.filename, data, self.kinds, limit)
        except UploadRefused as exc:
            raise ValidationError(self.refusal(exc, limit)) from None

    def ask_again(self) -> None:
        """The form comes back (another field was wrong): say which file to choose
        again, since browsers never refill a file input."""
        if self.accepted is not None:
            self.description = _("You chose %(name)s: choose it again.",
                                 name=self.accepted.name)

    def refusal(self, exc: UploadRefused, limit: int) -> str:
        """The message for a refused file, naming this field, in the page's language."""
        field = self.label.text
        if exc.reason == Refusal.EMPTY:
            return _("%(field)s: the file is empty. Choose it again.", field=field)
        if exc.reason == Refusal.TOO_LARGE:
            return _("%(field)s: the file is larger than %(size)s, the most Parley keeps. "
                     "Choose a smaller one.", field=field, size=filesize(limit))
        if exc.reason == Refusal.WRONG_TYPE and exc.found is not None:
            return _("%(field)s: %(found)s files cannot be kept here. Choose %(types)s.",
                     field=field, found=exc.found.label, types=self.types)
        return _("%(field)s: this file is not %(types)s, whatever its name says. Choose "
                 "another.", field=field, types=self.types)


def options(pairs) -> list[SelectChoice]:
    """``[(value, label), ...]`` → WTForms 3.3 choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def choice_validator(choices: dict[str, object]):
    """For SelectFields: a clear message instead of WTForms' 'Not a valid choice'."""

    def check(form, field: Field) -> None:
        if field.data not in choices:
            raise ValidationError(_l("Choose one of the options."))

    return check


__all__ = [
    "BaseForm",
    "BoundedInteger",
    "DecimalText",
    "PlanDate",
    "StringField",
    "TextArea",
    "TextAreaField",
    "UploadField",
    "choice_validator",
    "options",
]
