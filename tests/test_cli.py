"""The `kiosk` command: one-line errors with exit code 2."""
import shutil
import subprocess

import pytest

from tests.kiosk_command import KIOSK, kiosk_env


def run(args, instance, stdin="", timeout=60, **env):
    return subprocess.run(KIOSK + args, input=stdin, env=kiosk_env(instance, **env), capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory):
    instance = tmp_path_factory.mktemp("cli-demo")
    assert run(["db", "upgrade"], instance).returncode == 0
    result = run(["demo"], instance, timeout=300)    # the whole township: about 35 s of CPU
    assert result.returncode == 0, result.stderr
    assert "demo township 金家镇 ready" in result.stdout and "jinjia-demo" in result.stdout
    return instance


@pytest.fixture
def demo_instance(demo_template, tmp_path):
    shutil.copytree(demo_template, tmp_path, dirs_exist_ok=True)
    return tmp_path


@pytest.mark.parametrize("args", [
    ["nonsense"],
    ["serve", "--port", "notaport"],
    ["serve", "--port", "70000"],
    ["user", "add", "someone", "--role", "emperor", "--password-stdin"],
    ["user", "add", "someone", "--role", "editor"],
    ["db", "sideways"],
])
def test_bad_arguments_exit_2_with_one_line(tmp_path, args):
    result = run(args, tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kiosk: error:"), result.stderr
    assert "Traceback" not in result.stderr


def test_user_add_reads_the_password_from_stdin(demo_instance):
    result = run(["user", "add", "zhao", "--role", "editor", "--role", "reviewer", "--unit", "zhang",
                  "--password-stdin"], demo_instance, stdin="A-good-password\n")
    assert result.returncode == 0, result.stderr
    assert "zhao" in result.stdout and "张村" in result.stdout


@pytest.mark.parametrize("args, stdin, reason", [
    (["user", "add", "zhao2", "--role", "editor", "--unit", "atlantis", "--password-stdin"], "A-good-password\n", "atlantis"),
    (["user", "add", "editor", "--role", "editor", "--password-stdin"], "A-good-password\n", "editor"),
    (["user", "add", "zhao3", "--role", "editor", "--password-stdin"], "short\n", "10"),
])
def test_user_add_rule_errors_exit_2(demo_instance, args, stdin, reason):
    result = run(args, demo_instance, stdin=stdin)
    assert result.returncode == 2
    assert reason in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_demo_is_idempotent(demo_instance):
    again = run(["demo"], demo_instance)
    assert again.returncode == 0, again.stderr


def test_demo_never_touches_a_real_database(tmp_path, migrated_db):
    # A real deployment: a township created by hand, no demo marker.
    shutil.copy(migrated_db, tmp_path / "kiosk.sqlite3")
    from tests.conftest import build_app
    app = build_app(tmp_path)
    with app.app_context():
        from kiosk.extensions import db
        from kiosk.org.models import UnitKind
        from kiosk.org.operations import create_unit
        create_unit(UnitKind.township, "真实镇", "zhenshi")
        db.session.commit()
        db.engine.dispose()
    refused = run(["demo"], tmp_path)
    assert refused.returncode == 2 and "real data" in refused.stderr
    skipped = run(["demo", "--if-empty"], tmp_path)
    assert skipped.returncode == 0 and "not loaded" in skipped.stdout
