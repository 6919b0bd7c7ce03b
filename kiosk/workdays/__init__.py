"""Working days: the editable holiday table (with 调休 make-up working days) and the arithmetic
other features use for publicity periods and timeliness (`kiosk.workdays.calendar`)."""


def register(app):
    pass
