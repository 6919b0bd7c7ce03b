"""Staff pages: the incidents each one is told of, the alert channels (administrators), the deliveries."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired
from wtforms.widgets import PasswordInput

from kiosk.accounts.permissions import staff_page
from kiosk.audit.sentences import ACTIONS, OBJECTS
from kiosk.core.errors import KioskError
from kiosk.extensions import db
from kiosk.incidents import operations as alerts
from kiosk.incidents.delivery import FAILING_AFTER
from kiosk.incidents.engine import condition_label, duration_text
from kiosk.incidents.models import ChannelKind, DeliveryEvent, DeliveryStatus
from kiosk.org.forms import unit_choices
from kiosk.org.models import Unit
from kiosk.staff import NavItem, add_nav
from kiosk.staff.views import DASHBOARD_PANELS

incidents_bp = Blueprint("incidents", __name__, url_prefix="/staff/incidents", template_folder="templates",
                         static_folder="static")

KIND_LABELS = {ChannelKind.wecom: _l("企业微信 group robot"), ChannelKind.dingtalk: _l("钉钉 group robot (signed)"),
               ChannelKind.webhook: _l("JSON webhook"), ChannelKind.email: _l("E-mail (SMTP, STARTTLS)")}
EVENT_LABELS = {DeliveryEvent.open: _l("opened"), DeliveryEvent.close: _l("resolved"),
                DeliveryEvent.digest: _l("morning digest"), DeliveryEvent.test: _l("test")}
STATUS_LABELS = {DeliveryStatus.pending: _l("waiting to be sent"), DeliveryStatus.sent: _l("sent"),
                 DeliveryStatus.failed: _l("failed")}


class EditChannelForm(FlaskForm):
    """A channel's fields; its unit and kind stay as they were made."""
    name = StringField(_l("Name"))
    url = StringField(_l("Webhook address"))
    markdown = BooleanField(_l("Send as Markdown"))
    secret = PasswordField(_l("Signing secret (钉钉) or bearer token (webhook)"), widget=PasswordInput(hide_value=False))
    forget_secret = BooleanField(_l("Remove the stored bearer token"))
    host = StringField(_l("Mail server"))
    port = StringField(_l("Port"), default="587")
    user = StringField(_l("User name"))
    password_env = StringField(_l("Environment variable holding the password"))
    sender = StringField(_l("Sender address"))
    to = TextAreaField(_l("Recipients"))


class ChannelForm(EditChannelForm):
    unit = SelectField(_l("Unit"), validators=[DataRequired()])
    kind = SelectField(_l("Kind"), choices=[SelectChoice(k.value, label) for k, label in KIND_LABELS.items()])


CHANNEL_FIELDS = ("name", "url", "markdown", "secret", "forget_secret", "host", "port", "user", "password_env",
                  "sender", "to")


def _typed(form: EditChannelForm, kind: str) -> alerts.ChannelInput:
    values = {name: getattr(form, name).data for name in CHANNEL_FIELDS}
    return alerts.ChannelInput(kind=kind, **{name: value if isinstance(value, bool) else value or ""
                                             for name, value in values.items()})


def _field_error(form: EditChannelForm, error: KioskError) -> None:
    getattr(form, error.details.get("field", "name"), form.name).errors.append(error.message)


def _helpers() -> dict:
    return {"condition_label": condition_label, "duration_text": duration_text, "kind_labels": KIND_LABELS,
            "event_labels": EVENT_LABELS, "status_labels": STATUS_LABELS, "masked_url": alerts.masked_url}


@incidents_bp.get("/")
@staff_page()
def index():
    return render_template("incidents/index.html", open=alerts.open_incidents_for(current_user),
                           closed=alerts.closed_incidents_for(current_user),
                           failing=alerts.failing_channels(current_user), **_helpers())


@incidents_bp.route("/channels", methods=["GET", "POST"])
@staff_page(*alerts.CHANNEL_ADMINS)
def channels():
    form = ChannelForm()
    form.unit.choices = unit_choices(current_user.unit)
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            unit = db.session.scalar(select(Unit).where(Unit.code == form.unit.data))
            try:
                channel = alerts.create_channel(current_user, unit, _typed(form, form.kind.data))
                db.session.commit()
                flash(_("Channel %(name)s saved. Send it a test message to check it.", name=channel.name))
                return redirect(url_for(".channel", channel_id=channel.id))
            except KioskError as error:
                db.session.rollback()
                _field_error(form, error)
    return render_template("incidents/channels.html", form=form, channels=alerts.channels_visible_to(current_user),
                           failing_after=FAILING_AFTER, **_helpers()), status


@incidents_bp.get("/channels/<int:channel_id>")
@staff_page(*alerts.CHANNEL_ADMINS)
def channel(channel_id):
    channel = alerts.get_channel_for(current_user, channel_id)
    return _channel_page(channel, EditChannelForm(obj=alerts.input_of(channel)))


def _channel_page(channel, form: EditChannelForm, status: int = 200):
    return render_template("incidents/channel.html", channel=channel, form=form, test=alerts.test_report(channel),
                           deliveries=alerts.deliveries_for(current_user, channel, limit=20),
                           failing_after=FAILING_AFTER, **_helpers()), status


@incidents_bp.post("/channels/<int:channel_id>")
@staff_page(*alerts.CHANNEL_ADMINS)
def channel_action(channel_id):
    channel = alerts.get_channel_for(current_user, channel_id)
    action, name = request.form.get("action"), channel.name
    if action == "save":
        form = EditChannelForm()
        if form.validate_on_submit():
            try:
                alerts.update_channel(current_user, channel, _typed(form, channel.kind.value))
                db.session.commit()
                flash(_("Channel %(name)s saved.", name=channel.name))
                return redirect(url_for(".channel", channel_id=channel.id)), 303
            except KioskError as error:
                db.session.rollback()
                _field_error(form, error)
        return _channel_page(channel, form, 400)
    if not FlaskForm().validate_on_submit():
        flash(_("The form expired; try again."), "error")
        return redirect(url_for(".channel", channel_id=channel.id)), 303
    try:
        if action == "test":
            alerts.queue_test(current_user, channel)
            db.session.commit()
            flash(_("Test message to %(name)s queued: its result shows here within seconds.", name=name))
        elif action in ("enable", "disable"):
            alerts.set_enabled(current_user, channel, action == "enable")
            db.session.commit()
        elif action == "delete":
            alerts.delete_channel(current_user, channel)
            db.session.commit()
            flash(_("Channel %(name)s removed.", name=name))
            return redirect(url_for(".channels")), 303
    except KioskError as error:
        db.session.rollback()
        flash(error.message, "error")
    return redirect(url_for(".channel", channel_id=channel.id)), 303


@incidents_bp.get("/deliveries")
@staff_page(*alerts.CHANNEL_ADMINS)
def deliveries():
    return render_template("incidents/deliveries.html", deliveries=alerts.deliveries_for(current_user),
                           **_helpers())


def _dashboard_panel():
    """Open incidents addressed to the viewer (their units and roles, or them by name), and failing channels."""
    incidents, failing = alerts.open_incidents_for(current_user), alerts.failing_channels(current_user)
    if not incidents and not failing:
        return None
    return {"title": _("Open incidents: %(n)d", n=len(incidents)), "template": "incidents/panel.html",
            "incidents": incidents[:10], "more": max(0, len(incidents) - 10), "failing": failing, **_helpers()}


DASHBOARD_PANELS.append(_dashboard_panel)
ACTIONS.update({"alert_channel.create": _lp("audit action", "added the alert channel"),
                "alert_channel.update": _lp("audit action", "switched on or off the alert channel"),
                "alert_channel.edit": _lp("audit action", "changed the alert channel"),
                "alert_channel.delete": _lp("audit action", "removed the alert channel"),
                "alert_channel.test": _lp("audit action", "sent a test message to the alert channel")})
OBJECTS["alert_channel"] = _l("alert channel")
add_nav(NavItem("incidents.index", _l("Incidents"), order=45))
add_nav(NavItem("incidents.channels", _l("Alert channels"), roles=alerts.CHANNEL_ADMINS, order=46))
