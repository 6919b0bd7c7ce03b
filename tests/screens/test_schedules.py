"""`kiosk schedules apply/export`: rotations as files, round trip, and clear errors for bad files."""
import shutil
import tomllib

import pytest
import yaml
from click.testing import CliRunner

from kiosk.cli import main
from kiosk.paths import SCHEDULES_DIR


class Run:
    def __init__(self, result):
        self.returncode, self.stdout, self.stderr = result.exit_code, result.stdout, result.stderr


def kiosk(instance, *args):
    """The `kiosk` command, in this process (a subprocess per call would cost seconds each)."""
    return Run(CliRunner().invoke(main, list(args), env={"KIOSK_INSTANCE_PATH": str(instance),
                                                          "KIOSK_DATABASE_URL": None, "KIOSK_REDIS_URL": None}))


@pytest.fixture
def instance(demo_db, tmp_path):
    """A copy of the demo township's database, for the command line."""
    shutil.copy(demo_db, tmp_path / "kiosk.sqlite3")
    return tmp_path


def test_export_then_apply_round_trips(instance, tmp_path):
    exported = tmp_path / "exported"
    result = kiosk(instance, "schedules", "export", str(exported))
    assert result.returncode == 0, result.stderr
    written = tomllib.loads((exported / "jinjia.toml").read_text(encoding="utf-8"))
    source = tomllib.loads((SCHEDULES_DIR / "jinjia.toml").read_text(encoding="utf-8"))
    assert sorted(r["name"] for r in written["rotation"]) == sorted(r["name"] for r in source["rotation"])
    night = next(r for r in written["rotation"] if r["name"] == "村务公开栏 夜间")
    assert (night["time_from"], night["time_until"], night["priority"]) == ("22:00", "06:00", 10)

    # edit the file as a township would, apply it, and export again
    text = (exported / "jinjia.toml").read_text(encoding="utf-8").replace("priority = 10", "priority = 20")
    (exported / "jinjia.toml").write_text(text, encoding="utf-8")
    result = kiosk(instance, "schedules", "apply", str(exported))
    assert result.returncode == 0 and "0 created, 3 replaced" in result.stdout, result.stderr
    again = tmp_path / "again"
    assert kiosk(instance, "schedules", "export", str(again), "--format", "yaml").returncode == 0
    rotations = yaml.safe_load((again / "jinjia.yaml").read_text(encoding="utf-8"))["rotation"]
    assert next(r for r in rotations if r["name"] == "村务公开栏 夜间")["priority"] == 20
    # and the YAML form applies as well
    result = kiosk(instance, "schedules", "apply", str(again))
    assert result.returncode == 0 and "3 replaced" in result.stdout, result.stderr


@pytest.mark.parametrize("content, message", [
    ("[[rotation]\nname = ", "bad.toml: cannot be read"),
    ('[[rotation]]\nname = "x"\nunit = "jinjia"\ngroup = "villages"\n[[rotation.slide]]\nkind = "clock"\nduration = 1\n',
     "bad.toml: rotation 1: slides.0.duration"),
    ('[[rotation]]\nname = "x"\nunit = "jinjia"\ngroup = "nowhere"\n[[rotation.slide]]\nkind = "clock"\n',
     "bad.toml: rotation 1 (x)"),
    ('[[rotation]]\nname = "x"\nunit = "jinjia"\ngroup = "villages"\ntime_from = "22:00"\n[[rotation.slide]]\nkind = "clock"\n',
     "bad.toml: rotation 1 (x)"),
    ('[[rota]]\nname = "x"\n', "bad.toml: expected only [[rotation]] entries"),
])
def test_bad_files_are_refused_with_the_place_and_exit_2(instance, tmp_path, content, message):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "bad.toml").write_text(content, encoding="utf-8")
    result = kiosk(instance, "schedules", "apply", str(folder))
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_directory_is_an_error(instance, tmp_path):
    result = kiosk(instance, "schedules", "apply", str(tmp_path / "missing"))
    assert result.returncode == 2 and "no such directory" in result.stderr
