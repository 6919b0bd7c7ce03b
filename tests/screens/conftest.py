"""Helpers for the screens tests: register a demo screen through the API and open its player."""
import threading
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


def in_between(monkeypatch, first, second, owner, name: str, *, hold_after: bool = False, wait: float = 3):
    """Two socket events handled at once, in a chosen order: `first()` runs on a thread and is held
    the first time it calls `owner.name` (before the call, or after it with `hold_after`) while
    `second()` runs here; then it goes on. A `second` that waits for `first`'s transaction goes on
    after `wait` seconds. Returns what `second` returned; raises what `first` raised."""
    original, reached, release, raised = getattr(owner, name), threading.Event(), threading.Event(), []

    def held(*args, **kwargs):
        if threading.current_thread() is not worker or reached.is_set():
            return original(*args, **kwargs)
        result = original(*args, **kwargs) if hold_after else None
        reached.set()
        release.wait(timeout=wait)
        return result if hold_after else original(*args, **kwargs)

    def run_first():
        try:
            first()
        except Exception as error:  # noqa: BLE001 - handed to the test below
            raised.append(error)

    monkeypatch.setattr(owner, name, held)
    worker = threading.Thread(target=run_first)
    worker.start()
    assert reached.wait(timeout=10), "the first event never reached the point where it is held"
    try:
        answer = second()
    finally:
        release.set()
        worker.join(timeout=15)
    if raised:
        raise raised[0]
    return answer
