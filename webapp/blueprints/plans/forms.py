from wtforms import HiddenField
from wtforms.validators import AnyOf, InputRequired

from ...domain.plan import STRATEGIES
from ...forms import BaseForm


class SaveProposalForm(BaseForm):
    strategy = HiddenField(validators=[InputRequired(), AnyOf(list(STRATEGIES))])
