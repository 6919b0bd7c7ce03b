"""The contained half of a video's check, run by `checks.py` as `python -m kiosk.video.worker '<job>'`
through `kiosk.privacy.sandbox.run_contained` (its own session, limits on memory and CPU time, nice
10; ffprobe and ffmpeg inherit them). It probes the upload and refuses what we do not take, makes
the public copy (re-muxed or converted, `media.py`) and its poster, and reads the copy as the
privacy gate reads a picture (`kiosk.privacy.files.read_picture`: OCR, QR codes and barcodes): a
frame every two seconds, and the poster. Its progress goes to `job["progress"]` as JSON, its answer
through `write_answer`."""
import json
import sys
from dataclasses import replace
from pathlib import Path

from kiosk.privacy.sandbox import limit_this_process, write_answer
from kiosk.video import media

# Shares of the whole check: probing, then the copy, then reading its frames.
PROBED, CONVERTED = 2, 50


class Progress:
    def __init__(self, path: str):
        self.path, self.last = Path(path), None

    def __call__(self, stage: str, percent: float) -> None:
        now = (stage, int(percent))
        if now != self.last:
            self.last = now
            self.path.with_suffix(".part").write_text(json.dumps({"stage": stage, "percent": int(percent)}))
            self.path.with_suffix(".part").replace(self.path)


def _timestamp(seconds: float) -> str:
    return f"{int(seconds) // 60}:{int(seconds) % 60:02d}"


def _check(job: dict) -> dict:
    from PIL import Image

    from kiosk.privacy.files import read_picture
    progress = Progress(job["progress"])
    source, public_copy, poster = Path(job["source"]), Path(job["public_copy"]), Path(job["poster"])
    progress("probe", 0)
    try:
        found = media.probe(source)
        media.judge(found, media.Limits(job["max_seconds"], job["max_kbps"], job["max_side"]))
    except media.Refused as refusal:
        return {"refused": refusal.reason, "detail": refusal.detail}
    progress("convert", PROBED)
    media.convert(source, public_copy, found,
                  lambda share: progress("convert", PROBED + share * (CONVERTED - PROBED)))
    made = media.probe(public_copy)
    media.poster(public_copy, poster, min(1.0, made.duration / 2))
    pieces = []
    with Image.open(poster) as picture:
        pieces += [replace(piece, where=f"poster {piece.where}".strip()).as_dict() for piece in read_picture(picture)]
    count = 0
    for seconds, frame in media.frames(public_copy, made.width, made.height):
        count += 1
        pieces += [replace(piece, where=piece.where.replace("image", f"frame {_timestamp(seconds)}", 1),
                           page=count).as_dict() for piece in read_picture(frame)]
        progress("read", CONVERTED + min(1.0, seconds / made.duration) * (100 - CONVERTED))
    return {"refused": "", "duration": made.duration, "width": made.width, "height": made.height,
            "bytes": public_copy.stat().st_size, "converted": not media.screen_safe(found), "frames": count,
            "pieces": pieces}


def main(job: dict) -> None:
    limit_this_process(job["memory_mb"], job["seconds"])
    try:
        answer = _check(job)
    except MemoryError:
        answer = {"failure": "memory"}
    except Exception as error:   # noqa: BLE001  a video we cannot convert or read is never published
        print(f"video check: {type(error).__name__}: {error}", file=sys.stderr)
        answer = {"failure": "memory" if "alloc" in str(error).lower() else "unreadable"}
    write_answer(job, answer)


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
