"""The launcher agent (display/launcher/agent.py) with stub commands on PATH: it chooses the power
method the machine has and says so, switches the display, takes a screenshot through a fake
DevTools endpoint, restarts the browser, restarts the machine only where allowed, and answers only
the player's origin with the secret it put in the player's address. No display needed."""
import base64
import http.client
import importlib.util
import json
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import wsproto
import wsproto.events

from tests.conftest import free_port

AGENT = Path(__file__).resolve().parents[2] / "display" / "launcher" / "agent.py"
SERVER = "http://10.0.0.5:5000"
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def load_agent():
    spec = importlib.util.spec_from_file_location("kiosk_launcher_agent", AGENT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module      # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


agent = load_agent()


@pytest.fixture
def stubs(tmp_path):
    """stubs(*names) → (PATH holding recording stubs of those commands, the log they write to).
    Each stub appends "name args | stdin" to the log; wlr-randr without arguments lists an output."""
    calls = tmp_path / "calls.log"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()

    def make(*names):
        for name in names:
            script = bin_dir / name
            listing = 'if [ $# -eq 0 ]; then printf \'HDMI-A-1 "Monitor"\\n  Enabled: yes\\n\'; exit 0; fi\n' \
                if name == "wlr-randr" else ""
            stdin = "stdin=$(/bin/cat)" if name == "cec-client" else 'stdin=""'
            stay = "exec /bin/sleep 600\n" if name == "chromium" else ""   # a browser runs until stopped
            script.write_text(f'#!/bin/sh\n{listing}{stdin}\necho "{name} $* | $stdin" >> "{calls}"\n{stay}')
            script.chmod(0o755)
        return str(bin_dir), calls
    return make


def recorded(calls: Path) -> list[str]:
    return calls.read_text().splitlines() if calls.exists() else []


# --- choosing the power method -----------------------------------------------------------------------------

@pytest.mark.parametrize("commands, session, expected", [
    (("xset", "vcgencmd"), {"DISPLAY": ":0"}, ["xset"]),
    (("xset", "wlr-randr"), {"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-1"}, ["wlr-randr"]),
    (("vcgencmd",), {}, ["vcgencmd"]),
    (("xset", "cec-client"), {"DISPLAY": ":0"}, ["xset", "cec"]),
    (("cec-client",), {}, ["cec"]),
    (("xset",), {}, []),                                  # xset without an X display switches nothing
])
def test_the_agent_chooses_the_power_method_the_machine_has(stubs, commands, session, expected):
    path, _calls = stubs(*commands)
    assert [m.name for m in agent.choose_power({"PATH": path, **session})] == expected


def test_a_configured_method_wins_and_cec_can_be_left_out(stubs):
    path, _calls = stubs("xset", "vcgencmd", "cec-client")
    env = {"PATH": path, "DISPLAY": ":0"}
    assert [m.name for m in agent.choose_power(env | {"KIOSK_POWER": "vcgencmd", "KIOSK_CEC": "0"})] == ["vcgencmd"]
    assert [m.name for m in agent.choose_power(env | {"KIOSK_POWER": "none"})] == []


@pytest.mark.parametrize("commands, session, off, on", [
    (("xset",), {"DISPLAY": ":0"}, ["xset dpms force off | "], ["xset dpms force on | "]),
    (("wlr-randr",), {"WAYLAND_DISPLAY": "wayland-1"}, ["wlr-randr --output HDMI-A-1 --off | "],
     ["wlr-randr --output HDMI-A-1 --on | "]),
    (("vcgencmd", "cec-client"), {}, ["vcgencmd display_power 0 | ", "cec-client -s -d 1 | standby 0"],
     ["vcgencmd display_power 1 | ", "cec-client -s -d 1 | on 0"]),
])
def test_each_method_switches_the_display_with_its_own_command(stubs, commands, session, off, on):
    path, calls = stubs(*commands)
    env = {"PATH": path, **session}
    methods = agent.choose_power(env)
    assert agent.switch(methods, False, env) == []
    assert recorded(calls) == off
    calls.unlink()
    agent.switch(methods, True, env)
    assert recorded(calls) == on


# --- the running agent -------------------------------------------------------------------------------------

class FakeDevTools:
    """Chromium's DevTools as far as the agent uses it: /json/list and one page's WebSocket
    answering Page.captureScreenshot with a PNG."""

    def __init__(self):
        self.port = free_port()
        self.asked: list[dict] = []
        self.listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self.handle, args=(conn,), daemon=True).start()

    def handle(self, conn):
        request = conn.recv(65536)
        if request.startswith(b"GET /json/list"):
            body = json.dumps([{"type": "service_worker", "url": "http://x/display/sw.js"},
                               {"type": "page", "url": f"{SERVER}/display/player",
                                "webSocketDebuggerUrl": f"ws://127.0.0.1:{self.port}/devtools/page/1"}]).encode()
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"
                         b"Connection: close\r\n\r\n%s" % (len(body), body))
            conn.close()
            return
        ws = wsproto.WSConnection(wsproto.ConnectionType.SERVER)
        ws.receive_data(request)
        for event in ws.events():
            if isinstance(event, wsproto.events.Request):
                assert "origin" not in {k.decode().lower() for k, _v in event.extra_headers}  # DevTools refuses one
                conn.sendall(ws.send(wsproto.events.AcceptConnection()))
        while True:
            data = conn.recv(65536)
            if not data:
                break
            ws.receive_data(data)
            for event in ws.events():
                if isinstance(event, wsproto.events.TextMessage):
                    message = json.loads(event.data)
                    self.asked.append(message)
                    answer = {"id": message["id"], "result": {"data": base64.b64encode(PNG).decode()}}
                    conn.sendall(ws.send(wsproto.events.TextMessage(json.dumps(answer))))
                elif isinstance(event, wsproto.events.CloseConnection):
                    conn.sendall(ws.send(event.response()))
                    conn.close()
                    return

    def close(self):
        self.listener.close()


@pytest.fixture
def running_agent(tmp_path, stubs):
    """running_agent(allow_reboot=False, commands=("xset",), server=SERVER) → (agent's port, its secret, the
    stubs' log, the agent's log, the fake DevTools)."""
    processes, fakes = [], []

    def start(allow_reboot=False, commands=("xset",), server=SERVER):
        path, calls = stubs(*commands, "chromium", "sudo", "systemctl")
        calls.write_text("")   # this agent's calls only
        devtools = FakeDevTools()
        fakes.append(devtools)
        port = free_port()
        env = {"PATH": f"{path}:/usr/bin:/bin", "DISPLAY": ":0", "KIOSK_SERVER": server,
               "KIOSK_AGENT_PORT": str(port), "KIOSK_DEVTOOLS_PORT": str(devtools.port),
               "KIOSK_ALLOW_REBOOT": "1" if allow_reboot else "0", "KIOSK_REBOOT_COMMAND": "systemctl reboot"}
        log = tmp_path / f"agent-{port}.log"
        process = subprocess.Popen([sys.executable, str(AGENT), "--url", f"{server}/display/player", "--",
                                    "chromium", "--kiosk"], env=env, stderr=log.open("w"))
        processes.append(process)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            browser = [line for line in recorded(calls) if line.startswith("chromium")]
            if browser and "listening" in log.read_text():
                break
            time.sleep(0.1)
        address = browser[0].split("#launcher=")[1].split()[0]
        assert address.split(":")[0] == str(port)
        return port, address.split(":")[1], calls, log, devtools
    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=10)
    for fake in fakes:
        fake.close()


def ask(port: int, path: str, secret: str | None, body=None, origin=SERVER, method="POST", headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    sent = {"Content-Type": "application/json", **({"Origin": origin} if origin else {}),
            **({"X-Kiosk-Agent": secret} if secret else {}), **(headers or {})}
    connection.request(method, path, body=json.dumps(body or {}) if method == "POST" else None, headers=sent)
    response = connection.getresponse()
    return response.status, dict(response.getheaders()), response.read()


def test_the_agent_starts_the_browser_says_its_power_method_and_switches_the_display(running_agent):
    port, secret, calls, log, _devtools = running_agent()
    browser = next(line for line in recorded(calls) if line.startswith("chromium"))
    assert "--remote-debugging-address=127.0.0.1" in browser and "--kiosk" in browser
    assert f"{SERVER}/display/player#launcher={port}:{secret}" in browser
    assert "display power: xset (X11 DPMS on DISPLAY=:0)" in log.read_text()
    calls.write_text("")
    status, headers, body = ask(port, "/power", secret, {"on": False})
    assert status == 200 and json.loads(body) == {"power": "xset", "on": False, "errors": []}
    assert headers["Access-Control-Allow-Origin"] == SERVER
    assert ask(port, "/power", secret, {"on": True})[0] == 200
    assert recorded(calls) == ["xset dpms force off | ", "xset dpms force on | "]


def test_the_agent_answers_only_the_players_origin_with_its_secret(running_agent):
    port, secret, calls, _log, _devtools = running_agent()
    calls.write_text("")
    assert ask(port, "/power", "wrong", {"on": False})[0] == 401
    assert ask(port, "/power", None, {"on": False})[0] == 401
    assert ask(port, "/power", secret, {"on": False}, origin="http://evil.example")[0] == 403
    assert recorded(calls) == []
    # Chromium's CORS and Private Network Access preflight from the player's page
    status, headers, _body = ask(port, "/power", None, method="OPTIONS", headers={
        "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type,x-kiosk-agent",
        "Access-Control-Request-Private-Network": "true"})
    assert status == 204 and headers["Access-Control-Allow-Private-Network"] == "true"
    assert headers["Access-Control-Allow-Origin"] == SERVER and "X-Kiosk-Agent" in headers["Access-Control-Allow-Headers"]
    assert ask(port, "/power", None, method="OPTIONS", origin="http://evil.example")[0] == 403


def test_a_screenshot_is_what_devtools_captures(running_agent):
    port, secret, _calls, _log, devtools = running_agent()
    status, headers, body = ask(port, "/screenshot", secret)
    assert status == 200 and headers["Content-Type"] == "image/png" and body == PNG
    assert devtools.asked == [{"id": 1, "method": "Page.captureScreenshot", "params": {"format": "png"}}]


def test_the_browser_is_restarted_and_the_machine_only_where_allowed(running_agent):
    port, secret, calls, log, _devtools = running_agent()
    status, _headers, body = ask(port, "/reboot", secret)
    assert status == 403 and "KIOSK_ALLOW_REBOOT" in json.loads(body)["error"]
    status, _headers, _body = ask(port, "/restart-browser", secret)
    assert status == 202
    deadline = time.monotonic() + 10
    while len([line for line in recorded(calls) if line.startswith("chromium")]) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len([line for line in recorded(calls) if line.startswith("chromium")]) >= 2
    assert not any(line.startswith("systemctl") for line in recorded(calls))

    port, secret, calls, _log, _devtools = running_agent(allow_reboot=True)
    assert ask(port, "/reboot", secret)[0] == 202
    deadline = time.monotonic() + 10
    while not any(line.startswith("systemctl") for line in recorded(calls)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert "systemctl reboot | " in recorded(calls)
