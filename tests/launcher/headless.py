"""The screen's launcher as systemd starts it (display/launcher/kiosk-screen.sh → agent.py → Chromium
with the command line agent.py builds), on a machine with no display: Chromium headless on a virtual
monitor of the board's size, its --kiosk window filling it as on the board. Chromium and the agent
run on the machine's real clock (tests/conftest.py, real_clock_environment); `attach` gives the
player's page another clock through the DevTools port. Used by tests/launcher/test_real_browser.py
and docs/launcher_screenshot.py."""
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from tests.conftest import free_port, real_clock_environment

LAUNCHER = Path(__file__).resolve().parents[2] / "display" / "launcher"


def _executable(path: Path, text: str) -> None:
    path.write_text(text)
    path.chmod(0o755)


@dataclass
class Launched:
    process: subprocess.Popen
    devtools_port: int
    log: Path

    def close(self) -> None:
        self.process.terminate()              # the agent stops its browser on SIGTERM
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_launcher(folder: Path, server: str, player_url: str, size=(1080, 1920), power: str | None = None,
                   env=None) -> Launched:
    """kiosk-screen.sh for `server`, paired with `player_url`; `power`: a folder of (stub) display
    power commands put first on its PATH (none: KIOSK_POWER=none); `env` adds to its settings."""
    bin_dir = folder / "bin"
    bin_dir.mkdir(parents=True, exist_ok=True)
    # The one difference from a screen in the field: no display.
    _executable(bin_dir / "headless-chromium", "#!/bin/sh\nexec /usr/bin/chromium --headless --no-sandbox --disable-gpu "
                f"'--screen-info={{0,0 {size[0]}x{size[1]}}}' \"$@\"\n")
    _executable(bin_dir / "python3", f"#!/bin/sh\nexec {sys.executable} \"$@\"\n")   # the one with websocket-client
    devtools_port = free_port()
    settings = real_clock_environment() | {
        "PATH": ":".join(filter(None, [power, str(bin_dir), "/usr/bin:/bin"])), "HOME": str(folder),
        "TZ": "Asia/Shanghai", "KIOSK_POWER": "auto" if power else "none",
        "KIOSK_SERVER": server, "KIOSK_PLAYER_URL": player_url, "KIOSK_PROFILE": str(folder / "profile"),
        "CHROMIUM": str(bin_dir / "headless-chromium"), "KIOSK_AGENT": str(LAUNCHER / "agent.py"),
        "KIOSK_AGENT_PORT": str(free_port()), "KIOSK_DEVTOOLS_PORT": str(devtools_port)}
    settings |= env or {}
    log = folder / "launcher.log"
    with log.open("w") as output:
        process = subprocess.Popen(["sh", str(LAUNCHER / "kiosk-screen.sh")], env=settings, stdout=output,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    return Launched(process, devtools_port, log)


def attach(browser_type, launched: Launched, now: datetime, timeout: float = 20):
    """(Playwright's DevTools connection to the launcher's browser, the player's page), the page
    reloaded on a clock starting at `now`. Closing the connection leaves the browser running."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            remote = browser_type.connect_over_cdp(f"http://127.0.0.1:{launched.devtools_port}")
            break
        except Exception:  # noqa: BLE001  (DevTools not listening yet)
            if time.monotonic() > deadline or launched.process.poll() is not None:
                raise RuntimeError(f"the launcher's browser never opened DevTools:\n{launched.log.read_text()}")
            time.sleep(0.3)
    context = remote.contexts[0]
    page = next(p for p in context.pages if "/display/" in p.url or "/hall/" in p.url or "/touch/" in p.url)
    context.clock.install(time=now)
    page.reload()
    return remote, page
