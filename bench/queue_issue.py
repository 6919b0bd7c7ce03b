"""Tickets issued per second and issue latency with 50 concurrent clients, against a real
`kiosk serve` process, on SQLite and on PostgreSQL.

    .venv/bin/python bench/queue_issue.py                       # SQLite
    .venv/bin/python bench/queue_issue.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test

Every client holds a keep-alive session and a staff bearer token and issues tickets of the same
service as fast as it can, so all of them contend for the same daily counter. The run ends by
checking that the numbers are exactly 1..N.
"""
import argparse
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.queue.served import HALL, KioskServer  # noqa: E402


def fresh_postgres(base: str) -> tuple[str, callable]:
    name = f"kiosk_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return base.rsplit("/", 1)[0] + f"/{name}", drop


def run(server: KioskServer, clients: int, per_client: int) -> dict:
    server.always_open_service("Z", [31])
    headers = server.token("window1")
    url = f"{server.url}/api/v1/queue/halls/{HALL}/tickets"
    latencies, codes, failures = [], [], []
    start_line = threading.Barrier(clients + 1)

    def client():
        with requests.Session() as http:
            http.post(url, json={"service": "A"}, headers=headers)  # warm the connection (may be refused: closed)
            start_line.wait()
            for _ in range(per_client):
                began = time.perf_counter()
                response = http.post(url, json={"service": "Z"}, headers=headers)
                latencies.append(time.perf_counter() - began)
                if response.status_code == 201:
                    codes.append(response.json()["code"])
                else:
                    failures.append(response.status_code)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    start_line.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    numbers = sorted(int(code[1:]) for code in codes)
    ordered = sorted(latencies)
    return {
        "tickets": len(codes), "failures": len(failures), "seconds": round(elapsed, 2),
        "tickets_per_second": round(len(codes) / elapsed, 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p99_ms": round(ordered[max(0, int(len(ordered) * 0.99) - 1)] * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
        "numbers_exactly_1_to_n": numbers == list(range(1, len(codes) + 1)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", metavar="URL", help="run on a fresh database created on this server")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--per-client", type=int, default=20)
    parser.add_argument("--dev", action="store_true", help="serve with `kiosk serve --dev` (threads) to compare")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        drop = None
        database_url = None
        if args.postgres:
            database_url, drop = fresh_postgres(args.postgres)
        server = KioskServer(Path(folder), database_url, dev=args.dev)
        try:
            server.prepare()
            server.start()
            result = run(server, args.clients, args.per_client)
        finally:
            server.stop()
            if drop:
                drop()
    database = "PostgreSQL" if args.postgres else "SQLite"
    mode = "`kiosk serve --dev` (Werkzeug, threads)" if args.dev else "`kiosk serve` (gevent)"
    print(f"{database}, {args.clients} clients × {args.per_client} tickets against {mode}:")
    for key, value in result.items():
        print(f"  {key:<24} {value}")
    return 0 if result["numbers_exactly_1_to_n"] and not result["failures"] else 1


if __name__ == "__main__":
    sys.exit(main())
