"""Working days: the editable holiday table (with 调休 make-up working days) and the arithmetic
other features use for publicity periods and timeliness (`kiosk.workdays.calendar`)."""


def register(app):
    from kiosk.workdays import api  # noqa: F401  (listHolidays, setHoliday, deleteHoliday)
    from kiosk.workdays.views import workdays_bp
    app.register_blueprint(workdays_bp)
