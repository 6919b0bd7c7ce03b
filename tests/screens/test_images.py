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
