"""The year's report: the annual report on open government information (政府信息公开工作年度报告,
国办公开办函〔2021〕30号) drafted from the township's data, the county's overview and sum, and the
monthly and quarterly statements."""


def register(app):
    from kiosk.reports import conditions  # noqa: F401  (reports.annual_late)
    from kiosk.reports.views import reports_bp

    app.register_blueprint(reports_bp)
