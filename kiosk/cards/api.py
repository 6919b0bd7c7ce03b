"""The household cards' API: a published notice or a service guide as an A4 sheet of four A6 cards."""
from flask import Response
from flask_babel import gettext as _
from pydantic import BaseModel, Field

from kiosk.api import operation
from kiosk.cards.drawing import sheet_pdf
from kiosk.cards.operations import guide_card, notice_card
from kiosk.core.errors import InvalidInput
from kiosk.render.api import ModeName, public_notice
from kiosk.touch.operations import get_guide


class CardQuery(BaseModel):
    notice: int | None = Field(None, description="a published notice (its id); give either notice or guide")
    guide: int | None = Field(None, description="or a service guide (its id)")
    mode: ModeName | None = Field(None, description="colour (default), grey or mono for a black-and-white printer")


@operation("/render/household-cards", method="GET", operation_id="renderHouseholdCards", tag="rendering",
           query=CardQuery, errors=(400, 404, 422),
           summary="明白卡: a published notice or a service guide as A6 household cards with its QR code, four "
                   "to an A4 sheet with cut marks, as a 300 dpi PDF (exactly one of notice and guide)")
def render_household_cards(query: CardQuery):
    if (query.notice is None) == (query.guide is None):
        raise InvalidInput(_("Choose either one notice or one service guide."))
    if query.notice is not None:
        card, name = notice_card(public_notice(query.notice)), f"cards-notice-{query.notice}.pdf"
    else:
        card, name = guide_card(get_guide(query.guide)), f"cards-guide-{query.guide}.pdf"
    return Response(sheet_pdf(card, query.mode or "colour"), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}"', "Cache-Control": "no-store"})
