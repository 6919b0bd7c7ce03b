"""Staff pages: the annual report's editor and its DOCX/PDF, the county's overview of its townships'
reports, and the monthly and quarterly statements with CSV."""
from datetime import date
from urllib.parse import quote

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from kiosk.accounts.models import Role
from kiosk.accounts.permissions import can_act_on, ensure_can_act_on, staff_page
from kiosk.applications.outcomes import TABLE_THREE_COLUMNS, TABLE_THREE_ROWS
from kiosk.core import clock
from kiosk.core.errors import InvalidInput, KioskError
from kiosk.extensions import db
from kiosk.org.models import Unit
from kiosk.reports import drafting, operations as ops, tables
from kiosk.reports.document import table_four, table_three, table_two
from kiosk.reports.models import NormativeKind
from kiosk.reports.settings import FOLLOW_UP_CHOICES, follow_up_days, set_due_date, set_follow_up_days
from kiosk.reports.statements import parse_period, period_of, statement, statement_csv
from kiosk.reports.writers import docx_bytes, pdf_bytes
from kiosk.staff import NavItem, add_nav

reports_bp = Blueprint("reports", __name__, url_prefix="/staff/reports", template_folder="templates")
STATEMENT_ROLES = (Role.editor, Role.administrator, Role.reviewer, Role.screen_manager)


@reports_bp.get("/")
@staff_page(*ops.READ_ROLES)
def index():
    year = clock.local_today().year
    return render_template("reports/index.html", townships=ops.readable_townships(current_user),
                           years=list(range(year, year - 3, -1)), county=current_user.unit.parent_id is None
                           and current_user.has_role(Role.administrator))


def _editor_context(report, posted: ops.Typed | None = None) -> dict:
    if posted is None:
        three = ops.table_three_figures(report)
        posted = ops.Typed(ops.texts(report), report.typed or {},
                           {row: {c: str(three[row][c]) for c in TABLE_THREE_COLUMNS} for row in TABLE_THREE_ROWS},
                           {cell: str(v) for cell, v in (report.table_four or tables.empty_table_four()).items()})
    documents = ops.documents_counts(report)
    return {"report": report, "posted": posted, "sections": drafting.SECTIONS, "title": ops.title(report),
            "table_two": table_two(documents, {}), "typed_decisions": tables.TYPED_DECISIONS,
            "rows": tables.TABLE_THREE_ROWS, "row_labels": tables.ROW_LABELS, "columns": TABLE_THREE_COLUMNS,
            "column_labels": tables.COLUMN_HEADERS, "remedies": tables.REMEDIES, "results": tables.REMEDY_RESULTS,
            "normative": tables.normative_documents(ops.unit_ids(report)), "kinds": NormativeKind,
            "status": ops.status(report, report.unit, report.year),
            "can_edit": current_user.has_role(*ops.EDIT_ROLES)}


@reports_bp.route("/<code>/<int:year>", methods=["GET", "POST"])
@staff_page(*ops.READ_ROLES)
def editor(code, year):
    report = ops.report_for(current_user, ops.township_of(code), year)
    db.session.commit()
    if request.method == "GET":
        return render_template("reports/editor.html", **_editor_context(report))
    try:
        if "redraft" in request.form:
            ops.redraft(current_user, report, request.form["redraft"])
        else:
            ops.save_report(current_user, report, request.form)
    except InvalidInput as error:
        db.session.rollback()
        report = ops.report_for(current_user, ops.township_of(code), year)
        messages = [item["message"] for item in error.details.get("errors", [])] or [error.message]
        return render_template("reports/editor.html", errors=messages,
                               **_editor_context(report, ops.read_form(request.form))), 400
    db.session.commit()
    flash(_("The report is saved."))
    return redirect(url_for("reports.editor", code=code, year=year))


@reports_bp.post("/<code>/<int:year>/publish")
@staff_page(*ops.EDIT_ROLES)
def publish(code, year):
    report = ops.report_for(current_user, ops.township_of(code), year, *ops.EDIT_ROLES)
    try:
        ops.publish(current_user, report)
    except KioskError as error:
        if error.status in (403, 404):
            raise
        db.session.rollback()
        report = ops.report_for(current_user, ops.township_of(code), year)
        return render_template("reports/editor.html", errors=[error.message], **_editor_context(report)), error.status
    db.session.commit()
    flash(_("The report is submitted for review as a notice; once approved it is published with its QR code."))
    return redirect(url_for("reports.editor", code=code, year=year))


@reports_bp.post("/<code>/<int:year>/normative/<int:notice_id>")
@staff_page(*ops.EDIT_ROLES)
def normative(code, year, notice_id):
    report = ops.report_for(current_user, ops.township_of(code), year, *ops.EDIT_ROLES)
    try:
        kind = NormativeKind(request.form.get("kind", "normative"))
        text = request.form.get("repealed_on", "").strip()
        repealed_on = date.fromisoformat(text) if text else None
    except ValueError:
        db.session.rollback()
        return render_template("reports/editor.html", errors=[_("Give the day of repeal as 2026-06-30.")],
                               **_editor_context(report)), 400
    try:
        ops.set_normative(current_user, notice_id, kind, repealed_on)
    except InvalidInput as error:
        db.session.rollback()
        report = ops.report_for(current_user, ops.township_of(code), year)
        return render_template("reports/editor.html", errors=[error.message], **_editor_context(report)), 400
    db.session.commit()
    flash(_("The register of normative documents is saved."))
    return redirect(url_for("reports.editor", code=code, year=year) + "#normative")


def _download(data: bytes, filename: str, media_type: str) -> Response:
    return Response(data, content_type=media_type, headers={
        "Content-Disposition": f"attachment; filename=\"report.{filename.rsplit('.', 1)[1]}\"; "
                               f"filename*=UTF-8''{quote(filename)}"})


@reports_bp.get("/<code>/<int:year>.docx")
@staff_page(*ops.READ_ROLES)
def report_docx(code, year):
    report = ops.report_for(current_user, ops.township_of(code), year)
    document = ops.document(report)
    db.session.commit()
    return _download(docx_bytes(document), f"{document.title}.docx",
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


@reports_bp.get("/<code>/<int:year>.pdf")
@staff_page(*ops.READ_ROLES)
def report_pdf(code, year):
    report = ops.report_for(current_user, ops.township_of(code), year)
    document = ops.document(report)
    db.session.commit()
    return _download(pdf_bytes(document), f"{document.title}.pdf", "application/pdf")


def _county() -> Unit:
    unit = current_user.unit
    while unit.parent is not None:
        unit = unit.parent
    return unit


@reports_bp.route("/county/<int:year>", methods=["GET", "POST"])
@staff_page(Role.administrator)
def county(year):
    county_unit = _county()
    error = None
    if request.method == "POST":
        try:
            due = date.fromisoformat(request.form.get("due", "").strip())
            set_due_date(current_user, county_unit, due.month, due.day)
        except ValueError:
            error = _("Choose a real day of the year for the reports to be due.")
        except InvalidInput as refused:
            error = refused.message
        if error is None:
            db.session.commit()
            flash(_("The due date is saved."))
            return redirect(url_for("reports.county", year=year))
        db.session.rollback()
    view = ops.county_view(current_user, county_unit, year)
    return render_template("reports/county.html", view=view, county=county_unit, error=error,
                           table_two=table_two(view.documents, view.typed),
                           table_three=table_three(view.three), table_four=table_four(view.four)), \
        400 if error else 200


def _statement_township(code: str | None) -> Unit:
    townships = ops.readable_townships(current_user)
    if not townships:
        township = current_user.unit.township
        if township is None:
            raise InvalidInput(_("Your account belongs to no township."))
        ensure_can_act_on(current_user, township)
    chosen = next((t for t in townships if t.code == code), None) if code else None
    return chosen or townships[0]


@reports_bp.route("/statements", methods=["GET", "POST"])
@staff_page(*STATEMENT_ROLES)
def statements():
    township = _statement_township(request.args.get("unit"))
    error = None
    if request.method == "POST":
        try:
            set_follow_up_days(current_user, township, int(request.form.get("follow_up_days", "0") or 0))
            db.session.commit()
            flash(_("The follow-up deadline is saved."))
            return redirect(url_for("reports.statements", unit=township.code, period=request.args.get("period")))
        except (ValueError, InvalidInput) as refused:
            db.session.rollback()
            error = getattr(refused, "message", None) or _("A bad rating is followed up within 5, 7 or 15 working days.")
    code = request.args.get("period") or period_of(clock.local_today()).code
    period = parse_period(code)
    return render_template("reports/statements.html", st=statement(township, period), error=error,
                           townships=ops.readable_townships(current_user), choices=FOLLOW_UP_CHOICES,
                           deadline=follow_up_days(township), this_month=period_of(clock.local_today()).code,
                           this_quarter=period_of(clock.local_today(), quarter=True).code,
                           can_configure=current_user.has_role(Role.administrator)
                           and can_act_on(current_user, township)), 400 if error else 200


@reports_bp.get("/statements.csv")
@staff_page(*STATEMENT_ROLES)
def statements_csv():
    township = _statement_township(request.args.get("unit"))
    period = parse_period(request.args.get("period") or period_of(clock.local_today()).code)
    return Response(statement_csv(statement(township, period)), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="statement-{township.code}-{period.code}.csv"'})


add_nav(NavItem("reports.index", _l("Annual report"), roles=ops.READ_ROLES, order=47))
add_nav(NavItem("reports.statements", _l("Statements"), roles=STATEMENT_ROLES, order=48))
