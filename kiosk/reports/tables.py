"""The report's tables as numbers: one function per table, over any set of units (a township, or
every township of a county: the county's sum is the same functions over more units), and the
rules the figures must keep. No words of the document here (see `document.py`)."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import select

from kiosk.applications.outcomes import (APPLICANT_KINDS, OUTCOME_GROUPS, OUTCOMES, TABLE_THREE_COLUMNS,
                                         TABLE_THREE_ROWS)
from kiosk.disclosures.models import Category, Notice
from kiosk.extensions import db
from kiosk.reports.models import NormativeDocument, NormativeKind

NORMATIVE_CATEGORY = "normative_documents"

# -- table 二 -------------------------------------------------------------------------------

# The figures of table 二 that no data of ours holds: staff type them (marked as typed).
TYPED_DECISIONS = {"licensing": "行政许可", "penalty": "行政处罚", "enforcement": "行政强制"}
FEES = "fees"   # 行政事业性收费, 万元
PROCESSING_FEE = "processing_fee"   # 信息处理费 collected (section 六), 元
NORMATIVE_ROWS = {NormativeKind.rule: "规章", NormativeKind.normative: "行政规范性文件"}


@dataclass(frozen=True)
class DocumentCounts:
    issued: int       # 本年制发件数
    repealed: int     # 本年废止件数
    in_force: int     # 现行有效件数


def normative_documents(unit_ids: list[int]) -> list[tuple[Notice, NormativeDocument | None]]:
    """The published notices of the 规范性文件 category of these units, with their register row."""
    rows = db.session.execute(
        select(Notice, NormativeDocument).join(Notice.category)
        .outerjoin(NormativeDocument, NormativeDocument.notice_id == Notice.id)
        .where(Category.code == NORMATIVE_CATEGORY, Notice.unit_id.in_(unit_ids),
               Notice.published_version_id.is_not(None))
        .order_by(Notice.formed_on, Notice.id))
    return [(notice, register) for notice, register in rows]


def table_two_documents(unit_ids: list[int], year: int) -> dict[NormativeKind, DocumentCounts]:
    """第二十条第（一）项: documents issued (formed) in the year, repealed in it, in force at its end."""
    end = date(year, 12, 31)
    counts = {kind: [0, 0, 0] for kind in NormativeKind}
    for notice, register in normative_documents(unit_ids):
        kind = register.kind if register else NormativeKind.normative
        repealed_on = register.repealed_on if register else None
        issued, repealed, in_force = counts[kind]
        counts[kind] = [issued + (notice.formed_on.year == year),
                        repealed + (repealed_on is not None and repealed_on.year == year),
                        in_force + (notice.formed_on <= end and (repealed_on is None or repealed_on > end))]
    return {kind: DocumentCounts(*values) for kind, values in counts.items()}


def parse_typed(form: dict) -> tuple[dict, list[str]]:
    """Table 二's typed figures from a form: whole numbers of decisions, fees in 万元 (up to four
    decimals). Returns (values as typed, errors in words); nothing is dropped."""
    values, errors = {}, []
    for code, label in TYPED_DECISIONS.items():
        text = str(form.get(code, "")).strip()
        values[code] = text
        if text and not (text.isdigit() and len(text) <= 9):
            errors.append(_("Table 2, %(row)s: the number of decisions must be a whole number of 0 or more, "
                            "not “%(given)s”.", row=label, given=text))
    for code, places in ((FEES, 4), (PROCESSING_FEE, 2)):
        text = str(form.get(code, "")).strip()
        values[code] = text
        if not text or _amount(text, places):
            continue
        if code == FEES:
            errors.append(_("Table 2, 行政事业性收费: give the amount in 万元 with at most four decimals, "
                            "not “%(given)s”.", given=text))
        else:
            errors.append(_("Section 6, 信息处理费: give the amount in 元 with at most two decimals, "
                            "not “%(given)s”.", given=text))
    return values, errors


def _amount(text: str, places: int) -> bool:
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return False
    return amount.is_finite() and 0 <= amount <= Decimal("1e9") and amount.as_tuple().exponent >= -places


def sum_typed(reports_typed: list[dict]) -> dict[str, str]:
    """The county's sum of the townships' typed figures (blank ones count as 0)."""
    total = {code: sum(int(t.get(code) or 0) for t in reports_typed) for code in TYPED_DECISIONS}
    amounts = {code: sum((Decimal(t.get(code) or 0) for t in reports_typed), Decimal(0))
               for code in (FEES, PROCESSING_FEE)}
    return {**{code: str(value) for code, value in total.items()},
            **{code: format(value.normalize(), "f") for code, value in amounts.items()}}


# -- table 三 -------------------------------------------------------------------------------

ROW_LABELS = {
    "received": "一、本年新收政府信息公开申请数量",
    "carried_in": "二、上年结转政府信息公开申请数量",
    **{code: f"{OUTCOME_GROUPS[o.group]} {o.label}" if o.group in ("withheld", "unavailable", "not_processed",
                                                                  "other") else OUTCOME_GROUPS[o.group]
       for code, o in OUTCOMES.items()},
    "results_total": "三、本年度办理结果（七）总计",
    "carried_out": "四、结转下年度继续办理",
}
COLUMN_LABELS = {**APPLICANT_KINDS, "total": "总计"}
# Column headers as the format groups them: 自然人, then 法人或其他组织's five, then 总计.
COLUMN_HEADERS = {"natural_person": "自然人", **{code: f"法人或其他组织·{label}" for code, label in
                                               APPLICANT_KINDS.items() if code != "natural_person"},
                  "total": "总计"}
RESULT_ROWS = tuple(OUTCOMES)


def table_three_drafted(unit_ids: list[int], year: int) -> dict[str, dict[str, int]]:
    """Table 三 as the applications register counts it (the register's own function)."""
    from kiosk.applications.figures import table_three
    return complete(table_three(unit_ids, year))


def complete(figures: dict) -> dict[str, dict[str, int]]:
    """Every row and column present (missing figures 0)."""
    return {row: {column: int((figures.get(row) or {}).get(column) or 0) for column in TABLE_THREE_COLUMNS}
            for row in TABLE_THREE_ROWS}


def parse_table_three(form: dict) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, int]] | None, list[str]]:
    """Table 三 from a form's fields `t3-<row>-<column>`: (as typed, as numbers or None, errors)."""
    typed = {row: {column: str(form.get(f"t3-{row}-{column}", "")).strip() for column in TABLE_THREE_COLUMNS}
             for row in TABLE_THREE_ROWS}
    errors = []
    for row in TABLE_THREE_ROWS:
        for column in TABLE_THREE_COLUMNS:
            text = typed[row][column]
            if not (text.isdigit() and len(text) <= 9):
                errors.append(_("Table 3, column “%(column)s”, row “%(row)s”: give a whole number of 0 or more, "
                                "not “%(given)s”.", column=COLUMN_LABELS[column], row=ROW_LABELS[row],
                                given=text))
    if errors:
        return typed, None, errors
    return typed, {row: {c: int(v) for c, v in cells.items()} for row, cells in typed.items()}, []


def table_three_errors(figures: dict[str, dict[str, int]]) -> list[str]:
    """The rules of the format, column by column: 总计 = the six kinds; 三（七） = the result rows;
    一 + 二 = 三（七） + 四. One message per broken rule, naming the column and the row."""
    errors = []
    for row in TABLE_THREE_ROWS:
        cells = figures[row]
        kinds = sum(cells[kind] for kind in APPLICANT_KINDS)
        if cells["total"] != kinds:
            errors.append(_("Table 3, row “%(row)s”: the column 总计 is %(given)s, but the six kinds of "
                            "applicant add up to %(sum)s.", row=ROW_LABELS[row], given=cells["total"], sum=kinds))
    for column in TABLE_THREE_COLUMNS:
        results = sum(figures[row][column] for row in RESULT_ROWS)
        if figures["results_total"][column] != results:
            errors.append(_("Table 3, column “%(column)s”: the row 三（七）总计 is %(given)s, but the result rows "
                            "add up to %(sum)s.", column=COLUMN_LABELS[column],
                            given=figures["results_total"][column], sum=results))
        came = figures["received"][column] + figures["carried_in"][column]
        went = figures["results_total"][column] + figures["carried_out"][column]
        if came != went:
            errors.append(_("Table 3, column “%(column)s”: 一 + 二 = %(came)s but 三（七）+ 四 = %(went)s; "
                            "the applications received and carried in must all be answered or carried out "
                            "(row “%(row)s” or “%(other)s”).", column=COLUMN_LABELS[column], came=came, went=went,
                            row=ROW_LABELS["results_total"], other=ROW_LABELS["carried_out"]))
    return errors


def sum_tables(tables: list[dict[str, dict[str, int]]]) -> dict[str, dict[str, int]]:
    return {row: {column: sum(t[row][column] for t in tables) for column in TABLE_THREE_COLUMNS}
            for row in TABLE_THREE_ROWS}


# -- table 四 -------------------------------------------------------------------------------

REMEDIES = {"review": "行政复议", "litigation_direct": "行政诉讼·未经复议直接起诉",
            "litigation_after_review": "行政诉讼·复议后起诉"}
REMEDY_RESULTS = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结",
                  "total": "总计"}
TABLE_FOUR_CELLS = tuple(f"{remedy}.{result}" for remedy in REMEDIES for result in REMEDY_RESULTS)


def empty_table_four() -> dict[str, int]:
    return {cell: 0 for cell in TABLE_FOUR_CELLS}


def parse_table_four(form: dict) -> tuple[dict[str, str], dict[str, int] | None, list[str]]:
    """Table 四 from fields `t4-<remedy>.<result>`: (as typed, numbers or None, errors), 总计 checked."""
    typed = {cell: str(form.get(f"t4-{cell}", "")).strip() for cell in TABLE_FOUR_CELLS}
    errors = []
    for cell, text in typed.items():
        if not (text.isdigit() and len(text) <= 9):
            remedy, result = cell.split(".")
            errors.append(_("Table 4, %(remedy)s, “%(result)s”: give a whole number of 0 or more, not “%(given)s”.",
                            remedy=REMEDIES[remedy], result=REMEDY_RESULTS[result], given=text))
    if errors:
        return typed, None, errors
    figures = {cell: int(text) for cell, text in typed.items()}
    return typed, figures, table_four_errors(figures)


def table_four_errors(figures: dict[str, int]) -> list[str]:
    errors = []
    for remedy, label in REMEDIES.items():
        parts = sum(figures[f"{remedy}.{result}"] for result in REMEDY_RESULTS if result != "total")
        if figures[f"{remedy}.total"] != parts:
            errors.append(_("Table 4, %(remedy)s: 总计 is %(given)s, but 结果维持, 结果纠正, 其他结果 and 尚未审结 "
                            "add up to %(sum)s.", remedy=label, given=figures[f"{remedy}.total"], sum=parts))
    return errors


def sum_table_four(tables: list[dict[str, int]]) -> dict[str, int]:
    return {cell: sum(int(t.get(cell) or 0) for t in tables) for cell in TABLE_FOUR_CELLS}
