"""The touch kiosk (自助查询机): the hall's front door for visitors who rarely type."""
from flask_babel import lazy_gettext as _l


def register(app):
    from kiosk.staff import NavItem, add_nav
    from kiosk.touch.operations import GUIDE_ROLES, MESSAGE_ROLES
    from kiosk.touch.views import guide_public_bp, touch_bp, touch_staff_bp

    app.register_blueprint(touch_bp)
    app.register_blueprint(guide_public_bp)
    app.register_blueprint(touch_staff_bp)
    add_nav(NavItem("touch_staff.guides", _l("Service guides"), roles=GUIDE_ROLES, order=60))
    add_nav(NavItem("touch_staff.messages", _l("Kiosk messages"), roles=MESSAGE_ROLES, order=15))
