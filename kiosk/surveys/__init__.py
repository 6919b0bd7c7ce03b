"""群众评议 surveys: a township's short questionnaire on its openness work, answered at the touch
kiosk and on phones by QR, with results, CSV and the year's figures (`figures.year_figures`)."""
from flask_babel import lazy_gettext as _l


def register(app):
    from kiosk.staff import NavItem, add_nav
    from kiosk.surveys import api  # noqa: F401  (listSurveys, createSurvey, getSurvey, updateSurvey, getSurveyResults)
    from kiosk.surveys.operations import READER_ROLES
    from kiosk.surveys.views import survey_kiosk_bp, survey_public_bp, survey_staff_bp

    app.register_blueprint(survey_public_bp)
    app.register_blueprint(survey_kiosk_bp)
    app.register_blueprint(survey_staff_bp)
    add_nav(NavItem("surveys.index", _l("Surveys"), roles=READER_ROLES, order=62))
