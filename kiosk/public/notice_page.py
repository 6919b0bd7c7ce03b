"""What the public notice page shows: only approved versions, the publicity period, the history
of corrections, the linked pre-disclosure draft or final decision, and the published comments."""
from flask_babel import gettext as _
from sqlalchemy import select

from kiosk.core.errors import NotFound
from kiosk.disclosures.feed import is_public
from kiosk.disclosures.models import Notice, NoticeVersion
from kiosk.extensions import db


def approved_versions(notice: Notice) -> list[NoticeVersion]:
    """The public history: every approved version, oldest first (a re-edit under review is not one)."""
    return [version for version in notice.versions if version.approved_at is not None]


def approved_version(notice: Notice, number: int) -> NoticeVersion:
    for version in approved_versions(notice):
        if version.number == number:
            return version
    raise NotFound(_("This notice has no such version."))


def superseded_draft(notice: Notice) -> Notice | None:
    """The pre-disclosure draft this final decision replaces, if the public may still read it."""
    draft = notice.supersedes
    return draft if draft is not None and is_public(draft) else None


def final_decision(notice: Notice) -> Notice | None:
    """The public final decision that superseded this pre-disclosure draft, if any."""
    finals = db.session.scalars(select(Notice).where(Notice.supersedes_id == notice.id).order_by(Notice.id.desc()))
    return next((final for final in finals if is_public(final)), None)
