"""Rendering: how long a picture takes, fresh and from the cache, and what image-only boards cost.

Part 1, in process on a fresh demo township (SQLite, at a pinned instant): the median time to draw
the demo 低保 notice (with its table) as a portrait PNG and as an A4 sheet (PNG and PDF), fresh
(every cache emptied: pictures, layouts, QR codes) and cached, the render call alone and served
through the app (renderNotice: routing, the notice's lookup, the cache, the response), and a poll
answered 304 by its ETag. Targets: cached under 10 ms served, fresh portrait under 150 ms.

Part 2, over HTTP against ONE real `kiosk serve` process: N image-only boards (registered through
createScreen) each poll renderScreenNow every INTERVAL seconds with If-None-Match, staggered over
the interval, for DURATION seconds. Prints the poll latencies, how many were 304, the bytes sent
and the server's CPU time per second of wall time (from /proc/<pid>/stat).

    .venv/bin/python bench/render.py --runs 30 --boards 100 --interval 30 --duration 300
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screens_push import HOST, PASSWORD, free_port, kiosk_command, percentile  # noqa: E402

PINNED = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def timed(action, runs: int) -> float:
    """Median milliseconds of `action()` over `runs` calls."""
    timings = []
    for _run in range(runs):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def in_process(runs: int) -> None:
    os.environ["KIOSK_INSTANCE_PATH"] = tempfile.mkdtemp(prefix="bench-render-")
    from kiosk import create_app
    from kiosk.core import clock
    from kiosk.core.migrate import upgrade
    from kiosk.demo import load_demo
    from kiosk.disclosures.feed import showing_notices
    from kiosk.disclosures.models import Notice
    from kiosk.extensions import db
    from kiosk.org.operations import get_unit_by_code
    from kiosk.qr import code_image
    from kiosk.render.api import notice_entry
    from kiosk.render.formats import FORMATS
    from kiosk.render.rendering import render_pdf, render_slide
    from kiosk.render.sources import context_for

    app = create_app()
    with app.app_context(), app.test_request_context():
        clock.set_now(PINNED)
        upgrade()
        load_demo()
        data = next(n for n in showing_notices(get_unit_by_code("lizhuang")) if "<table>" in n["body_html"])
        entry = notice_entry(db.session.get(Notice, data["id"]))
        context = context_for(entry)
        portrait, a4 = FORMATS["portrait"], FORMATS["a4"]

        def fresh(action):
            def run():
                for name in ("kiosk_render_images", "kiosk_render_layouts"):
                    app.extensions[name].clear()
                code_image.cache_clear()
                action()
            return run

        cases = {
            "portrait PNG": lambda: render_slide(entry, portrait, "colour", context),
            "A4 sheet PNG (300 dpi)": lambda: render_slide(entry, a4, "colour", context),
            "A4 sheet PDF (300 dpi)": lambda: render_pdf([(entry, context)], a4, "colour"),
        }
        render_slide(entry, portrait, "colour", context)     # fonts opened once per process
        print(f"in process, median of {runs}; notice: {entry['title']} (with a table)")
        print(f"{'picture':<26} {'fresh ms':>9} {'cached ms':>10}")
        for name, action in cases.items():
            cold = timed(fresh(action), max(3, runs // 3) if "A4" in name else runs)
            warm = timed(action, runs)
            print(f"{name:<26} {cold:>9.1f} {warm:>10.2f}")
    client = app.test_client()
    with app.app_context():
        clock.set_now(PINNED)
        url = f"/api/v1/render/notices/{entry['notice_id']}?size=portrait"
        first = client.get(url)
        assert first.status_code == 200
        served = timed(lambda: client.get(url), runs)
        not_modified = timed(lambda: client.get(url, headers={"If-None-Match": first.headers["ETag"]}), runs)
    print(f"served through renderNotice, cached: {served:.2f} ms; unchanged poll (304): {not_modified:.2f} ms")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def boards(count: int, interval: float, duration: float, size: str) -> None:
    port = free_port()
    base = f"http://{HOST}:{port}"
    instance = tempfile.mkdtemp(prefix="kiosk-bench-render-")
    env = {**os.environ, "KIOSK_INSTANCE_PATH": instance, "KIOSK_PUBLIC_URL": base,
           "KIOSK_LOGIN_LIMIT": "1000 per minute"}
    env.pop("KIOSK_DATABASE_URL", None)
    env.pop("KIOSK_REDIS_URL", None)
    server = None
    try:
        for command in (["db", "upgrade"], ["demo"]):   # the demo township, in this run's own instance
            subprocess.run([kiosk_command(), *command], env=env, check=True, stdout=subprocess.DEVNULL, timeout=600)
        log = open(Path(instance) / "server.log", "w")
        server = subprocess.Popen([kiosk_command(), "serve", "--host", HOST, "--port", str(port)], env=env,
                                  stdout=log, stderr=subprocess.STDOUT)
        session = requests.Session()
        deadline = time.monotonic() + 60
        while True:
            try:
                if session.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("the server did not start; see " + str(Path(instance) / "server.log"))
            time.sleep(0.3)
        login = {"username": "screens", "password": PASSWORD}
        token = session.post(f"{base}/api/v1/tokens", json=login).json()["token"]
        staff = {"Authorization": f"Bearer {token}"}
        groups = session.get(f"{base}/api/v1/screen-groups", headers=staff).json()["groups"]
        villages = next(g["id"] for g in groups if g["code"] == "villages")
        tokens = []
        for number in range(count):
            created = session.post(f"{base}/api/v1/screens", headers=staff, json={
                "unit": ("lizhuang", "wangjia", "zhang")[number % 3], "kind": "image_board",
                "name": f"压测墨水屏{number:04d}", "groups": [villages]}).json()
            tokens.append(parse_qs(urlsplit(created["player_url"]).query)["token"][0])   # the picture it polls
        print(f"{count} image-only boards registered; each polls renderScreenNow?size={size} every {interval:g} s "
              f"for {duration:g} s")

        latencies, statuses, sizes = [], {}, []
        lock = threading.Lock()
        stop_at = time.monotonic() + duration

        def board(number: int, device_token: str) -> None:
            poller = requests.Session()
            etag = None
            next_poll = time.monotonic() + interval * number / count
            while True:
                time.sleep(max(0.0, next_poll - time.monotonic()))
                if time.monotonic() >= stop_at:
                    return
                started = time.perf_counter()
                response = poller.get(f"{base}/api/v1/render/screen-now", params={"token": device_token, "size": size},
                                      headers={"If-None-Match": etag} if etag else {}, timeout=30)
                elapsed = (time.perf_counter() - started) * 1000
                etag = response.headers.get("ETag", etag)
                with lock:
                    latencies.append(elapsed)
                    statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                    sizes.append(len(response.content))
                next_poll += interval

        cpu_before, wall_before = cpu_seconds(server.pid), time.monotonic()
        with ThreadPoolExecutor(max_workers=count) as pool:
            for number, device_token in enumerate(tokens):
                pool.submit(board, number, device_token)
        cpu_used, wall = cpu_seconds(server.pid) - cpu_before, time.monotonic() - wall_before
        polls = len(latencies)
        print(f"RESULT boards={count} interval={interval:g}s duration={wall:.0f}s polls={polls} statuses={statuses}")
        if polls:
            print(f"  poll latency p50 {percentile(latencies, .5):.1f} ms  p99 {percentile(latencies, .99):.1f} ms  "
                  f"max {max(latencies):.1f} ms; {sum(sizes) / 1024:.0f} KiB sent in all")
        print(f"  server CPU {cpu_used:.1f} s in {wall:.0f} s of wall time: {100 * cpu_used / wall:.1f} % of one core "
              f"({1000 * cpu_used / max(polls, 1):.1f} ms of CPU per poll)")
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(instance, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="renders per median")
    parser.add_argument("--boards", type=int, default=100)
    parser.add_argument("--interval", type=float, default=30, help="seconds between a board's polls")
    parser.add_argument("--duration", type=float, default=300, help="seconds of polling")
    parser.add_argument("--size", default="epaper-800x480")
    parser.add_argument("--skip-boards", action="store_true", help="only the in-process render timings")
    args = parser.parse_args()
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    in_process(args.runs)
    if not args.skip_boards:
        boards(args.boards, args.interval, args.duration, args.size)
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
