"""Staff pages for screens: status, pairing, groups, rotations, pictures, urgent notices."""
from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import pgettext
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select
from wtforms import DateTimeLocalField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from kiosk.accounts.permissions import staff_page
from kiosk.core import clock
from kiosk.core.errors import InvalidInput, KioskError
from kiosk.extensions import db
from kiosk.org.models import Unit, UnitKind
from kiosk.org.forms import choices_by_unit, unit_choices
from kiosk.screens import commands, dayparts, images, power, providers, rotations, urgent
from kiosk.screens import operations as screens
from kiosk.screens.api import player_outdated
from kiosk.screens.conditions import Silence, silent_screens
from kiosk.screens.hours import DAY_KEYS
from kiosk.screens.models import CommandKind, ScreenConnection, ScreenKind, SlideKind
from kiosk.screens.operations import MANAGERS
from kiosk.screens.state import choose_rotation
from kiosk.staff import NavItem, add_nav
from kiosk.staff.views import DASHBOARD_PANELS
from kiosk.video.operations import videos_visible_to

screens_bp = Blueprint("screens", __name__, url_prefix="/staff/screens", template_folder="templates",
                       static_folder="static")

KIND_LABELS = {ScreenKind.noticeboard_portrait: _l("Noticeboard (portrait)"),
               ScreenKind.noticeboard_landscape: _l("Noticeboard (landscape)"),
               ScreenKind.hall_board: _l("Hall board"), ScreenKind.touch_kiosk: _l("Touch kiosk"),
               ScreenKind.image_board: _l("Image-only board (polls a picture)")}
SLIDE_LABELS = {SlideKind.notice: _l("Notices"), SlideKind.image: _l("Picture"), SlideKind.qr: _l("QR card"),
                SlideKind.queue: _l("Queue status"), SlideKind.clock: _l("Clock and welcome"),
                SlideKind.video: _l("Video")}


class ScreenForm(FlaskForm):
    name = StringField(_l("Screen name"), validators=[DataRequired(), Length(max=80)])
    unit = SelectField(_l("Place"), validators=[DataRequired()])
    kind = SelectField(_l("Kind"), choices=[SelectChoice(k.value, label) for k, label in KIND_LABELS.items()])
    groups = SelectMultipleField(_l("Groups"), coerce=int)


class PairForm(FlaskForm):
    code = StringField(_l("Code shown on the screen"), validators=[DataRequired(), Regexp(r"^\s*\d{3}\s?\d{3}\s*$",
                       message=_l("The code is six digits."))])
    screen = SelectField(_l("Screen"), coerce=int)


class GroupForm(FlaskForm):
    unit = SelectField(_l("Unit"), validators=[DataRequired()])
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40), Regexp(
        r"^[a-z0-9][a-z0-9-]*$", message=_l("Lower-case letters, digits and hyphens."))])
    name = StringField(_l("Group name"), validators=[DataRequired(), Length(max=80)])


class MembershipForm(FlaskForm):
    name = StringField(_l("Screen name"), validators=[DataRequired(), Length(max=80)])
    groups = SelectMultipleField(_l("Groups"), coerce=int)


class UrgentForm(FlaskForm):
    unit = SelectField(_l("Published by"), validators=[DataRequired()])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=120)])
    body = TextAreaField(_l("Text"), validators=[Length(max=2000)])
    groups = SelectMultipleField(_l("Screen groups"), coerce=int, validators=[DataRequired()])
    ends_at = DateTimeLocalField(_l("Show until (empty: until cleared)"), format="%Y-%m-%dT%H:%M",
                                 validators=[Optional()])


class ImageForm(FlaskForm):
    unit = SelectField(_l("Unit"), validators=[DataRequired()])
    picture = FileField(_l("Picture (JPEG, PNG or WebP)"), validators=[FileRequired()])


DAY_LABELS = {"mon": _l("Monday"), "tue": _l("Tuesday"), "wed": _l("Wednesday"), "thu": _l("Thursday"),
              "fri": _l("Friday"), "sat": _l("Saturday"), "sun": _l("Sunday"), "holiday": _l("Public holidays"),
              "makeup": _l("Make-up working days")}


class HoursForm(FlaskForm):
    """A week as staff type it: per day "07:00-12:00, 14:00-17:30" (empty: off that day)."""


for _key in DAY_KEYS:
    setattr(HoursForm, _key, StringField(DAY_LABELS[_key], validators=[Length(max=200)]))


class GroupHoursForm(HoursForm):
    minutes = IntegerField(_l("Alert when a screen that should be on is silent for (minutes)"),
                           validators=[InputRequired(), NumberRange(*power.ALERT_MINUTES)])


def _hours_form(form_class, week: dict | None, **extra):
    """The form filled from the stored week; on a POST of this form, what was typed (kept on an error)."""
    return form_class(**power.week_as_text(week), **extra)


def _typed_week(form: HoursForm) -> dict:
    try:
        return power.week_from_text({key: form[key].data for key in DAY_KEYS})
    except KioskError as error:
        field = (error.details or {}).get("field")
        (form[field] if field in DAY_KEYS else form.mon).errors = [error.message]
        raise


def _command_kind() -> CommandKind:
    try:
        return CommandKind(request.form.get("command", ""))
    except ValueError:
        raise InvalidInput(_("Choose a command.")) from None


def showing_label(now_showing: dict | None) -> str:
    """What a screen reported showing: the notice's title, or the kind of slide in words."""
    now_showing = now_showing or {}
    if now_showing.get("title"):
        return now_showing["title"]
    kind = now_showing.get("kind")
    return str(SLIDE_LABELS.get(SlideKind(kind), "")) if kind in SlideKind.__members__ else ""


def _group_choices():
    return choices_by_unit(screens.groups_visible_to(current_user))


def _groups(ids):
    return [screens.get_group_for(current_user, gid) for gid in ids]


def _submitted(form: FlaskForm, name: str) -> bool:
    """Several forms share a page; each posts its name in `form`."""
    return request.form.get("form") == name and form.validate_on_submit()


def _unit(code: str) -> Unit:
    return db.session.scalar(select(Unit).where(Unit.code == code))


def _print_villages(visible) -> list:
    """The villages with screens on this page: each gets a link to its A4 sheets for the paper board."""
    return sorted({screen.unit for screen in visible if screen.unit.kind == UnitKind.village}, key=lambda u: u.path)


@screens_bp.route("/", methods=["GET", "POST"])
@staff_page(*MANAGERS)
def index():
    visible = screens.screens_visible_to(current_user)
    create, pair, group = ScreenForm(prefix="new"), PairForm(prefix="pair"), GroupForm(prefix="group")
    create.unit.choices = group.unit.choices = unit_choices(current_user.unit)
    create.groups.choices = _group_choices()
    pair.screen.choices = choices_by_unit(visible)
    created_url = None
    try:
        if _submitted(create, "new"):
            screen, token = screens.create_screen(current_user, _unit(create.unit.data), ScreenKind(create.kind.data),
                                                  create.name.data, _groups(create.groups.data))
            db.session.commit()
            created_url = screens.player_url(token, screen.kind)
            # the new screen belongs in the table and the pairing list of the page we return
            visible = screens.screens_visible_to(current_user)
            pair.screen.choices = choices_by_unit(visible)
            flash(_("Screen %(name)s registered. Open the player link below on that screen.", name=screen.name))
        elif _submitted(pair, "pair"):
            screen = screens.get_screen_for(current_user, pair.screen.data)
            screens.pair_screen(current_user, pair.code.data.replace(" ", ""), screen)
            db.session.commit()
            flash(_("Paired: the screen becomes %(name)s within a few seconds.", name=screen.name))
            return redirect(url_for(".index"))
        elif _submitted(group, "group"):
            screens.create_group(current_user, _unit(group.unit.data), group.code.data, group.name.data)
            db.session.commit()
            flash(_("Screen group created."))
            return redirect(url_for(".index"))
    except KioskError as error:
        db.session.rollback()
        flash(error.message, "error")
    status = 400 if request.method == "POST" and created_url is None else 200
    return render_template("screens/index.html", screens=visible, long_offline=offline_too_long(visible),
                           offline_for=screens.offline_for, kinds=KIND_LABELS, create=create, pair=pair,
                           showing_label=showing_label, print_villages=_print_villages(visible),
                           group=group, created_url=created_url,
                           outdated=player_outdated,
                           groups=screens.groups_visible_to(current_user)), status


@screens_bp.route("/<int:screen_id>", methods=["GET", "POST"])
@staff_page(*MANAGERS)
def detail(screen_id):
    screen = screens.get_screen_for(current_user, screen_id)
    form = MembershipForm(obj=screen)
    form.groups.choices = _group_choices()
    if request.method == "GET":
        form.groups.data = [m.group_id for m in screen.memberships]
    source, source_groups = power.effective_source(screen)
    # A screen following its groups starts from their hours, to change what differs.
    hours = _hours_form(HoursForm, power.own_week(screen) or next(
        (power.group_week(group) for group in source_groups), None), prefix="hours")
    new_url = None
    status = 200
    try:
        if _submitted(hours, "hours"):
            status = 400
            week = None if request.form.get("action") == "clear" else _typed_week(hours)
            power.set_screen_hours(current_user, screen, week)
            db.session.commit()
            flash(_("On-hours saved; the screen was told.") if week else
                  _("The screen follows its groups' on-hours again."))
            return redirect(url_for(".detail", screen_id=screen.id))
        if request.method == "POST" and request.form.get("form") == "command" and form.validate_on_submit():
            commands.send_command(current_user, _command_kind(), screen)
            db.session.commit()
            return redirect(url_for(".detail", screen_id=screen.id) + "#commands")
        if request.method == "POST" and request.form.get("form") in ("hours", "command"):
            status = 400
        elif request.method == "POST" and request.form.get("action") == "revoke" and form.validate_on_submit():
            screens.revoke_screen(current_user, screen)
            db.session.commit()
            flash(_("Revoked: the screen now shows “not registered”."))
            return redirect(url_for(".detail", screen_id=screen.id))
        elif request.method == "POST" and request.form.get("action") == "reissue" and form.validate_on_submit():
            new_url = screens.player_url(screens.reissue_token(current_user, screen), screen.kind)
            db.session.commit()
        elif form.validate_on_submit():
            screens.update_screen(current_user, screen, form.name.data, _groups(form.groups.data))
            db.session.commit()
            flash(_("Saved; the screen was told."))
            return redirect(url_for(".detail", screen_id=screen.id))
    except KioskError as error:
        db.session.rollback()
        status = 400
        if not any(hours[key].errors for key in DAY_KEYS):
            flash(error.message, "error")
    connections = list(db.session.scalars(select(ScreenConnection).where(ScreenConnection.screen_id == screen.id)
                                          .order_by(ScreenConnection.id.desc()).limit(20)))
    return render_template("screens/detail.html", screen=screen, form=form, choice=choose_rotation(screen),
                           connections=connections, offline=screens.offline_for(screen), kinds=KIND_LABELS,
                           showing_label=showing_label, hours=hours, hours_source=source,
                           source_groups=source_groups, presets=_presets(), commands=commands.commands_of(screen),
                           **_command_words(), new_url=new_url), status


def _presets() -> list[tuple[str, dict]]:
    return [(str(label), power.week_as_text(week)) for label, week in power.PRESETS.values()]


def _command_words() -> dict:
    return {"command_labels": commands.KIND_LABELS, "source_labels": commands.SOURCE_LABELS,
            "command_status": commands.status, "outdated": player_outdated,
            "status_labels": {"waiting": pgettext("command status", "waiting"),
                              "delivered": pgettext("command status", "delivered"),
                              "answered": pgettext("command status", "answered"),
                              "failed": pgettext("command status", "failed"),
                              "expired": pgettext("command status", "expired")}}


@screens_bp.route("/groups/<int:group_id>", methods=["GET", "POST"])
@staff_page(*MANAGERS)
def group_detail(group_id):
    """A group's on-hours, offline alert delay, and commands to all its screens."""
    group = screens.get_group_for(current_user, group_id)
    hours = _hours_form(GroupHoursForm, power.group_week(group), prefix="hours",
                        minutes=group.offline_alert_minutes)
    command_form = FlaskForm(prefix="command")
    status = 200
    try:
        if _submitted(hours, "hours"):
            status = 400
            week = None if request.form.get("action") == "clear" else _typed_week(hours)
            power.set_group_hours(current_user, group, week, hours.minutes.data)
            db.session.commit()
            flash(_("On-hours saved; the group's screens were told."))
            return redirect(url_for(".group_detail", group_id=group.id))
        if _submitted(command_form, "command"):
            sent = commands.send_to_group(current_user, _command_kind(), group)
            db.session.commit()
            flash(_("Sent to %(n)d screens.", n=len(sent)))
            return redirect(url_for(".group_detail", group_id=group.id) + "#commands")
        if request.method == "POST":
            status = 400
    except KioskError as error:
        db.session.rollback()
        if not any(hours[key].errors for key in DAY_KEYS):
            flash(error.message, "error")
    return render_template("screens/group.html", group=group, hours=hours, command_form=command_form,
                           presets=_presets(), commands=commands.group_commands(group), kinds=KIND_LABELS,
                           **_command_words()), status


@screens_bp.get("/commands/<int:command_id>/screenshot")
@staff_page(*MANAGERS)
def command_screenshot(command_id):
    path = commands.screenshot_path(commands.get_command_for(current_user, command_id))
    return send_file(path, mimetype="image/jpeg" if path.suffix == ".jpg" else "image/png", max_age=0)


@screens_bp.get("/rotations/")
@staff_page(*MANAGERS)
def rotation_list():
    return render_template("screens/rotations.html", rotations=rotations.rotations_visible_to(current_user),
                           describe=dayparts.describe, slide_labels=SLIDE_LABELS)


@screens_bp.get("/rotations/new")
@screens_bp.get("/rotations/<int:rotation_id>")
@staff_page(*MANAGERS)
def rotation_editor(rotation_id=None):
    rotation = rotations.get_rotation_for(current_user, rotation_id) if rotation_id else None
    groups = screens.groups_visible_to(current_user)
    return render_template(
        "screens/rotation_editor.html", rotation=rotation,
        data=rotations.rotation_as_input(rotation) if rotation else None,
        units=unit_choices(current_user.unit), groups=[{"unit": g.unit.code, "code": g.code, "name": g.name} for g in groups],
        images=[{"id": i.id, "name": i.name} for i in images.images_visible_to(current_user)],
        videos=[{"id": v.id, "name": v.name, "approved": v.playable} for v in videos_visible_to(current_user)],
        categories=[[code, name] for code, name in providers.notice_categories().items()],
        notices=[[notice_id, title] for notice_id, title in providers.notices_to_pick(current_user.unit).items()],
        halls=[[u.code, u.name] for u in _halls()],
        screens=screens.screens_visible_to(current_user),
        slide_labels={k.value: str(v) for k, v in SLIDE_LABELS.items()})


def _halls() -> list[Unit]:
    scope = current_user.unit.township or current_user.unit
    return list(db.session.scalars(select(Unit).where(Unit.path.startswith(scope.path), Unit.kind == UnitKind.hall)
                                   .order_by(Unit.path)))


@screens_bp.route("/images", methods=["GET", "POST"])
@staff_page(*MANAGERS)
def image_library():
    form = ImageForm()
    form.unit.choices = unit_choices(current_user.unit)
    if form.validate_on_submit():
        upload = form.picture.data
        try:
            images.store_image(current_user, _unit(form.unit.data), upload.stream, upload.filename)
            db.session.commit()
            flash(_("Picture uploaded."))
            return redirect(url_for(".image_library"))
        except KioskError as error:
            db.session.rollback()
            form.picture.errors.append(error.message)
    status = 400 if request.method == "POST" else 200
    return render_template("screens/images.html", form=form, images=images.images_visible_to(current_user)), status


@screens_bp.route("/urgent", methods=["GET", "POST"])
@staff_page(*MANAGERS)
def urgent_list():
    form = UrgentForm()
    form.unit.choices = unit_choices(current_user.unit)
    form.groups.choices = _group_choices()
    if form.validate_on_submit():
        ends_at = form.ends_at.data.replace(tzinfo=clock.local_zone()) if form.ends_at.data else None
        try:
            notice = urgent.create_urgent(current_user, _unit(form.unit.data), form.title.data, form.body.data or "",
                                          _groups(form.groups.data), ends_at)
            db.session.commit()
            return redirect(url_for(".urgent_detail", urgent_id=notice.id))
        except KioskError as error:
            db.session.rollback()
            form.title.errors.append(error.message)
    status = 400 if request.method == "POST" else 200
    return render_template("screens/urgent.html", form=form, notices=urgent.urgent_visible_to(current_user),
                           now=clock.now()), status


@screens_bp.route("/urgent/<int:urgent_id>", methods=["GET", "POST"])
@staff_page(*MANAGERS)
def urgent_detail(urgent_id):
    notice = urgent.get_urgent_for(current_user, urgent_id)
    form = FlaskForm()
    if form.validate_on_submit():
        try:
            urgent.clear_urgent(current_user, notice)
            db.session.commit()
            flash(_("Cleared: the screens return to their rotation."))
        except KioskError as error:
            db.session.rollback()
            flash(error.message, "error")
        return redirect(url_for(".urgent_detail", urgent_id=notice.id))
    return render_template("screens/urgent_detail.html", notice=notice, form=form,
                           arrivals=urgent.arrival_status(notice))


def offline_too_long(visible) -> dict[int, Silence]:
    """Of these screens, those silent in on-hours for their group's delay (the offline alert's own rule)."""
    ids = {screen.id for screen in visible}
    return {silence.screen.id: silence for silence in silent_screens(clock.now())
            if silence.overdue and silence.screen.id in ids}


def offline_panel():
    """Dashboard panel: screens that are offline now."""
    if not current_user.has_role(*MANAGERS):
        return None
    visible = screens.screens_visible_to(current_user)
    offline = [(s, screens.offline_for(s)) for s in visible if s.registered and not s.online]
    return {"title": _("Screens offline: %(n)d of %(total)d", n=len(offline), total=len(visible)),
            "template": "screens/panel.html", "offline": offline,
            "too_long": offline_too_long(visible)}


DASHBOARD_PANELS.append(offline_panel)
add_nav(NavItem("screens.index", _l("Screens"), roles=MANAGERS, order=40))
add_nav(NavItem("screens.rotation_list", _l("Rotations"), roles=MANAGERS, order=41))
add_nav(NavItem("screens.urgent_list", _l("Urgent notices"), roles=MANAGERS, order=42))
