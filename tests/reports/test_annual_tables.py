"""The report's numbers against the year the test made (tests/reports/conftest.py)."""
from datetime import date

from sqlalchemy import select

from kiosk.extensions import db
from kiosk.org.models import Unit
from kiosk.reports import activity, drafting, tables
from kiosk.reports.models import NormativeKind


def _liuhe_ids():
    town = db.session.scalar(select(Unit).where(Unit.code == "liuhe"))
    return town, [unit.id for unit in activity.units_below(town)]


def test_table_two_counts_issued_repealed_and_in_force_from_the_register(year_app, tally):
    with year_app.app_context():
        _town, ids = _liuhe_ids()
        counts = tables.table_two_documents(ids, 2026)
        assert counts[NormativeKind.normative] == tables.DocumentCounts(
            tally.normative_issued, tally.normative_repealed, tally.normative_in_force)
        assert counts[NormativeKind.rule] == tables.DocumentCounts(tally.rules_issued, 0, tally.rules_in_force)
        # The year before: the old document was issued then and was in force at its end.
        before = tables.table_two_documents(ids, 2025)
        assert before[NormativeKind.normative] == tables.DocumentCounts(1, 0, 1)


def test_the_year_figures_match_the_tally(year_app, tally):
    with year_app.app_context():
        town, ids = _liuhe_ids()
        span = activity.local_span(date(2026, 1, 1), date(2026, 12, 31))
        notices = activity.notice_figures(ids, span)
        assert (notices.published, notices.on_time, notices.late) == (tally.published, tally.on_time, tally.late)
        assert notices.township_wide == tally.published
        comments = activity.comment_figures(ids, span)
        assert (comments.comments, comments.objections, comments.answered) == (
            tally.comments, tally.objections, tally.answered)
        assert comments.average_working_days == sum(tally.answer_days) / len(tally.answer_days)
        assert comments.longest_working_days == max(tally.answer_days)
        hall = activity.hall_figures(ids, date(2026, 1, 1), date(2026, 12, 31), 5)
        assert (hall.issued, hall.served, hall.ratings, hall.bad, hall.followed_up_in_time) == (
            tally.tickets, tally.served, tally.ratings, tally.bad, tally.followed_up_in_time)


def test_section_one_is_drafted_in_plain_chinese_from_the_figures(year_app, tally):
    with year_app.app_context():
        town, _ids = _liuhe_ids()
        text = drafting.overview(town, 2026)
    assert f"主动公开政府信息{tally.published}条" in text
    assert "电子公开栏1块，本年度应开屏" in text
    assert (f"其中在线{tally.screen_heard_hours:.0f}小时（在线率" in text
            and f"播放公开内容{tally.screen_shown_hours:.0f}小时" in text)
    assert f"{tally.on_time}条在时限内公开，{tally.late}条超过时限" in text
    assert f"意见建议{tally.comments}条、异议{tally.objections}条，已答复{tally.answered}条" in text
    assert f"最长{max(tally.answer_days)}个工作日" in text
    assert f"取号{tally.tickets}人次，办结{tally.served}件" in text
    assert f"差评{tally.bad}件，已回访整改1件，其中{tally.followed_up_in_time}件在5个工作日内完成" in text
