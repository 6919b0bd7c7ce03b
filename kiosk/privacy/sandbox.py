"""Each file is checked in a process of its own, with limits on memory, time and pages.

A hostile file (thousands of blank pages, a Flate bomb, a picture of a billion pixels) can only
exhaust that process: it fails the file's check with a reason a clerk understands, and the
process that asked (a server with the scheduler embedded, or `kiosk scheduler`) only waits, and
stops waiting when the attachment is removed. The child makes the public copy
(`derivatives.py`) and reads it (`files.py`); it writes its answer as JSON to a file.
`run_contained` is the same containment for other heavy work (a video's conversion, kiosk/video).

    outcome = check_file(source, media_type, public_copy, limits, cancelled=lambda: ...)
"""
import json
import logging
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)
POLL_SECONDS = 0.5


@dataclass(frozen=True)
class Limits:
    memory_mb: int     # address space of the checking process (RapidOCR alone takes about 1.4 GB)
    seconds: int       # wall-clock time for the whole file
    pages: int         # pages of a PDF, frames of an animation


@dataclass(frozen=True)
class Outcome:
    failure: str = ""               # "", "pages", "memory", "time", "unreadable" or "cancelled"
    pieces: list[dict] = field(default_factory=list)
    pages: int = 0                  # pages or frames read (or found, when there were too many)


class TooManyPages(Exception):
    def __init__(self, pages: int):
        super().__init__(f"{pages} pages")
        self.pages = pages


def check_file(source: Path, media_type: str, public_copy: Path, limits: Limits,
               cancelled: Callable[[], bool] = lambda: False) -> Outcome:
    """Make and read the public copy of `source` in a limited child process."""
    job = {"source": str(source), "media_type": media_type, "public_copy": str(public_copy),
           "memory_mb": limits.memory_mb, "seconds": limits.seconds, "pages": limits.pages}
    failure, answer = run_contained("kiosk.privacy.sandbox", job, limits.seconds, cancelled)
    outcome = Outcome(**answer) if answer is not None else Outcome(failure)
    if outcome.failure:
        public_copy.unlink(missing_ok=True)
    return outcome


def run_contained(module: str, job: dict, seconds: int,
                  cancelled: Callable[[], bool] = lambda: False) -> tuple[str, dict | None]:
    """Run `python -m module '<job as JSON>'` in a session of its own (so that whatever it starts,
    ffmpeg for a video, goes when it is killed) and wait for it, at most `seconds` of wall-clock
    time, calling `cancelled()` every POLL_SECONDS. The child calls `limit_this_process` first and
    writes its answer with `write_answer(job, ...)`. Returns ("", answer) or (failure, None) with
    failure "cancelled", "time" or "memory" (it ended without an answer: killed by the memory limit
    inside native code, or by the CPU limit)."""
    with tempfile.TemporaryDirectory(prefix="kiosk-check-") as folder:
        answer, errors = Path(folder) / "answer.json", Path(folder) / "stderr.txt"
        with open(errors, "wb") as stderr:
            child = subprocess.Popen([sys.executable, "-m", module, json.dumps({**job, "answer": str(answer)})],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr,
                                     env=_child_environment(), cwd=folder, start_new_session=True)
        failure = _wait(child, seconds, cancelled)
        if failure:
            return failure, None
        if answer.exists():
            return "", json.loads(answer.read_text())
        tail = errors.read_text(errors="replace")[-2000:]
        log.warning("%s ended without an answer (%s): %s", module, child.returncode, tail)
        return ("time" if "SIGXCPU" in tail or child.returncode == -24 else "memory"), None


def _wait(child: subprocess.Popen, seconds: int, cancelled: Callable[[], bool]) -> str:
    started = time.monotonic()
    while True:
        try:
            child.wait(POLL_SECONDS)
            return ""
        except subprocess.TimeoutExpired:
            pass
        if cancelled():
            failure = "cancelled"
        elif time.monotonic() - started > seconds:
            failure = "time"
        else:
            continue
        try:
            os.killpg(child.pid, signal.SIGKILL)    # the child and anything it started
        except ProcessLookupError:
            pass
        child.wait()
        return failure


def _child_environment() -> dict:
    environment = dict(os.environ)
    environment.pop("KIOSK_ASYNC_MODE", None)      # no gevent patching in the checker
    package_root = str(Path(__file__).resolve().parents[2])
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, environment.get("PYTHONPATH")]))
    environment["OMP_NUM_THREADS"] = "1"            # one core for one check; the other serves
    return environment


# -- the child ----------------------------------------------------------------------------------

def limit_this_process(memory_mb: int, seconds: int) -> None:
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))
    os.nice(10)     # screens and pages before checks


def _page_count(source: Path, media_type: str) -> int:
    if media_type == "application/pdf":
        from kiosk.files.pages import page_count
        return page_count(source)
    from PIL import Image
    with Image.open(source) as image:
        return getattr(image, "n_frames", 1)


def _check(job: dict) -> Outcome:
    from kiosk.privacy.derivatives import make_derivative
    from kiosk.privacy.files import read_file
    source, public_copy, media_type = Path(job["source"]), Path(job["public_copy"]), job["media_type"]
    pages = _page_count(source, media_type)
    if pages > job["pages"]:
        raise TooManyPages(pages)
    make_derivative(source, media_type, public_copy)
    return Outcome(pieces=[piece.as_dict() for piece in read_file(public_copy, media_type)], pages=pages)


def main(job: dict) -> None:
    limit_this_process(job["memory_mb"], job["seconds"])
    try:
        outcome = _check(job)
    except TooManyPages as error:
        outcome = Outcome("pages", pages=error.pages)
    except MemoryError:
        outcome = Outcome("memory")
    except Exception as error:    # noqa: BLE001  a file we cannot read is never published
        print(f"privacy check: {type(error).__name__}: {error}", file=sys.stderr)
        outcome = Outcome("memory" if "alloc" in str(error).lower() else "unreadable")
    write_answer(job, outcome.__dict__)


def write_answer(job: dict, answer: dict) -> None:
    """The child's answer, whole or not at all (a child killed mid-write leaves no answer)."""
    path = Path(job["answer"])
    path.with_suffix(".part").write_text(json.dumps(answer, ensure_ascii=False))
    path.with_suffix(".part").replace(path)


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
