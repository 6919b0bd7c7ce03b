"""A real `kiosk serve` process on a free loopback port with its own instance folder; used by the
crash test and by bench/queue_issue.py."""
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import requests

from tests.kiosk_command import KIOSK, kiosk_env

HALL = "jinjia-hall"
PASSWORD = "jinjia-demo"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class KioskServer:
    def __init__(self, instance: Path, database_url: str | None = None, dev: bool = False):
        self.instance = instance
        self.dev = dev   # Werkzeug's development server (threads), for comparing with the default
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.settings = {"KIOSK_PUBLIC_URL": self.url}
        if database_url:
            self.settings["KIOSK_DATABASE_URL"] = database_url
        self.process: subprocess.Popen | None = None

    def env(self) -> dict[str, str]:
        # Made at each start: a restarted server's clock starts where the test's clock is then.
        return kiosk_env(self.instance, **self.settings)

    def kiosk(self, *args: str) -> str:
        done = subprocess.run([*KIOSK, *args], env=self.env(), capture_output=True, text=True, timeout=120)
        if done.returncode:
            raise RuntimeError(f"kiosk {' '.join(args)} failed: {done.stderr}")
        return done.stdout

    def prepare(self) -> None:
        self.kiosk("db", "upgrade")
        self.kiosk("demo")

    def start(self) -> "KioskServer":
        log = open(self.instance / "serve.log", "ab")
        self.process = subprocess.Popen(
            [*KIOSK, "serve", "--port", str(self.port), *["--dev"] * self.dev],
            env=self.env(), stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/healthz", timeout=5).status_code == 200:
                    return self
            except (requests.ConnectionError, requests.Timeout):  # not listening yet, or busy starting
                time.sleep(0.1)
        raise RuntimeError(f"kiosk serve did not come up: {(self.instance / 'serve.log').read_text()[-2000:]}")

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs, as when the power fails."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def token(self, username: str) -> dict:
        response = requests.post(f"{self.url}/api/v1/tokens", json={"username": username, "password": PASSWORD})
        response.raise_for_status()
        return {"Authorization": f"Bearer {response.json()['token']}"}

    def always_open_service(self, prefix: str, windows: list[int]) -> None:
        """A service with no hours (open whatever the real time is) and windows serving only it."""
        admin = self.token("admin")
        response = requests.post(f"{self.url}/api/v1/queue/halls/{HALL}/services",
                                 json={"prefix": prefix, "name": "测试业务"}, headers=admin)
        response.raise_for_status()
        for number in windows:
            requests.post(f"{self.url}/api/v1/queue/halls/{HALL}/windows", json={"number": number, "services": [prefix]},
                          headers=admin).raise_for_status()
