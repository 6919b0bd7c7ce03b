"""Change to screen: how long until every connected screen hears of a staff change.

Starts ONE real `kiosk serve` process on loopback with a fresh demo township (SQLite), registers
N screens through the API (createScreen, as a screen manager would), connects N Socket.IO
clients to the screens namespace with their device tokens (asyncio clients in this one process,
not N threads), then pushes an urgent notice to their group through the API (createUrgentNotice)
and clears it again (clearUrgentNotice), several rounds. For every screen it takes the time from
sending the staff request to receiving the `changed` event, and prints p50, p99 and max, plus the
server's resident memory per connected screen (VmRSS from /proc/<pid>/status before and after
connecting). Everything stops by itself (each wait has a time limit) and the instance folder is
removed.

    .venv/bin/python bench/screens_push.py --screens 1000
    .venv/bin/python bench/screens_push.py --screens 1000 --async-mode gevent

Needs the bench extra: `pip install -e .[bench]` (aiohttp for the asyncio clients, gevent).
"""
import argparse
import asyncio
import multiprocessing
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

import aiohttp
import socketio

HOST = "127.0.0.1"
NAMESPACE = "/screens"
PASSWORD = "jinjia-demo"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def kiosk_command() -> str:
    return str(Path(sys.executable).with_name("kiosk"))


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def threads_of(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Threads:"):
            return int(line.split()[1])
    return 0


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))
    return ordered[int(rank) - 1]


class Screens:
    """Asyncio Socket.IO clients, each a registered screen; records when each hears `changed`."""

    def __init__(self, base: str, tokens: list[str], heartbeat: float = 0):
        self.base, self.tokens, self.heartbeat = base, tokens, heartbeat
        self.beating: list[asyncio.Task] = []
        self.clients: list[socketio.AsyncClient] = []
        self.failures: list[str] = []
        self.arrivals: dict[int, float] = {}
        self.expected_reason = None
        self.all_arrived = asyncio.Event()

    def _handler(self, index: int):
        async def changed(data):
            if data.get("reason") == self.expected_reason and index not in self.arrivals:
                self.arrivals[index] = time.perf_counter()   # CLOCK_MONOTONIC: comparable across processes
                if len(self.arrivals) == len(self.clients):
                    self.all_arrived.set()
        return changed

    async def connect(self, parallel: int) -> None:
        limit = asyncio.Semaphore(parallel)

        async def one(index: int, token: str):
            for attempt in range(1, 4):
                client = socketio.AsyncClient(reconnection=False)
                client.on("changed", self._handler(index), namespace=NAMESPACE)
                try:
                    async with limit:
                        await client.connect(self.base, namespaces=[NAMESPACE], transports=["websocket"],
                                             auth={"token": token, "version": "bench"}, wait_timeout=30)
                    return client
                except socketio.exceptions.ConnectionError as error:
                    self.failures.append(f"screen {index} attempt {attempt}: {error!r}")
                    await client.disconnect()
                    await asyncio.sleep(attempt)
            return None

        connected = await asyncio.gather(*(one(i, t) for i, t in enumerate(self.tokens)))
        self.clients = [client for client in connected if client is not None]
        if self.heartbeat:
            self.beating = [asyncio.create_task(self._beat(client)) for client in self.clients]

    async def _beat(self, client: socketio.AsyncClient) -> None:
        """Heartbeats like the player's (each one a database write on the server), spread out evenly."""
        await asyncio.sleep(random.uniform(0, self.heartbeat))
        while client.connected:
            try:
                await client.emit("heartbeat", {"version": "bench", "width": 1920, "height": 1080},
                                  namespace=NAMESPACE)
            except socketio.exceptions.SocketIOError:
                return
            await asyncio.sleep(self.heartbeat)

    def expect(self, reason: str) -> None:
        self.arrivals, self.expected_reason = {}, reason
        self.all_arrived = asyncio.Event()

    async def wait_all(self, deadline: float) -> list[float]:
        try:
            await asyncio.wait_for(self.all_arrived.wait(), max(0.0, deadline - time.perf_counter()))
        except asyncio.TimeoutError:
            pass
        return list(self.arrivals.values())

    async def close(self) -> None:
        for task in self.beating:
            task.cancel()
        await asyncio.gather(*(c.disconnect() for c in self.clients), return_exceptions=True)


def screens_worker(base: str, tokens: list[str], parallel: int, heartbeat: float, pipe) -> None:
    """A client process: connects its share of the screens, then obeys the conductor's commands."""
    async def serve():
        screens = Screens(base, tokens, heartbeat)
        await screens.connect(parallel)
        pipe.send(("connected", len(screens.clients), screens.failures[:5], len(screens.failures)))
        loop = asyncio.get_running_loop()
        while True:
            command, argument = await loop.run_in_executor(None, pipe.recv)
            if command == "expect":
                screens.expect(argument)
                pipe.send(("armed", None))
            elif command == "collect":
                pipe.send(("arrivals", await screens.wait_all(argument)))
            else:
                await screens.close()
                pipe.send(("closed", None))
                return
    asyncio.run(serve())


class ClientProcesses:
    """The screens spread over several processes (each one asyncio loop), driven through pipes."""

    def __init__(self, base: str, tokens: list[str], processes: int, parallel: int, heartbeat: float):
        context = multiprocessing.get_context("spawn")
        self.pipes, self.workers = [], []
        for share in range(processes):
            ours, theirs = context.Pipe()
            worker = context.Process(target=screens_worker, daemon=True,
                                     args=(base, tokens[share::processes], parallel, heartbeat, theirs))
            worker.start()
            self.pipes.append(ours)
            self.workers.append(worker)

    def _ask(self, command: str, argument=None, timeout: float = 120) -> list:
        for pipe in self.pipes:
            if command:
                pipe.send((command, argument))
        replies = []
        for pipe in self.pipes:
            if not pipe.poll(timeout):
                raise RuntimeError(f"a client process did not answer {command or 'connect'}")
            replies.append(pipe.recv())
        return replies

    def connected(self) -> tuple[int, list[str], int]:
        replies = self._ask("", timeout=600)
        return (sum(r[1] for r in replies), [f for r in replies for f in r[2]], sum(r[3] for r in replies))

    def expect(self, reason: str) -> None:
        self._ask("expect", reason)

    def collect(self, deadline: float) -> list[float]:
        return [at for reply in self._ask("collect", deadline) for at in reply[1]]

    def close(self) -> None:
        try:
            self._ask("close", timeout=30)
        finally:
            for worker in self.workers:
                worker.join(5)
                if worker.is_alive():
                    worker.terminate()


async def api(session: aiohttp.ClientSession, method: str, path: str, token: str | None = None, json=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with session.request(method, f"/api/v1{path}", json=json, headers=headers) as response:
        body = await response.json()
        if response.status >= 400:
            raise RuntimeError(f"{method} {path}: {response.status} {body}")
        return body


async def wait_healthy(session: aiohttp.ClientSession, server: subprocess.Popen, limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the server exited; see its log")
        try:
            async with session.get("/healthz") as response:
                if response.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.3)
    raise RuntimeError("the server did not become healthy")


async def register_screens(session, token: str, count: int, group_id: int, parallel: int = 8) -> list[str]:
    limit = asyncio.Semaphore(parallel)

    async def one(number: int) -> str:
        async with limit:
            created = await api(session, "POST", "/screens", token, {
                "unit": "jinjia", "kind": "noticeboard_landscape", "name": f"压测屏{number:04d}", "groups": [group_id]})
        return urlparse(created["player_url"]).path.rstrip("/").rsplit("/", 1)[-1]

    return await asyncio.gather(*(one(n) for n in range(count)))


def summarise(label: str, latencies_ms: list[float], expected: int) -> str:
    if not latencies_ms:
        return f"{label}: nothing arrived"
    return (f"{label}: {len(latencies_ms)}/{expected} arrived  p50 {percentile(latencies_ms, .50):7.1f} ms  "
            f"p99 {percentile(latencies_ms, .99):7.1f} ms  max {max(latencies_ms):7.1f} ms")


async def run(args, base: str, server: subprocess.Popen) -> None:
    async with aiohttp.ClientSession(base, timeout=aiohttp.ClientTimeout(total=60)) as session:
        await wait_healthy(session, server)
        token = (await api(session, "POST", "/tokens", json={"username": "screens", "password": PASSWORD}))["token"]
        group = await api(session, "POST", "/screen-groups", token,
                          {"unit": "jinjia", "code": "bench", "name": "压测屏幕"})
        started = time.perf_counter()
        tokens = await register_screens(session, token, args.screens, group["id"])
        print(f"registered {len(tokens)} screens through createScreen in {time.perf_counter() - started:.1f} s")

        await asyncio.sleep(1)
        rss_before, threads_before = rss_kib(server.pid), threads_of(server.pid)
        started = time.perf_counter()
        clients = ClientProcesses(base, tokens, args.client_processes, args.connect_parallel, args.heartbeat)
        try:
            connected, failures, failed = await asyncio.to_thread(clients.connected)
            print(f"connected {connected} screens from {args.client_processes} client process(es) in "
                  f"{time.perf_counter() - started:.1f} s; {failed} failed attempts (each retried up to 3 times)")
            for failure in failures:
                print(f"  {failure}")
            await asyncio.sleep(3)  # let the connect handlers' database writes finish
            rss_after, threads_after = rss_kib(server.pid), threads_of(server.pid)
            all_latencies, request_times = await push_rounds(args, session, token, group["id"], clients, connected)
        finally:
            await asyncio.to_thread(clients.close)

        changes = args.rounds * 2
        print()
        print(f"RESULT async_mode={args.async_mode} database={'postgresql' if args.postgres else 'sqlite'} "
              f"screens={args.screens} client_processes={args.client_processes} heartbeat={args.heartbeat:g}s "
              f"change={args.change} changes={changes}")
        print(summarise("  change to every screen", all_latencies, changes * args.screens))
        print(f"  staff request (POST until its response) median {percentile(request_times, .5):.1f} ms")
        print(f"  server RSS {rss_before / 1024:.1f} MiB before connecting, {rss_after / 1024:.1f} MiB with "
              f"{connected} screens: {(rss_after - rss_before) / max(connected, 1):.1f} KiB per connected screen; "
              f"threads {threads_before} -> {threads_after}")


def rotation_body(round_number: int) -> dict:
    return {"name": "压测轮播", "unit": "jinjia", "group": "bench", "priority": round_number,
            "slides": [{"kind": "clock", "duration": 15, "welcome": f"欢迎 {round_number}"}]}


async def push_rounds(args, session, token: str, group_id: int, clients: ClientProcesses, connected: int):
    """Make `rounds` staff changes twice over (an urgent notice pushed and cleared, or a rotation edited
    twice); the latency of every screen for each."""
    steps = ((("urgent", "push"), ("urgent_cleared", "clear")) if args.change == "urgent"
             else (("rotation", "edit"), ("rotation", "edit")))
    rotation = None
    if args.change == "rotation":
        rotation = await api(session, "POST", "/rotations", token, rotation_body(0))
    all_latencies, request_times = [], []
    for round_number in range(1, args.rounds + 1):
        for reason, action in steps:
            await asyncio.to_thread(clients.expect, reason)
            sent = time.perf_counter()
            if action == "push":
                urgent = await api(session, "POST", "/urgent-notices", token, {
                    "unit": "jinjia", "title": f"压测紧急通知 {round_number}", "body": "台风预警：请注意防范。",
                    "groups": [group_id]})
            elif action == "clear":
                await api(session, "POST", f"/urgent-notices/{urgent['id']}/clear", token)
            else:
                await api(session, "PUT", f"/rotations/{rotation['id']}", token, rotation_body(round_number))
            request_times.append((time.perf_counter() - sent) * 1000)
            arrivals = await asyncio.to_thread(clients.collect, sent + args.timeout)
            latencies = [(at - sent) * 1000 for at in arrivals]
            all_latencies += latencies
            print(summarise(f"round {round_number} {action:<5}", latencies, connected))
            if len(latencies) < connected:
                print(f"  {connected - len(latencies)} screens did not hear it within {args.timeout} s")
            await asyncio.sleep(args.pause)
    return all_latencies, request_times


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


def prepare_instance(env: dict) -> None:
    for command in (["db", "upgrade"], ["demo"]):
        subprocess.run([kiosk_command(), *command], env=env, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=300)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--screens", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5, help="urgent notices pushed (each also cleared)")
    parser.add_argument("--change", choices=("urgent", "rotation"), default="urgent",
                        help="the staff change: createUrgentNotice + clearUrgentNotice, or updateRotation")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--async-mode", default="threading", choices=("threading", "gevent"))
    parser.add_argument("--timeout", type=float, default=20, help="seconds to wait for every screen")
    parser.add_argument("--pause", type=float, default=1, help="seconds between changes")
    parser.add_argument("--connect-parallel", type=int, default=20, help="connections opened at once per process")
    parser.add_argument("--heartbeat", type=float, default=20,
                        help="seconds between each screen's heartbeat, as the player sends (0: none)")
    parser.add_argument("--postgres", metavar="URL",
                        help="run on PostgreSQL instead of SQLite: a server URL such as "
                             "postgresql+psycopg://postgres@127.0.0.1:5432 (a scratch database is made and dropped)")
    parser.add_argument("--client-processes", type=int, default=1,
                        help="processes sharing the simulated screens (each one asyncio loop)")
    args = parser.parse_args()
    if not 1 <= args.screens <= 5000:
        parser.error("--screens must be 1 to 5000")
    args.port = args.port or free_port()

    instance = tempfile.mkdtemp(prefix="kiosk-bench-")
    env = {**os.environ, "KIOSK_INSTANCE_PATH": instance, "KIOSK_ASYNC_MODE": args.async_mode,
           "KIOSK_PUBLIC_URL": f"http://{HOST}:{args.port}", "KIOSK_LOGIN_LIMIT": "1000 per minute"}
    env.pop("KIOSK_DATABASE_URL", None)
    env.pop("KIOSK_REDIS_URL", None)
    server = None
    database = ScratchDatabase(args.postgres) if args.postgres else None
    if database:
        env["KIOSK_DATABASE_URL"] = database.url
    try:
        prepare_instance(env)
        log = open(Path(instance) / "server.log", "w")
        server = subprocess.Popen([kiosk_command(), "serve", "--host", HOST, "--port", str(args.port)], env=env,
                                  stdout=log, stderr=subprocess.STDOUT)
        asyncio.run(asyncio.wait_for(run(args, f"http://{HOST}:{args.port}", server),
                                     timeout=600 + args.screens * 0.5))
    except Exception as error:  # noqa: BLE001  (report, then clean up)
        print(f"benchmark failed: {error!r}", file=sys.stderr)
        if server is not None:
            print((Path(instance) / "server.log").read_text()[-3000:], file=sys.stderr)
        return 1
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(instance, ignore_errors=True)
        if database:
            database.drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
