"""Pictures for slides: checked by content, re-encoded, refused with a clear reason."""
import io

from PIL import Image

from tests.screens.conftest import png_bytes


def upload(manager, data: bytes, name: str = "图.png", unit: str = "lizhuang"):
    return manager.http.post("/api/v1/slide-images", headers={"X-CSRFToken": manager.csrf, "Accept": "application/json"},
                             data={"unit": unit, "picture": (io.BytesIO(data), name)})


def test_a_picture_is_stored_scaled_and_once(manager):
    big = png_bytes(size=(5000, 2000))
    first = upload(manager, big)
    assert first.status_code == 201, first.get_json()
    assert (first.get_json()["width"], first.get_json()["height"]) == (3840, 1536)
    assert upload(manager, big).get_json()["id"] == first.get_json()["id"]


def test_bad_pictures_are_refused(manager, staff):
    assert upload(manager, b"<svg onload=alert(1)>", "x.svg").status_code == 415
    assert upload(manager, png_bytes()[:60]).status_code == 415  # truncated
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, format="GIF")
    assert upload(manager, gif.getvalue(), "a.gif").status_code == 415
    assert upload(manager, b"").status_code == 400
    assert upload(staff("lizhuang"), png_bytes()).status_code == 403


def test_a_picture_showing_personal_data_is_refused(manager, demo_app):
    from kiosk.extensions import db
    from kiosk.privacy.samples import ledger_image
    from kiosk.screens.models import SlideImage

    ledger = io.BytesIO()
    ledger_image().save(ledger, format="PNG")          # a drawn ledger with a payee's full bank card
    refused = upload(manager, ledger.getvalue(), "账目.png")
    assert refused.status_code == 409 and refused.get_json()["error"] == "privacy"
    assert "*" in refused.get_json()["message"]                  # the finding, masked, never the number
    with demo_app.app_context():
        assert db.session.query(SlideImage).filter_by(name="账目.png").count() == 0
