"""`pip install .` must give a working server: the wheel carries the browser files, templates,
translations and migrations."""
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_carries_everything_the_server_needs(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                    str(tmp_path), str(ROOT)], check=True, capture_output=True)
    wheel = next(tmp_path.glob("kiosk-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "kiosk/templates/base.html" in names
    assert "kiosk/migrations/versions/0001_foundation.py" in names
    assert "kiosk/translations/zh/LC_MESSAGES/messages.mo" in names
    assert "kiosk/display/node_modules/socket.io-client/dist/socket.io.min.js" in names
    assert any(name.startswith("kiosk/display/") for name in names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "kiosk = kiosk.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
