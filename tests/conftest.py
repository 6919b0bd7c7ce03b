"""Fixtures shared by the whole suite: a fresh app per test (on a copy of a migrated SQLite
database), logged-in clients, the services CI provides, a live server and a real Chromium.

Time: no test reads the machine's clock. Every test starts at PINNED_NOW, Monday 23 November 2026
09:00 in Shanghai (a working day, inside the demo hall's opening hours), and the app's clock runs on
from there (`kiosk.core.clock.start_at`); the `pinned_today` fixture is that day. The demo township is
loaded at DEMO_LOADED_AT, a few minutes before, whatever the real date. A test that needs another
instant pins it with `clock.set_now(...)` (frozen) or `clock.start_at(...)` (running) before it
makes data. In Chromium every new context's Date starts where the app's clock is when the context
is made (PinnedBrowser); move it further with `page.clock`. A `kiosk` command or server a test
starts in a subprocess gets its environment from `tests/kiosk_command.kiosk_env`, whose
KIOSK_CLOCK_START runs it on from the test's clock. `.ci/run` also runs the suite with the
machine's clock moved by libfaketime (README, "Tests and time").
"""
import os
import re
import shutil
import socket
import tempfile
import threading
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from unittest.mock import patch
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, select, text
from werkzeug.serving import make_server

from kiosk import create_app
from kiosk.core import clock
from kiosk.demo.township import DEMO_PASSWORD
from kiosk.extensions import db
import tests.kiosk_command  # noqa: F401  (sets the suite's audit key before any app is built)

# One data key for the whole suite (kiosk/core/crypto.py): the databases are copied between instances.
os.environ.setdefault("KIOSK_DATA_KEY", "dGVzdC1rZXktb2YtdGhlLWtpb3NrLXN1aXRlLTMyYmI=")
PINNED_NOW = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
DEMO_LOADED_AT = PINNED_NOW - timedelta(minutes=5)
REQUIRE_SERVICES = os.environ.get("KIOSK_TEST_REQUIRE_SERVICES") == "1"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]


def service_url(variable: str, what: str) -> str:
    """The URL of a service the environment provides; skip without it, but fail in CI."""
    url = os.environ.get(variable)
    if not url:
        if REQUIRE_SERVICES:
            pytest.fail(f"{variable} is not set, and CI must run the {what} tests")
        pytest.skip(f"{what} tests need {variable}")
    return url


def _checkpoint(app):
    with app.app_context():
        with db.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.engine.dispose()


def build_app(instance: Path, database_url: str | None = None, **overrides):
    instance.mkdir(parents=True, exist_ok=True)
    os.environ["KIOSK_INSTANCE_PATH"] = str(instance)
    # Staff sessions outlive the clock jumps of tests about other things (a notice's whole week);
    # tests/accounts/test_sessions.py holds the real limits.
    config = {"TESTING": True, "KIOSK_PUBLIC_URL": "http://kiosk.test",
              "SQLALCHEMY_DATABASE_URI": database_url or f"sqlite:///{instance / 'kiosk.sqlite3'}",
              "KIOSK_SESSION_IDLE_MINUTES": 60 * 24 * 366, "KIOSK_SESSION_MAX_HOURS": 24 * 366}
    config.update(overrides)
    return create_app(config)


@pytest.fixture(scope="session")
def migrated_db(tmp_path_factory) -> Path:
    """A SQLite file at the latest schema, copied for each test."""
    from kiosk.core.migrate import upgrade
    instance = tmp_path_factory.mktemp("migrated")
    app = build_app(instance)
    with app.app_context():
        upgrade()
    _checkpoint(app)
    return instance / "kiosk.sqlite3"


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory, migrated_db) -> Path:
    """A SQLite file holding the demo township, copied for each test."""
    from kiosk.demo import load_demo
    instance = tmp_path_factory.mktemp("demo")
    shutil.copy(migrated_db, instance / "kiosk.sqlite3")
    app = build_app(instance)
    clock.start_at(DEMO_LOADED_AT)
    try:
        with app.app_context():
            load_demo()
    finally:
        clock.reset()
    _checkpoint(app)
    return instance / "kiosk.sqlite3"


@pytest.fixture(autouse=True)
def _pinned_clock():
    """Every test starts at PINNED_NOW, before it makes any data."""
    clock.start_at(PINNED_NOW)
    yield
    clock.reset()


@pytest.fixture
def pinned_today() -> date:
    """The local day every test starts on."""
    return PINNED_NOW.date()


@pytest.fixture
def make_app(tmp_path, monkeypatch):
    """make_app(source_db=None, **config) → a fresh app on a copy of `source_db`."""
    monkeypatch.delenv("KIOSK_REDIS_URL", raising=False)
    monkeypatch.delenv("KIOSK_DATABASE_URL", raising=False)

    def make(source_db: Path | None = None, **overrides):
        instance = tmp_path / f"instance-{uuid.uuid4().hex[:6]}"
        instance.mkdir()
        if source_db is not None:
            shutil.copy(source_db, instance / "kiosk.sqlite3")
        return build_app(instance, **overrides)
    return make


@pytest.fixture
def app(make_app, migrated_db):
    """An app on an empty database at the latest schema."""
    return make_app(migrated_db)


@pytest.fixture
def demo_app(make_app, demo_db):
    """An app on the demo township."""
    return make_app(demo_db)


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf-token" content="([^"]+)"', html) or re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, "page carries no CSRF token"
    return match.group(1)


class StaffClient:
    """A test client logged in through the real login form."""

    def __init__(self, flask_client, username: str, password: str = DEMO_PASSWORD):
        self.http = flask_client
        page = self.http.get("/staff/login")
        response = self.http.post("/staff/login", data={
            "username": username, "password": password, "csrf_token": csrf_from(page.get_data(as_text=True))})
        assert response.status_code == 302, f"login as {username} failed: {response.status_code}"
        self.csrf = csrf_from(self.http.get("/staff/").get_data(as_text=True))

    def get(self, url, **kwargs):
        return self.http.get(url, **kwargs)

    def post_form(self, url, data=None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf)
        return self.http.post(url, data=data, **kwargs)

    def api(self, method: str, url: str, json=None, **kwargs):
        headers = {"X-CSRFToken": self.csrf, **kwargs.pop("headers", {})}
        return self.http.open(url, method=method.upper(), json=json, headers=headers, **kwargs)


@pytest.fixture
def staff(demo_app):
    """staff("editor") → a client logged in as that demo account."""
    return lambda username, password=DEMO_PASSWORD: StaffClient(demo_app.test_client(), username, password)


@pytest.fixture
def token_for(demo_app):
    """token_for("editor") → Authorization headers with a fresh bearer token."""
    def issue(username: str, password: str = DEMO_PASSWORD) -> dict:
        response = demo_app.test_client().post("/api/v1/tokens", json={"username": username, "password": password})
        assert response.status_code == 201, response.get_json()
        return {"Authorization": f"Bearer {response.get_json()['token']}"}
    return issue


def registered_screen(app, kind: str = "touch_kiosk", unit_code: str = "jinjia-hall") -> str:
    """The device token of a new screen of `kind` registered by the demo's administrator at `unit_code`."""
    from kiosk.accounts.models import User
    from kiosk.org.models import Unit
    from kiosk.screens.models import ScreenKind
    from kiosk.screens.operations import create_screen

    with app.app_context():
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        unit = db.session.scalar(select(Unit).where(Unit.code == unit_code))
        _screen, token = create_screen(admin, unit, ScreenKind(kind), f"测试{kind}", [])
        db.session.commit()
    return token


def demo_on_postgres(make_app, url: str, demo_db: Path):
    """An app on a PostgreSQL database migrated to the latest schema and holding the demo township:
    the empty database at `url` (from `postgres_url`) made again as a copy of this process's demo
    template (CREATE DATABASE ... TEMPLATE), the demo's instance folder (uploads) copied into the app's."""
    server_url = service_url("KIOSK_TEST_POSTGRES_URL", "PostgreSQL")
    template = _postgres_demo_template(server_url, demo_db)
    name = url.rsplit("/", 1)[1]
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    admin.dispose()
    app = make_app(SQLALCHEMY_DATABASE_URI=url)
    shutil.copytree(demo_db.parent, app.instance_path, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("kiosk.sqlite3*"))
    return app


_postgres_demo_templates: dict[str, str] = {}


def _postgres_demo_template(server_url: str, demo_db: Path) -> str:
    """The name of a PostgreSQL database holding the SQLite demo (`demo_db`), moved there once per test
    process as `kiosk db import-sqlite` moves a township, for `demo_on_postgres` to copy. Loading the
    demo again would run its attachments' privacy checks a second time. Tests of the migrations and
    of loading the demo on PostgreSQL still load it themselves (tests/disclosures/test_postgres.py,
    tests/public/test_postgres.py)."""
    if server_url not in _postgres_demo_templates:
        from kiosk.core.transfer import restore
        name = f"kiosk_demo_{uuid.uuid4().hex[:10]}"
        admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        url = server_url.rsplit("/", 1)[0] + f"/{name}"
        saved_instance = os.environ.get("KIOSK_INSTANCE_PATH")
        try:
            with tempfile.TemporaryDirectory(prefix="kiosk-postgres-demo-") as instance:
                app = build_app(Path(instance), url)
                with app.app_context():
                    restore(url, demo_db, replace=False)
                    db.session.remove()
                    db.engine.dispose()     # a template database takes copies only while nobody is connected
        except BaseException:
            admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
            raise
        finally:
            if saved_instance is None:
                os.environ.pop("KIOSK_INSTANCE_PATH", None)
            else:
                os.environ["KIOSK_INSTANCE_PATH"] = saved_instance
        _postgres_demo_templates[server_url] = name
    return _postgres_demo_templates[server_url]


@pytest.fixture(scope="session", autouse=True)
def _drop_postgres_demo_templates():
    yield
    for server_url, name in _postgres_demo_templates.items():
        admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def postgres_url():
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    base = service_url("KIOSK_TEST_POSTGRES_URL", "PostgreSQL")
    name = f"kiosk_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.rsplit("/", 1)[0] + f"/{name}"
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def redis_url():
    return service_url("KIOSK_TEST_REDIS_URL", "Redis")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server = make_server("127.0.0.1", self.port, app, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._thread.join(timeout=5)


@pytest.fixture
def live_server():
    """live_server(app) → a running threaded server (with WebSockets) for a real browser, in the
    test's own process so it shares the test's app, database and pinned clock. gevent would have to
    patch this whole process, Playwright's driver threads included, so the default server is tested
    in real `kiosk serve` processes instead (tests/test_serving.py, tests/queue/served.py, tests/deploy)."""
    servers = []

    def start(app):
        server = LiveServer(app).start()
        servers.append(server)
        return server
    yield start
    for server in servers:
        server.stop()


def real_clock_environment(environment=None) -> dict:
    """An environment (os.environ by default) without libfaketime's variables."""
    return {k: v for k, v in (environment or os.environ).items() if k != "LD_PRELOAD" and not k.startswith("FAKETIME")}


@pytest.fixture(scope="session")
def browser():
    executable = os.environ.get("KIOSK_TEST_BROWSER") or "/usr/bin/chromium"
    if not Path(executable).exists():
        if REQUIRE_SERVICES:
            pytest.fail(f"no Chromium at {executable}; CI must run the browser tests")
        pytest.skip("browser tests need Debian's chromium at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright
    # Chromium runs on the machine's real clock even when libfaketime moves it for the suite (it
    # hangs on exit under libfaketime), and so must Playwright's driver: it stamps each page.clock
    # call with its own Date.now() and Chromium replays those stamps against its clock on every new
    # page, so a faked driver would throw the pages' Date hours off. The pages see the app's clock
    # through PinnedBrowser.
    real_clock = real_clock_environment()
    with patch.dict(os.environ, real_clock, clear=True):
        playwright = sync_playwright().start()  # the driver process takes its environment from os.environ
    try:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS, env=real_clock)
        yield PinnedBrowser(chromium)
        chromium.close()
    finally:
        playwright.stop()


class PinnedBrowser:
    """The session's Chromium, whose new contexts and pages start their Date where the app's clock
    is at that moment (PINNED_NOW unless the test moved it), then run on in real time. A test moves
    it further with `page.clock` / `context.clock`."""

    def __init__(self, chromium):
        self._chromium = chromium

    def new_context(self, **options):
        context = self._chromium.new_context(**options)
        context.clock.install(time=clock.now())
        return context

    def new_page(self, **options):
        return self.new_context(**options).new_page()

    def __getattr__(self, name):
        return getattr(self._chromium, name)


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    tab = context.new_page()
    yield tab
    context.close()
