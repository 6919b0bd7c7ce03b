"""The display certificate as JSON."""
from flask_login import current_user

from kiosk.api import operation
from kiosk.proof.operations import CERTIFICATE_ROLES, display_certificate
from kiosk.proof.schemas import CertificateOut, certificate_out


@operation("/notices/<int:notice_id>/display-certificate", method="GET", operation_id="getDisplayCertificate",
           summary="Proof of display (公示证明): every screen the notice was meant for, when it showed there, "
                   "its gaps and offline hours per day", tag="notices", response=CertificateOut,
           roles=CERTIFICATE_ROLES, errors=(403, 404, 409))
def get_display_certificate(notice_id: int):
    return certificate_out(display_certificate(current_user, notice_id))
