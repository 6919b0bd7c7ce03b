"""The staff dashboard and the navigation each feature adds itself to."""
from dataclasses import dataclass

from kiosk.accounts.models import Role


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object  # a lazy translated string
    roles: tuple[Role, ...] = ()
    order: int = 50


NAV: dict[str, NavItem] = {}


def add_nav(item: NavItem) -> None:
    NAV[item.endpoint] = item


def register(app):
    from flask_login import current_user

    from kiosk.accounts.permissions import may_open

    from kiosk.staff.views import staff_bp

    app.register_blueprint(staff_bp)

    @app.context_processor
    def nav_helper():
        def staff_nav():
            if not current_user.is_authenticated:
                return []
            items = sorted(NAV.values(), key=lambda item: item.order)
            return [item for item in items if (not item.roles or current_user.has_role(*item.roles))
                    and may_open(current_user, item.endpoint)]
        return {"staff_nav": staff_nav}
