"""明白卡 household cards: a notice or a service guide as A6 cards, four to an A4 sheet with cut
marks and its QR code, for the township's printer (`drawing.py`; `renderHouseholdCards`)."""


def register(app):
    from kiosk.cards import api  # noqa: F401  (renderHouseholdCards)
    from kiosk.cards.views import household_card_link

    app.jinja_env.globals["household_card_link"] = household_card_link
