"""Publishing the report through the normal review, and the county's view of its townships' reports:
status (draft / submitted / published / late after the county's date) and the sum of their tables."""
from datetime import date

from sqlalchemy import select

from kiosk.accounts.models import User
from kiosk.applications.outcomes import TABLE_THREE_COLUMNS, TABLE_THREE_ROWS
from kiosk.core import clock
from kiosk.disclosures.checks import run_pending_checks
from kiosk.disclosures.models import CheckState, NoticeState
from kiosk.extensions import db
from kiosk.org.models import Unit
from kiosk.reports import activity, operations as ops, tables
from kiosk.reports.document import table_three as three_table
from kiosk.reports.models import AnnualReport, NormativeKind
from tests.conftest import DEMO_PASSWORD, StaffClient
from tests.reports.conftest import PASSWORD, chosen_figures, local
from tests.reports.test_editor import form_of


def _ids(code):
    town = db.session.scalar(select(Unit).where(Unit.code == code))
    return town, [u.id for u in activity.units_below(town)]


def test_the_report_is_published_as_a_notice_of_its_category_through_review(year_app, register_figures):
    register_figures(default=chosen_figures())
    editor = StaffClient(year_app.test_client(), "lh-editor", PASSWORD)
    assert editor.post_form("/staff/reports/liuhe/2026", form_of(chosen_figures())).status_code == 302
    assert editor.post_form("/staff/reports/liuhe/2026/publish").status_code == 302
    with year_app.app_context():
        report = db.session.scalar(select(AnnualReport).join(AnnualReport.unit).where(Unit.code == "liuhe"))
        notice = report.notice
        assert notice.category.code == "annual_report" and notice.state == NoticeState.submitted
        assert notice.title == "柳河镇2026年政府信息公开工作年度报告"
        assert "| 行政许可* | 37 |" in notice.body and "## 三、收到和处理政府信息公开申请情况" in notice.body
        [attachment] = notice.attachments
        assert attachment.media_type == "application/pdf" and attachment.check_state == CheckState.pending
        assert ops.status(report, report.unit, 2026).code == ops.STATUS_SUBMITTED
        notice_id = notice.id
        db.session.remove()
    # Corrected while under review: the same notice, its text and its PDF replaced, submitted again.
    assert editor.post_form("/staff/reports/liuhe/2026", form_of(chosen_figures(), licensing="38")).status_code == 302
    assert editor.post_form("/staff/reports/liuhe/2026/publish").status_code == 302
    with year_app.app_context():
        report = db.session.scalar(select(AnnualReport).join(AnnualReport.unit).where(Unit.code == "liuhe"))
        notice = report.notice
        assert notice.id == notice_id and notice.state == NoticeState.submitted
        assert "| 行政许可* | 38 |" in notice.body
        assert len(notice.attachments) == 1 and len(notice.versions) == 2
        assert run_pending_checks() == 1       # the PDF is privacy-checked as any attachment
        db.session.remove()
    reviewer = StaffClient(year_app.test_client(), "lh-reviewer", PASSWORD)
    approved = reviewer.api("post", f"/api/v1/notices/{notice_id}/approve", json={})
    assert approved.status_code == 200, approved.get_json()
    with year_app.app_context():
        report = db.session.scalar(select(AnnualReport).join(AnnualReport.unit).where(Unit.code == "liuhe"))
        assert ops.status(report, report.unit, 2026).code == ops.STATUS_PUBLISHED
        slug = report.notice.slug
    public = year_app.test_client().get(f"/n/{slug}")
    assert public.status_code == 200 and "柳河镇2026年政府信息公开工作年度报告" in public.get_data(as_text=True)


def test_the_county_sees_every_township_its_status_and_the_sum_of_their_tables(year_app, register_figures):
    with year_app.app_context():
        liuhe, liuhe_ids = _ids("liuhe")
        jinjia, jinjia_ids = _ids("jinjia")
        liuhe_id, jinjia_id = liuhe.id, jinjia.id
    figures = {liuhe_id: chosen_figures(received=4, carried_in=1), jinjia_id: chosen_figures(received=6, carried_in=0)}
    register_figures(by_first_unit=figures)
    admin = StaffClient(year_app.test_client(), "admin", DEMO_PASSWORD)
    saved = admin.post_form("/staff/reports/county/2026", {"due": "2027-01-20"})
    assert saved.status_code == 302
    assert admin.post_form("/staff/reports/county/2026", {"due": "2027-02-30"}).status_code == 400

    lh = StaffClient(year_app.test_client(), "lh-editor", PASSWORD)
    assert lh.post_form("/staff/reports/liuhe/2026", form_of(figures[liuhe_id], licensing="10")).status_code == 302
    assert lh.post_form("/staff/reports/liuhe/2026/publish").status_code == 302
    jj = StaffClient(year_app.test_client(), "editor", DEMO_PASSWORD)
    assert jj.post_form("/staff/reports/jinjia/2026", form_of(figures[jinjia_id], licensing="5",
                                                               fees="0.5")).status_code == 302

    clock.set_now(local("2027-01-21T09:00"))   # a day after the county's date
    page = admin.get("/staff/reports/county/2026").get_data(as_text=True)
    with year_app.app_context():
        county = db.session.scalar(select(Unit).where(Unit.code == "county"))
        view = ops.county_view(db.session.scalar(select(User).where(User.username == "admin")), county, 2026)
        rows = {row.township.code: row.status for row in view.rows}
        assert (rows["liuhe"].code, rows["liuhe"].late) == (ops.STATUS_SUBMITTED, False)
        assert (rows["jinjia"].code, rows["jinjia"].late) == (ops.STATUS_DRAFT, True)
        assert view.due == date(2027, 1, 20)
        expected = {row: {c: figures[liuhe_id][row][c] + figures[jinjia_id][row][c] for c in TABLE_THREE_COLUMNS}
                    for row in TABLE_THREE_ROWS}
        assert view.three == expected
        assert view.typed["licensing"] == "15" and view.typed["fees"] == "1.75"
        # Table 二's counted part: the same function over every township's units is the sum of each.
        each = [tables.table_two_documents(ids, 2026) for ids in (liuhe_ids, jinjia_ids)]
        for kind in NormativeKind:
            assert view.documents[kind] == tables.DocumentCounts(
                *(sum(getattr(counts[kind], name) for counts in each) for name in ("issued", "repealed", "in_force")))
        summed = three_table(expected)
    assert 'data-township="liuhe"' in page and 'data-township="jinjia"' in page
    assert "逾期（截止2027-01-20）" in page
    for row in summed.rows[summed.header_rows:]:
        assert "".join(f"<td>{cell}</td>" for cell in row) in page


def test_a_township_clerk_cannot_open_another_townships_report(year_app, register_figures):
    register_figures()
    jj = StaffClient(year_app.test_client(), "editor", DEMO_PASSWORD)
    assert jj.get("/staff/reports/liuhe/2026").status_code == 403
    village = StaffClient(year_app.test_client(), "lizhuang", DEMO_PASSWORD)
    assert village.get("/staff/reports/jinjia/2026").status_code == 403
    assert jj.get("/staff/reports/county/2026").status_code == 403


def test_a_report_still_a_draft_after_the_countys_date_is_told_to_the_township_and_the_county(year_app):
    from kiosk.reports.conditions import late_annual_reports
    with year_app.app_context():
        county = db.session.scalar(select(Unit).where(Unit.code == "county"))
        on_the_day = list(late_annual_reports(local("2027-02-20T18:00")))   # the demo county's date: 2月20日
        assert on_the_day == []
        late = list(late_annual_reports(local("2027-02-21T09:00")))
        keys = {finding.key: finding for finding in late}
        for code in ("jinjia", "liuhe"):
            town = db.session.scalar(select(Unit).where(Unit.code == code))
            assert keys[f"annual_report:{town.id}:2026"].unit_id == town.id
            assert keys[f"annual_report:{town.id}:2026:county"].unit_id == county.id
            assert f"{town.name}尚未报送2026年度报告（截止2027-02-20）。" == keys[f"annual_report:{town.id}:2026"].title
