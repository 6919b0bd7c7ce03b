"""The words the screens' player shows for the village's year (its state's `strings`)."""
from flask_babel import gettext as _


def player_strings() -> dict:
    return {"signed_off": _("Reviewed by the village supervision committee"),
            "public_day": _("Public day: %(name)s", name="{name}")}
