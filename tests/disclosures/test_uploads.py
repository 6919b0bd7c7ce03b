"""Attachments are judged by their content; a refused upload leaves no file and no row."""
import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from kiosk.disclosures.models import Attachment
from kiosk.extensions import db


def png_bytes(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#b3261e").save(buffer, "PNG")
    return buffer.getvalue()


def bomb_png(width=60_000, height=60_000) -> bytes:
    """A tiny PNG whose header claims billions of pixels."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 1024))
            + chunk(b"IEND", b""))


def pdf_with_text(text: str) -> bytes:
    """A one-page PDF whose text layer holds `text` (ASCII)."""
    stream = f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def upload(client, notice_id, data: bytes, name: str):
    return client.http.post(f"/api/v1/notices/{notice_id}/attachments", headers={"X-CSRFToken": client.csrf},
                            data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def stored_files(app) -> list[Path]:
    folder = Path(app.config["KIOSK_UPLOAD_PATH"])
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def attachment_rows(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Attachment))


def leftovers(app):
    """(files on disk, attachment rows): compared before and after a refused upload."""
    return len(stored_files(app)), attachment_rows(app)


def test_image_and_pdf_accepted_and_served(demo_app, clients, draft, run_checks):
    notice = draft()
    lizhuang = clients("lizhuang")
    image = upload(lizhuang, notice["id"], png_bytes(), "../../etc/台账.png")
    assert image.status_code == 201, image.get_json()
    assert image.get_json()["name"] == "台账.png" and image.get_json()["media_type"] == "image/png"
    document = upload(lizhuang, notice["id"], pdf_with_text("Ledger October"), "ledger.pdf").get_json()
    assert document["media_type"] == "application/pdf"
    served = lizhuang.get(document["url"])
    assert served.status_code == 200 and served.data.startswith(b"%PDF-")
    assert "ledger" not in served.headers["Content-Disposition"] and served.headers["X-Content-Type-Options"] == "nosniff"
    # Not public until the notice is approved and showing.
    assert demo_app.test_client().get(document["url"]).status_code == 404
    lizhuang.api("post", f"/api/v1/notices/{notice['id']}/submit", json={})
    run_checks()
    clients("reviewer").api("post", f"/api/v1/notices/{notice['id']}/approve", json={})
    public = demo_app.test_client().get(document["url"])
    assert public.status_code == 200 and public.headers["Content-Type"] == "application/pdf"
    assert demo_app.test_client().get(document["url"].replace(document["url"].rsplit("/", 1)[1],
                                                               "../../secret_key")).status_code == 404
    assert {p.suffix for p in stored_files(demo_app)} == {".png", ".pdf"}


def test_pdf_text_layer_goes_through_the_privacy_gate(clients, draft, run_checks):
    notice = draft()
    lizhuang = clients("lizhuang")
    assert upload(lizhuang, notice["id"], pdf_with_text("Payee card 6222021234567890128"), "a.pdf").status_code == 201
    assert run_checks() == 1
    findings = lizhuang.api("get", f"/api/v1/notices/{notice['id']}").get_json()["privacy_findings"]
    # Read twice, as the text layer says and as the page is drawn (OCR).
    assert {(f["kind"], f["field"].split(":")[0]) for f in findings} == {("bank_card", "attachment")}


def test_executable_renamed_pdf_is_refused_and_leaves_nothing(demo_app, clients, draft):
    notice = draft()
    before = leftovers(demo_app)
    response = upload(clients("lizhuang"), notice["id"], b"MZ\x90\x00" + b"\x00" * 2000, "ledger.pdf")
    assert response.status_code == 415 and "PDF" in response.get_json()["message"]
    assert leftovers(demo_app) == before


def test_fake_pdf_with_a_pdf_header_is_refused(demo_app, clients, draft):
    notice = draft()
    before = leftovers(demo_app)
    response = upload(clients("lizhuang"), notice["id"], b"%PDF-1.4\nnot really\n", "x.pdf")
    assert response.status_code == 415
    assert leftovers(demo_app) == before


def test_oversized_file_is_refused_and_leaves_nothing(demo_app, clients, draft):
    demo_app.config["KIOSK_ATTACHMENT_MAX_MB"] = 1
    notice = draft()
    before = leftovers(demo_app)
    big = png_bytes() + b"\0" * (1024 * 1024)
    response = upload(clients("lizhuang"), notice["id"], big, "big.png")
    assert response.status_code == 413
    assert leftovers(demo_app) == before


@pytest.mark.parametrize("side", [10_000, 60_000])
def test_decompression_bomb_is_refused_and_leaves_nothing(demo_app, clients, draft, side):
    notice = draft()
    before = leftovers(demo_app)
    response = upload(clients("lizhuang"), notice["id"], bomb_png(side, side), "photo.png")
    assert response.status_code == 413 and response.get_json()["error"] == "too_large"
    assert leftovers(demo_app) == before


def test_a_failing_transaction_takes_its_file_with_it(demo_app, clients, draft, monkeypatch):
    notice = draft()
    before = leftovers(demo_app)
    from kiosk.disclosures import operations

    def broken(*args, **kwargs):
        raise RuntimeError("audit store down")
    monkeypatch.setattr(operations, "record_change", broken)
    response = upload(clients("lizhuang"), notice["id"], png_bytes(), "a.png")
    assert response.status_code == 500
    assert leftovers(demo_app) == before


def test_other_village_cannot_upload(clients, draft):
    notice = draft()
    assert upload(clients("wangjia"), notice["id"], png_bytes(), "a.png").status_code == 404
