"""Taking an attachment from a multipart request."""
from flask import current_app, request
from flask_babel import gettext as _

from kiosk.core.errors import InvalidInput
from kiosk.disclosures.models import Attachment, Notice
from kiosk.disclosures.operations import add_attachment, EDITOR_ROLES
from kiosk.accounts.permissions import ensure_can_act_on, ensure_role
from kiosk.files import IMAGE_OR_PDF, check_upload


def upload_from_request(user, notice: Notice) -> Attachment:
    # Rights first: a stranger learns nothing from how we judge the file.
    ensure_role(user, *EDITOR_ROLES)
    ensure_can_act_on(user, notice.unit)
    upload = request.files.get("file")
    if upload is None or not upload.filename and not upload.content_length:
        raise InvalidInput(_("Choose a file to upload."), details={"field": "file"})
    max_bytes = current_app.config["KIOSK_ATTACHMENT_MAX_MB"] * 1024 * 1024
    checked = check_upload(upload.stream, upload.filename, kinds=IMAGE_OR_PDF, max_bytes=max_bytes)
    return add_attachment(user, notice, checked)
