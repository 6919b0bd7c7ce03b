"""What screens elsewhere show beside slides: ticker lines (滚动字幕) and official warnings
(预警信息, CAP 1.2) that arrive by themselves, by POST from the county's platform or from a feed."""


def register(app):
    from kiosk.broadcast import api, conditions, jobs  # noqa: F401  (operations, what staff are told, jobs)
    from kiosk.broadcast.views import broadcast_bp

    app.register_blueprint(broadcast_bp)
