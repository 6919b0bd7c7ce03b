"""Attachments read by OCR in the background, the notice held meanwhile, boxes blacked out by the
server, every other public text checked, and nobody approving what they edited."""
import io
from pathlib import Path

import pytest
from PIL import Image

from kiosk.accounts.models import Role
from kiosk.accounts.operations import create_user
from kiosk.core.errors import Conflict
from kiosk.disclosures.models import Attachment
from kiosk.extensions import db
from kiosk.files.pages import page_count
from kiosk.org.models import UnitKind
from kiosk.org.operations import create_unit, get_unit_by_code
from kiosk.privacy import find_in_text
from kiosk.privacy.files import read_file
from kiosk.privacy.samples import LEDGER_CARD, ledger_image, scanned, scanned_pdf
from tests.conftest import StaffClient
from tests.disclosures.conftest import run_checks  # noqa: F401
from tests.disclosures.test_uploads import png_bytes, upload
from tests.screens.conftest import group_id, manager  # noqa: F401


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _details(client, notice_id):
    return client.api("get", f"/api/v1/notices/{notice_id}").get_json()


def test_a_noisy_photo_like_scan_is_read_with_its_card_number(tmp_path):
    path = tmp_path / "scan.jpg"
    scanned(ledger_image()).save(path, "JPEG", quality=70)
    pieces = read_file(path, "image/jpeg")
    findings = [f for piece in pieces for f in find_in_text(piece.text)]
    assert [f.kind for f in findings] == ["bank_card"]
    card_line = next(piece for piece in pieces if LEDGER_CARD in piece.text.replace(" ", ""))
    left, top, right, bottom = card_line.box
    assert 0 <= left < right <= 1400 and 0 <= top < bottom <= 700     # a box on the scan, where the card is


def test_a_ledger_photo_is_held_until_checked_then_masked_with_a_box_by_the_server(demo_app, clients, draft,
                                                                                   run_checks):
    lizhuang, reviewer, visitor = clients("lizhuang"), clients("reviewer"), demo_app.test_client()
    notice = draft(title="李庄村10月财务收支公开")
    sent = upload(lizhuang, notice["id"], _png(ledger_image()), "10月明细账.png").get_json()
    assert sent["check_state"] == "pending"
    assert lizhuang.api("post", f"/api/v1/notices/{notice['id']}/submit", json={}).status_code == 200
    held = reviewer.api("post", f"/api/v1/notices/{notice['id']}/approve", json={"privacy_override": "已人工核对"})
    assert held.status_code == 409 and held.get_json()["error"] == "privacy_check_pending"
    assert 'id="checks-pending"' in lizhuang.get(f"/staff/notices/{notice['id']}").get_data(as_text=True)

    assert run_checks() == 1
    findings = _details(lizhuang, notice["id"])["privacy_findings"]
    assert [(f["kind"], f["where"], f["masked"]) for f in findings] == [("bank_card", "image", "***************0128")]
    page = lizhuang.get(f"/staff/notices/{notice['id']}").get_data(as_text=True)
    assert "***************0128" in page and "/redact" in page
    # One click: the finding's box, blacked out by the server; the new picture is checked again.
    box = ",".join(str(value) for value in findings[0]["box"])
    assert lizhuang.post_form(f"/staff/notices/{notice['id']}/attachments/{sent['id']}/redact",
                              {"boxes": box}).status_code == 302
    attachment = _details(lizhuang, notice["id"])["attachments"][0]
    assert attachment["check_state"] == "pending" and attachment["url"] != sent["url"]
    assert run_checks() == 1
    assert _details(lizhuang, notice["id"])["privacy_findings"] == []
    with demo_app.app_context():
        stored = db.session.get(Attachment, sent["id"])
        pieces = " ".join(piece["text"] for piece in stored.check_pieces)
        assert "道路维修材料款" in pieces and LEDGER_CARD not in pieces.replace(" ", "")
        folder = Path(demo_app.config["KIOSK_UPLOAD_PATH"]) / "notices"
        assert not (folder / sent["url"].rsplit("/", 1)[1]).exists()    # the unmasked original is gone
    # The box changed the attachment: the notice went back to draft, and the editor submits again.
    assert lizhuang.api("post", f"/api/v1/notices/{notice['id']}/submit", json={}).status_code == 200
    assert reviewer.api("post", f"/api/v1/notices/{notice['id']}/approve", json={}).status_code == 200
    assert visitor.get(f"/n/{notice['slug']}").status_code == 200


def test_an_image_only_pdf_page_is_read_by_ocr(demo_app, clients, draft, run_checks, tmp_path):
    path = scanned_pdf(tmp_path / "scan.pdf", pages=1)
    assert page_count(path) == 1
    lizhuang = clients("lizhuang")
    notice = draft()
    sent = upload(lizhuang, notice["id"], path.read_bytes(), "扫描件.pdf").get_json()
    assert sent["check_state"] == "pending"
    assert run_checks() == 1
    findings = _details(lizhuang, notice["id"])["privacy_findings"]
    assert [(f["kind"], f["where"], f["page"]) for f in findings] == [("bank_card", "page 1", 1)]
    blocked = clients("lizhuang").api("post", f"/api/v1/notices/{notice['id']}/attachments/{sent['id']}/redact",
                                      json={"boxes": [findings[0]["box"]]})
    assert blocked.status_code == 400 and "PDF" in blocked.get_json()["message"]


def test_a_failed_check_holds_the_notice_until_checked_again(demo_app, clients, draft, run_checks):
    lizhuang, reviewer = clients("lizhuang"), clients("reviewer")
    notice = draft()
    sent = upload(lizhuang, notice["id"], png_bytes(), "收据.png").get_json()
    with demo_app.app_context():   # the file is lost before OCR could read it
        stored = db.session.get(Attachment, sent["id"])
        (Path(demo_app.config["KIOSK_UPLOAD_PATH"]) / "notices" / stored.stored_name).rename(
            Path(demo_app.config["KIOSK_UPLOAD_PATH"]) / "lost.png")
    run_checks()
    assert _details(lizhuang, notice["id"])["attachments"][0]["check_state"] == "failed"
    lizhuang.api("post", f"/api/v1/notices/{notice['id']}/submit", json={})
    refused = reviewer.api("post", f"/api/v1/notices/{notice['id']}/approve", json={"privacy_override": "理由充分"})
    assert refused.status_code == 409 and refused.get_json()["error"] == "privacy_check_failed"
    with demo_app.app_context():
        stored = db.session.get(Attachment, sent["id"])
        (Path(demo_app.config["KIOSK_UPLOAD_PATH"]) / "lost.png").rename(
            Path(demo_app.config["KIOSK_UPLOAD_PATH"]) / "notices" / stored.stored_name)
    again = lizhuang.api("post", f"/api/v1/notices/{notice['id']}/attachments/{sent['id']}/check")
    assert again.get_json()["check_state"] == "pending"
    run_checks()
    assert reviewer.api("post", f"/api/v1/notices/{notice['id']}/approve", json={}).status_code == 200


def test_a_live_notice_leaves_every_public_surface_while_its_picture_is_checked_again(demo_app, clients, draft,
                                                                                       run_checks):
    lizhuang, reviewer, visitor = clients("lizhuang"), clients("reviewer"), demo_app.test_client()
    notice = draft(title="李庄村公开栏照片")
    sent = upload(lizhuang, notice["id"], png_bytes((200, 120)), "照片.png").get_json()
    run_checks()
    lizhuang.api("post", f"/api/v1/notices/{notice['id']}/submit", json={})
    assert reviewer.api("post", f"/api/v1/notices/{notice['id']}/approve", json={}).status_code == 200

    def public() -> dict:
        return {"page": visitor.get(f"/n/{notice['slug']}").status_code,
                "catalogue": notice["slug"] in visitor.get("/catalogue").get_data(as_text=True),
                "feed": notice["slug"] in visitor.get("/api/v1/public/notices?unit=lizhuang").get_data(as_text=True),
                "file": visitor.get(_details(lizhuang, notice["id"])["attachments"][0]["url"]).status_code}
    assert public() == {"page": 200, "catalogue": True, "feed": True, "file": 200}
    assert lizhuang.api("post", f"/api/v1/notices/{notice['id']}/attachments/{sent['id']}/redact",
                        json={"boxes": [[0, 0, 50, 50]]}).status_code == 200
    assert public() == {"page": 404, "catalogue": False, "feed": False, "file": 404}
    run_checks()
    assert public() == {"page": 200, "catalogue": True, "feed": True, "file": 200}


def test_nobody_approves_a_version_they_edited_whatever_roles_they_hold(demo_app, clients, draft):
    with demo_app.app_context():
        create_user("both", "Two-hats-passw0rd", {Role.editor, Role.reviewer}, get_unit_by_code("jinjia"))
        db.session.commit()
    both = StaffClient(demo_app.test_client(), "both", "Two-hats-passw0rd")
    notice = draft()   # written by the village clerk
    assert both.api("patch", f"/api/v1/notices/{notice['id']}", json={"summary": "改了一处"}).status_code == 200
    assert clients("lizhuang").api("post", f"/api/v1/notices/{notice['id']}/submit", json={}).status_code == 200
    refused = both.api("post", f"/api/v1/notices/{notice['id']}/approve", json={})
    assert refused.status_code == 403
    assert clients("reviewer").api("post", f"/api/v1/notices/{notice['id']}/approve", json={}).status_code == 200
    # An attachment counts as an edit too, and so does masking.
    assert both.api("patch", f"/api/v1/notices/{notice['id']}", json={"summary": "再改"}).status_code == 200
    assert clients("lizhuang").api("post", f"/api/v1/notices/{notice['id']}/submit", json={}).status_code == 200
    assert both.api("post", f"/api/v1/notices/{notice['id']}/approve", json={}).status_code == 403


def test_urgent_notices_slides_screen_and_unit_names_are_checked(demo_app, manager):
    villages = group_id(demo_app, "villages")
    urgent = manager.api("POST", "/api/v1/urgent-notices", json={
        "unit": "jinjia", "title": "停水通知", "body": "有问题请联系 138 1234 5678", "groups": [villages]})
    assert urgent.status_code == 409 and urgent.get_json()["error"] == "privacy"
    assert "138****5678" in urgent.get_json()["message"]
    slide = manager.api("POST", "/api/v1/rotations", json={
        "name": "欢迎", "unit": "lizhuang", "group": "board", "priority": 10,
        "slides": [{"kind": "clock", "duration": 8, "welcome": "村主任 １３９１２３４５６７８ 欢迎您"}]})
    assert slide.status_code == 409 and slide.get_json()["error"] == "privacy"
    caption = manager.api("POST", "/api/v1/rotations", json={
        "name": "扫码", "unit": "lizhuang", "group": "board", "priority": 10,
        "slides": [{"kind": "qr", "duration": 8, "link": "https://example.org", "caption": "户主 11010519491231002X"}]})
    assert caption.status_code == 409
    screen = manager.api("POST", "/api/v1/screens", json={"unit": "lizhuang", "kind": "noticeboard_portrait",
                                                          "name": "张三 13812345678 家门口", "groups": [villages]})
    assert screen.status_code == 409
    with demo_app.app_context(), pytest.raises(Conflict):
        create_unit(UnitKind.village, "幸福路12号", "xingfu", get_unit_by_code("jinjia"))


def test_the_editors_guide_is_linked_from_the_notice_form(clients, draft):
    lizhuang = clients("lizhuang")
    form = lizhuang.get("/staff/notices/new").get_data(as_text=True)
    assert 'href="/staff/privacy/guide"' in form
    guide = lizhuang.get("/staff/privacy/guide").get_data(as_text=True)
    assert "身份证号" in guide and "遮盖" in guide
    # The masking rule and what happens to files, with the limits this server applies (README too).
    assert 'id="masking-rule"' in guide and "上传的文件会怎样处理" in guide and "2048 MB" in guide and "300 秒" in guide


def test_a_check_claimed_by_a_process_that_died_is_taken_over(demo_app, clients, draft, run_checks):
    from datetime import timedelta

    from kiosk.core import clock
    from kiosk.disclosures.models import CheckState
    notice = draft()
    sent = upload(clients("lizhuang"), notice["id"], png_bytes(), "收据.png").get_json()

    def claimed(minutes_ago: int) -> None:
        with demo_app.app_context():
            stored = db.session.get(Attachment, sent["id"])
            stored.check_state, stored.check_claimed_at = CheckState.running, clock.now() - timedelta(minutes=minutes_ago)
            db.session.commit()
    claimed(1)      # another process is reading it right now: leave it
    assert run_checks() == 0
    claimed(20)     # that process died mid-OCR: take it over
    assert run_checks() == 1
    assert _details(clients("lizhuang"), notice["id"])["attachments"][0]["check_state"] == "done"
