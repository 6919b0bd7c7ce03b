"""Proof of display (公示证明): for a notice, every screen it was meant for and how it showed there."""


def register(app):
    from kiosk.proof import api  # noqa: F401  (getDisplayCertificate)
    from kiosk.proof.views import certificate_link, proof_bp

    app.register_blueprint(proof_bp)
    app.jinja_env.globals["display_certificate_link"] = certificate_link
