"""The cost of publishing derivatives and reading every page (issue 18): on a 20-page text PDF and a
20-page scan (kiosk/privacy/samples.py), pages per second of making the public copy, of reading
every page (text layer, drawing, OCR, barcodes), OCR per page, and how long a typical village
notice (a 3-page text PDF and two photographed ledgers) waits for its checks, each file in the
contained checker's own process as the scheduler runs it.

    .venv/bin/python bench/privacy_files.py                  # full: 20 + 20 pages (on a quiet machine)
    .venv/bin/python bench/privacy_files.py --pages 2        # a quick proof it runs

Needs no server or database: it calls kiosk.privacy.derivatives, kiosk.privacy.files and
kiosk.privacy.sandbox directly, which is all the `disclosures.checks` job does besides two row updates."""
import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.privacy import ocr  # noqa: E402
from kiosk.privacy.derivatives import make_derivative  # noqa: E402
from kiosk.privacy.files import read_file  # noqa: E402
from kiosk.privacy.samples import ledger_image, scanned, scanned_pdf, text_pdf  # noqa: E402
from kiosk.privacy.sandbox import Limits, check_file  # noqa: E402

TEXT_LINE = "2026-10-{day:02d} road repair materials, payee Li Jianguo, amount 3,860.00 yuan"
LIMITS = Limits(memory_mb=2048, seconds=600, pages=200)     # the defaults of kiosk/config.py


def _timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def _text_document(path: Path, pages: int) -> Path:
    lines = "\n".join(TEXT_LINE.format(day=line % 28 + 1) for line in range(45))
    return text_pdf(path, [lines] * pages, title="Village accounts")


def measure_document(name: str, path: Path, pages: int) -> None:
    _unused, copy_seconds = _timed(make_derivative, path, "application/pdf", path.with_suffix(".copy.pdf"))
    pieces, read_seconds = _timed(read_file, path.with_suffix(".copy.pdf"), "application/pdf")
    ocr_lines = sum(1 for piece in pieces if piece.source == "ocr")
    print(f"{name}, {pages} pages ({path.stat().st_size // 1024} KB): public copy {copy_seconds:.2f} s "
          f"({pages / copy_seconds:.1f} pages/s); read every page {read_seconds:.2f} s "
          f"({pages / read_seconds:.2f} pages/s, {read_seconds / pages:.2f} s a page, {ocr_lines} OCR lines)")


def typical_notice_wait(folder: Path) -> None:
    photo = folder / "ledger.jpg"
    scanned(ledger_image()).save(photo, "JPEG", quality=80)
    files = [(_text_document(folder / "notice.pdf", 3), "application/pdf"), (photo, "image/jpeg"),
             (photo, "image/jpeg")]
    waited = 0.0
    for index, (path, media_type) in enumerate(files):
        outcome, seconds = _timed(check_file, path, media_type, folder / f"copy-{index}{path.suffix}", LIMITS)
        assert not outcome.failure, outcome.failure
        waited += seconds
        print(f"  {path.name}: checked in its own process in {seconds:.2f} s")
    print(f"typical village notice (3-page text PDF, two ledger photos): waits {waited:.1f} s for its checks "
          f"(plus up to 5 s until the job's next run)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=20)
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())}; {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        _unused, load_seconds = _timed(ocr._load)
        print(f"OCR models loaded in {load_seconds:.2f} s (once per checking process)")
        measure_document("text PDF", _text_document(folder / "text.pdf", args.pages), args.pages)
        measure_document("scanned PDF", scanned_pdf(folder / "scan.pdf", args.pages), args.pages)
        typical_notice_wait(folder)
    print(f"load average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
