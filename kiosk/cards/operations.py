"""What a household card (明白卡) says, from a published notice or a hall's service guide."""
from flask_babel import gettext as _

from kiosk import privacy
from kiosk.cards.drawing import Card
from kiosk.core import clock
from kiosk.disclosures.feed import comment_period, publicity
from kiosk.disclosures.models import Notice
from kiosk.disclosures.render import markdown_to_html
from kiosk.qr import public_url
from kiosk.touch.models import ServiceGuide

BODY_LINES = 12   # paragraphs of a notice's text the card starts; the QR code opens the rest


def _date(moment) -> str:
    return clock.to_local(moment).strftime("%Y-%m-%d")


def notice_card(notice: Notice) -> Card:
    """A published notice's card: its approved version's title, summary and opening paragraphs, the
    publicity or comment period as dates (paper does not count down), publisher and index number."""
    version = notice.published_version
    paragraphs = [line.strip() for line in privacy.visible_text(markdown_to_html(version.body)).splitlines()
                  if line.strip()][:BODY_LINES]
    sections = [("", [version.summary])] if version.summary else []
    sections.append((_("What it says"), paragraphs))
    facts = [notice.unit.name, _("Index No. %(number)s", number=notice.index_number)]
    if shown := publicity(notice):
        facts.insert(0, _("Publicity period: %(start)s to %(end)s", start=_date(shown.start),
                          end=shown.last_day.isoformat()))
    if period := comment_period(notice):
        facts.insert(0, _("Comments until %(end)s", end=clock.to_local(period.end).strftime("%Y-%m-%d %H:%M")))
    return Card(kind=_("Household card · %(category)s", category=version.category.name), title=version.title,
                link=public_url(f"n/{notice.slug}"), sections=sections, facts=facts,
                colour=version.category.colour or "#b3261e")


def guide_card(guide: ServiceGuide) -> Card:
    """A service guide's card: what to bring and the steps; time limit, fee, window and hours."""
    facts = [f"{label}：{value}" for label, value in ((_("Time limit"), guide.time_limit), (_("Fee"), guide.fee),
                                                      (_("Window"), guide.window), (_("Office hours"), guide.hours))
             if value]
    return Card(kind=_("Household card · Service guide"), title=guide.title, link=public_url(f"service-guides/{guide.id}"),
                sections=[(_("Materials to bring"), ServiceGuide.lines(guide.materials)),
                          (_("Steps"), ServiceGuide.lines(guide.steps))],
                facts=[guide.hall.name + (f" · {guide.office}" if guide.office else ""), *facts])
