"""Counselors' notes and tasks on a case."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from ...forms import BaseForm, PlanDate
from ...services.workspace import NOTE_MAX, TITLE_MAX


class NoteForm(BaseForm):
    body = TextAreaField(_l("Note"), validators=[InputRequired(), Length(max=NOTE_MAX)],
                         description=_l("Only counselors with access to this case see it; "
                                        "the client never does."))


class TaskForm(BaseForm):
    title = StringField(_l("Task"), validators=[InputRequired(), Length(max=TITLE_MAX)])
    due_on = PlanDate(_l("Due on"))
