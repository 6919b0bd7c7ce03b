from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from kiosk.accounts.permissions import is_county_administrator, staff_page
from kiosk.core import clock
from kiosk.core.errors import InvalidInput, NotFound
from kiosk.extensions import db
from kiosk.staff import NavItem, add_nav
from kiosk.staff.views import DASHBOARD_PANELS
from kiosk.workdays import operations as ops
from kiosk.workdays.api import parse_day
from kiosk.workdays.models import DayKind

workdays_bp = Blueprint("workdays", __name__, url_prefix="/staff/holidays", template_folder="templates")


@workdays_bp.route("/", methods=["GET", "POST"])
@staff_page()
def holidays():
    year = request.args.get("year", type=int) or clock.local_today().year
    error = None
    if request.method == "POST":
        try:
            day = parse_day(request.form.get("day", ""))
            if request.form.get("action") == "clear":
                ops.clear_day(current_user, day)
            else:
                try:
                    kind = DayKind(request.form.get("kind", ""))
                except ValueError:
                    raise InvalidInput(_("Choose holiday or working day."))
                ops.set_day(current_user, day, kind, request.form.get("name", "").strip()[:40])
        except (InvalidInput, NotFound) as failure:
            db.session.rollback()
            error = failure.message
        else:
            db.session.commit()
            flash(_("Holiday table saved."))
            return redirect(url_for("workdays.holidays", year=day.year))
    return render_template("workdays/holidays.html", year=year, rows=ops.holidays_in(year), error=error,
                           can_edit=is_county_administrator(current_user),
                           missing_year=ops.year_without_holidays()), (400 if error else 200)


def _dashboard_panel():
    """From 1 November, tell county administrators (who keep the table) when next year's holidays are not in the table yet."""
    year = ops.year_without_holidays()
    if year is None or not is_county_administrator(current_user):
        return None
    return {"title": _("Holidays"), "template": "workdays/dashboard_panel.html", "year": year}


DASHBOARD_PANELS.append(_dashboard_panel)


add_nav(NavItem("workdays.holidays", _l("Holidays"), order=85))
