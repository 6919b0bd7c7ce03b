"""Staff pages: ticker lines, official warnings (every one received, approval, settings) and the
phone-friendly approval page."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from pydantic import ValidationError
from wtforms import (BooleanField, DateField, DateTimeLocalField, FloatField, IntegerField, SelectField,
                     SelectMultipleField, StringField, TextAreaField, TimeField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from kiosk import privacy
from kiosk.accounts.models import Role
from kiosk.accounts.permissions import staff_page
from kiosk.api.registry import invalid_input
from kiosk.broadcast import tickers, warnings
from kiosk.broadcast.models import PlacementState
from kiosk.broadcast.schemas import MAX_SPEED, MIN_SPEED, TickerIn
from kiosk.core import clock
from kiosk.core.errors import KioskError
from kiosk.extensions import db
from kiosk.org.forms import choices_by_unit, unit_choices
from kiosk.org.operations import get_unit_by_code, subtree
from kiosk.screens import dayparts
from kiosk.screens import operations as screens
from kiosk.screens.operations import MANAGERS
from kiosk.staff import NavItem, add_nav

broadcast_bp = Blueprint("broadcast", __name__, url_prefix="/staff/broadcast", template_folder="templates")


class TickerForm(FlaskForm):
    unit = SelectField(_l("Published by"), validators=[DataRequired()])
    text = TextAreaField(_l("Text"), validators=[DataRequired(), Length(max=500)])
    groups = SelectMultipleField(_l("Screen groups"), coerce=int, validators=[DataRequired()])
    priority = IntegerField(_l("Priority (higher crawls first)"), default=0, validators=[NumberRange(-1000, 1000)])
    urgent = BooleanField(_l("Urgent: push it now; while it runs only urgent lines crawl"))
    speed = FloatField(_l("Characters per second"), validators=[Optional(), NumberRange(MIN_SPEED, MAX_SPEED)])
    pause = IntegerField(_l("Pause between repeats (s)"), default=3, validators=[NumberRange(0, 600)])
    weekdays = StringField(_l("Weekdays (e.g. 12345; empty: every day)"), validators=[Optional(), Length(max=7)])
    time_from = TimeField(_l("Daily from"), validators=[Optional()])
    time_until = TimeField(_l("Daily until"), validators=[Optional()])
    date_from = DateField(_l("First day"), validators=[Optional()])
    date_until = DateField(_l("Last day"), validators=[Optional()])
    ends_at = DateTimeLocalField(_l("Show until (empty: by its dates)"), format="%Y-%m-%dT%H:%M",
                                 validators=[Optional()])

    def ticker_in(self) -> TickerIn:
        ends_at = self.ends_at.data.replace(tzinfo=clock.local_zone()) if self.ends_at.data else None
        try:
            return TickerIn(unit=self.unit.data, text=self.text.data, groups=self.groups.data,
                            priority=self.priority.data or 0, urgent=self.urgent.data, speed=self.speed.data,
                            pause=self.pause.data if self.pause.data is not None else 3,
                            weekdays=self.weekdays.data or None, time_from=self.time_from.data,
                            time_until=self.time_until.data, date_from=self.date_from.data,
                            date_until=self.date_until.data, ends_at=ends_at)
        except ValidationError as error:
            raise invalid_input(error, TickerIn)


def _fill_choices(form: TickerForm) -> None:
    form.unit.choices = unit_choices(current_user.unit)
    form.groups.choices = choices_by_unit(screens.groups_visible_to(current_user))


def _save(form: TickerForm, ticker=None):
    """The ticker written from the form, or None with the error on the form (what was typed is kept)."""
    try:
        data = form.ticker_in()
        saved = tickers.create_ticker(current_user, data) if ticker is None else \
            tickers.update_ticker(current_user, ticker, data)
        db.session.commit()
        return saved
    except KioskError as error:
        db.session.rollback()
        field = getattr(form, str(error.details.get("field", "text")).split(".")[0], form.text)
        field.errors = [*field.errors, error.message]
        return None


@broadcast_bp.route("/tickers", methods=["GET", "POST"])
@staff_page(*MANAGERS)
def ticker_list():
    form = TickerForm()
    _fill_choices(form)
    if request.method == "GET":
        form.speed.data = tickers.default_speed()
    if form.validate_on_submit() and _save(form) is not None:
        flash(_("The ticker line is on its screens."))
        return redirect(url_for(".ticker_list"))
    status = 400 if request.method == "POST" else 200
    return render_template("broadcast/tickers.html", form=form, tickers=tickers.tickers_visible_to(current_user),
                           now=clock.now(), describe=dayparts.describe), status


@broadcast_bp.route("/tickers/<int:ticker_id>", methods=["GET", "POST"])
@staff_page(*MANAGERS)
def ticker_edit(ticker_id):
    ticker = tickers.get_ticker_for(current_user, ticker_id)
    form = TickerForm(obj=ticker if request.method == "GET" else None)
    _fill_choices(form)
    if request.method == "GET":
        form.unit.data, form.groups.data = ticker.unit.code, ticker.group_ids
        form.ends_at.data = clock.to_local(ticker.ends_at).replace(tzinfo=None) if ticker.ends_at else None
    elif request.form.get("action") == "end":
        try:
            tickers.end_ticker(current_user, ticker)
            db.session.commit()
            flash(_("Ended: the screens drop the line at once."))
        except KioskError as error:
            db.session.rollback()
            flash(error.message, "error")
        return redirect(url_for(".ticker_list"))
    elif form.validate_on_submit() and _save(form, ticker) is not None:
        flash(_("Saved: the screens crawl the new version."))
        return redirect(url_for(".ticker_list"))
    status = 400 if request.method == "POST" else 200
    return render_template("broadcast/ticker_edit.html", form=form, ticker=ticker), status


# --- warnings ------------------------------------------------------------------------------------------

class PolicyForm(FlaskForm):
    unit = SelectField(_l("Unit"), validators=[DataRequired()])
    division_code = StringField(_l("Division code (行政区划代码)"), validators=[Optional(), Length(max=12)])
    approval = SelectField(_l("Warnings"), choices=[SelectChoice("0", _l("show at once")),
                                                   SelectChoice("1", _l("wait for one touch of approval"))])


class SourceForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    unit = SelectField(_l("May warn"), validators=[DataRequired()])
    feed_url = StringField(_l("Feed to poll (optional)"), validators=[Optional(), Length(max=500)])
    poll_seconds = IntegerField(_l("Poll every (seconds)"), default=60, validators=[NumberRange(min=15, max=86400)])


def _warnings_page(policy_form=None, source_form=None, created=None, status=200):
    """The warnings page; `created` is a (source, token) just made: its token is shown this once."""
    units = list(db.session.scalars(subtree(current_user.unit)))
    policy_form = policy_form or PolicyForm(formdata=None)
    source_form = source_form or SourceForm(formdata=None)
    policy_form.unit.choices = source_form.unit.choices = [SelectChoice(u.code, u.name) for u in units]
    return render_template("broadcast/warnings.html", form=policy_form, source_form=source_form, created=created,
                           units=units, policies={u.id: warnings.approval_required(u) for u in units},
                           alerts=warnings.alerts_visible_to(current_user), outcomes=warnings.OUTCOME_LABELS,
                           placements_of=lambda row: warnings.placements_for(current_user, row),
                           states=warnings.PLACEMENT_LABELS, awaiting=PlacementState.awaiting,
                           is_admin=current_user.has_role(Role.administrator),
                           sources=warnings.sources_visible_to(current_user)), status


@broadcast_bp.route("/warnings", methods=["GET", "POST"])
@staff_page(*MANAGERS)
def warning_list():
    form = PolicyForm()
    form.unit.choices = unit_choices(current_user.unit)
    if form.validate_on_submit():
        unit = get_unit_by_code(form.unit.data)
        try:
            if current_user.has_role(Role.administrator) and (form.division_code.data or "") != (unit.division_code or ""):
                warnings.set_division_code(current_user, unit, form.division_code.data or "")
            warnings.set_policy(current_user, unit, form.approval.data == "1")
            db.session.commit()
            flash(_("Saved for %(unit)s.", unit=unit.name))
            return redirect(url_for(".warning_list"))
        except KioskError as error:
            db.session.rollback()
            form.division_code.errors = [error.message]
    return _warnings_page(policy_form=form, status=400 if request.method == "POST" else 200)


@broadcast_bp.route("/warnings/sources", methods=["POST"])
@staff_page(Role.administrator)
def source_create():
    form = SourceForm()
    form.unit.choices = unit_choices(current_user.unit)
    if form.validate_on_submit():
        unit = get_unit_by_code(form.unit.data)
        try:
            created = warnings.create_source(current_user, unit, form.name.data, (form.feed_url.data or "").strip(),
                                             form.poll_seconds.data)
            db.session.commit()
            return _warnings_page(created=created)
        except KioskError as error:
            db.session.rollback()
            field = getattr(form, str(error.details.get("field", "name")), form.name)
            field.errors = [error.message]
    return _warnings_page(source_form=form, status=400)


@broadcast_bp.route("/warnings/sources/<int:source_id>/disable", methods=["POST"])
@staff_page(Role.administrator)
def source_disable(source_id):
    form = FlaskForm()
    if form.validate_on_submit():
        try:
            source = warnings.disable_source(current_user, warnings.get_source_for(current_user, source_id))
            db.session.commit()
            flash(_("%(name)s is switched off: its token and feed are no longer used.", name=source.name))
        except KioskError as error:
            db.session.rollback()
            flash(error.message, "error")
    return redirect(url_for(".warning_list"))


@broadcast_bp.route("/warnings/approve", methods=["GET", "POST"])
@staff_page(*MANAGERS)
def approval():
    """The phone page: each warning waiting for approval, its text (masked, with what the privacy gate
    found) and two big buttons."""
    form = FlaskForm()
    if form.validate_on_submit():
        try:
            placement = warnings.get_placement_for(current_user, int(request.form.get("placement", "0")))
            if request.form.get("action") == "approve":
                warnings.approve(current_user, placement)
                flash(_("Shown on the screens of %(unit)s.", unit=placement.unit.name))
            else:
                warnings.reject(current_user, placement)
                flash(_("Not shown."))
            db.session.commit()
        except (KioskError, ValueError) as error:
            db.session.rollback()
            flash(getattr(error, "message", _("No such warning.")), "error")
        return redirect(url_for(".approval"))
    return render_template("broadcast/approve.html", form=form, awaiting=warnings.awaiting_for(current_user),
                           mask=privacy.mask_text, title=warnings.warning_title, body=warnings.warning_body)


add_nav(NavItem("broadcast.ticker_list", _l("Tickers"), roles=MANAGERS, order=43))
add_nav(NavItem("broadcast.warning_list", _l("Official warnings"), roles=MANAGERS, order=44))
