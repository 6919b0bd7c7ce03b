"""The certificate as CSV for Excel: UTF-8 with a BOM (so Excel on Windows reads the Chinese),
local times, hours as decimals. Four tables one after the other: the notice, the screens,
their gaps and their days."""
import csv
import io

from flask_babel import gettext as _

from kiosk.core import clock
from kiosk.proof.labels import REASON_LABELS, STATUS_LABELS, hours, percent
from kiosk.proof.operations import Certificate

BOM = "\ufeff"


def _time(moment) -> str:
    return clock.to_local(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def certificate_csv(certificate: Certificate) -> str:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    notice, version = certificate.notice, certificate.notice.published_version
    writer.writerow([_("Display certificate"), version.title])
    writer.writerow([_("Index number"), notice.index_number or ""])
    writer.writerow([_("Publisher"), notice.unit.name])
    writer.writerow([_("Period"), _time(certificate.window[0]), _time(certificate.window[1])])
    writer.writerow([_("Generated"), _time(certificate.generated_at)])
    writer.writerow([_("Screens honouring the period"), f"{certificate.honoured}/{len(certificate.rows)}"])
    writer.writerow([])
    writer.writerow([_("Place"), _("Screen"), _("Result"), _("First shown"), _("Last shown"), _("Showings"),
                     _("Hours shown"), _("Coverage"), _("Hours without the notice"), _("Hours offline"),
                     _("Showings reported after an outage")])
    for row in certificate.rows:
        proof = row.proof
        writer.writerow([row.screen.unit.name, row.screen.name, str(STATUS_LABELS[proof.status]),
                         _time(proof.first_shown), _time(proof.last_shown), proof.showings, hours(proof.shown),
                         percent(proof.coverage), hours(proof.missing), hours(proof.offline), proof.offline_showings])
    writer.writerow([])
    writer.writerow([_("Place"), _("Screen"), _("Gap from"), _("Gap until"), _("Hours"), _("Cause")])
    for row in certificate.rows:
        for gap in row.proof.gaps:
            writer.writerow([row.screen.unit.name, row.screen.name, _time(gap.start), _time(gap.end),
                             hours(gap.duration), str(REASON_LABELS[gap.reason])])
    writer.writerow([])
    writer.writerow([_("Place"), _("Screen"), _("Day of the period"), _("Date"), _("Hours shown"), _("Hours offline"),
                     _("Hours without the notice")])
    for row in certificate.rows:
        for day in row.proof.days:
            writer.writerow([row.screen.unit.name, row.screen.name, day.number, day.day.isoformat(),
                             hours(day.shown), hours(day.offline), hours(day.missing)])
    return out.getvalue()
