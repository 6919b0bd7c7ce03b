"""Section 一 counts the township's 群众评议 surveys with the surveys' own figures (kiosk/surveys/figures.py)."""
from sqlalchemy import select

from kiosk.org.models import Unit
from kiosk.extensions import db
from kiosk.reports import drafting
from kiosk.surveys.figures import year_figures


def test_section_one_names_the_surveys_their_answers_and_the_satisfied_share(demo_app):
    with demo_app.app_context():
        township = db.session.scalar(select(Unit).where(Unit.code == "jinjia"))
        figures = year_figures([township.id], 2026)
        text = drafting.overview(township, 2026)
    assert figures.surveys == 1 and figures.answers > 0     # the demo's open survey and its answers
    assert f"开展群众评议问卷调查1次，群众通过触摸查询机和手机扫码答卷{figures.answers}份" in text
    assert f"占{100 * figures.satisfied / figures.scale_answers:.1f}%" in text


def test_a_year_without_surveys_says_nothing_of_them(demo_app):
    with demo_app.app_context():
        township = db.session.scalar(select(Unit).where(Unit.code == "jinjia"))
        assert "问卷" not in drafting.overview(township, 2025)
