"""Helpers for the screens tests: register a demo screen through the API and open its player."""
from urllib.parse import urlsplit

import pytest

from kiosk.extensions import db
from kiosk.screens.models import ScreenGroup


def group_id(app, code: str, unit_code: str = "jinjia") -> int:
    from kiosk.org.operations import get_unit_by_code
    with app.app_context():
        unit = get_unit_by_code(unit_code)
        return db.session.query(ScreenGroup).filter_by(unit_id=unit.id, code=code).one().id


@pytest.fixture
def manager(staff):
    return staff("screens")


@pytest.fixture
def new_screen(demo_app, manager):
    """new_screen(unit="lizhuang", groups=("villages",)) → (screen JSON, player path).
    A group is a code of the township's groups or a (unit code, group code) pair."""
    def create(unit="lizhuang", kind="noticeboard_portrait", name="测试公开栏", groups=("villages",)):
        ids = [group_id(demo_app, *reversed(g)) if isinstance(g, tuple) else group_id(demo_app, g) for g in groups]
        response = manager.api("POST", "/api/v1/screens", json={"unit": unit, "kind": kind, "name": name,
                                                                 "groups": ids})
        assert response.status_code == 201, response.get_json()
        body = response.get_json()
        return body, urlsplit(body["player_url"]).path
    return create


def ready_for_an_outage(page):
    """Wait until the player's service worker controls the page, its shell cached: only then can a
    reload be answered without the server (going offline earlier races the worker's install)."""
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=15000)


def png_bytes(colour: str = "#2e7d32", size=(800, 450)) -> bytes:
    import io

    from PIL import Image
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()
