"""The whole scale matrix in one command, for a quiet machine (about 17 minutes):

- one process (SQLite): 100, 1,000 (with restart recovery) and 5,000 screens;
- 5,000 screens on PostgreSQL and Redis across 1, 2 and 4 processes;
each run with the bare Flask-SocketIO broadcast of the same N measured first, as the reference.

It writes `bench/results/matrix.jsonl` (every run's figures), `bench/results/matrix.md` (the table
for bench/README.md) and `bench/results/scale.png` (the plot).

    .venv/bin/python bench/matrix.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432
    .venv/bin/python bench/matrix.py --small      # 20/50/100 screens: proves the matrix runs
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"
BARE_SIZED = "bare broadcast 5 KB"
CHANGES = ("urgent pushed", "urgent cleared", "rotation edited", "notice approved", "correction", "notice expired")


def runs(small: bool) -> list[dict]:
    big, mid, low = (100, 50, 20) if small else (5000, 1000, 100)
    return ([{"screens": big, "processes": 1}, {"screens": low, "processes": 1},
             {"screens": mid, "processes": 1, "restart": True}]
            + [{"screens": big, "processes": p, "postgres": True} for p in (1, 2, 4)])


def run_one(spec: dict, args, template: Path, out: Path) -> None:
    command = [sys.executable, str(BENCH / "screens_push.py"), "--screens", str(spec["screens"]),
               "--processes", str(spec["processes"]), "--rounds", str(args.rounds), "--json", str(out),
               "--template", str(template), "--client-processes", "2" if spec["screens"] > 1000 else "1",
               "--async-mode", args.async_mode]
    if spec.get("restart"):
        command.append("--restart")
    if spec.get("postgres"):
        command += ["--postgres", args.postgres, "--redis"]
    print(f"\n=== {' '.join(command[2:])}", flush=True)
    started = time.monotonic()
    finished = subprocess.run(command, timeout=1800)
    print(f"=== done in {time.monotonic() - started:.0f} s (exit {finished.returncode})", flush=True)


def cell(entry: dict, kind: str) -> str:
    stats = entry[kind]
    if not stats.get("arrived"):
        return "—"
    missing = "" if stats["arrived"] == stats["expected"] else f" ({stats['arrived']}/{stats['expected']})"
    return f"{stats['p50']:.0f} / {stats['p99']:.0f}{missing}"


def table(reports: list[dict]) -> str:
    lines = ["| screens | processes | database | bare broadcast | bare 5 KB | " + " | ".join(CHANGES) +
             " | restart | KiB/screen | threads | load |",
             "|" + "---|" * (len(CHANGES) + 9)]
    for report in reports:
        changes = report["changes"]
        bare = changes.get("bare broadcast")
        row = [f"{report['screens']:,}", str(report["processes"]),
               report["database"] + (" + Redis" if report.get("redis") else ""),
               cell(bare, "state") if bare else "—",
               cell(changes[BARE_SIZED], "state") if BARE_SIZED in changes else "—"]
        row += [cell(changes[kind], "state") + (f" (event {changes[kind]['event'].get('p99', 0):.0f})"
                                                if kind in changes and changes[kind]["event"].get("p99") else "")
                if kind in changes else "—" for kind in CHANGES]
        row.append(cell(changes["restart"], "state") if "restart" in changes else "")
        memory = report.get("memory", {})
        row += [str(memory.get("kib_per_screen", "")),
                f"{memory.get('threads_before', '')}→{memory.get('threads_after', '')}", f"{report['load']:.1f}"]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines) + "\n\np50 / p99 in ms from the staff request (or the notice's end) until the screen " \
        "holds the new state; \"event\" is the p99 of the first message about the change (the pushed state " \
        "itself, or the urgent notice's event). Bare broadcasts: a small event, and one padded to a state's size.\n"


def plot(reports: list[dict], path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    def worst(report):
        return max(report["changes"][k]["state"].get("p99", 0) for k in CHANGES if k in report["changes"])

    figure, (by_screens, by_processes) = plt.subplots(1, 2, figsize=(11, 4.2))
    single = sorted((r for r in reports if r["processes"] == 1 and r["database"] == "sqlite"),
                    key=lambda r: r["screens"])
    screens = [r["screens"] for r in single]
    by_screens.plot(screens, [worst(r) for r in single], "o-", label="change to state, p99 (worst kind)")
    by_screens.plot(screens, [r["changes"]["bare broadcast"]["state"].get("p99", 0) for r in single], "s--",
                    label="bare broadcast, p99")
    by_screens.plot(screens, [2 * r["changes"]["bare broadcast"]["state"].get("p99", 0) for r in single], ":",
                    color="grey", label="twice the bare broadcast")
    by_screens.set(xscale="log", xlabel="screens (one process, SQLite)", ylabel="ms", title="Growth with screens")
    by_screens.axhline(1000, color="grey", linewidth=0.8)
    by_screens.legend()
    county = sorted((r for r in reports if r["database"] == "postgresql"), key=lambda r: r["processes"])
    processes = [r["processes"] for r in county]
    by_processes.plot(processes, [worst(r) for r in county], "o-", label="change to state, p99 (worst kind)")
    by_processes.plot(processes, [r["changes"]["bare broadcast"]["state"].get("p99", 0) for r in county], "s--",
                      label="bare broadcast (one process), p99")
    by_processes.set(xlabel="server processes (PostgreSQL + Redis)", ylabel="ms",
                     title=f"{county[0]['screens'] if county else ''} screens across processes")
    by_processes.axhline(2000, color="grey", linewidth=0.8)
    by_processes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=110)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432",
                        help="PostgreSQL server URL (scratch databases are made and dropped)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--async-mode", default="gevent", choices=("threading", "gevent"))
    parser.add_argument("--small", action="store_true", help="tiny sizes, to prove the matrix runs")
    parser.add_argument("--report-only", action="store_true", help="only redraw table and plot from the JSON")
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / ("matrix-small.jsonl" if args.small else "matrix.jsonl")
    if not args.report_only:
        out.unlink(missing_ok=True)
        print(f"load average before: {os.getloadavg()}", flush=True)
        with tempfile.TemporaryDirectory(prefix="kiosk-bench-template-") as template:
            for spec in runs(args.small):
                run_one(spec, args, Path(template), out)
    reports = [json.loads(line) for line in out.read_text().splitlines()]
    stem = "matrix-small" if args.small else "matrix"
    (RESULTS / f"{stem}.md").write_text(table(reports))
    plot(reports, RESULTS / f"{'scale-small' if args.small else 'scale'}.png")
    print((RESULTS / f"{stem}.md").read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
