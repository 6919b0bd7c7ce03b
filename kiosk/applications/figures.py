"""Table 三 of the annual report, counted from the register.

Per application (only those received: an online one counts from its confirmed day of receipt):
- 一 received: received in the year;
- 二 carried_in: received before the year and not decided before it began;
- 三 each outcome: decided in the year, in its outcome's row; results_total (三（七）) their sum;
- 四 carried_out: received by the year's end and not decided within the year.
A decision is never before its receipt, so received + carried_in == results_total + carried_out in
every column. Columns: the applicant's kind, and total.
"""
from datetime import date

from sqlalchemy import or_, select

from kiosk.applications.models import Application
from kiosk.applications.outcomes import APPLICANT_KINDS, TABLE_THREE_COLUMNS, TABLE_THREE_ROWS
from kiosk.extensions import db
from kiosk.org.models import Unit


def _rows_of(application: Application, first: date, last: date) -> list[str]:
    received, decided = application.received_on, application.decided_on
    rows = []
    if first <= received <= last:
        rows.append("received")
    if received < first and (decided is None or decided >= first):
        rows.append("carried_in")
    if decided is not None and first <= decided <= last:
        rows += [application.outcome, "results_total"]
    if received <= last and (decided is None or decided > last):
        rows.append("carried_out")
    return rows


def table_three(unit_ids: list[int], year: int) -> dict[str, dict[str, int]]:
    """Row code → column code → count for the applications of these units (and the units below them)."""
    table = {row: dict.fromkeys(TABLE_THREE_COLUMNS, 0) for row in TABLE_THREE_ROWS}
    if not unit_ids:
        return table
    first, last = date(year, 1, 1), date(year, 12, 31)
    paths = db.session.scalars(select(Unit.path).where(Unit.id.in_(unit_ids))).all()
    if not paths:
        return table
    applications = db.session.scalars(
        select(Application).join(Unit, Application.unit_id == Unit.id)
        .where(or_(*(Unit.path.startswith(path) for path in paths)),
               Application.received_on.is_not(None), Application.received_on <= last)
        .where(or_(Application.decided_on.is_(None), Application.decided_on >= first)))
    for application in applications:
        kind = application.applicant_kind if application.applicant_kind in APPLICANT_KINDS else "other_organisation"
        for row in _rows_of(application, first, last):
            if row not in table:   # an outcome code outside the format cannot be filed (operations.decide)
                raise ValueError(f"application {application.id} has an unknown outcome {row!r}")
            table[row][kind] += 1
            table[row]["total"] += 1
    return table


def unbalanced_columns(table: dict[str, dict[str, int]]) -> list[str]:
    """The columns where 一 + 二 ≠ 三（七）+ 四 (empty when the table holds)."""
    return [column for column in TABLE_THREE_COLUMNS
            if table["received"][column] + table["carried_in"][column]
            != table["results_total"][column] + table["carried_out"][column]]

