"""The rules of the annual report: who may see and change it, saving what staff typed (all or
nothing, the balance rule enforced), publishing it as a notice through the normal review, its
status for the county, and the county's sum of its townships' tables."""
import io
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from kiosk.accounts.models import Role, User
from kiosk.accounts.permissions import can_act_on, ensure_can_act_on, ensure_role
from kiosk.audit.operations import audited, record_change
from kiosk.core import clock
from kiosk.core.errors import InvalidInput, NotFound
from kiosk.disclosures import operations as notices
from kiosk.disclosures.models import LIVE_STATES, NoticeState
from kiosk.extensions import db
from kiosk.files import IMAGE_OR_PDF, check_upload
from kiosk.org.models import Unit, UnitKind
from kiosk.reports import drafting, tables
from kiosk.reports.activity import units_below
from kiosk.reports.document import Document, build, markdown
from kiosk.reports.models import AnnualReport, NormativeDocument, NormativeKind
from kiosk.reports.settings import due_date
from kiosk.reports.writers import pdf_bytes

EDIT_ROLES = (Role.editor, Role.administrator)
READ_ROLES = (Role.editor, Role.administrator, Role.reviewer)
CATEGORY = "annual_report"
SECTIONS = tuple(drafting.SECTIONS)


def township_of(code: str) -> Unit:
    unit = db.session.scalar(select(Unit).where(Unit.code == code))
    if unit is None or unit.kind != UnitKind.township:
        raise NotFound(_("There is no township %(code)s.", code=code))
    return unit


def check_year(year: int) -> int:
    if not 2008 <= year <= clock.local_today().year:
        raise NotFound(_("There is no report for the year %(year)s.", year=year))
    return year


def report_for(user: User, township: Unit, year: int, *roles: Role) -> AnnualReport:
    """The township's report for the year (made on first use), for a user of that township or above."""
    ensure_role(user, *(roles or READ_ROLES))
    ensure_can_act_on(user, township)
    report = existing_or_new(township, year)
    if report.id is None:
        db.session.add(report)
        db.session.flush()
    return report


def existing_or_new(township: Unit, year: int) -> AnnualReport:
    """The township's saved report for the year, or a new one not yet added to the session."""
    check_year(year)
    report = db.session.scalar(select(AnnualReport).where(AnnualReport.unit_id == township.id,
                                                          AnnualReport.year == year))
    return report or AnnualReport(unit=township, year=year, sections={}, typed={}, table_three={},
                                  table_four=tables.empty_table_four())


def unit_ids(report: AnnualReport) -> list[int]:
    return [unit.id for unit in units_below(report.unit)]


def title(report: AnnualReport) -> str:
    return f"{report.unit.name}{report.year}年政府信息公开工作年度报告"


# -- the figures and words as they stand ----------------------------------------------------------

def documents_counts(report: AnnualReport) -> dict:
    return tables.table_two_documents(unit_ids(report), report.year)


def table_three_figures(report: AnnualReport) -> dict:
    """As saved, or else as drafted from the applications register."""
    if report.table_three:
        return tables.complete(report.table_three)
    return tables.table_three_drafted(unit_ids(report), report.year)


def drafts(report: AnnualReport) -> dict[str, str]:
    """Each section's draft from today's data and the figures as they stand."""
    three = table_three_figures(report)
    return {
        "overview": drafting.overview(report.unit, report.year),
        "proactive": drafting.proactive(documents_counts(report), report.typed),
        "applications": drafting.applications(three),
        "remedies": drafting.remedies(report.table_four or tables.empty_table_four()),
        "problems": "",
        "other": drafting.other(report.typed),
    }


def texts(report: AnnualReport) -> dict[str, str]:
    """The words of each section: what staff saved, else the draft."""
    saved = report.sections or {}
    if all(section in saved for section in SECTIONS):
        return {section: saved[section] for section in SECTIONS}
    drafted = drafts(report)
    return {section: saved.get(section, drafted[section]) for section in SECTIONS}


def document(report: AnnualReport) -> Document:
    return build(title(report), texts(report), documents_counts(report), report.typed,
                 table_three_figures(report), report.table_four or tables.empty_table_four())


# -- saving ---------------------------------------------------------------------------------

@dataclass
class Typed:
    """What a form held, kept to show again when it is refused."""
    sections: dict
    typed: dict
    three: dict
    four: dict


def read_form(form) -> Typed:
    sections = {section: str(form.get(f"section-{section}", "")).replace("\r\n", "\n").strip()
                for section in SECTIONS}
    typed, _errors = tables.parse_typed(form)
    three, _numbers, _errors = tables.parse_table_three(form)
    four, _numbers, _errors = tables.parse_table_four(form)
    return Typed(sections, typed, three, four)


def save_report(user: User, report: AnnualReport, form) -> AnnualReport:
    """Save every section, typed figure and table at once, or nothing: a figure that breaks a rule
    of the format is refused with a message naming its table, column and row."""
    ensure_role(user, *EDIT_ROLES)
    ensure_can_act_on(user, report.unit)
    typed, errors = tables.parse_typed(form)
    _three_typed, three, three_errors = tables.parse_table_three(form)
    errors += three_errors or tables.table_three_errors(three)
    _four_typed, four, four_errors = tables.parse_table_four(form)
    errors += four_errors
    sections = read_form(form).sections
    too_long = [drafting.SECTIONS[s] for s, text in sections.items() if len(text) > 20000]
    if too_long:
        errors.append(_("%(section)s is too long (at most 20000 characters).", section=too_long[0]))
    if errors:
        raise InvalidInput(errors[0], details={"errors": [{"message": message} for message in errors]})
    with audited("annual_report.save", report):
        report.sections, report.typed, report.table_three, report.table_four = sections, typed, three, four
        report.updated_by_id = user.id
    return report


def redraft(user: User, report: AnnualReport, section: str) -> AnnualReport:
    """Drop the saved words of a section: it shows its draft from today's data again."""
    ensure_role(user, *EDIT_ROLES)
    ensure_can_act_on(user, report.unit)
    if section not in SECTIONS:
        raise InvalidInput(_("There is no such section."))
    with audited("annual_report.redraft", report):
        report.sections = {name: text for name, text in (report.sections or {}).items() if name != section}
    return report


def set_normative(user: User, notice_id: int, kind: NormativeKind, repealed_on: date | None) -> NormativeDocument:
    """Say what a notice of the 规范性文件 category is (规章 or 行政规范性文件) and when it was repealed."""
    ensure_role(user, *EDIT_ROLES)
    notice = notices.get_notice(notice_id)
    ensure_can_act_on(user, notice.unit)
    if notice.category.code != tables.NORMATIVE_CATEGORY:
        raise InvalidInput(_("Only notices of the category 规范性文件 are counted in table 2."))
    if repealed_on is not None and repealed_on < notice.formed_on:
        raise InvalidInput(_("A document cannot be repealed before it was made (%(day)s).", day=notice.formed_on),
                           details={"field": "repealed_on"})
    row = db.session.scalar(select(NormativeDocument).where(NormativeDocument.notice_id == notice.id))
    if row is None:
        row = NormativeDocument(notice=notice, kind=kind, repealed_on=repealed_on)
        db.session.add(row)
        db.session.flush()
        record_change("normative_document.create", row)
        return row
    with audited("normative_document.update", row):
        row.kind, row.repealed_on = kind, repealed_on
    return row


# -- publishing -----------------------------------------------------------------------------

def publish(user: User, report: AnnualReport) -> AnnualReport:
    """Publish the report as a notice of the category 政府信息公开年度报告 with its PDF attached,
    submitted for the normal review (privacy checks of the text and the PDF, approval, QR). A report
    published before is corrected the same way."""
    ensure_role(user, *EDIT_ROLES)
    ensure_can_act_on(user, report.unit)
    doc = document(report)
    fields = {"title": doc.title, "category": CATEGORY, "summary": f"{report.unit.name}{report.year}年度政府信息公开工作情况",
              "body": markdown(doc), "formed_on": clock.local_today(), "audience": "township"}
    notice = report.notice
    if notice is not None and notice.state in (NoticeState.withdrawn, NoticeState.archived, NoticeState.expired):
        notice = None
    filename = f"{doc.title}.pdf"
    if notice is None:
        notice = notices.create_notice(user, {**fields, "unit": report.unit.code})
    elif notice.state in LIVE_STATES:
        # A correction: the public keeps the approved PDF beside the corrected one (the history stays).
        notices.update_notice(user, notice, fields)
        filename = f"{doc.title}（{clock.local_today():%Y-%m-%d}更正）.pdf"
    else:
        notices.update_notice(user, notice, fields)
        for attachment in list(notice.attachments):
            notices.remove_attachment(user, attachment)
    max_bytes = current_app.config["KIOSK_ATTACHMENT_MAX_MB"] * 1024 * 1024
    checked = check_upload(io.BytesIO(pdf_bytes(doc)), filename, kinds=IMAGE_OR_PDF, max_bytes=max_bytes)
    notices.add_attachment(user, notice, checked)
    notices.submit_notice(user, notice)
    with audited("annual_report.submit", report):
        report.notice = notice
        report.submitted_at = report.submitted_at or clock.now()
    return report


# -- status and the county ------------------------------------------------------------------

STATUS_DRAFT, STATUS_SUBMITTED, STATUS_PUBLISHED = "draft", "submitted", "published"


@dataclass
class Status:
    code: str      # draft | submitted | published
    late: bool     # not submitted by the county's date (or submitted after it)
    due: date


def status(report: AnnualReport | None, township: Unit, year: int) -> Status:
    due = due_date(township, year)
    if report is None or report.submitted_at is None:
        return Status(STATUS_DRAFT, clock.local_today() > due, due)
    published = report.notice is not None and report.notice.published_version_id is not None
    return Status(STATUS_PUBLISHED if published else STATUS_SUBMITTED,
                  clock.to_local(report.submitted_at).date() > due, due)


@dataclass
class CountyRow:
    township: Unit
    report: AnnualReport | None
    status: Status


@dataclass
class CountyView:
    year: int
    due: date
    rows: list[CountyRow]
    documents: dict        # table 二's counted part: the same function over every township's units
    typed: dict            # the sum of the typed figures
    three: dict            # the sum of the saved tables 三
    four: dict


def county_view(user: User, county: Unit, year: int) -> CountyView:
    ensure_role(user, Role.administrator)
    ensure_can_act_on(user, county)
    check_year(year)
    townships = [u for u in units_below(county) if u.kind == UnitKind.township]
    reports = {r.unit_id: r for r in db.session.scalars(select(AnnualReport).where(
        AnnualReport.year == year, AnnualReport.unit_id.in_([t.id for t in townships])))}
    rows = [CountyRow(t, reports.get(t.id), status(reports.get(t.id), t, year)) for t in townships]
    listed = [r for r in reports.values()]
    every_unit = [unit.id for township in townships for unit in units_below(township)]
    return CountyView(
        year=year, due=due_date(county, year), rows=rows,
        documents=tables.table_two_documents(every_unit, year),
        typed=tables.sum_typed([r.typed for r in listed]),
        three=tables.sum_tables([table_three_figures(r) for r in listed]),
        four=tables.sum_table_four([r.table_four for r in listed]))


def readable_townships(user: User) -> list[Unit]:
    return [u for u in units_below(user.unit.township or user.unit) if u.kind == UnitKind.township
            and can_act_on(user, u)]
