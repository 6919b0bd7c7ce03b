"""Someone must be told: a township's annual report not submitted by the county's date (the county's
administrators, and the township's own). The incidents engine evaluates it; a test calls `find`."""
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from kiosk.core import clock
from kiosk.extensions import db
from kiosk.incidents.conditions import Finding, condition
from kiosk.org.models import Unit, UnitKind
from kiosk.reports.models import AnnualReport
from kiosk.reports.operations import STATUS_DRAFT, status


@condition("reports.annual_late", label=_l("Annual report late"), roles=("administrator",))
def late_annual_reports(now: datetime):
    """Last year's report of each township still a draft after the county's date."""
    year = clock.to_local(now).year - 1
    townships = db.session.scalars(select(Unit).where(Unit.kind == UnitKind.township).order_by(Unit.id)).all()
    reports = {r.unit_id: r for r in db.session.scalars(select(AnnualReport).where(AnnualReport.year == year))}
    for township in townships:
        state = status(reports.get(township.id), township, year)
        if state.code == STATUS_DRAFT and clock.to_local(now).date() > state.due:
            title = _("%(township)s has not submitted its annual report for %(year)s (due %(day)s).",
                      township=township.name, year=year, day=state.due)
            link = f"/staff/reports/{township.code}/{year}"
            yield Finding(key=f"annual_report:{township.id}:{year}", unit_id=township.id, title=title, link=link)
            if township.parent_id is not None:
                yield Finding(key=f"annual_report:{township.id}:{year}:county", unit_id=township.parent_id,
                              title=title, link=f"/staff/reports/county/{year}")
