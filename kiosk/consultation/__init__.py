"""Drafts for comment (预公开): the comment period lives on the notice (`comment_from`/`comment_until`,
rules in disclosures, comments through the public side); this feature keeps what happens at the
end: the decision linked to the draft and how it handled each kind of comment."""


def register(app):
    from kiosk.consultation import api  # noqa: F401  (getCommentHandling, saveCommentHandling, startDecision)
    from kiosk.consultation.views import consultation_bp, consultation_link

    app.register_blueprint(consultation_bp)
    app.jinja_env.globals["consultation_link"] = consultation_link
