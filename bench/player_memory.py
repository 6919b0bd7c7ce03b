"""Does the player stay flat? Cycle a rotation of 3-second slides (notices with paging, a picture,
a QR card, the clock) in headless Chromium and compare DOM nodes, event listeners and JS heap
after garbage collection at the start and at the end.

    .venv/bin/python bench/player_memory.py [--minutes 5]

Uses a throw-away demo township on SQLite in a temporary folder and Debian's /usr/bin/chromium.
"""
import argparse
import io
import os
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def build_server(folder: Path):
    os.environ["KIOSK_INSTANCE_PATH"] = str(folder)
    from werkzeug.serving import make_server

    from kiosk import create_app
    from kiosk.core.migrate import upgrade
    from kiosk.demo import load_demo
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Socket.IO accepts browsers only from KIOSK_PUBLIC_URL
    app = create_app({"KIOSK_PUBLIC_URL": f"http://127.0.0.1:{port}"})
    with app.app_context():
        upgrade()
        load_demo()
    server = make_server("127.0.0.1", port, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return app, server


def prepare(app, base: str) -> str:
    """A screen with a fast rotation; returns its player URL."""
    from PIL import Image
    client = app.test_client()
    token = client.post("/api/v1/tokens", json={"username": "screens", "password": "jinjia-demo"}).get_json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 900), "#1565c0").save(buffer, format="JPEG")
    image = client.post("/api/v1/slide-images", headers=auth, data={
        "unit": "lizhuang", "picture": (io.BytesIO(buffer.getvalue()), "bench.jpg")}).get_json()
    rotation = client.post("/api/v1/rotations", headers=auth, json={
        "name": "bench", "unit": "lizhuang", "group": "board", "priority": 900, "slides": [
            {"kind": "notice", "duration": 3}, {"kind": "image", "duration": 3, "image_id": image["id"]},
            {"kind": "qr", "duration": 3, "link": "https://www.12388.gov.cn/", "caption": "12388"},
            {"kind": "clock", "duration": 3, "welcome": "bench"}]})
    assert rotation.status_code == 201, rotation.get_json()
    groups = client.get("/api/v1/screen-groups", headers=auth).get_json()["groups"]
    board = next(g["id"] for g in groups if g["code"] == "board" and g["unit"] == "lizhuang")
    screen = client.post("/api/v1/screens", headers=auth, json={
        "unit": "lizhuang", "kind": "noticeboard_portrait", "name": "bench", "groups": [board]}).get_json()
    return base + urlsplit(screen["player_url"]).path


def metrics(session) -> dict:
    session.send("HeapProfiler.collectGarbage")
    values = {m["name"]: m["value"] for m in session.send("Performance.getMetrics")["metrics"]}
    return {"nodes": int(values["Nodes"]), "listeners": int(values["JSEventListeners"]),
            "heap_kb": int(values["JSHeapUsedSize"] / 1024), "documents": int(values["Documents"])}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright
    with tempfile.TemporaryDirectory() as folder:
        app, server = build_server(Path(folder))
        url = prepare(app, f"http://127.0.0.1:{server.server_port}")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=["--headless", "--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1080, "height": 1920})
            page.goto(url)
            page.wait_for_selector(".layer.shown .slide")
            session = page.context.new_cdp_session(page)
            session.send("Performance.enable")
            time.sleep(15)  # one full cycle first: caches and fonts warm
            start = metrics(session)
            print(f"start: {start}")
            deadline = time.time() + args.minutes * 60
            while time.time() < deadline:
                time.sleep(min(60, max(1, deadline - time.time())))
                print(f"  {time.strftime('%H:%M:%S')} {metrics(session)}", flush=True)
            end = metrics(session)
            with app.app_context():
                from kiosk.extensions import db
                from kiosk.screens.models import DisplayReport
                shown = db.session.query(DisplayReport).count()
            print(f"end:   {end}; {shown} slides reported by the player")
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main()
