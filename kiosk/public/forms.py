"""The visitor's comment form (CSRF-protected by Flask-WTF); the rules live in operations."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from kiosk.public.models import CommentKind
from kiosk.public.operations import MAX_MESSAGE, MAX_NAME, MAX_PHONE

KIND_LABELS = {CommentKind.objection: _l("Objection (异议)"), CommentKind.comment: _l("Comment or suggestion"),
               CommentKind.question: _l("Question to the village (质询), answered within 10 days")}


class CommentForm(FlaskForm):
    kind = RadioField(_l("This is"), default=CommentKind.comment.value,
                      choices=[SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()])
    message = TextAreaField(_l("Your comment (required)"), render_kw={"maxlength": MAX_MESSAGE, "rows": 5})
    name = StringField(_l("Name (optional)"), render_kw={"maxlength": MAX_NAME, "autocomplete": "name"})
    phone = StringField(_l("Phone (optional, never shown publicly)"),
                        render_kw={"maxlength": MAX_PHONE, "inputmode": "tel", "autocomplete": "tel"})
