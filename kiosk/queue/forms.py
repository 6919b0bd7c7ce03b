from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional


class ServiceForm(FlaskForm):
    prefix = StringField(_l("Prefix letter"), validators=[DataRequired(), Length(min=1, max=1)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    daily_cap = IntegerField(_l("Daily cap (empty: none)"), validators=[Optional(), NumberRange(min=1, max=9999)])
    hours_1 = StringField(_l("Monday"), validators=[Length(max=200)])
    hours_2 = StringField(_l("Tuesday"), validators=[Length(max=200)])
    hours_3 = StringField(_l("Wednesday"), validators=[Length(max=200)])
    hours_4 = StringField(_l("Thursday"), validators=[Length(max=200)])
    hours_5 = StringField(_l("Friday"), validators=[Length(max=200)])
    hours_6 = StringField(_l("Saturday"), validators=[Length(max=200)])
    hours_7 = StringField(_l("Sunday"), validators=[Length(max=200)])
    materials = TextAreaField(_l("Materials to bring (one per line)"), validators=[Length(max=4000)])
    active = BooleanField(_l("Offered"), default=True)

    def hour_fields(self):
        return [getattr(self, f"hours_{day}") for day in range(1, 8)]


class WindowForm(FlaskForm):
    number = IntegerField(_l("Window number"), validators=[DataRequired(), NumberRange(min=1, max=999)])
    services = StringField(_l("Services in order of preference (prefix letters, e.g. A, D)"),
                           validators=[DataRequired(), Length(max=100)])
    priority_first = BooleanField(_l("Serve the priority lane first"), default=True)
    paused = BooleanField(_l("Paused"))


class FollowUpForm(FlaskForm):
    action_taken = TextAreaField(_l("Action taken"), validators=[DataRequired(), Length(min=4, max=4000)])
