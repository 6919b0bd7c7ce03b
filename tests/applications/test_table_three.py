"""Table 三 from the register: a year of applications made through the operations at pinned instants
(a carry-in from 2025, Spring Festival, an oral application, a third-party consultation, a late reply,
an extension, a correction that lapses, a carry-out to 2027, an online filing confirmed in 2027, and
another township's application), each cell checked against the count written down here."""
from datetime import date

import pytest

from kiosk.accounts.models import Role
from kiosk.accounts.operations import create_user
from kiosk.applications import operations as ops
from kiosk.applications.figures import table_three, unbalanced_columns
from kiosk.applications.models import Channel
from kiosk.applications.outcomes import TABLE_THREE_COLUMNS, TABLE_THREE_ROWS
from kiosk.demo.township import DEMO_PASSWORD
from kiosk.extensions import db
from kiosk.org.models import UnitKind
from kiosk.org.operations import create_unit, get_unit_by_code
from tests.applications.conftest import at, fields, user
from tests.applications.conftest import file_on as filed


def decide(application, day, outcome, reason="依据条例相关规定", late=""):
    at(day)
    ops.decide(user("qs-clerk"), application,
               ops.Decision(outcome, reason=reason, provided="合同复印件一份", late_reason=late))
    db.session.commit()


def file_on(day, **overrides):
    return filed(day, by="qs-clerk", unit="qingshan", **overrides)


@pytest.fixture
def year(ctx):
    """The register of 青山镇 (a township of its own, beside the demo's) from November 2025 to January 2027,
    and one application at 银河镇."""
    county = get_unit_by_code("county")
    qingshan = create_unit(UnitKind.township, "青山镇", "qingshan", county)
    create_user("qs-clerk", DEMO_PASSWORD, {Role.window_clerk}, qingshan, demo=True)
    create_user("qs-reviewer", DEMO_PASSWORD, {Role.reviewer}, qingshan, demo=True)
    db.session.commit()
    old = file_on(date(2025, 11, 3))
    decide(old, date(2025, 11, 20), "disclosed")                                   # all in 2025
    carried = file_on(date(2025, 12, 22))
    decide(carried, date(2026, 1, 12), "disclosed")                                # 二, then 三 in 2026
    spring = file_on(date(2026, 2, 6), applicant_kind="commercial")
    decide(spring, date(2026, 3, 10), "partly", reason="部分内容涉及商业秘密（第十五条）")
    oral = file_on(date(2026, 4, 1), channel=Channel.oral)
    decide(oral, date(2026, 4, 3), "not_processed.repeated", reason="已于3月答复相同内容")
    consulted = file_on(date(2026, 6, 1), applicant_kind="legal_service")
    at(date(2026, 6, 3))
    ops.start_consultation(user("qs-clerk"), consulted, "征求第三方意见")
    db.session.commit()
    decide(consulted, date(2026, 6, 30), "unavailable.not_held", reason="经检索本机关未制作该信息")
    late = file_on(date(2026, 7, 1))
    decide(late, date(2026, 8, 10), "disclosed", late="经办人病假，交接延误")
    extended = file_on(date(2026, 9, 25), applicant_kind="research")
    at(date(2026, 10, 20))
    ops.extend(user("qs-reviewer"), extended, 20, "已书面告知申请人延长答复期限")
    db.session.commit()
    decide(extended, date(2026, 11, 20), "withheld.third_party", reason="涉及个人隐私，第三方不同意公开")
    lapsing = file_on(date(2026, 11, 2), applicant_kind="public_interest")
    at(date(2026, 11, 4))
    ops.request_correction(user("qs-clerk"), lapsing, "请写明所需信息的名称或文号", date(2026, 11, 13))
    db.session.commit()
    at(date(2026, 11, 16))
    ops.lapse_uncorrected()
    db.session.commit()
    carried_out = file_on(date(2026, 12, 28), applicant_kind="other_organisation")
    at(date(2026, 12, 30))
    online = ops.submit_online(qingshan, fields())
    db.session.commit()
    at(date(2027, 1, 4))
    ops.confirm_receipt(user("qs-clerk"), online)
    db.session.commit()
    decide(carried_out, date(2027, 1, 5), "disclosed")
    yinhe = create_unit(UnitKind.township, "银河镇", "yinhe", county)
    create_user("yinhe-clerk", DEMO_PASSWORD, {Role.editor}, yinhe, demo=True)
    db.session.commit()
    at(date(2026, 5, 6))
    ops.file_application(user("yinhe-clerk"), yinhe, fields(), Channel.in_person)
    db.session.commit()
    return {"spring": spring, "lapsing": lapsing, "online": online, "yinhe": yinhe, "qingshan": qingshan}


def expected(cells: dict[tuple[str, str], int]) -> dict[str, dict[str, int]]:
    table = {row: dict.fromkeys(TABLE_THREE_COLUMNS, 0) for row in TABLE_THREE_ROWS}
    for (row, column), count in cells.items():
        table[row][column] = count
    for row in TABLE_THREE_ROWS:
        table[row]["total"] = sum(value for column, value in table[row].items() if column != "total")
    return table


def test_table_three_of_2026_counts_each_application_in_its_row_and_column(year):
    qingshan = year["qingshan"]
    assert table_three([qingshan.id], 2026) == expected({
        ("received", "natural_person"): 2,          # oral (Apr), late (Jul); not the online one (2027)
        ("received", "commercial"): 1, ("received", "legal_service"): 1, ("received", "research"): 1,
        ("received", "public_interest"): 1, ("received", "other_organisation"): 1,
        ("carried_in", "natural_person"): 1,
        ("disclosed", "natural_person"): 2,
        ("partly", "commercial"): 1,
        ("not_processed.repeated", "natural_person"): 1,
        ("unavailable.not_held", "legal_service"): 1,
        ("withheld.third_party", "research"): 1,
        ("other.correction_lapsed", "public_interest"): 1,
        ("results_total", "natural_person"): 3, ("results_total", "commercial"): 1,
        ("results_total", "legal_service"): 1, ("results_total", "research"): 1,
        ("results_total", "public_interest"): 1,
        ("carried_out", "other_organisation"): 1,
    })
    assert unbalanced_columns(table_three([qingshan.id], 2026)) == []


def test_the_carry_out_is_next_years_carry_in_and_the_online_filing_counts_from_its_receipt(year):
    qingshan = year["qingshan"]
    next_year = table_three([qingshan.id], 2027)
    assert next_year["carried_in"]["other_organisation"] == 1 and next_year["carried_in"]["total"] == 1
    assert next_year["received"]["total"] == 1 and next_year["disclosed"]["total"] == 1
    assert next_year["carried_out"]["total"] == 1          # the online one, still open
    assert unbalanced_columns(next_year) == []
    last_year = table_three([qingshan.id], 2025)
    assert last_year["received"]["total"] == 2 and last_year["carried_out"]["total"] == 1
    assert unbalanced_columns(last_year) == []


def test_townships_are_counted_apart_and_summed_for_the_county(year):
    yinhe = year["yinhe"]
    assert table_three([yinhe.id], 2026)["received"]["total"] == 1
    assert table_three([yinhe.id], 2026)["carried_out"]["total"] == 1
    both = table_three([year["qingshan"].id, yinhe.id], 2026)
    assert both["received"]["total"] == 7 + 1 and unbalanced_columns(both) == []
    county = table_three([get_unit_by_code("county").id], 2026)     # with the demo's own applications
    assert county["received"]["total"] >= 8 and unbalanced_columns(county) == []
    assert table_three([], 2026)["received"]["total"] == 0


def test_erasing_personal_data_keeps_the_counts(year, ctx):
    before = table_three([year["qingshan"].id], 2026)
    ctx.config["KIOSK_APPLICATION_RETENTION_DAYS"] = 30
    at(date(2027, 3, 1))
    assert ops.erase_expired() >= 8
    db.session.commit()
    spring = year["spring"]
    db.session.refresh(spring)
    assert spring.applicant_name == "" and spring.phone == "" and spring.erased_at is not None
    assert spring.outcome == "partly"
    assert table_three([year["qingshan"].id], 2026) == before
