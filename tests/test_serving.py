"""`kiosk serve` on its own port: public links and QR codes follow the address served on when
KIOSK_PUBLIC_URL is unset, start-up warns when they cannot reach phones, and on a Saturday night a
newcomer takes a number at the kiosk page, it is called at window 1, and its QR code opens on that port."""
import io
import shutil
import subprocess
import time
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import requests
import socketio
from PIL import Image

from kiosk.core import clock
from kiosk.demo.township import DEMO_PASSWORD
from kiosk.qr import scanned_link
from kiosk.serving import settle_public_url
from tests.conftest import free_port
from tests.kiosk_command import KIOSK, kiosk_env

SATURDAY_NIGHT = datetime(2026, 11, 28, 22, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
HALL = "jinjia-hall"


class Served:
    """A `kiosk serve` process, as `make run PORT=...` starts it."""

    def __init__(self, instance, host="127.0.0.1", dev=False, template=None, **env):
        self.env = kiosk_env(instance, **env)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = instance / "serve.log"
        if template is not None:
            shutil.copytree(template, instance, dirs_exist_ok=True)
        for command in (["db", "upgrade"], ["demo", "--if-empty"]):
            subprocess.run(KIOSK + command, env=self.env, check=True, capture_output=True, timeout=180)
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(KIOSK + ["serve", "--host", host, "--port", str(self.port)] + ["--dev"] * dev,
                                            env=self.env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/healthz", timeout=5).status_code == 200:
                    return
            except (requests.ConnectionError, requests.Timeout):  # not listening yet, or busy starting
                time.sleep(0.2)
        self.stop()
        pytest.fail(f"kiosk serve did not come up: {self.output()[-2000:]}")

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def token(self, username) -> dict:
        response = requests.post(f"{self.url}/api/v1/tokens", json={"username": username, "password": DEMO_PASSWORD})
        response.raise_for_status()
        return {"Authorization": f"Bearer {response.json()['token']}"}

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


@pytest.fixture(scope="module")
def demo_instance(tmp_path_factory):
    """An instance folder where `make run`'s two commands (`kiosk db upgrade`, `kiosk demo --if-empty`)
    built the demo township at SATURDAY_NIGHT, once for the module: the demo takes most of a minute of
    CPU. Each server starts on a copy, and runs the two commands again, as `make run` does on every start."""
    instance = tmp_path_factory.mktemp("served-demo")
    env = kiosk_env(instance, KIOSK_CLOCK_START=SATURDAY_NIGHT.isoformat())
    for command in (["db", "upgrade"], ["demo", "--if-empty"]):
        subprocess.run(KIOSK + command, env=env, check=True, capture_output=True, timeout=180)
    return instance


@pytest.fixture
def served(tmp_path, demo_instance):
    """served(**options) → a `kiosk serve` on a copy of the demo, its clock starting at SATURDAY_NIGHT."""
    servers = []

    def start(**options):
        instance = tmp_path / f"instance-{len(servers)}"
        instance.mkdir()
        servers.append(Served(instance, template=demo_instance, KIOSK_CLOCK_START=SATURDAY_NIGHT.isoformat(),
                              **options))
        return servers[-1]
    yield start
    for server in servers:
        server.stop()


def decode_qr(png: bytes) -> str:
    import zxingcpp
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))
    assert len(found) == 1 and found[0].format == zxingcpp.BarcodeFormat.QRCode
    return found[0].text


def test_the_default_server_is_gevent_and_serves_a_push_and_a_ticket(served):
    server = served()
    assert "kiosk: serving with gevent" in server.output()
    assert "Werkzeug" not in requests.get(f"{server.url}/healthz").headers.get("Server", "")
    heard = []
    board = socketio.Client()
    board.on("queue.changed", heard.append)
    board.connect(server.url, transports=["websocket"], wait_timeout=30)
    try:
        assert board.call("queue.follow", {"hall": HALL}, timeout=30)["ok"]
        issued = requests.post(f"{server.url}/api/v1/queue/halls/{HALL}/tickets", json={"service": "T"},
                               headers=server.token("window1"), timeout=30)
        assert issued.status_code == 201, issued.text
        deadline = time.monotonic() + 30
        while not any(event["kind"] == "issued" for event in heard) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert any(event["kind"] == "issued" and event["ticket"] == issued.json()["code"] for event in heard), heard
    finally:
        board.disconnect()


def test_the_scheduler_the_ocr_check_and_the_printer_work_under_gevent(served, tmp_path):
    """What worked only with threads before gevent became the default: SQLite from greenlets, the
    embedded scheduler's jobs, the privacy check's OCR (in its own process) and the ticket printer."""
    from kiosk.privacy.samples import ledger_image
    printer = tmp_path / "printer.bin"
    server = served(KIOSK_QUEUE_PRINTER=f"file:{printer}")
    editor = server.token("lizhuang")
    notice = requests.post(f"{server.url}/api/v1/notices", headers=editor, timeout=30, json={
        "category": "village_finances", "title": "李庄村10月账页", "body": "见附件。", "formed_on": "2026-11-28",
        "audience": "villages", "villages": ["lizhuang"]})
    assert notice.status_code == 201, notice.text
    picture = io.BytesIO()
    ledger_image().save(picture, "PNG")
    sent = requests.post(f"{server.url}/api/v1/notices/{notice.json()['id']}/attachments", headers=editor,
                         files={"file": ("账页.png", picture.getvalue(), "image/png")}, timeout=30)
    assert sent.status_code == 201, sent.text
    # The printer: a number printed as ESC/POS bytes while the check runs.
    issued = requests.post(f"{server.url}/api/v1/queue/halls/{HALL}/tickets", json={"service": "T", "print": True},
                           headers=server.token("window1"), timeout=30)
    assert issued.status_code == 201 and issued.json()["printed"] is True, issued.text
    printed = printer.read_bytes()   # one raster picture (GS v 0), then the paper cut (GS V)
    assert printed.startswith(b"\x1dv0") and printed.endswith(b"\x1dV\x00")
    slowest, deadline = 0.0, time.monotonic() + 240
    while time.monotonic() < deadline:
        started = time.monotonic()
        assert requests.get(f"{server.url}/healthz", timeout=30).status_code == 200
        slowest = max(slowest, time.monotonic() - started)
        details = requests.get(f"{server.url}/api/v1/notices/{notice.json()['id']}", headers=editor, timeout=30).json()
        if details["attachments"][0]["check_state"] in ("done", "failed"):
            break
        time.sleep(0.5)
    assert details["attachments"][0]["check_state"] == "done", details["attachments"]
    assert "bank_card" in {finding["kind"] for finding in details["privacy_findings"]}   # read by OCR
    assert slowest < 3, slowest   # no answer waited for the check (its process takes seconds)


def test_werkzeug_serves_only_when_asked_for_by_name(served, tmp_path):
    server = served(dev=True)
    assert "kiosk: serving with Werkzeug's development server (--dev" in server.output()
    assert "Werkzeug" in requests.get(f"{server.url}/healthz").headers["Server"]

    refused = subprocess.run(KIOSK + ["serve", "--port", str(free_port())], capture_output=True, text=True,
                             env=kiosk_env(tmp_path, KIOSK_ASYNC_MODE="threading"), timeout=120)
    assert refused.returncode == 2 and "kiosk serve --dev" in refused.stderr


@pytest.mark.browser
def test_saturday_night_a_number_from_the_kiosk_page_whose_qr_opens_on_the_served_port(served, browser):
    server = served()
    assert f"QR code links      {server.url}/" in server.output()
    clock.start_at(SATURDAY_NIGHT)  # the browser's Date starts there too
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1080, "height": 1920})
    kiosk = context.new_page()
    try:
        kiosk.goto(f"{server.url}/hall/{HALL}/ticket")
        kiosk.fill("input[name=username]", "window1")
        kiosk.fill("input[name=password]", DEMO_PASSWORD)
        kiosk.click("button[type=submit]")
        kiosk.wait_for_url(f"{server.url}/hall/{HALL}/ticket")
        # At 22:30 on a Saturday the hall's real services are closed; the demo's own one is not.
        assert "closed" in kiosk.get_attribute("button.service[data-prefix=A]", "class")
        always_open = kiosk.locator("button.service[data-prefix=T]")
        assert "全天开放" in always_open.inner_text() and "closed" not in always_open.get_attribute("class")
        always_open.click()
        kiosk.wait_for_selector("#confirm:not([hidden])")
        kiosk.click("button.take[data-priority=normal]")
        kiosk.wait_for_selector("#issued:not([hidden])")
        assert kiosk.inner_text("#ticket-code") == "T001"
        qr_path = kiosk.get_attribute("#ticket-qr", "src").removesuffix(".svg") + ".png"

        called = requests.post(f"{server.url}/api/v1/queue/windows/1/call-next", headers=server.token("window1"))
        assert called.status_code == 200 and called.json()["ticket"]["code"] == "T001", called.text

        link = decode_qr(requests.get(server.url + qr_path).content)
        assert urlsplit(link).port == server.port and urlsplit(link).path.startswith("/t/")
        phone = context.new_page()
        phone.goto(link)
        assert phone.inner_text("#code") == "T001"
    finally:
        context.close()


def test_start_up_warns_when_public_links_point_at_loopback(served):
    server = served(host="0.0.0.0", KIOSK_PUBLIC_URL="http://127.0.0.1:5000")
    output = server.output()
    assert "WARNING" in output and "KIOSK_PUBLIC_URL is http://127.0.0.1:5000, a loopback address" in output
    assert "QR code links      http://127.0.0.1:5000/" in output


def test_links_follow_the_serve_address_and_the_dashboard_shows_it(demo_app, staff):
    demo_app.config["KIOSK_PUBLIC_URL_SET"] = False  # as when KIOSK_PUBLIC_URL is not in the environment
    assert settle_public_url(demo_app, "127.0.0.1", 5101) == []
    admin = staff("admin")
    dashboard = admin.get("/staff/").get_data(as_text=True)
    assert '<code id="public-url">http://127.0.0.1:5101/</code>' in dashboard and "KIOSK_PUBLIC_URL" not in dashboard
    with demo_app.app_context():
        expected = scanned_link("http://127.0.0.1:5101/n/some-notice")
    assert decode_qr(admin.get("/qr/n/some-notice.png").data) == expected == "http://127.0.0.1:5101/n/some-notice?qr"

    assert settle_public_url(demo_app, "0.0.0.0", 5101) == ["unset_url"]
    host = urlsplit(demo_app.config["KIOSK_PUBLIC_URL"]).hostname
    assert host != "0.0.0.0" and urlsplit(demo_app.config["KIOSK_PUBLIC_URL"]).port == 5101
    dashboard = admin.get("/staff/").get_data(as_text=True)
    assert "未设置 KIOSK_PUBLIC_URL" in dashboard
    # Clerks see the panel only when something is wrong.
    assert "未设置 KIOSK_PUBLIC_URL" in staff("window1").get("/staff/").get_data(as_text=True)


def test_a_serving_process_keeps_its_start_up_heap_out_of_full_collections(tmp_path):
    """A full garbage collection holds every screen of the process: after start-up it must not walk
    the app's own few hundred thousand objects (the dictionaries, catalogues, the app)."""
    script = ("import gc; from kiosk import create_app; from kiosk.serving import freeze_startup_heap, GC_THRESHOLDS; "
              "app = create_app(); walked = len(gc.get_objects()); freeze_startup_heap(); "
              "print(walked, len(gc.get_objects()), gc.get_freeze_count(), gc.get_threshold() == GC_THRESHOLDS)")
    env = kiosk_env(tmp_path)
    out = subprocess.run([KIOSK[0], "-c", script], env=env, check=True,
                         capture_output=True, text=True, timeout=120).stdout.split()
    walked_before, walked_after, frozen, thresholds = int(out[0]), int(out[1]), int(out[2]), out[3]
    assert walked_before > 100_000 and walked_after < walked_before / 20 and frozen > 100_000
    assert thresholds == "True"
