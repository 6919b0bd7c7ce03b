"""The staff button: a link to the card sheet on a published notice's page and on a guide's form."""
from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape

from kiosk.disclosures.feed import is_public


def household_card_link(notice=None, guide=None) -> Markup:
    """· 打印明白卡 (four A6 cards on A4), for a public notice or a saved service guide; nothing otherwise."""
    if notice is not None and is_public(notice):
        href = url_for("api.renderHouseholdCards", notice=notice.id)
    elif guide is not None and guide.id is not None:
        href = url_for("api.renderHouseholdCards", guide=guide.id)
    else:
        return Markup("")
    label = _("Print household cards (4 × A6 on A4)")
    return Markup(f'· <a class="household-cards" href="{escape(href)}" target="_blank" rel="noopener">'
                  f'{escape(label)}</a>')
