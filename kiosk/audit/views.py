"""The audit log page: entries as Chinese sentences, filters, and the CSV export for 纪检."""
import csv
import io
from datetime import date

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from kiosk.accounts.permissions import ensure_may_read_audit_log, staff_page
from kiosk.audit.anchor import current_head
from kiosk.audit.chain import verify
from kiosk.audit import sentences
from kiosk.audit.queries import AuditFilter, entries_visible_to, kinds_visible_to, people_visible_to, units_visible_to
from kiosk.core import clock
from kiosk.core.errors import InvalidInput
from kiosk.staff import NavItem, add_nav

audit_bp = Blueprint("audit", __name__, url_prefix="/staff/audit", template_folder="templates",
                     static_folder="static", static_url_path="/static")

PAGE_SIZE = 200
EXPORT_LIMIT = 100_000


def _day(name: str) -> date | None:
    text = request.args.get(name, "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(_("Dates are written YYYY-MM-DD, e.g. 2026-11-28."), details={"field": name})


def _filters() -> AuditFilter:
    return AuditFilter(person=request.args.get("person") or None, unit=request.args.get("unit") or None,
                       kind=request.args.get("kind") or None, since=_day("since"), until=_day("until"),
                       action=request.args.get("action") or None)


@audit_bp.get("/")
@staff_page()
def audit_log():
    ensure_may_read_audit_log(current_user)
    filters = _filters()
    people = people_visible_to(current_user)
    entries = entries_visible_to(current_user, limit=PAGE_SIZE, before_id=request.args.get("before", type=int),
                                 filters=filters)
    return render_template("audit/log.html", sentences=[sentences.describe(e, people) for e in entries],
                           filters=filters, people=people, units=units_visible_to(current_user),
                           kinds={kind: sentences.object_label(kind) for kind in kinds_visible_to(current_user)},
                           page_size=PAGE_SIZE, chain=verify(), head=current_head())


@audit_bp.get("/head.txt")
@staff_page()
def audit_head():
    """The chain's head with its time, signed: a copy to keep where a rewriter of the database cannot reach."""
    ensure_may_read_audit_log(current_user)
    name = f"audit-head-{clock.local_today().isoformat()}.txt"
    return Response(current_head().statement(), mimetype="text/plain; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@audit_bp.get("/export.csv")
@staff_page()
def audit_export():
    """The filtered log as CSV with a byte-order mark, so Excel opens the Chinese correctly."""
    ensure_may_read_audit_log(current_user)
    people = people_visible_to(current_user)
    entries = entries_visible_to(current_user, limit=EXPORT_LIMIT, filters=_filters())
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Time"), _("Who"), _("Unit"), _("What was done"), _("Kind"), _("Item"), _("Changes"),
                     _("Reason"), _("Entry number")])
    for entry in entries:
        said = sentences.describe(entry, people)
        writer.writerow([clock.to_local(entry.at).strftime("%Y-%m-%d %H:%M:%S"), said.who, said.unit, said.action,
                         said.item_kind, said.item, _("; ").join(f"{c.field}: {c.before} → {c.after}"
                                                                 for c in said.changes),
                         entry.reason, entry.id])
    name = f"audit-{clock.local_today().isoformat()}.csv"
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


add_nav(NavItem("audit.audit_log", _l("Audit log"), order=90))
