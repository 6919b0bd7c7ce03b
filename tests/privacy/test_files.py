"""What the public gets of a file is a copy we made and then read whole: the served bytes carry
nothing the pages do not show, and everything the pages and pictures show is checked, however it
was drawn (issue 18: files published byte for byte; pictures and pages not read whole)."""
import io

import qrcode
from PIL import Image
from pypdf import PdfReader

from tests.disclosures.conftest import run_checks  # noqa: F401
from tests.disclosures.test_uploads import upload
from tests.privacy import hostile

SECRET = hostile.MOBILE


def _details(client, notice_id):
    return client.api("get", f"/api/v1/notices/{notice_id}").get_json()


def _attach_all(client, notice_id, files: dict[str, bytes]) -> dict[str, int]:
    ids = {}
    for name, data in files.items():
        sent = upload(client, notice_id, data, name)
        assert sent.status_code == 201, sent.get_json()
        ids[name] = sent.get_json()["id"]
    return ids


def _published(clients, notice, override: str = "") -> None:
    submitted = clients("lizhuang").api("post", f"/api/v1/notices/{notice['id']}/submit",
                                        json={"privacy_note": override} if override else {})
    assert submitted.status_code == 200, submitted.get_json()
    approved = clients("reviewer").api("post", f"/api/v1/notices/{notice['id']}/approve",
                                       json={"privacy_override": override} if override else {})
    assert approved.status_code == 200, approved.get_json()


def test_the_public_gets_a_copy_without_what_the_pages_do_not_show(demo_app, clients, draft, run_checks):
    lizhuang, visitor = clients("lizhuang"), demo_app.test_client()
    notice = draft(title="李庄村道路维修公示")
    ids = _attach_all(lizhuang, notice["id"], {
        "照片.jpg": hostile.jpeg_with_exif_and_comment(SECRET), "截图.png": hostile.png_with_text_chunks(SECRET),
        "公示.pdf": hostile.pdf_with_everything_hidden(SECRET), "更正.pdf": hostile.pdf_with_an_earlier_revision(SECRET)})
    assert run_checks() == 4
    details = _details(lizhuang, notice["id"])
    assert {a["check_state"] for a in details["attachments"]} == {"done"}
    # What the public will get carries no number: the notice passes without an override.
    assert details["privacy_findings"] == []
    _published(clients, notice)

    def served(name: str) -> bytes:
        response = visitor.get(f"/n/{notice['slug']}/f/{ids[name]}")
        assert response.status_code == 200
        return response.get_data()
    for name in ids:
        assert SECRET.encode() not in served(name), name
    photo = Image.open(io.BytesIO(served("照片.jpg")))
    assert not photo.getexif() and "comment" not in photo.info and "exif" not in photo.info
    screenshot = Image.open(io.BytesIO(served("截图.png")))
    assert not {"Comment", "Author"} & set(screenshot.info) and not screenshot.text
    document = served("公示.pdf")
    for marker in (b"/EmbeddedFile", b"/JavaScript", b"/OpenAction", b"/URI", b"/Metadata", b"/AcroForm",
                   b"/Opt", b"/Author"):
        assert marker not in document, marker
    assert PdfReader(io.BytesIO(document)).pages[0].extract_text().startswith("Notice of road repairs")
    corrected = served("更正.pdf")
    assert corrected.count(b"%%EOF") == 1 and b"Corrected" in corrected
    # The kiosk's and phones' page pictures are drawn from the copy too.
    assert visitor.get(f"/n/{notice['slug']}/f/{ids['更正.pdf']}/p1.png").status_code == 200
    # The staff still download what they uploaded.
    original = lizhuang.get(details["attachments"][0]["url"]).get_data()
    assert original == hostile.jpeg_with_exif_and_comment(SECRET)


def test_every_page_frame_and_code_is_read_as_shown(demo_app, clients, draft, run_checks):
    lizhuang, visitor = clients("lizhuang"), demo_app.test_client()
    notice = draft(title="李庄村公示材料")
    qr = qrcode.make(f"tel:{SECRET}").convert("RGB")
    ids = _attach_all(lizhuang, notice["id"], {
        "图层.pdf": hostile.pdf_with_hidden_layer(SECRET),            # drawn once the layer is gone
        "文字层.pdf": hostile.pdf_with_a_lying_text_layer(SECRET),     # its text layer says xxxx
        "批注.pdf": hostile.pdf_with_a_drawn_free_text_note(SECRET),   # only the note's appearance says it
        "动图.gif": hostile.animation("GIF", hostile.picture()),       # the second frame
        "动图.webp": hostile.animation("WEBP", hostile.picture()),
        "动图.png": hostile.animation("PNG", hostile.picture()),       # APNG
        "浅字.png": hostile.encoded(hostile.picture(ink=(236, 236, 236)), "PNG"),   # grey 236 on 255
        "二维码.png": hostile.encoded(qr, "PNG"),
        "二维码.pdf": hostile.encoded(qr, "PDF")})
    assert run_checks() == len(ids)
    findings = _details(lizhuang, notice["id"])["privacy_findings"]
    found = {(f["field"], f["kind"]) for f in findings}
    for name, attachment_id in ids.items():
        assert (f"attachment:{attachment_id}", "mobile") in found, name
    wheres = {f["where"] for f in findings}
    assert {"image frame 2", "image QRCode", "page 1 QRCode"} <= wheres
    # A published animation keeps its frames, each re-encoded; the one read is the one served.
    _published(clients, notice, override="已人工核对：测试号码")
    gif = Image.open(io.BytesIO(visitor.get(f"/n/{notice['slug']}/f/{ids['动图.gif']}").get_data()))
    assert gif.format == "GIF" and gif.n_frames == 2


def test_pages_drawn_alike_are_read_once_and_each_keeps_its_own_place(tmp_path, monkeypatch):
    from kiosk.privacy import files, ocr
    from kiosk.privacy.gate import find_in_text
    from kiosk.privacy.samples import text_pdf
    readings, read_lines = [], ocr.read_lines
    monkeypatch.setattr(ocr, "read_lines", lambda image: readings.append(image.size) or read_lines(image))
    filler = "Village accounts, October: road repair materials and office supplies."
    pages = [filler] * 29 + [f"{filler}\nPayee: {SECRET}"]

    pieces = files.read_file(text_pdf(tmp_path / "thirty.pdf", pages), "application/pdf")
    assert len(readings) == 2    # the repeated page once, the last page once
    seen = [piece for piece in pieces if piece.source == "ocr"]
    assert [piece.page for piece in seen if piece.text == filler] == list(range(1, 31))
    assert all(piece.where == f"page {piece.page}" for piece in seen)
    with_number = [piece for piece in seen if find_in_text(piece.text)]
    assert [(piece.page, piece.where) for piece in with_number] == [(30, "page 30")]
    # A code's place too: the same picture on two pages, read once, is found on each page.
    code = qrcode.make(f"tel:{SECRET}").convert("RGB")
    code.save(tmp_path / "codes.pdf", "PDF", save_all=True, append_images=[code.copy()])
    codes = [(piece.where, piece.page, piece.text) for piece in files.read_file(tmp_path / "codes.pdf", "application/pdf")
             if piece.source == "barcode"]
    assert len(readings) == 3 and codes == [("page 1 QRCode", 1, f"tel:{SECRET}"), ("page 2 QRCode", 2, f"tel:{SECRET}")]
