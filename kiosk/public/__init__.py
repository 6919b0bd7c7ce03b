"""The public side of disclosures: the catalogue (目录) and notice pages that QR codes open,
comments and objections during a publicity period, the disclosure guide and the complaint and
supervision page. No login; built for a cheap phone on a weak link."""


def register(app):
    from kiosk.public import api  # noqa: F401  (createComment, listComments, answerComment)
    from kiosk.public.staff_views import public_staff_bp
    from kiosk.public.views import public_bp
    app.register_blueprint(public_bp)
    app.register_blueprint(public_staff_bp)
