"""After a correction, the rendered picture and the player's state show the same, corrected version."""
import os
import shutil
import subprocess

import pytest

from tests.render.conftest import picture

BEFORE, AFTER = "道路维修金额为 12,000.00 元。", "道路维修金额为 19,500.00 元。"


def slide_of(client, token, notice_id):
    state = client.get("/display/state", headers={"X-Screen-Token": token}).get_json()
    return next(slide for rotation in state["rotations"] for slide in rotation["slides"]
                if slide.get("notice_id") == notice_id)


def read_text(image, tmp_path) -> str:
    """What tesseract (chi_sim) reads in the picture, without spaces."""
    path = tmp_path / "page.png"
    image.convert("L").save(path)
    result = subprocess.run(["tesseract", str(path), "-", "-l", "chi_sim+eng", "--psm", "4"],
                            capture_output=True, text=True, check=True)
    return "".join(result.stdout.split())


def test_picture_and_player_show_the_same_version_after_a_correction(demo_app, approved, clients, board, tmp_path):
    if shutil.which("tesseract") is None:
        if os.environ.get("KIOSK_TEST_REQUIRE_SERVICES") == "1":
            pytest.fail("CI must install tesseract-ocr and tesseract-ocr-chi-sim (.ci/run does)")
        pytest.skip("needs tesseract-ocr with chi_sim")
    notice = approved(title="李庄村道路维修公示", body=BEFORE)
    _screen, token = board(kind="noticeboard_portrait", name="李庄村二号屏")
    client = demo_app.test_client()
    url = f"/api/v1/render/notices/{notice['id']}?size=portrait"
    first = client.get(url)
    assert slide_of(client, token, notice["id"])["correction"] is None
    assert "12,000.00" in read_text(picture(first.data), tmp_path)

    lizhuang, reviewer = clients("lizhuang"), clients("reviewer")
    assert lizhuang.api("patch", f"/api/v1/notices/{notice['id']}", json={"body": AFTER}).status_code == 200
    lizhuang.api("post", f"/api/v1/notices/{notice['id']}/submit", json={})
    assert reviewer.api("post", f"/api/v1/notices/{notice['id']}/approve", json={}).status_code == 200

    slide = slide_of(client, token, notice["id"])
    corrected = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert corrected.status_code == 200 and corrected.headers["ETag"] != first.headers["ETag"]
    assert slide["correction"] and corrected.headers["X-Notice-Corrected"] == slide["correction"]
    assert "19,500.00" in slide["body_html"]
    image = picture(corrected.data)
    text = read_text(image, tmp_path)
    assert "19,500.00" in text and "12,000.00" not in text
    band = image.crop((image.width // 2, 0, image.width, 70)).resize((image.width, 140))   # the mark on the band
    assert f"{slide['correction']}更正" in read_text(band, tmp_path)
