"""Video slides under load: players fetching a large video with Range requests from one `kiosk
serve` process (gevent), while the screens' pushes must stay within their bar.

One run, on loopback, cleaning up after itself:

1. A fresh demo township with `--screens` simulated screens (`screens_push.py`'s Deployment and
   Clients: each does what the player does with its socket), and one approved video whose public
   copy is `--video-mb` MB. The copy is seeded directly (this script with `--seed`, run with the
   server's environment): serving reads bytes from disk and never looks at them, and converting
   100 MB with ffmpeg would only cost the run minutes.
2. The pushes while idle: `--rounds` urgent notices pushed and cleared, each timed to every screen
   (`screens_push.measure`).
3. `--players` players (aiohttp, in a process of their own) fetch the video as a browser's media
   element and the service worker's cache do: Range requests of `--chunk-mb` MB one after another
   from the start, again and again, for `--seconds`; every answer must be 206 with the bytes asked
   for. Meanwhile the same pushes are timed again, and the server's resident memory and CPU are
   sampled every second.

Reported: throughput (MB/s over all players, and per player), requests and errors, the server's
RSS (before, and the most while serving) and CPU (% of one core), the push latency idle and under
load (p50/p99/max), and whether p99 stayed within the bar (1 s).

    .venv/bin/python bench/video_range.py                       # 50 players, 100 MB, 200 screens
    .venv/bin/python bench/video_range.py --players 50 --video-mb 100 --screens 1000 --json results.jsonl

Needs the bench extra (`pip install -e '.[bench]'`).
"""
import argparse
import asyncio
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from screens_push import Clients, Deployment, api, measure, percentile, proc_status, stats

BAR_MS = 1000
PASSWORD = "jinjia-demo"
MB = 1024 * 1024


# --------------------------------------------------------------------------- the seeded video

def seed_video(megabytes: int) -> None:
    """Run with the server's environment: an approved video of the township whose public copy is
    `megabytes` MB. Prints its id."""
    from sqlalchemy import select

    from kiosk import create_app
    from kiosk.accounts.models import User
    from kiosk.extensions import db
    from kiosk.files import fresh_path
    from kiosk.org.operations import get_unit_by_code
    from kiosk.video.models import Video, VideoState
    app = create_app()
    with app.app_context(), app.test_request_context():
        copy, poster = fresh_path("mp4", "videos"), fresh_path("jpg", "videos")
        block = os.urandom(MB)
        with open(copy, "wb") as out:
            for _ in range(megabytes):
                out.write(block)
        poster.write_bytes(b"\xff\xd8\xff\xd9")
        reviewer = db.session.scalar(select(User).where(User.username == "reviewer"))
        video = Video(unit=get_unit_by_code("jinjia"), name="压测视频", media_type="video/mp4", upload_bytes=0,
                      state=VideoState.approved, public_name=copy.name, poster_name=poster.name, duration=600.0,
                      width=1920, height=1080, bytes=megabytes * MB, approved_by=reviewer.id, progress=100,
                      stage="", error="", converted=False, frames_read=0, check_pieces=[], privacy_override="")
        db.session.add(video)
        db.session.commit()
        print(video.id)


# --------------------------------------------------------------------------- the players

def players_worker(url: str, path: str, tokens: list[str], chunk: int, size: int, seconds: float, pipe) -> None:
    """A process of its own: every player fetches the video chunk after chunk until time is up."""
    async def player(session: aiohttp.ClientSession, token: str, deadline: float, tally: dict) -> None:
        offset = 0
        while time.monotonic() < deadline:
            end = min(offset + chunk, size) - 1
            started = time.perf_counter()
            try:
                async with session.get(path, headers={"X-Screen-Token": token, "Range": f"bytes={offset}-{end}"}) as reply:
                    got = 0
                    async for block in reply.content.iter_chunked(256 * 1024):
                        got += len(block)
                    wanted = end - offset + 1
                    if reply.status != 206 or got != wanted \
                            or reply.headers.get("Content-Range") != f"bytes {offset}-{end}/{size}":
                        tally["errors"] += 1
                tally["bytes"] += got
                tally["requests"] += 1
                tally["latency"].append((time.perf_counter() - started) * 1000)
            except aiohttp.ClientError:
                tally["errors"] += 1
            offset = end + 1 if end + 1 < size else 0

    async def run():
        tally = {"bytes": 0, "requests": 0, "errors": 0, "latency": []}
        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(url, connector=connector, timeout=aiohttp.ClientTimeout(total=300)) as session:
            pipe.recv()                        # go
            started = time.monotonic()
            await asyncio.gather(*(player(session, token, started + seconds, tally) for token in tokens))
            elapsed = time.monotonic() - started
        pipe.send({**tally, "elapsed": elapsed})
    pipe.send("ready")
    asyncio.run(run())


class Sampler:
    """The server's RSS (KiB) and CPU (% of one core) every second while the players fetch."""

    def __init__(self, pid: int):
        self.pid, self.rss, self.cpu = pid, [], []

    def ticks(self) -> int:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])      # utime + stime

    async def run(self, stop: asyncio.Event) -> None:
        hertz = os.sysconf("SC_CLK_TCK")
        last, then = self.ticks(), time.monotonic()
        while not stop.is_set():
            await asyncio.sleep(1)
            now, ticks = time.monotonic(), self.ticks()
            self.cpu.append(100 * (ticks - last) / hertz / (now - then))
            self.rss.append(proc_status(self.pid, "VmRSS"))
            last, then = ticks, now


# --------------------------------------------------------------------------- the run

async def pushes(args, session, token: str, group_id: int, clients: Clients, connected: int, results: dict,
                 label: str) -> None:
    """`--rounds` urgent notices pushed and cleared, each timed to every screen."""
    for number in range(args.rounds):
        urgent = {}

        async def push():
            urgent.update(await api(session, "POST", "/urgent-notices", token, {
                "unit": "jinjia", "title": f"压测紧急通知 {number}", "body": "视频压测中。", "groups": [group_id]}))
        for request in (push, lambda: api(session, "POST", f"/urgent-notices/{urgent['id']}/clear", token)):
            await asyncio.to_thread(clients.arm, "urgent")
            sent = time.perf_counter()
            await request()
            await asyncio.to_thread(measure, clients, "urgent", sent, args.timeout, connected, results, label)
            await asyncio.sleep(args.pause)


async def run(args, deployment: Deployment, tokens: list[str], video_id: int) -> dict:
    results: dict = {}
    server = deployment.servers[0]
    url = deployment.urls[0]
    async with aiohttp.ClientSession(url, timeout=aiohttp.ClientTimeout(total=120)) as session:
        token = (await api(session, "POST", "/tokens", json_body={"username": "screens", "password": PASSWORD}))["token"]
        clients = Clients(deployment.urls, tokens, 1, 50)
        try:
            connected, _failed = await asyncio.to_thread(clients.connected)
            print(f"connected {connected}/{len(tokens)} screens", flush=True)
            await asyncio.sleep(3)
            await pushes(args, session, token, deployment.group_id, clients, connected, results, "(warm-up)")
            await pushes(args, session, token, deployment.group_id, clients, connected, results, "push idle")
            rss_before = proc_status(server.pid, "VmRSS")

            context = multiprocessing.get_context("spawn")
            ours, theirs = context.Pipe()
            worker = context.Process(target=players_worker, daemon=True, args=(
                url, f"/display/videos/{video_id}.mp4", tokens[:args.players], args.chunk_mb * MB,
                args.video_mb * MB, args.seconds, theirs))
            worker.start()
            assert ours.recv() == "ready"
            sampler, stop = Sampler(server.pid), asyncio.Event()
            sampling = asyncio.ensure_future(sampler.run(stop))
            ours.send("go")
            await asyncio.sleep(2)            # the players under way
            await pushes(args, session, token, deployment.group_id, clients, connected, results, "push while serving")
            fetched = await asyncio.to_thread(ours.recv)
            stop.set()
            await sampling
            worker.join(10)
        finally:
            await asyncio.to_thread(clients.close)
    results.pop("(warm-up)", None)
    latency = fetched.pop("latency")
    results["range"] = {
        "players": args.players, "video_mb": args.video_mb, "chunk_mb": args.chunk_mb,
        "seconds": round(fetched["elapsed"], 1), "requests": fetched["requests"], "errors": fetched["errors"],
        "mb_per_s": round(fetched["bytes"] / MB / fetched["elapsed"], 1),
        "mb_per_s_per_player": round(fetched["bytes"] / MB / fetched["elapsed"] / args.players, 2),
        "request_ms_p50": round(percentile(latency, .5)) if latency else None,
        "request_ms_p99": round(percentile(latency, .99)) if latency else None,
        "rss_mib_before": round(rss_before / 1024, 1), "rss_mib_max": round(max(sampler.rss, default=0) / 1024, 1),
        "cpu_percent_mean": round(sum(sampler.cpu) / max(len(sampler.cpu), 1)),
        "cpu_percent_max": round(max(sampler.cpu, default=0))}
    results["connected"] = connected
    return results


def report_of(args, results: dict) -> dict:
    pushes_ = {label: stats(entry["state"], entry["changes"] * results["connected"])
               for label, entry in results.items() if isinstance(entry, dict) and "state" in entry}
    within = all(entry.get("p99", BAR_MS + 1) <= BAR_MS and entry["arrived"] == entry["expected"]
                 for entry in pushes_.values())
    return {"screens": args.screens, "load": os.getloadavg()[0], "range": results["range"], "pushes": pushes_,
            "push_within_bar": within}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--players", type=int, default=50)
    parser.add_argument("--video-mb", type=int, default=100)
    parser.add_argument("--chunk-mb", type=int, default=4, help="bytes per Range request")
    parser.add_argument("--seconds", type=float, default=30, help="how long the players fetch")
    parser.add_argument("--screens", type=int, default=200, help="simulated screens timed for pushes")
    parser.add_argument("--rounds", type=int, default=3, help="urgent notices pushed and cleared per phase")
    parser.add_argument("--timeout", type=float, default=20)
    parser.add_argument("--pause", type=float, default=0.5)
    parser.add_argument("--json", metavar="PATH", help="append the result as one JSON line")
    parser.add_argument("--seed", type=int, metavar="MB", help=argparse.SUPPRESS)   # run by the bench itself
    args = parser.parse_args()
    if args.seed:
        seed_video(args.seed)
        return 0
    if not 1 <= args.players <= args.screens:
        parser.error("--players must be 1 to --screens (each player is one of the screens)")
    args.processes, args.async_mode = 1, "gevent"
    instance = tempfile.mkdtemp(prefix="kiosk-bench-video-")
    deployment = Deployment(args, instance, None, None)
    try:
        tokens = deployment.prepare(args.screens, None)
        video_id = int(subprocess.run([sys.executable, __file__, "--seed", str(args.video_mb)], env=deployment.env,
                                      check=True, capture_output=True, text=True, timeout=600).stdout.split()[-1])
        deployment.start()
        deployment.wait_healthy()
        report = report_of(args, asyncio.run(run(args, deployment, tokens, video_id)))
        print(json.dumps(report, ensure_ascii=False, indent=2))
        if args.json:
            with open(args.json, "a") as out:
                out.write(json.dumps(report, ensure_ascii=False) + "\n")
        return 0 if report["push_within_bar"] and not report["range"]["errors"] else 1
    except Exception as error:  # noqa: BLE001  (report, then clean up)
        print(f"benchmark failed: {error!r}", file=sys.stderr)
        if deployment.servers:
            print(deployment.log_tail(), file=sys.stderr)
        return 1
    finally:
        deployment.stop()


if __name__ == "__main__":
    sys.exit(main())
