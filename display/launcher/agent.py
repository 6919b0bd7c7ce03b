#!/usr/bin/env python3
"""The screen's launcher agent: runs Chromium on the player and is the only part that touches the
machine: the display's power, a screenshot of what the browser shows, restarting the browser or
the machine. It acts only on what the player hands it, over HTTP on 127.0.0.1 with a secret it
makes at each start and puts in the player's address (#launcher=PORT:SECRET; the player keeps
it in localStorage).

Python 3 standard library, plus python3-websocket (Debian) for the screenshot through Chromium's
DevTools port, which is bound to 127.0.0.1. Settings come from the environment, i.e.
/etc/default/kiosk-screen read by kiosk-screen.sh (README.md):

  KIOSK_SERVER                 the server's origin: the only page allowed to call the agent
  KIOSK_AGENT_PORT             the agent's port on 127.0.0.1 (8766)
  KIOSK_DEVTOOLS_PORT          Chromium's DevTools port on 127.0.0.1 (9222)
  KIOSK_POWER                  auto (default), xset, wlr-randr, vcgencmd, cec or none
  KIOSK_POWER_OUTPUT           the output wlr-randr switches (default: the first it lists)
  KIOSK_CEC                    auto (default: also HDMI-CEC where cec-client is installed), 1 or 0
  KIOSK_ALLOW_BROWSER_RESTART  1 (default) or 0
  KIOSK_ALLOW_REBOOT           0 (default) or 1: restart the machine when the screens page asks
  KIOSK_REBOOT_COMMAND         (default "systemctl reboot"; not root: "sudo -n systemctl reboot" with a
                               sudoers rule, README.md)

Usage: agent.py --url PLAYER_URL -- BROWSER [BROWSER FLAGS...]
"""
from __future__ import annotations  # Python 3.9 (Debian 11, Raspberry Pi OS bullseye) runs it too

import argparse
import base64
import hmac
import json
import logging
import os
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

log = logging.getLogger("kiosk-agent")
RESTART_DELAY = 1.0        # answer the player first, then restart
BROWSER_RESPAWN = 3.0      # a browser that exited is started again after this long
COMMAND_TIMEOUT = 20


# --- display power ---------------------------------------------------------------------------------------

@dataclass
class Method:
    """One way to switch the display: the commands (argv, text on stdin) for on and for off."""
    name: str
    detail: str
    on: list = field(default_factory=list)
    off: list = field(default_factory=list)


def _wlr_output(env: dict) -> str | None:
    if env.get("KIOSK_POWER_OUTPUT"):
        return env["KIOSK_POWER_OUTPUT"]
    try:
        listing = subprocess.run(["wlr-randr"], capture_output=True, text=True, timeout=COMMAND_TIMEOUT, env=env,
                                 stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return None
    names = [line.split()[0] for line in listing.stdout.splitlines() if line and not line[0].isspace()]
    return names[0] if names else None


def _xset(env):
    return Method("xset", f"X11 DPMS on DISPLAY={env['DISPLAY']}", on=[(["xset", "dpms", "force", "on"], None)],
                  off=[(["xset", "dpms", "force", "off"], None)])


def _wlr(env):
    output = _wlr_output(env)
    if output is None:
        return None
    return Method("wlr-randr", f"Wayland output {output}", on=[(["wlr-randr", "--output", output, "--on"], None)],
                  off=[(["wlr-randr", "--output", output, "--off"], None)])


def _vcgencmd(_env):
    return Method("vcgencmd", "Raspberry Pi display_power", on=[(["vcgencmd", "display_power", "1"], None)],
                  off=[(["vcgencmd", "display_power", "0"], None)])


def _cec(_env):
    return Method("cec", "HDMI-CEC through cec-client", on=[(["cec-client", "-s", "-d", "1"], "on 0\n")],
                  off=[(["cec-client", "-s", "-d", "1"], "standby 0\n")])


DISPLAY_METHODS = {"wlr-randr": (_wlr, lambda env: env.get("WAYLAND_DISPLAY") and shutil.which("wlr-randr", path=env.get("PATH"))),
                   "xset": (_xset, lambda env: env.get("DISPLAY") and shutil.which("xset", path=env.get("PATH"))),
                   "vcgencmd": (_vcgencmd, lambda env: shutil.which("vcgencmd", path=env.get("PATH")))}


def choose_power(env: dict) -> list[Method]:
    """The ways this machine switches its display, chosen once at start: the first of Wayland
    (wlr-randr), X11 (xset) and the Raspberry Pi's vcgencmd that it has (or KIOSK_POWER's), plus
    HDMI-CEC standby where cec-client is installed (a TV that ignores a lost signal sleeps too)."""
    wanted = env.get("KIOSK_POWER", "auto")
    has_cec = bool(shutil.which("cec-client", path=env.get("PATH")))
    if wanted == "none":
        return []
    if wanted == "cec":
        return [_cec(env)] if has_cec else []
    methods = []
    for name, (make, present) in DISPLAY_METHODS.items():
        if wanted in ("auto", name) and present(env):
            method = make(env)
            if method is not None:
                methods.append(method)
                break
    if has_cec and env.get("KIOSK_CEC", "auto") != "0":
        methods.append(_cec(env))
    return methods


def switch(methods: list[Method], on: bool, env: dict) -> list[str]:
    """Switch the display with every chosen method; returns the errors (empty when all worked)."""
    errors = []
    for method in methods:
        for argv, stdin in (method.on if on else method.off):
            try:
                feed = {"input": stdin} if stdin is not None else {"stdin": subprocess.DEVNULL}
                done = subprocess.run(argv, capture_output=True, text=True, timeout=COMMAND_TIMEOUT, env=env, **feed)
                if done.returncode != 0:
                    errors.append(f"{' '.join(argv)}: exit {done.returncode} {done.stderr.strip()[:200]}")
            except (OSError, subprocess.SubprocessError) as error:
                errors.append(f"{' '.join(argv)}: {error}")
    return errors


# --- the browser and its DevTools --------------------------------------------------------------------------

class Browser:
    """Chromium on the player, started again whenever it exits (or when asked to)."""

    def __init__(self, argv: list[str], env: dict):
        self.argv, self.env = argv, env
        self.process: subprocess.Popen | None = None
        self.lock = threading.Lock()
        self.stopping = False

    def start(self) -> None:
        with self.lock:
            log.info("starting the browser: %s", shlex.join(self.argv[:1] + ["..."]))
            self.process = subprocess.Popen(self.argv, env=self.env, stdin=subprocess.DEVNULL)

    def restart(self) -> None:
        with self.lock:
            process = self.process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if not self.stopping:
            self.start()

    def watch(self) -> None:
        while not self.stopping:
            process = self.process
            if process is not None and process.poll() is not None and not self.stopping:
                log.warning("the browser exited (%s); starting it again", process.returncode)
                time.sleep(BROWSER_RESPAWN)
                with self.lock:
                    if self.process is process and not self.stopping:
                        self.process = subprocess.Popen(self.argv, env=self.env, stdin=subprocess.DEVNULL)
            time.sleep(0.5)

    def stop(self) -> None:
        self.stopping = True
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()


def capture_screenshot(devtools_port: int) -> bytes:
    """What the browser displays, as PNG: Page.captureScreenshot on the player's tab."""
    import websocket  # python3-websocket; only the screenshot needs it
    with urllib.request.urlopen(f"http://127.0.0.1:{devtools_port}/json/list", timeout=10) as answer:
        targets = [t for t in json.load(answer) if t.get("type") == "page" and t.get("webSocketDebuggerUrl")]
    if not targets:
        raise RuntimeError("the browser shows no page")
    page = next((t for t in targets if "/display/" in t.get("url", "") or "/touch/" in t.get("url", "")
                 or "/hall/" in t.get("url", "")), targets[0])
    connection = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=20, suppress_origin=True)
    try:
        connection.send(json.dumps({"id": 1, "method": "Page.captureScreenshot", "params": {"format": "png"}}))
        while True:
            message = json.loads(connection.recv())
            if message.get("id") == 1:
                break
    finally:
        connection.close()
    if "error" in message:
        raise RuntimeError(f"DevTools: {message['error'].get('message')}")
    return base64.b64decode(message["result"]["data"])


# --- the agent's HTTP side -------------------------------------------------------------------------------

def flag(env: dict, name: str, default: str) -> bool:
    return env.get(name, default).strip().lower() in ("1", "yes", "true", "on")


class Agent:
    def __init__(self, env: dict, browser: Browser | None, port: int, devtools_port: int, secret: str):
        self.env, self.browser, self.port, self.devtools_port, self.secret = env, browser, port, devtools_port, secret
        self.origin = env.get("KIOSK_SERVER", "").rstrip("/")
        self.power = choose_power(env)
        self.allow_restart = flag(env, "KIOSK_ALLOW_BROWSER_RESTART", "1")
        self.allow_reboot = flag(env, "KIOSK_ALLOW_REBOOT", "0")
        default_reboot = "systemctl reboot" if os.geteuid() == 0 else "sudo -n systemctl reboot"
        self.reboot_command = shlex.split(env.get("KIOSK_REBOOT_COMMAND") or default_reboot)
        log.info("display power: %s", " + ".join(f"{m.name} ({m.detail})" for m in self.power)
                 or "none found: the player only goes black outside on-hours")
        log.info("restart the browser: %s; restart the machine: %s",
                 "allowed" if self.allow_restart else "not allowed",
                 "allowed" if self.allow_reboot else "not allowed (KIOSK_ALLOW_REBOOT=0)")

    def power_names(self) -> str:
        return "+".join(m.name for m in self.power) or "none"

    def handle(self, path: str, body: dict) -> tuple[int, dict | bytes]:
        if path == "/status":
            return 200, {"power": self.power_names(), "restart_browser": self.allow_restart,
                         "reboot": self.allow_reboot}
        if path == "/power":
            on = bool(body.get("on"))
            errors = switch(self.power, on, self.env)
            log.info("display %s (%s)%s", "on" if on else "off", self.power_names(),
                     f": {'; '.join(errors)}" if errors else "")
            return (500 if errors else 200), {"power": self.power_names(), "on": on, "errors": errors}
        if path == "/screenshot":
            return 200, capture_screenshot(self.devtools_port)
        if path == "/restart-browser":
            if not self.allow_restart or self.browser is None:
                return 403, {"error": "restarting the browser is not allowed by this screen's launcher config"}
            self._later(self._restart_browser)
            return 202, {"restarting": "browser"}
        if path == "/reboot":
            if not self.allow_reboot:
                return 403, {"error": "restarting the machine is not allowed by this screen's launcher config "
                                      "(KIOSK_ALLOW_REBOOT=1)"}
            self._later(self._reboot)
            return 202, {"restarting": "machine"}
        return 404, {"error": "no such action"}

    def _restart_browser(self) -> None:
        log.info("restarting the browser (asked from the screens page)")
        switch(self.power, True, self.env)   # a browser starting at night finds the display lit, and decides
        self.browser.restart()

    def _reboot(self) -> None:
        log.info("restarting the machine: %s", shlex.join(self.reboot_command))
        subprocess.run(self.reboot_command, env=self.env, timeout=COMMAND_TIMEOUT, check=False,
                       stdin=subprocess.DEVNULL)

    @staticmethod
    def _later(action) -> None:
        threading.Timer(RESTART_DELAY, action).start()

    def allowed_origin(self, origin: str | None) -> bool:
        return origin is None or (bool(self.origin) and origin.rstrip("/") == self.origin)

    def authorised(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode(), self.secret.encode())


def handler_for(agent: Agent):
    class Handler(BaseHTTPRequestHandler):
        server_version = "kiosk-agent"

        def log_message(self, fmt, *args):  # the journal gets the agent's own lines
            log.debug(fmt, *args)

        def _cors(self) -> None:
            origin = self.headers.get("Origin")
            if origin and agent.allowed_origin(origin):
                self.send_header("Access-Control-Allow-Origin", origin)
                self.send_header("Vary", "Origin")

        def _send(self, status: int, answer) -> None:
            data = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
            self.send_response(status)
            self._cors()
            self.send_header("Content-Type", "image/png" if isinstance(answer, bytes) else "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def do_OPTIONS(self):  # noqa: N802  (CORS and Private Network Access preflight)
            if not agent.allowed_origin(self.headers.get("Origin")):
                self._send(403, {"error": "origin not allowed"})
                return
            self.send_response(204)
            self._cors()
            self.send_header("Access-Control-Allow-Methods", "POST")
            self.send_header("Access-Control-Allow-Headers", "Content-Type, X-Kiosk-Agent")
            if self.headers.get("Access-Control-Request-Private-Network") == "true":
                self.send_header("Access-Control-Allow-Private-Network", "true")
            self.send_header("Access-Control-Max-Age", "600")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_POST(self):  # noqa: N802
            if not agent.allowed_origin(self.headers.get("Origin")):
                self._send(403, {"error": "origin not allowed"})
                return
            if not agent.authorised(self.headers.get("X-Kiosk-Agent")):
                self._send(401, {"error": "wrong secret"})
                return
            length = min(int(self.headers.get("Content-Length") or 0), 4096)
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
            except ValueError:
                body = {}
            try:
                status, answer = agent.handle(self.path, body if isinstance(body, dict) else {})
            except Exception as error:  # noqa: BLE001  (the player gets the reason; the agent keeps serving)
                log.warning("%s failed: %s", self.path, error)
                status, answer = 502, {"error": str(error)}
            self._send(status, answer)
    return Handler


def player_address(url: str, port: int, secret: str) -> str:
    return f"{url.split('#')[0]}#launcher={port}:{secret}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="the player's address")
    parser.add_argument("browser", nargs=argparse.REMAINDER, help="-- the browser and its flags")
    args = parser.parse_args(argv)
    browser_argv = [a for a in args.browser if a != "--"] if args.browser[:1] == ["--"] else args.browser
    if not browser_argv:
        parser.error("give the browser command after --")
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s", stream=sys.stderr)
    env = dict(os.environ)
    port = int(env.get("KIOSK_AGENT_PORT") or 8766)
    devtools_port = int(env.get("KIOSK_DEVTOOLS_PORT") or 9222)
    secret = secrets.token_urlsafe(24)
    browser = Browser([*browser_argv, f"--remote-debugging-port={devtools_port}", "--remote-debugging-address=127.0.0.1",
                       player_address(args.url, port, secret)], env)
    agent = Agent(env, browser, port, devtools_port, secret)
    server = ThreadingHTTPServer(("127.0.0.1", port), handler_for(agent))
    log.info("listening on 127.0.0.1:%d for the player", port)
    switch(agent.power, True, env)   # whatever the last run left, the player decides from here

    def stop(*_signal):
        browser.stop()
        threading.Thread(target=server.shutdown, daemon=True).start()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    browser.start()
    threading.Thread(target=browser.watch, daemon=True).start()
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
