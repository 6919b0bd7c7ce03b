"""What the public pages weigh on the wire and how long the server takes to build them, with a
township's worth of notices showing (default 300) on a fresh demo database (SQLite).

    .venv/bin/python bench/public_pages.py [--notices 300] [--runs 30]
"""
import argparse
import gzip
import os
import statistics
import tempfile
import time
from datetime import date

from sqlalchemy import select


def build(notices: int):
    os.environ["KIOSK_INSTANCE_PATH"] = tempfile.mkdtemp(prefix="bench-public-")
    from kiosk import create_app
    from kiosk.accounts.models import User
    from kiosk.core.migrate import upgrade
    from kiosk.demo import load_demo
    from kiosk.disclosures import operations as ops
    from kiosk.extensions import db

    app = create_app({"KIOSK_COMMENT_LIMIT": "1000 per hour"})
    with app.app_context():
        upgrade()
        load_demo()
        editor, reviewer = (db.session.scalar(select(User).where(User.username == name))
                            for name in ("editor", "reviewer"))
        villages = ["lizhuang", "wangjia", "zhang", "jinshan", "donghu"]
        slug = None
        for number in range(notices):
            notice = ops.create_notice(editor, {
                "category": ("dibao", "village_finances", "budgets", "agri_policy")[number % 4],
                "title": f"金家镇第{number}号公开事项：{villages[number % 5]}村低保与财务情况", "summary": "本期公开内容摘要" * 3,
                "body": "经村民代表会议评议，现予公示。\n\n| 户主 | 人口 |\n|---|---|\n| 张** | 3 |\n\n" * 8,
                "formed_on": date(2026, 11, 2), "audience": "villages", "villages": [villages[number % 5]]})
            ops.submit_notice(editor, notice)
            ops.approve_notice(reviewer, notice)
            slug = notice.slug
        db.session.commit()
    return app, slug


def measure(client, url: str, runs: int) -> tuple[int, int, float]:
    raw = client.get(url).get_data()
    packed = client.get(url, headers={"Accept-Encoding": "gzip"}).get_data()
    assert gzip.decompress(packed) == raw
    timings = []
    for _run in range(runs):
        started = time.perf_counter()
        assert client.get(url, headers={"Accept-Encoding": "gzip"}).status_code == 200
        timings.append((time.perf_counter() - started) * 1000)
    return len(raw), len(packed), statistics.median(timings)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--notices", type=int, default=300)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    app, slug = build(args.notices)
    client = app.test_client()
    pages = {"catalogue, page 1": "/", "catalogue, page 10": "/?page=10", "search 低保": "/?q=低保",
             "search pinyin dibao": "/?q=dibao", "filter village + category": "/?village=lizhuang&category=dibao",
             "notice page (with form)": f"/n/{slug}", "guide": "/guide"}
    print(f"{args.notices} extra notices showing; median of {args.runs} requests, in process")
    print(f"{'page':<28} {'bytes':>7} {'gzip':>6} {'ms p50':>7}")
    for name, url in pages.items():
        raw, packed, median = measure(client, url, args.runs)
        print(f"{name:<28} {raw:>7} {packed:>6} {median:>7.1f}")


if __name__ == "__main__":
    main()
