"""Disclosures (政务公开 / 村务公开): categories, the notice lifecycle from draft to archive,
review, schedule, publicity periods, the privacy gate, attachments and timeliness.

The public pages (catalogue, notice page, comments) build on these models and on `feed.py`.
"""


def register(app):
    from kiosk.disclosures import api, jobs  # noqa: F401  (operations; the show/expire job)
    from kiosk.disclosures.views import disclosures_bp, files_bp
    app.register_blueprint(disclosures_bp)
    app.register_blueprint(files_bp)
