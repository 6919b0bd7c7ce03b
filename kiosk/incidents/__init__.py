"""Incidents: one engine for "someone must be told" (conditions.py is what features declare).

`engine.py` opens, groups, closes and digests; `channels.py` sends to 企业微信, 钉钉, a JSON webhook
or SMTP; `delivery.py` retries with back-off; the staff dashboard shows each viewer what is theirs.
"""


def register(app):
    from kiosk.incidents import api, jobs  # noqa: F401  (the alert channels' operations; the jobs: evaluate, deliver)
    from kiosk.incidents.views import incidents_bp

    app.register_blueprint(incidents_bp)
