"""Staff pages of the queue: set-up, the clerk's window page and rating tablet, statistics,
and follow-ups."""
from datetime import date

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from kiosk.accounts.models import Role
from kiosk.accounts.permissions import staff_page
from kiosk.core.errors import InvalidInput, KioskError
from kiosk.extensions import db
from kiosk.queue import operations as ops
from kiosk.queue.forms import FollowUpForm, ServiceForm, WindowForm
from kiosk.queue.public import rating_levels
from kiosk.queue.stats import queue_stats, stats_csv, stats_range
from kiosk.staff import NavItem, add_nav

queue_bp = Blueprint("queue", __name__, url_prefix="/queue", template_folder="templates",
                     static_folder="static", static_url_path="/static")
QUEUE_ROLES = (Role.administrator, Role.reviewer, Role.window_clerk)


@queue_bp.get("/")
@staff_page(*QUEUE_ROLES)
def index():
    halls = ops.halls_for(current_user)
    return render_template("queue/index.html", halls=[(hall, ops.windows_of(hall)) for hall in halls])


# --- set-up ------------------------------------------------------------------------------

def _service_from_form(form: ServiceForm, hall, service=None):
    hours = ops.parse_hours({day: field.data for day, field in enumerate(form.hour_fields(), start=1)})
    return ops.save_service(current_user, hall, prefix=form.prefix.data, name=form.name.data,
                            daily_cap=form.daily_cap.data, hours=hours, materials=form.materials.data or "",
                            active=form.active.data, service=service)


def _save_or_show(form, save, template: str, **context):
    """Validate, save and commit; on a rule error show it next to the form (HTTP 400)."""
    error = None
    if form.validate_on_submit():
        try:
            save()
        except KioskError as failure:
            db.session.rollback()
            error = failure.message
        else:
            db.session.commit()
            flash(_("Saved."), "ok")
            return redirect(request.path)
    status = 400 if request.method == "POST" else 200
    return render_template(template, form=form, error=error, **context), status


@queue_bp.route("/halls/<code>/services", methods=["GET", "POST"])
@staff_page(Role.administrator)
def services(code):
    hall = ops.get_hall(code)
    ops.ensure_hall_role(current_user, hall, Role.administrator)
    form = ServiceForm()
    return _save_or_show(form, lambda: _service_from_form(form, hall), "queue/services.html", hall=hall,
                         services=ops.services_of(hall), editing=None, hours_text=ops.hours_text)


@queue_bp.route("/services/<int:service_id>", methods=["GET", "POST"])
@staff_page(Role.administrator)
def edit_service(service_id):
    service = ops.get_service(service_id)
    ops.ensure_hall_role(current_user, service.hall, Role.administrator)
    form = ServiceForm(obj=service)
    if request.method == "GET":
        for day, field in enumerate(form.hour_fields(), start=1):
            field.data = ops.hours_text(service.hours, day)
    return _save_or_show(form, lambda: _service_from_form(form, service.hall, service), "queue/services.html",
                         hall=service.hall, services=ops.services_of(service.hall), editing=service,
                         hours_text=ops.hours_text)


def _window_from_form(form: WindowForm, hall, window=None):
    by_prefix = {service.prefix: service.id for service in ops.services_of(hall)}
    prefixes = [part.strip().upper() for part in form.services.data.replace("，", ",").split(",") if part.strip()]
    unknown = [prefix for prefix in prefixes if prefix not in by_prefix]
    if unknown:
        raise InvalidInput(_("No service has the prefix %(prefixes)s.", prefixes=", ".join(unknown)))
    return ops.save_window(current_user, hall, number=form.number.data,
                           service_ids=[by_prefix[prefix] for prefix in prefixes], paused=form.paused.data,
                           priority_first=form.priority_first.data, window=window)


@queue_bp.route("/halls/<code>/windows", methods=["GET", "POST"])
@staff_page(Role.administrator)
def windows(code):
    hall = ops.get_hall(code)
    ops.ensure_hall_role(current_user, hall, Role.administrator)
    form = WindowForm()
    return _save_or_show(form, lambda: _window_from_form(form, hall), "queue/windows.html", hall=hall,
                         windows=ops.windows_of(hall), editing=None)


@queue_bp.route("/windows/<int:window_id>/edit", methods=["GET", "POST"])
@staff_page(Role.administrator)
def edit_window(window_id):
    window = ops.get_window(window_id)
    ops.ensure_hall_role(current_user, window.hall, Role.administrator)
    form = WindowForm(obj=window)
    if request.method == "GET":
        form.services.data = ", ".join(service.prefix for service in window.services)
    return _save_or_show(form, lambda: _window_from_form(form, window.hall, window), "queue/windows.html",
                         hall=window.hall, windows=ops.windows_of(window.hall), editing=window)


# --- the window --------------------------------------------------------------------------

@queue_bp.get("/windows/<int:window_id>")
@staff_page(Role.window_clerk, Role.administrator)
def clerk(window_id):
    window = ops.get_window(window_id)
    ops.ensure_hall_role(current_user, window.hall, *ops.HALL_STAFF)
    return render_template("queue/clerk.html", window=window, hall=window.hall,
                           services=ops.services_of(window.hall, active_only=True))


@queue_bp.get("/windows/<int:window_id>/tablet")
@staff_page(Role.window_clerk, Role.administrator)
def tablet(window_id):
    """The visitor-facing tablet at the window: the five rating levels after each service."""
    window = ops.get_window(window_id)
    ops.ensure_hall_role(current_user, window.hall, *ops.HALL_STAFF)
    return render_template("queue/tablet.html", window=window, hall=window.hall,
                           levels=rating_levels())


# --- statistics and follow-ups -------------------------------------------------------------

def _day(name: str) -> date | None:
    value = request.args.get(name)
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise InvalidInput(_("Dates are written YYYY-MM-DD."))


@queue_bp.get("/halls/<code>/stats")
@staff_page(*QUEUE_ROLES)
def stats(code):
    hall = ops.get_hall(code)
    ops.ensure_hall_role(current_user, hall, *QUEUE_ROLES)
    first, last = stats_range(_day("from"), _day("to"))
    figures = queue_stats(hall, first, last)
    if request.args.get("format") == "csv":
        filename = f"queue-{hall.code}-{first}-{last}.csv"
        return Response(stats_csv(figures), mimetype="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f"attachment; filename={filename}"})
    return render_template("queue/stats.html", hall=hall, stats=figures, first=first, last=last)


@queue_bp.get("/halls/<code>/follow-ups")
@staff_page(*QUEUE_ROLES)
def follow_ups(code):
    hall = ops.get_hall(code)
    ops.ensure_hall_role(current_user, hall, *QUEUE_ROLES)
    show_all = request.args.get("all") == "1"
    return render_template("queue/follow_ups.html", hall=hall, items=ops.follow_ups(hall, open_only=not show_all),
                           show_all=show_all, form=FollowUpForm(), rating_label=ops.rating_label)


@queue_bp.post("/follow-ups/<int:follow_up_id>/close")
@staff_page(Role.administrator, Role.reviewer)
def close_follow_up(follow_up_id):
    form = FollowUpForm()
    if not form.validate_on_submit():
        raise InvalidInput(_("Describe the action taken (at least a few words)."))
    follow_up = ops.close_follow_up(current_user, follow_up_id, form.action_taken.data)
    db.session.commit()
    flash(_("Follow-up closed."), "ok")
    return redirect(url_for("queue.follow_ups", code=follow_up.rating.ticket.hall.code))


add_nav(NavItem("queue.index", _l("Service hall queue"), roles=QUEUE_ROLES, order=40))
