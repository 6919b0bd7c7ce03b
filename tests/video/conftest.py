"""Test videos made once per session with ffmpeg's lavfi sources: tiny and fast."""
import io
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REQUIRE_SERVICES

PHONE = "13812345678"


def ffmpeg(*arguments) -> None:
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", *map(str, arguments)], check=True, timeout=120)


def phone_frame(path: Path) -> Path:
    """A frame with a mobile number on it, drawn with Pillow (as a clerk's slide would show it)."""
    from PIL import Image, ImageDraw

    from kiosk.privacy.samples import _font
    picture = Image.new("RGB", (640, 360), "white")
    ImageDraw.Draw(picture).text((30, 140), f"联系电话 {PHONE}", font=_font(48), fill="black")
    picture.save(path)
    return path


@pytest.fixture(scope="session")
def videos(tmp_path_factory) -> dict[str, Path]:
    """name → file: `mp4` (H.264/AAC, already screen-safe, 3 s), `webm` (VP9/Opus, 2 s: converted),
    `mpeg4` (MPEG-4 Part 2 in MP4: refused), `phone` (2 s showing a mobile number), `fake` (an MP4
    header and garbage), `long` (6 s, over a limit of 5 s set by the test)."""
    if shutil.which("ffmpeg") is None:
        if REQUIRE_SERVICES:
            pytest.fail("no ffmpeg; CI must run the video tests (.ci/run installs Debian's ffmpeg)")
        pytest.skip("the video tests need Debian's ffmpeg")
    folder = tmp_path_factory.mktemp("videos")
    tone = ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"]
    made = {name: folder / f"{name}.{'webm' if name == 'webm' else 'mp4'}"
            for name in ("mp4", "webm", "mpeg4", "phone", "long")}
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", *tone, "-t", 3, "-c:v", "libx264", "-profile:v",
           "high", "-pix_fmt", "yuv420p", "-preset", "ultrafast", "-c:a", "aac", "-shortest", made["mp4"])
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=15", *tone, "-t", 2, "-c:v", "libvpx-vp9",
           "-deadline", "realtime", "-cpu-used", "8", "-b:v", "200k", "-c:a", "libopus", "-shortest", made["webm"])
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=15", "-t", 1, "-c:v", "mpeg4", made["mpeg4"])
    ffmpeg("-loop", 1, "-i", phone_frame(folder / "phone.png"), "-t", 2, "-r", 5, "-c:v", "libx264",
           "-pix_fmt", "yuv420p", "-preset", "ultrafast", made["phone"])
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=64x48:rate=5", "-t", 6, "-c:v", "libx264", "-pix_fmt", "yuv420p",
           "-preset", "ultrafast", made["long"])
    made["fake"] = folder / "fake.mp4"
    made["fake"].write_bytes(b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00" + b"not a video at all" * 100)
    return made


def upload(client, path: Path, unit: str = "jinjia", name: str = ""):
    return client.http.post("/api/v1/videos", headers={"X-CSRFToken": client.csrf}, data={
        "unit": unit, "name": name, "video": (io.BytesIO(path.read_bytes()), path.name)})


def check_waiting(app) -> int:
    """What the scheduler's `video.checks` job does, now."""
    from kiosk.video.checks import run_pending_checks
    with app.app_context():
        return run_pending_checks()
