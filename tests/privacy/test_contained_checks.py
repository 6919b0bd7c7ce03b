"""The checker is contained (issue 18: a 5,000-page PDF held every approval for 35 minutes, a
Flate bomb took 2.2 GB inside the server): each file is checked in a process of its own within
limits, fails with a reason the clerk understands, and holds no other notice."""
import threading
import time

from kiosk.disclosures.checks import claim_next
from kiosk.disclosures.models import Attachment
from kiosk.extensions import db
from tests.disclosures.conftest import run_checks  # noqa: F401
from tests.disclosures.test_uploads import png_bytes, stored_files, upload
from tests.privacy import hostile


def _attachment(client, notice_id) -> dict:
    return client.api("get", f"/api/v1/notices/{notice_id}").get_json()["attachments"][0]


def _in_background(run) -> threading.Thread:
    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    return worker


def _until(condition, seconds: float = 120) -> None:
    for _unused in range(int(seconds / 0.2)):
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("not reached in time")


def test_hostile_files_fail_within_the_limits_while_another_notice_is_approved(demo_app, clients, draft,
                                                                                run_checks):
    demo_app.config.update(KIOSK_CHECK_MEMORY_MB=2048, KIOSK_CHECK_SECONDS=120, KIOSK_CHECK_MAX_PAGES=200)
    lizhuang, reviewer = clients("lizhuang"), clients("reviewer")
    pages, bomb, plain = draft(title="五千页"), draft(title="压缩炸弹"), draft(title="李庄村公开栏照片")
    upload(lizhuang, pages["id"], hostile.blank_pages_pdf(5000), "五千页.pdf")
    upload(lizhuang, bomb["id"], hostile.flate_bomb_pdf(), "炸弹.pdf")
    upload(lizhuang, plain["id"], png_bytes((200, 120)), "照片.png")
    worker = _in_background(run_checks)
    # The plain notice waits only for its own picture, and is approved while the checker works on.
    _until(lambda: _attachment(lizhuang, plain["id"])["check_state"] == "done")
    assert lizhuang.api("post", f"/api/v1/notices/{plain['id']}/submit", json={}).status_code == 200
    assert reviewer.api("post", f"/api/v1/notices/{plain['id']}/approve", json={}).status_code == 200
    worker.join(240)
    assert not worker.is_alive()
    too_long, too_big = _attachment(lizhuang, pages["id"]), _attachment(lizhuang, bomb["id"])
    assert too_long["check_state"] == "failed" and "5000" in too_long["check_error"] and "200" in too_long["check_error"]
    assert too_big["check_state"] == "failed" and "2048 MB" in too_big["check_error"]
    page = lizhuang.get(f"/staff/notices/{pages['id']}").get_data(as_text=True)
    assert too_long["check_error"] in page                     # the clerk reads why, beside the file
    lizhuang.api("post", f"/api/v1/notices/{pages['id']}/submit", json={})
    held = reviewer.api("post", f"/api/v1/notices/{pages['id']}/approve", json={"privacy_override": "已核对"})
    assert held.status_code == 409 and held.get_json()["error"] == "privacy_check_failed"


def test_removing_an_attachment_stops_its_check(demo_app, clients, draft, run_checks):
    demo_app.config.update(KIOSK_CHECK_MAX_PAGES=10_000, KIOSK_CHECK_SECONDS=600)   # let it run long
    lizhuang = clients("lizhuang")
    notice = draft()
    sent = upload(lizhuang, notice["id"], hostile.blank_pages_pdf(3000), "三千页.pdf").get_json()
    worker = _in_background(run_checks)
    _until(lambda: _attachment(lizhuang, notice["id"])["check_state"] == "running")
    removed = lizhuang.api("delete", f"/api/v1/notices/{notice['id']}/attachments/{sent['id']}")
    assert removed.status_code in (200, 204)
    worker.join(20)
    assert not worker.is_alive()
    assert len(stored_files(demo_app)) == 1      # the upload itself; no public copy left behind


def test_checks_go_round_the_notices(demo_app, clients, draft):
    lizhuang = clients("lizhuang")
    many, one = draft(title="多个附件"), draft(title="一个附件")
    names = {}
    for index in range(3):
        names[upload(lizhuang, many["id"], png_bytes((40 + index, 30)), f"{index}.png").get_json()["id"]] = f"many{index}"
    names[upload(lizhuang, one["id"], png_bytes(), "x.png").get_json()["id"]] = "one"
    with demo_app.app_context():
        order = [names[claim_next().id] for _unused in range(4)]
        assert claim_next() is None
        db.session.query(Attachment).delete()
        db.session.commit()
    assert order == ["many0", "one", "many1", "many2"]
