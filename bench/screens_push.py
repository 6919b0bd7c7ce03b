"""Change to state: how long until every connected screen holds what its player will draw.

One run, on loopback, cleaning up after itself:

1. The reference: a bare Flask-SocketIO server (`bare_server.py`, same async mode) broadcasts a
   small event to the N simulated screens, `--rounds` × 2 times; then an event padded to the size
   of a screen's state (5 KB), as many times.
2. The kiosk: a fresh demo township (SQLite, or a scratch PostgreSQL database with `--postgres`),
   N screens registered by `seed_screens.py`, `--processes` `kiosk serve` processes (more than one:
   with a Redis of our own on a free port and the one `kiosk scheduler`), the screens spread over
   the processes. Each simulated screen does what the player does: it connects to `/screens`, asks
   for its state with the digest it holds, takes the new states pushed to its share, and on
   `changed` asks again a few seconds later unless a push came meanwhile (an urgent notice or its
   clearing carries what the player draws).
3. The changes, through the API of the first process (`--rounds` of each): urgent notice pushed,
   cleared; rotation edited; notice approved; correction approved; notice expired (timed from its
   end: the notices' job wakes up at that instant); then (`--restart`) every server process
   stopped and started again.

For every screen and change: the time to the event (the first message about it: `changed`, or
the pushed `state`, which is the announcement now) and to the state (the change counts as
arrived when the screen holds the new state, or the urgent payload; after a restart, when it is
connected again and holds the current state).
Also the server's memory and threads per connected screen, and how many states were computed.

    .venv/bin/python bench/screens_push.py --screens 1000
    .venv/bin/python bench/screens_push.py --screens 5000 --processes 4 \\
        --postgres postgresql+psycopg://postgres@127.0.0.1:5432 --client-processes 2
    .venv/bin/python bench/screens_push.py --screens 1000 --restart --json results.jsonl

Needs the bench extra (`pip install -e '.[bench]'`) and, for several processes, `redis-server`.
"""
import argparse
import asyncio
import gc
import json
import multiprocessing
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

import aiohttp
import socketio

HOST = "127.0.0.1"
NAMESPACE = "/screens"
PASSWORD = "jinjia-demo"
BENCH = Path(__file__).resolve().parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def kiosk_command() -> str:
    return str(Path(sys.executable).with_name("kiosk"))


def proc_status(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))
    return ordered[int(rank) - 1]


def stats(latencies: list[float], expected: int) -> dict:
    if not latencies:
        return {"arrived": 0, "expected": expected}
    return {"arrived": len(latencies), "expected": expected, "p50": round(percentile(latencies, .5), 1),
            "p99": round(percentile(latencies, .99), 1), "max": round(max(latencies), 1)}


def wait_healthy(url: str, process: subprocess.Popen, limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited; see its log")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not become healthy")


# --------------------------------------------------------------------------- the simulated screens

HEARTBEAT_SECONDS = 20   # display/player/player.js HEARTBEAT_MS
# The second reference: the bare broadcast of a message as large as the bench screens' pushed
# state (4.4-4.9 KB of JSON), so the cost of the bytes themselves is seen apart from the kiosk's.
STATE_BYTES = 5000
BARE_STATE_SIZED = "bare broadcast 5 KB"


class Player:
    """One simulated screen, doing what display/player/player.js does with the link."""

    def __init__(self, index: int, url: str, token: str | None, recorder: "Recorder"):
        self.index, self.url, self.token, self.recorder = index, url, token, recorder
        self.digest = None
        self.closing, self.reconnecting = False, None
        # Reconnecting is done here as the player's socket.io client does it, not by python-socketio:
        # its own reconnect gives the namespaces 1 s to connect and then starts over 5 s later, which
        # a server taking 1,000 screens back at once cannot meet (the browser client waits).
        self.client = socketio.AsyncClient(reconnection=False)
        if token is None:  # the bare server: one namespace, the event is all there is
            self.client.on("changed", self.on_bare)
            return
        self.client.on("disconnect", self.on_disconnect, namespace=NAMESPACE)
        self.client.on("connect", self.on_connect, namespace=NAMESPACE)
        self.client.on("changed", self.on_changed, namespace=NAMESPACE)
        self.client.on("state", self.on_pushed, namespace=NAMESPACE)
        self.pull = None

    async def connect(self) -> None:
        if self.token is None:
            await self.client.connect(self.url, transports=["websocket"], wait_timeout=60)
        else:
            await self.client.connect(self.url, namespaces=[NAMESPACE], transports=["websocket"],
                                      auth={"token": self.token, "version": "bench"}, wait_timeout=60)

    async def on_disconnect(self, *_reason):
        if not self.closing and self.reconnecting is None:
            self.reconnecting = asyncio.ensure_future(self.reconnect())

    async def reconnect(self) -> None:
        """display/player/player.js: reconnectionDelay 1 s doubling to 5 s, randomizationFactor 0.5."""
        delay = 1.0
        try:
            while not self.closing:
                await asyncio.sleep(delay * random.uniform(0.5, 1.5))
                try:
                    await self.connect()
                    return
                except socketio.exceptions.ConnectionError:
                    delay = min(delay * 2, 5.0)
        finally:
            self.reconnecting = None

    async def on_bare(self, _data):
        self.recorder.event(self.index)
        self.recorder.state(self.index)

    async def on_connect(self):
        self.recorder.reconnected(self.index)
        asyncio.ensure_future(self.fetch(after_connect=True))
        asyncio.ensure_future(self.heartbeat())

    async def heartbeat(self) -> None:
        """As the player, on connecting and every 20 s (without them the scheduler's sweep closes
        every connection as silent after 90 s, which a real deployment never sees)."""
        try:
            await self.client.emit("heartbeat", {"version": "bench", "width": 1080, "height": 1920,
                                                 "showing": None}, namespace=NAMESPACE)
        except socketio.exceptions.SocketIOError:
            pass

    async def beat_every(self, seconds: float) -> None:
        await asyncio.sleep(random.uniform(0, seconds))
        while not self.closing:
            if self.client.connected:
                await self.heartbeat()
            await asyncio.sleep(seconds)

    async def on_changed(self, data):
        self.recorder.event(self.index)
        if data.get("urgent") or data.get("cleared"):
            self.recorder.state(self.index)  # the player draws from the event itself
            return
        self.expect_state()

    def expect_state(self) -> None:
        """As the player on a bare `changed`: ask 2 to 5 s later unless a pushed state came meanwhile."""
        if self.pull is not None:
            self.pull.cancel()

        async def later():
            await asyncio.sleep(random.uniform(2, 5))
            await self.fetch()
        self.pull = asyncio.ensure_future(later())

    async def on_pushed(self, shared):
        self.recorder.event(self.index)
        self.recorder.pushes += 1
        if self.digest and shared["shared"] == self.digest[:16]:
            return  # nothing new: the pull (if one is due) still checks
        if self.pull is not None:
            self.pull.cancel()
        if self.digest:
            self.digest = shared["shared"] + self.digest[16:]
            self.recorder.holds(self.index, self.digest, after_connect=False)

    async def fetch(self, after_connect: bool = False) -> None:
        try:
            reply = await self.client.call("state", {"digest": self.digest}, namespace=NAMESPACE, timeout=60)
        except socketio.exceptions.SocketIOError:
            return
        if reply.get("registered") is False:
            self.recorder.failures += 1
            return
        self.recorder.fetched(unchanged=bool(reply.get("unchanged")))
        self.digest = reply["digest"]
        self.recorder.holds(self.index, self.digest, after_connect)


class Recorder:
    """Per screen: when the armed change's event and state arrived (time.perf_counter: CLOCK_MONOTONIC,
    comparable across the processes of one machine)."""

    def __init__(self, count: int):
        self.count = count
        self.kind = None
        self.events: dict[int, float] = {}
        self.states: dict[int, float] = {}
        self.armed_digests: dict[int, str | None] = {}
        self.back: set[int] = set()
        self.failures = 0
        self.full_replies = self.unchanged_replies = self.pushes = 0

    def arm(self, kind: str, digests: dict[int, str | None]) -> None:
        self.kind, self.events, self.states, self.back = kind, {}, {}, set()
        self.armed_digests = digests
        self.full_replies = self.unchanged_replies = self.pushes = 0

    def event(self, index: int) -> None:
        if self.kind and index not in self.events:
            self.events[index] = time.perf_counter()

    def state(self, index: int) -> None:
        if self.kind and index not in self.states:
            self.states[index] = time.perf_counter()

    def reconnected(self, index: int) -> None:
        if self.kind == "restart":
            self.back.add(index)
            self.event(index)

    def fetched(self, unchanged: bool) -> None:
        if unchanged:
            self.unchanged_replies += 1
        else:
            self.full_replies += 1

    def holds(self, index: int, digest: str, after_connect: bool) -> None:
        if self.kind == "restart":
            if after_connect and index in self.back:
                self.state(index)
        elif self.kind and digest != self.armed_digests.get(index):
            self.state(index)


def screens_worker(urls: list[str], tokens: list, offset: int, parallel: int, pipe) -> None:
    """A client process: connects its share of the screens, then obeys the conductor."""
    async def serve():
        recorder = Recorder(len(tokens))
        players = [Player(offset + i, urls[(offset + i) % len(urls)], token, recorder)
                   for i, token in enumerate(tokens)]
        limit = asyncio.Semaphore(parallel)
        failed = []

        async def one(player: Player) -> None:
            for attempt in range(3):
                try:
                    async with limit:
                        await player.connect()
                    return
                except socketio.exceptions.ConnectionError as error:
                    failed.append(repr(error))
                    await asyncio.sleep(1 + attempt)

        await asyncio.gather(*(one(p) for p in players))
        # The clients' own full garbage collections (every few seconds over thousands of clients)
        # would show as the servers' delays: what is built by now lives until the end anyway.
        gc.collect()
        gc.freeze()
        beating = [asyncio.ensure_future(p.beat_every(HEARTBEAT_SECONDS)) for p in players if p.token]
        await asyncio.sleep(1)
        pipe.send(("connected", sum(p.client.connected for p in players), failed[:3]))
        loop = asyncio.get_running_loop()
        while True:
            command, argument = await loop.run_in_executor(None, pipe.recv)
            if command == "arm":
                recorder.arm(argument, {p.index: p.digest for p in players})
                pipe.send(("armed", None))
            elif command == "collect":
                deadline, expected = argument
                while time.perf_counter() < deadline and len(recorder.states) < len(players):
                    await asyncio.sleep(0.05)
                await asyncio.sleep(0.2)  # the last stragglers' events
                pipe.send(("arrivals", (list(recorder.events.values()), list(recorder.states.values()),
                                        recorder.full_replies, recorder.unchanged_replies, recorder.pushes)))
                recorder.kind = None
            else:
                for player in players:
                    player.closing = True
                for task in beating:
                    task.cancel()
                await asyncio.gather(*(p.client.disconnect() for p in players), return_exceptions=True)
                pipe.send(("closed", None))
                return
    asyncio.run(serve())


class Clients:
    """The screens spread over client processes (each one asyncio loop), driven through pipes."""

    def __init__(self, urls: list[str], tokens: list, processes: int, parallel: int):
        context = multiprocessing.get_context("spawn")
        self.pipes, self.workers = [], []
        share = -(-len(tokens) // processes)
        for number in range(processes):
            ours, theirs = context.Pipe()
            part = tokens[number * share:(number + 1) * share]
            worker = context.Process(target=screens_worker, daemon=True,
                                     args=(urls, part, number * share, parallel, theirs))
            worker.start()
            self.pipes.append(ours)
            self.workers.append(worker)

    def _ask(self, command: str | None, argument=None, timeout: float = 300) -> list:
        for pipe in self.pipes:
            if command:
                pipe.send((command, argument))
        replies = []
        for pipe in self.pipes:
            if not pipe.poll(timeout):
                raise RuntimeError(f"a client process did not answer {command or 'connect'}")
            replies.append(pipe.recv()[1:])
        return replies

    def connected(self) -> tuple[int, list[str]]:
        replies = self._ask(None, timeout=900)
        return sum(r[0] for r in replies), [f for r in replies for f in r[1]]

    def arm(self, kind: str) -> None:
        self._ask("arm", kind)

    def collect(self, deadline: float) -> tuple[list[float], list[float], int, int, int]:
        replies = [r[0] for r in self._ask("collect", (deadline, None), timeout=deadline - time.perf_counter() + 60)]
        return ([at for r in replies for at in r[0]], [at for r in replies for at in r[1]],
                sum(r[2] for r in replies), sum(r[3] for r in replies), sum(r[4] for r in replies))

    def close(self) -> None:
        try:
            self._ask("close", timeout=60)
        finally:
            for worker in self.workers:
                worker.join(5)
                if worker.is_alive():
                    worker.terminate()


# --------------------------------------------------------------------------- the servers

class OwnRedis:
    """A redis-server of our own on a free port (never the machine's shared one)."""

    def __init__(self):
        self.port = free_port()
        self.process = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", HOST, "--save", "",
                                         "--appendonly", "no"], stdout=subprocess.DEVNULL)
        self.url = f"redis://{HOST}:{self.port}/0"
        for _ in range(50):
            with socket.socket() as probe:
                if probe.connect_ex((HOST, self.port)) == 0:
                    return
            time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


class ScratchDatabase:
    """A fresh PostgreSQL database for one run, dropped afterwards."""

    def __init__(self, server_url: str):
        import psycopg
        self.psycopg, self.server_url = psycopg, server_url.rstrip("/")
        self.name = f"kiosk_bench_{os.getpid()}"
        self.url = f"{self.server_url}/{self.name}"
        self._execute(f'CREATE DATABASE "{self.name}"')

    def _execute(self, statement: str) -> None:
        admin = self.server_url.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
        with self.psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(statement)

    def drop(self) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


class Deployment:
    """`processes` kiosk servers (and with several, the one external scheduler) on free ports."""

    def __init__(self, args, instance: str, database_url: str | None, redis_url: str | None):
        self.instance = Path(instance)
        self.ports = [free_port() for _ in range(args.processes)]
        self.env = {**os.environ, "KIOSK_INSTANCE_PATH": instance, "KIOSK_ASYNC_MODE": args.async_mode,
                    "KIOSK_PUBLIC_URL": f"http://{HOST}:{self.ports[0]}", "KIOSK_LOGIN_LIMIT": "1000 per minute",
                    "KIOSK_SCHEDULER": "external" if args.processes > 1 else "embedded"}
        for name in ("KIOSK_DATABASE_URL", "KIOSK_REDIS_URL"):
            self.env.pop(name, None)
        if database_url:
            self.env["KIOSK_DATABASE_URL"] = database_url
        if redis_url:
            self.env["KIOSK_REDIS_URL"] = redis_url
        self.servers: list[subprocess.Popen] = []
        self.scheduler = None

    @property
    def urls(self) -> list[str]:
        return [f"http://{HOST}:{port}" for port in self.ports]

    def prepare(self, screens: int, template: Path | None) -> list[str]:
        """The demo township and the bench screens: built here, or copied from `template` (a folder
        holding a built SQLite database and its tokens; made on first use) to save minutes per run."""
        if template is not None and (template / "tokens.txt").exists():
            seeded = (template / "tokens.txt").read_text().splitlines()
            if len(seeded) - 1 >= screens:
                self._load(template / "kiosk.sqlite3")
                self.group_id = int(seeded[0].split()[1])
                return seeded[1:screens + 1]
        build = self.env if template is None else {**self.env, "KIOSK_INSTANCE_PATH": str(template)}
        if template is not None:
            template.mkdir(parents=True, exist_ok=True)
            (template / "kiosk.sqlite3").unlink(missing_ok=True)
            build.pop("KIOSK_DATABASE_URL", None)
        for command in (["db", "upgrade"], ["demo"]):
            subprocess.run([kiosk_command(), *command], env=build, check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=600)
        output = subprocess.run([sys.executable, str(BENCH / "seed_screens.py"), str(screens)], env=build,
                                check=True, capture_output=True, text=True, timeout=1800).stdout
        seeded = output.splitlines()
        if template is not None:
            (template / "tokens.txt").write_text(output)
            self._load(template / "kiosk.sqlite3")
        self.group_id = int(seeded[0].split()[1])
        return seeded[1:screens + 1]

    def _load(self, database: Path) -> None:
        """This run's database from a built one: a copy of the file, or imported into PostgreSQL."""
        if "KIOSK_DATABASE_URL" in self.env:
            subprocess.run([kiosk_command(), "db", "import-sqlite", str(database)], env=self.env, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=1800)
        else:
            shutil.copy(database, self.instance / "kiosk.sqlite3")

    def start(self) -> None:
        self.servers = []
        for number, port in enumerate(self.ports):
            log = open(self.instance / f"server{number}.log", "a")
            # threading runs only on Werkzeug's development server, which `kiosk serve` starts by name.
            dev = ["--dev"] if self.env["KIOSK_ASYNC_MODE"] == "threading" else []
            self.servers.append(subprocess.Popen([kiosk_command(), "serve", "--host", HOST, "--port", str(port), *dev],
                                                 env=self.env, stdout=log, stderr=subprocess.STDOUT))
        if self.env["KIOSK_SCHEDULER"] == "external" and self.scheduler is None:
            log = open(self.instance / "scheduler.log", "a")
            self.scheduler = subprocess.Popen([kiosk_command(), "scheduler"], env=self.env, stdout=log,
                                              stderr=subprocess.STDOUT)

    def wait_healthy(self) -> None:
        for url, server in zip(self.urls, self.servers):
            wait_healthy(url, server)

    def stop_servers(self) -> None:
        for server in self.servers:
            server.terminate()
        for server in self.servers:
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()

    def stop(self) -> None:
        self.stop_servers()
        if self.scheduler is not None:
            self.scheduler.terminate()
            self.scheduler.wait(20)

    def memory(self) -> tuple[int, int]:
        """Resident KiB and threads, summed over the server processes."""
        return (sum(proc_status(s.pid, "VmRSS") for s in self.servers),
                sum(proc_status(s.pid, "Threads") for s in self.servers))

    def log_tail(self) -> str:
        return "\n".join((self.instance / f"server{n}.log").read_text()[-2000:] for n in range(len(self.ports)))


# --------------------------------------------------------------------------- the run

async def api(session: aiohttp.ClientSession, method: str, path: str, token: str | None = None, json_body=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with session.request(method, f"/api/v1{path}", json=json_body, headers=headers) as response:
        body = await response.json()
        if response.status >= 400:
            raise RuntimeError(f"{method} {path}: {response.status} {body}")
        return body


def measure(clients: Clients, kind: str, started: float, timeout: float, expected: int, results: dict,
            label: str) -> None:
    """Collect one armed change; `started` is when the staff request left (or the change fell due)."""
    events, states, full, unchanged, pushes = clients.collect(started + timeout)
    entry = results.setdefault(label, {"event": [], "state": [], "changes": 0, "full_replies": 0,
                                       "unchanged_replies": 0, "pushes": 0})
    entry["event"] += [(at - started) * 1000 for at in events]
    entry["state"] += [(at - started) * 1000 for at in states]
    entry["changes"] += 1
    entry["full_replies"] += full
    entry["unchanged_replies"] += unchanged
    entry["pushes"] += pushes
    got = stats([(at - started) * 1000 for at in states], expected)
    print(f"  {label:<18} state {got.get('arrived')}/{expected}  p50 {got.get('p50', '-')} ms  "
          f"p99 {got.get('p99', '-')} ms  (pushed {pushes}, full replies {full}, unchanged {unchanged})", flush=True)


async def bare_reference(args, results: dict) -> None:
    port = free_port()
    url = f"http://{HOST}:{port}"
    server = subprocess.Popen([sys.executable, str(BENCH / "bare_server.py"), str(port), args.async_mode],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_healthy(url, server)
        rss_before, threads_before = proc_status(server.pid, "VmRSS"), proc_status(server.pid, "Threads")
        clients = Clients([url], [None] * args.screens, args.client_processes, args.connect_parallel)
        try:
            connected, _failed = await asyncio.to_thread(clients.connected)
            await asyncio.sleep(2)
            results["bare_memory"] = {"kib_per_screen": round((proc_status(server.pid, "VmRSS") - rss_before)
                                                              / max(connected, 1), 1),
                                      "threads": proc_status(server.pid, "Threads") - threads_before}
            async with aiohttp.ClientSession(url) as session:
                for label, size in (("bare broadcast", 0), (BARE_STATE_SIZED, STATE_BYTES)):
                    for number in range(-1, args.rounds * 2):   # -1: the warm-up, as for the kiosk
                        await asyncio.to_thread(clients.arm, "bare")
                        started = time.perf_counter()
                        async with session.post("/broadcast", json={"round": number, "bytes": size}):
                            pass
                        await asyncio.to_thread(measure, clients, "bare", started, args.timeout, connected,
                                                results, "(warm-up) bare" if number < 0 else label)
                        await asyncio.sleep(args.pause)
            results.pop("(warm-up) bare")
        finally:
            await asyncio.to_thread(clients.close)
    finally:
        server.terminate()
        server.wait(20)


def notice_body(title: str, show_until: datetime | None = None) -> dict:
    body = {"category": "finance", "title": title, "summary": "压测", "body": "压测公告正文。",
            "formed_on": datetime.now(timezone.utc).date().isoformat(), "audience": "township"}
    if show_until is not None:
        body["show_until"] = show_until.isoformat()
    return body


async def kiosk_changes(args, deployment: Deployment, tokens: list[str], results: dict) -> None:
    async with aiohttp.ClientSession(deployment.urls[0], timeout=aiohttp.ClientTimeout(total=120)) as session:
        login = {}
        for user in ("screens", "editor", "reviewer"):
            login[user] = (await api(session, "POST", "/tokens", json_body={"username": user,
                                                                             "password": PASSWORD}))["token"]
        categories = await api(session, "GET", "/categories", login["editor"])
        category = next(c["code"] for c in categories["categories"] if c.get("kind", "government") != "village")

        def rotation(number: int) -> dict:
            return {"name": "压测轮播", "unit": "jinjia", "group": "bench", "priority": 100,
                    "slides": [{"kind": "notice", "duration": 15}, {"kind": "clock", "duration": 15,
                                                                     "welcome": f"欢迎 {number}"}]}
        bench_rotation = await api(session, "POST", "/rotations", login["screens"], rotation(0))

        rss_before, threads_before = deployment.memory()
        clients = Clients(deployment.urls, tokens, args.client_processes, args.connect_parallel)
        try:
            started = time.perf_counter()
            connected, failed = await asyncio.to_thread(clients.connected)
            print(f"connected {connected}/{len(tokens)} screens to {len(deployment.urls)} process(es) in "
                  f"{time.perf_counter() - started:.1f} s {failed[:2] if failed else ''}", flush=True)
            await asyncio.sleep(3 + connected / 500)
            rss_after, threads_after = deployment.memory()
            results["memory"] = {"kib_per_screen": round((rss_after - rss_before) / max(connected, 1), 1),
                                 "threads_before": threads_before, "threads_after": threads_after,
                                 "rss_mib": round(rss_after / 1024, 1)}
            results["connected"] = connected
            request_times = []

            async def change(label: str, kind: str, request) -> None:
                await asyncio.to_thread(clients.arm, kind)
                sent = time.perf_counter()
                await request()
                request_times.append((time.perf_counter() - sent) * 1000)
                print(f"  {label}: the staff request took {request_times[-1]:.0f} ms", flush=True)
                await asyncio.to_thread(measure, clients, kind, sent, args.timeout, connected, results, label)
                await asyncio.sleep(args.pause)

            async def approved_notice(title: str, show_until=None) -> dict:
                body = notice_body(title, show_until) | {"category": category}
                notice = await api(session, "POST", "/notices", login["editor"], body)
                await api(session, "POST", f"/notices/{notice['id']}/submit", login["editor"], {})
                return notice

            # Round 0 warms the server up and is not counted: the first request of each kind after
            # a boot pays imports and first-use caches once (about 0.3 s); the restart row covers boots.
            for number in range(0, args.rounds + 1):
                urgent = {}

                def tag(label: str, number=number) -> str:
                    return f"(warm-up) {label}" if number == 0 else label

                async def push():
                    urgent.update(await api(session, "POST", "/urgent-notices", login["screens"], {
                        "unit": "jinjia", "title": f"压测紧急通知 {number}", "body": "台风预警：请注意防范。",
                        "groups": [deployment.group_id]}))
                await change(tag("urgent pushed"), "urgent", push)
                await change(tag("urgent cleared"), "urgent", lambda: api(
                    session, "POST", f"/urgent-notices/{urgent['id']}/clear", login["screens"]))
                await change(tag("rotation edited"), "state", lambda: api(
                    session, "PUT", f"/rotations/{bench_rotation['id']}", login["screens"], rotation(number)))
                notice = await approved_notice(f"压测公告 {number}")
                await change(tag("notice approved"), "state", lambda: api(
                    session, "POST", f"/notices/{notice['id']}/approve", login["reviewer"], {}))
                await api(session, "PATCH", f"/notices/{notice['id']}", login["editor"],
                          {"summary": f"更正 {number}", "body": f"更正后的正文 {number}。"})
                await api(session, "POST", f"/notices/{notice['id']}/submit", login["editor"], {})
                await change(tag("correction"), "state", lambda: api(
                    session, "POST", f"/notices/{notice['id']}/approve", login["reviewer"], {}))

                # A notice that ends a few seconds after its approval reached the screens.
                ends = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(seconds=args.timeout / 2 + 8)
                expiring = await approved_notice(f"压测到期 {number}", ends)
                await change("(expiring approved)", "state", lambda: api(
                    session, "POST", f"/notices/{expiring['id']}/approve", login["reviewer"], {}))
                await asyncio.to_thread(clients.arm, "state")
                due = time.perf_counter() + (ends - datetime.now(timezone.utc)).total_seconds()
                await asyncio.to_thread(measure, clients, "state", due, args.timeout + 3, connected, results,
                                        tag("notice expired"))
            results["staff_request_ms"] = round(percentile(request_times, .5), 1)
            for label in [label for label in results if label.startswith("(")]:
                results.pop(label)   # the warm-up round and the expiring notice's approval

            if args.restart:
                await asyncio.to_thread(clients.arm, "restart")
                deployment.stop_servers()
                launched = time.perf_counter()
                deployment.start()
                deployment.wait_healthy()
                booted = time.perf_counter() - launched
                results["restart_boot_ms"] = round(booted * 1000)
                # Timed from the launch; the screens get `timeout` seconds once the servers answer.
                await asyncio.to_thread(measure, clients, "restart", launched, booted + args.timeout, connected,
                                        results, "restart")
        finally:
            await asyncio.to_thread(clients.close)


def summary(args, results: dict) -> dict:
    changes = {label: {"event": stats(entry["event"], entry["changes"] * results.get("connected", args.screens)),
                       "state": stats(entry["state"], entry["changes"] * results.get("connected", args.screens)),
                       "pushes": entry["pushes"], "full_replies": entry["full_replies"],
                       "unchanged_replies": entry["unchanged_replies"]}
               for label, entry in results.items() if isinstance(entry, dict) and "event" in entry}
    return {"screens": args.screens, "processes": args.processes, "async_mode": args.async_mode,
            "database": "postgresql" if args.postgres else "sqlite", "redis": args.processes > 1 or args.redis,
            "rounds": args.rounds,
            "load": os.getloadavg()[0], "changes": changes,
            **{k: v for k, v in results.items() if not (isinstance(v, dict) and "event" in v)}}


def print_summary(report: dict) -> None:
    print(f"\nRESULT screens={report['screens']} processes={report['processes']} async_mode={report['async_mode']} "
          f"database={report['database']} load={report['load']:.1f}")
    print(f"  {'change':<18} {'arrived':>12} {'event p50':>10} {'event p99':>10} {'state p50':>10} "
          f"{'state p99':>10} {'state max':>10}")
    for label, entry in report["changes"].items():
        event, state = entry["event"], entry["state"]
        print(f"  {label:<18} {state['arrived']:>6}/{state['expected']:<5} {event.get('p50', '-'):>10} "
              f"{event.get('p99', '-'):>10} {state.get('p50', '-'):>10} {state.get('p99', '-'):>10} "
              f"{state.get('max', '-'):>10}")
    for key in ("memory", "bare_memory", "staff_request_ms", "restart_boot_ms"):
        if key in report:
            print(f"  {key}: {report[key]}")


async def run(args, deployment: Deployment, tokens: list[str]) -> dict:
    results: dict = {}
    if not args.no_bare:
        await bare_reference(args, results)
    deployment.start()
    deployment.wait_healthy()
    await kiosk_changes(args, deployment, tokens, results)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--screens", type=int, default=100)
    parser.add_argument("--processes", type=int, default=1, help="kiosk serve processes (>1: Redis + scheduler)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of every kind of change")
    parser.add_argument("--async-mode", default="gevent", choices=("threading", "gevent"))
    parser.add_argument("--timeout", type=float, default=20, help="seconds to wait for every screen")
    parser.add_argument("--pause", type=float, default=0.5, help="seconds between changes")
    parser.add_argument("--connect-parallel", type=int, default=50, help="connections opened at once per process")
    parser.add_argument("--client-processes", type=int, default=1, help="processes running the simulated screens")
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL server URL such as "
                        "postgresql+psycopg://postgres@127.0.0.1:5432 (a scratch database is made and dropped)")
    parser.add_argument("--restart", action="store_true", help="finally stop and start the servers")
    parser.add_argument("--no-bare", action="store_true", help="skip the bare broadcast reference")
    parser.add_argument("--json", metavar="PATH", help="append the result as one JSON line")
    parser.add_argument("--redis", action="store_true", help="a Redis of our own even for one process")
    parser.add_argument("--template", type=Path, metavar="DIR",
                        help="reuse (or make) a built demo with screens in DIR; ask for the most screens first")
    args = parser.parse_args()
    if not 1 <= args.screens <= 10000 or not 1 <= args.processes <= 8:
        parser.error("--screens must be 1 to 10000 and --processes 1 to 8")

    instance = tempfile.mkdtemp(prefix="kiosk-bench-")
    database = ScratchDatabase(args.postgres) if args.postgres else None
    redis_server = OwnRedis() if args.processes > 1 or args.redis else None
    deployment = Deployment(args, instance, database and database.url, redis_server and redis_server.url)
    try:
        started = time.perf_counter()
        tokens = deployment.prepare(args.screens, args.template)
        print(f"demo township and {len(tokens)} screens ready in {time.perf_counter() - started:.1f} s", flush=True)
        results = asyncio.run(run(args, deployment, tokens))
        report = summary(args, results)
        print_summary(report)
        if args.json:
            with open(args.json, "a") as out:
                out.write(json.dumps(report, ensure_ascii=False) + "\n")
    except Exception as error:  # noqa: BLE001  (report, then clean up)
        print(f"benchmark failed: {error!r}", file=sys.stderr)
        if deployment.servers:
            print(deployment.log_tail(), file=sys.stderr)
        return 1
    finally:
        deployment.stop()
        if redis_server:
            redis_server.stop()
        shutil.rmtree(instance, ignore_errors=True)
        if database:
            database.drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
