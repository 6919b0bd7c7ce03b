"""A county deployment as deploy/ describes it: two `kiosk serve` processes and the one `kiosk
scheduler`, started by the commands of the systemd units, on the local PostgreSQL and a Redis of
our own, behind nginx with deploy/nginx/kiosk.conf. No code change, only the environment.

The processes run under faketime at a pinned instant (a Wednesday 10:00 in Shanghai, the hall
open), so the test passes whatever the machine's date and hour.
"""
import configparser
import shutil
import socket
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
import socketio

from tests.conftest import free_port, real_clock_environment

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

REPO = Path(__file__).resolve().parents[2]
KIOSK = str(Path(sys.executable).with_name("kiosk"))
PINNED = datetime(2026, 12, 2, 2, 0, tzinfo=timezone.utc)  # Wednesday 10:00 Asia/Shanghai
PASSWORD = "jinjia-demo"
FAKETIME_LIBRARY = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1"


def wait_until(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if result := check():
                return result
        except (requests.RequestException, OSError, AssertionError):
            pass
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


class OwnRedis:
    """A redis-server on a free port (never the machine's shared one: this test restarts it)."""

    def __init__(self, folder: Path):
        self.port, self.folder = free_port(), folder
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.start()

    def start(self):
        # Redis keeps no time the test depends on, and libfaketime (`make test AT=...`) breaks its
        # start-up with recursive clock_gettime() calls: it runs on the machine's clock.
        self.process = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                                         "--save", "", "--appendonly", "no", "--dir", str(self.folder)],
                                        stdout=subprocess.DEVNULL, env=real_clock_environment())
        wait_until(lambda: socket.create_connection(("127.0.0.1", self.port), timeout=1), 10, "redis")

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


def machine_now() -> datetime:
    """The machine's real clock, also when libfaketime moves this process's."""
    printed = subprocess.run(["date", "+%s.%N"], env=real_clock_environment(), capture_output=True, text=True,
                             check=True)
    return datetime.fromtimestamp(float(printed.stdout), timezone.utc)


def unit_command(name: str, port: int | None = None) -> list[str]:
    """The ExecStart of a unit in deploy/systemd, pointed at this checkout's virtualenv."""
    unit = configparser.ConfigParser(interpolation=None, strict=False)
    unit.read(REPO / "deploy" / "systemd" / name)
    command = unit["Service"]["ExecStart"].replace("/opt/kiosk/.venv/bin/kiosk", KIOSK)
    return command.replace("%i", str(port)).split()


def nginx_config(folder: Path, listen: int, ports: list[int]) -> Path:
    """deploy/nginx/kiosk.conf with our ports, inside a minimal nginx.conf of our own."""
    site = (REPO / "deploy" / "nginx" / "kiosk.conf").read_text()
    servers = "".join(f"    server 127.0.0.1:{port};\n" for port in ports)
    site = site.replace("    server 127.0.0.1:5001;\n    server 127.0.0.1:5002;\n", servers)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{listen};")
    (folder / "kiosk.conf").write_text(site)
    main = folder / "nginx.conf"
    main.write_text(f"""
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/kiosk.conf;
}}
""")
    return main


class County:
    def __init__(self, tmp_path: Path, postgres_url: str, redis: OwnRedis, source_db: Path):
        self.folder, self.processes = tmp_path, []
        # FAKETIME="+N" moves the processes' clock from the machine's real one, which in `make test
        # AT=...` is not this process's: take it from `date` run without libfaketime.
        real_start, self.monotonic_start = machine_now(), time.monotonic()
        offset = int((PINNED - real_start).total_seconds())
        self.start_instant = real_start + timedelta(seconds=offset)
        # The township's keys come with its database, as they would to the county (docs/security.md).
        keys = ("KIOSK_AUDIT_KEY", "KIOSK_DATA_KEY")
        self.env = {**{k: v for k, v in real_clock_environment().items() if not k.startswith("KIOSK_") or k in keys},
                    "LD_PRELOAD": FAKETIME_LIBRARY, "FAKETIME": f"{offset:+d}", "FAKETIME_DONT_FAKE_MONOTONIC": "1",
                    "FAKETIME_FORCE_MONOTONIC_FIX": "0",   # see the Makefile's FAKETIME_RUN
                    "KIOSK_INSTANCE_PATH": str(tmp_path / "instance"), "KIOSK_DATABASE_URL": postgres_url,
                    "KIOSK_REDIS_URL": redis.url, "KIOSK_SCHEDULER": "external", "KIOSK_ASYNC_MODE": "gevent",
                    "KIOSK_SECRET_KEY": "county-test-key", "KIOSK_UPLOAD_PATH": str(tmp_path / "shared-uploads"),
                    "KIOSK_TRUSTED_PROXIES": "1", "KIOSK_LOGIN_LIMIT": "1000 per minute",
                    "KIOSK_HEARTBEAT_BATCH_SECONDS": "2"}
        imported = subprocess.run([KIOSK, "db", "import-sqlite", str(source_db)], env=self.env, capture_output=True,
                                  text=True, timeout=600)
        assert imported.returncode == 0, imported.stderr
        self.ports = [free_port(), free_port()]
        self.env["KIOSK_PUBLIC_URL"] = f"http://127.0.0.1:{self.ports[0]}"
        for number, port in enumerate(self.ports):
            self.spawn(f"server{number}", unit_command("kiosk@.service", port))
        self.spawn("scheduler", unit_command("kiosk-scheduler.service"))
        self.urls = [f"http://127.0.0.1:{port}" for port in self.ports]
        for url in self.urls:
            wait_until(lambda u=url: requests.get(f"{u}/healthz", timeout=2).ok, 120, f"{url} healthy")
        self.proxy_port = free_port()
        config = nginx_config(tmp_path, self.proxy_port, self.ports)
        checked = subprocess.run(["nginx", "-t", "-c", str(config)], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
        self.spawn("nginx", ["nginx", "-c", str(config), "-g", "daemon off;"], faked=False)
        self.proxy = f"http://127.0.0.1:{self.proxy_port}"
        wait_until(lambda: requests.get(f"{self.proxy}/healthz", timeout=2).ok, 30, "nginx")

    def spawn(self, name: str, command: list[str], faked: bool = True) -> None:
        log = open(self.folder / f"{name}.log", "w")
        env = self.env if faked else real_clock_environment(self.env)
        self.processes.append(subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT))

    def now(self) -> datetime:
        """The processes' (faked) now."""
        return self.start_instant + timedelta(seconds=time.monotonic() - self.monotonic_start)

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in sorted(self.folder.glob("*.log")))


class Staff:
    def __init__(self, base: str, username: str):
        self.base = base
        token = requests.post(f"{base}/api/v1/tokens", json={"username": username, "password": PASSWORD}, timeout=30)
        assert token.status_code == 201, token.text
        self.headers = {"Authorization": f"Bearer {token.json()['token']}"}

    def __call__(self, method: str, path: str, expect: int = 200, **kwargs):
        response = requests.request(method, f"{self.base}/api/v1{path}", headers=self.headers, timeout=60, **kwargs)
        assert response.status_code == expect, response.text
        return response.json()


class ScreenSocket:
    """A player's connection to `/screens`, every event kept (in the order it came)."""

    def __init__(self, url: str, token: str):
        self.events: list[tuple[str, dict]] = []
        self.client = socketio.Client(reconnection=True)
        for name in ("changed", "state"):
            self.client.on(name, lambda data, n=name: self.events.append((n, data)), namespace="/screens")
        self.client.connect(url, namespaces=["/screens"], transports=["websocket"], auth={"token": token},
                            wait_timeout=30)

    def mark(self) -> int:
        return len(self.events)

    def wait_for(self, name: str, check, timeout: float = 30, since: int = 0) -> dict:
        """The first `name` event since `since` that passes `check`."""
        def found():
            return next((data for event, data in self.events[since:] if event == name and check(data)), None)
        return wait_until(found, timeout, f"a {name} event as expected")


def token_of(screen: dict) -> str:
    return urlsplit(screen["player_url"]).path.rstrip("/").rsplit("/", 1)[-1]


@pytest.fixture
def county(tmp_path, postgres_url, demo_db):
    if not shutil.which("nginx") or not Path(FAKETIME_LIBRARY).exists() or not shutil.which("redis-server"):
        pytest.fail("the county test needs nginx, faketime and redis-server (see .ci/run)")
    redis = OwnRedis(tmp_path)
    deployment = None
    try:
        deployment = County(tmp_path, postgres_url, redis, demo_db)
        yield deployment, redis
    except Exception:
        if deployment is not None:
            print(deployment.logs())
        raise
    finally:
        if deployment is not None:
            deployment.stop()
        redis.stop()


def test_the_systemd_units_are_valid():
    verified = subprocess.run(["systemd-analyze", "verify", "--man=no", str(REPO / "deploy/systemd/kiosk@.service"),
                               str(REPO / "deploy/systemd/kiosk-scheduler.service")], capture_output=True, text=True)
    problems = [line for line in verified.stderr.splitlines() if "is not executable" not in line
                and "/opt/kiosk" not in line and line.strip()]
    assert problems == []


def test_two_servers_and_the_scheduler_on_postgresql_and_redis(county):
    deployment, redis = county
    a, b = deployment.urls
    manager, editor, reviewer = Staff(a, "screens"), Staff(a, "editor"), Staff(a, "reviewer")
    villages = next(r for r in manager("GET", "/rotations")["rotations"] if r["group"] == "villages")
    screen = manager("POST", "/screens", 201, json={"unit": "lizhuang", "kind": "noticeboard_portrait",
                                                    "name": "县级测试屏", "groups": [villages["group_id"]]})
    on_b = ScreenSocket(b, token_of(screen))
    through_nginx = ScreenSocket(deployment.proxy, token_of(screen))  # the WebSocket upgrade through nginx
    try:
        # 1. A rotation edited through A reaches the screen on B, as its new state.
        since = on_b.mark()
        body = {k: v for k, v in villages.items() if k not in ("id", "group_id")} | {
            "priority": 7, "slides": [{"kind": "notice", "duration": 10}, {"kind": "clock", "duration": 10}]}
        manager("PUT", f"/rotations/{villages['id']}", json=body)
        pushed = on_b.wait_for("state", lambda d: any(r["id"] == villages["id"] and r["priority"] == 7
                                                      for r in d["rotations"]), since=since)
        assert pushed["shared"] and "changed" not in [event for event, _ in on_b.events[since:]]  # one message
        through_nginx.wait_for("state", lambda d: any(r["priority"] == 7 for r in d["rotations"]))

        # 2. A notice starting a few seconds from now: the scheduler process starts it, B's screen hears.
        since = on_b.mark()
        starts = (deployment.now() + timedelta(seconds=5)).replace(microsecond=0)
        notice = editor("POST", "/notices", 201, json={
            "category": "dibao", "title": "县级部署测试公示", "body": "定时开始。", "formed_on": "2026-12-01",
            "audience": "villages", "villages": ["lizhuang"], "show_from": starts.isoformat()})
        editor("POST", f"/notices/{notice['id']}/submit", json={})
        assert reviewer("POST", f"/notices/{notice['id']}/approve", json={})["state"] == "scheduled"
        on_b.wait_for("state", lambda d: any(s.get("title") == "县级部署测试公示" for r in d["rotations"]
                                             for s in r["slides"]), 40, since)

        # 3. Two hall kiosks, one on each process, take numbers at once: no duplicate, no gap.
        kiosks = [token_of(manager("POST", "/screens", 201, json={"unit": "jinjia-hall", "kind": "touch_kiosk",
                                                                  "name": f"取号机{n}", "groups": []}))
                  for n in (1, 2)]
        service = manager("GET", "/queue/halls/jinjia-hall/services")[0]["prefix"]

        def take(base_and_token):   # each number taken by another visitor (the kiosk limits one visit)
            base, token = base_and_token
            response = requests.post(f"{base}/api/v1/queue/halls/jinjia-hall/tickets", json={"service": service},
                                     headers={"X-Screen-Token": token, "X-Kiosk-Visit": uuid.uuid4().hex},
                                     timeout=60)
            assert response.status_code == 201, response.text
            return int(response.json()["code"].lstrip(service))

        with ThreadPoolExecutor(8) as pool:
            numbers = list(pool.map(take, [(a, kiosks[0]), (b, kiosks[1])] * 10))
        assert sorted(numbers) == list(range(min(numbers), min(numbers) + 20))

        # 4. Redis restarts: no screen is lost, and the next change still crosses processes.
        redis.stop()
        time.sleep(1)
        redis.start()
        assert on_b.client.connected
        body["priority"] = 8

        def priority(state: dict) -> list[int]:
            return [r["priority"] for r in state["rotations"] if r["id"] == villages["id"]]

        def edit_and_hear():
            since = on_b.mark()
            manager("PUT", f"/rotations/{villages['id']}", json=body)
            # The restarted Redis forgot which states the screens share: within one heartbeat batch
            # B's writer registers its screens' shares again and tells them `changed` (they may
            # have missed something); had it done so before the edit, the edit comes pushed.
            return wait_until(lambda: next((event for event, data in on_b.events[since:]
                                            if (event, data.get("reason")) == ("changed", "registered")
                                            or (event == "state" and priority(data) == [8])), None),
                              20, "the screen on B told of the change or of its lost share")
        heard = wait_until(edit_and_hear, 60, "a change through A reaching B after the Redis restart")
        if heard == "changed":  # the player asks, as it does on `changed`
            assert priority(on_b.client.call("state", {}, namespace="/screens", timeout=30)) == [8]
        # The share is registered again: changes come pushed, once B's Redis listener has subscribed
        # again (it retries with a growing pause; what is published before that does not reach B).
        def edit_and_receive():
            since = on_b.mark()
            body["priority"] += 1
            manager("PUT", f"/rotations/{villages['id']}", json=body)
            return on_b.wait_for("state", lambda d: priority(d) == [body["priority"]], 10, since)
        wait_until(edit_and_receive, 90, "a change through A pushed to the screen on B")
        listed = manager("GET", f"/screens/{screen['id']}")
        assert listed["online"]
    except Exception:
        print(deployment.logs())  # what the servers and the scheduler said, for a failure in CI
        raise
    finally:
        on_b.client.disconnect()
        through_nginx.client.disconnect()


def test_threads_are_not_per_screen(county):
    """gevent: connecting screens adds no thread to a server process."""
    deployment, _redis = county
    server = deployment.processes[0]
    before = _threads(server.pid)
    manager = Staff(deployment.urls[0], "screens")
    villages = next(r for r in manager("GET", "/rotations")["rotations"] if r["group"] == "villages")
    sockets = []
    try:
        for number in range(20):
            screen = manager("POST", "/screens", 201, json={"unit": "lizhuang", "kind": "noticeboard_portrait",
                                                            "name": f"线程测试{number}", "groups": [villages["group_id"]]})
            sockets.append(ScreenSocket(deployment.urls[0], token_of(screen)))
        assert _threads(server.pid) <= before + 2
    finally:   # at once: each client's disconnect waits seconds for its reader thread to stop
        with ThreadPoolExecutor(len(sockets) or 1) as pool:
            list(pool.map(lambda opened: opened.client.disconnect(), sockets))


def _threads(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("Threads:")))

