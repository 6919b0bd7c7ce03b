"""Working days: the holiday table (with 调休 make-up working days), filled from the official
arrangement (`kiosk.workdays.official`) and edited by administrators, and the arithmetic other
features use for publicity periods, timeliness and opening hours (`kiosk.workdays.calendar`)."""


def register(app):
    from kiosk.workdays import api, jobs  # noqa: F401  (listHolidays, setHoliday, deleteHoliday; the refresh job)
    from kiosk.workdays.views import workdays_bp
    app.register_blueprint(workdays_bp)
