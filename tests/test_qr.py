import io

from PIL import Image


def test_png_and_svg_for_a_public_path(app):
    client = app.test_client()
    png = client.get("/qr/n/ABC123.png")
    assert png.status_code == 200 and png.mimetype == "image/png"
    image = Image.open(io.BytesIO(png.data))
    assert image.size[0] == image.size[1] and image.size[0] >= 200
    svg = client.get("/qr/n/ABC123.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert b"<svg" in svg.data


def test_qr_encodes_the_public_url(app):
    """Decode-free check: the same link always gives the same picture, another link another."""
    client = app.test_client()
    assert client.get("/qr/n/A.png").data == client.get("/qr/n/A.png").data
    assert client.get("/qr/n/A.png").data != client.get("/qr/n/B.png").data
    from kiosk.qr import public_url
    with app.test_request_context():
        assert public_url("/n/A") == "http://kiosk.test/n/A"


def test_foreign_links_are_refused(app):
    response = app.test_client().get("/qr/https://evil.example/x.png")
    assert response.status_code in (400, 404)
