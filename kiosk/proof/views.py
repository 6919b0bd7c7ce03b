"""Staff pages: the notices with a certificate, one certificate with a timeline per screen, its CSV."""
from flask import Blueprint, Response, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from flask_login import current_user
from sqlalchemy import select

from kiosk.core import clock
from kiosk.disclosures.models import Notice
from kiosk.extensions import db
from kiosk.org.models import Unit
from kiosk.accounts.permissions import staff_page
from kiosk.proof import labels
from kiosk.proof.certificate import ROTATION_ALLOWANCE, ScreenProof
from kiosk.proof.export import certificate_csv
from kiosk.proof.intervals import local_days
from kiosk.proof.operations import CERTIFICATE_ROLES, Certificate, display_certificate
from kiosk.staff import NavItem, add_nav

proof_bp = Blueprint("proof", __name__, url_prefix="/staff/proof", template_folder="templates",
                     static_folder="static")
LISTED = 200


def _share(part, whole) -> float:
    return round(100 * part.total_seconds() / whole.total_seconds(), 3)


def timeline(proof: ScreenProof, certificate: Certificate) -> dict:
    """Positions (percent of the whole window) of what the timeline bar draws."""
    start, end = certificate.window
    length = end - start
    if length.total_seconds() <= 0:
        return {"segments": [], "ticks": []}
    segments = [{"x": _share(s - start, length), "w": _share(e - s, length), "kind": "shown"}
                for s, e in proof.covered]
    segments += [{"x": _share(g.start - start, length), "w": _share(g.duration, length), "kind": g.reason.value,
                  "title": f"{clock.to_local(g.start):%m-%d %H:%M}–{clock.to_local(g.end):%m-%d %H:%M} "
                           f"{labels.REASON_LABELS[g.reason]}"} for g in proof.gaps]
    ticks = [{"x": _share(day_start - start, length), "label": f"{day:%m-%d}"}
             for day, day_start, _end in local_days(start, end, clock.local_zone())]
    return {"segments": segments, "ticks": ticks}


@proof_bp.get("/")
@staff_page(*CERTIFICATE_ROLES)
def notice_index():
    notices = db.session.scalars(
        select(Notice).join(Notice.unit).where(Notice.live_from.is_not(None),
                                               Unit.path.startswith(current_user.unit.path))
        .order_by(Notice.live_from.desc()).limit(LISTED))
    return render_template("proof/index.html", notices=list(notices))


@proof_bp.get("/notices/<int:notice_id>")
@staff_page(*CERTIFICATE_ROLES)
def certificate_page(notice_id):
    certificate = display_certificate(current_user, notice_id)
    return render_template("proof/certificate.html", certificate=certificate, labels=labels,
                           timelines={row.screen.id: timeline(row.proof, certificate) for row in certificate.rows},
                           allowance=labels.duration(ROTATION_ALLOWANCE))


@proof_bp.get("/notices/<int:notice_id>.csv")
@staff_page(*CERTIFICATE_ROLES)
def certificate_export(notice_id):
    certificate = display_certificate(current_user, notice_id)
    filename = f"display-certificate-{certificate.notice.id}.csv"
    return Response(certificate_csv(certificate), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def certificate_link(notice) -> Markup:
    """For other features' notice pages: a link to the notice's certificate, once it has been published."""
    if notice is None or notice.live_from is None or not current_user.has_role(*CERTIFICATE_ROLES):
        return Markup("")
    return Markup('· <a class="certificate-link" href="{}">{}</a>').format(
        url_for("proof.certificate_page", notice_id=notice.id), _("Display certificate"))


add_nav(NavItem("proof.notice_index", _l("Display certificates"), roles=CERTIFICATE_ROLES, order=45))
