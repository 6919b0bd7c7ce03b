"""The privacy gate's cost: checking a 20-page text PDF and a 5-page scanned PDF, and the OCR
engines compared on the drawn ledger (clean and as a noisy scan).

    .venv/bin/python bench/privacy_gate.py                         # full: 20 text pages, 5 scanned pages, both engines
    .venv/bin/python bench/privacy_gate.py --text-pages 2 --scanned-pages 1 --no-compare   # a quick proof it runs

Needs no server or database: it calls the gate's functions directly (kiosk.privacy.files and
kiosk.privacy.gate), which is all an upload or the background check does besides one row update.
Tesseract is run through its command line (Debian `tesseract-ocr tesseract-ocr-chi-sim`) if present."""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.privacy import find_in_pieces  # noqa: E402
from kiosk.privacy import ocr  # noqa: E402
from kiosk.privacy.files import pdf_text_pieces, read_file  # noqa: E402
from kiosk.privacy.samples import LEDGER_CARD, LEDGER_ROWS, ledger_image, scanned, scanned_pdf, text_pdf  # noqa: E402

TEXT_LINE = "2026-10-{day:02d} road repair materials, payee Li Jianguo, amount 3,860.00 yuan, voucher No. {day:04d}"
# The numbers a ledger must not lose: each amount, each date, the card (what the gate looks for).
EXPECTED = [token for row in LEDGER_ROWS for token in (re.sub(r"\D", "", row[0]), re.sub(r"\D", "", row[2]))] + [
    LEDGER_CARD]


def _text_document(folder: Path, pages: int) -> Path:
    body = [TEXT_LINE.format(day=line % 28 + 1) for line in range(45)]
    contents = ["\n".join(body) for _page in range(pages)]
    contents[-1] += f"\nPayee card {LEDGER_CARD[:4]} {LEDGER_CARD[4:8]} {LEDGER_CARD[8:12]} {LEDGER_CARD[12:]}"
    return text_pdf(folder / "text.pdf", contents, title="Village accounts")


def _timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def check_text_pdf(folder: Path, pages: int) -> None:
    path = _text_document(folder, pages)
    pieces, read_seconds = _timed(pdf_text_pieces, path)
    findings, find_seconds = _timed(find_in_pieces, [p.as_dict() for p in pieces], "attachment:1")
    print(f"text PDF, {pages} pages ({path.stat().st_size // 1024} KB, "
          f"{sum(len(p.text) for p in pieces):,} characters): text layer {read_seconds:.2f} s, "
          f"detect {find_seconds:.2f} s, total {read_seconds + find_seconds:.2f} s; "
          f"{len(findings)} findings ({', '.join(sorted({f.kind for f in findings}))}) "
          f"(every page is OCR'd too since issue 18: bench/privacy_files.py)")


def check_scanned_pdf(folder: Path, pages: int) -> None:
    path = scanned_pdf(folder / "scanned.pdf", pages)
    _unused, load_seconds = _timed(ocr._load)
    pieces, ocr_seconds = _timed(read_file, path, "application/pdf")
    findings = find_in_pieces([p.as_dict() for p in pieces], "attachment:1")
    cards = sum(1 for finding in findings if finding.kind == "bank_card" and finding.page)
    print(f"scanned PDF, {pages} pages ({path.stat().st_size // 1024} KB): models loaded once in {load_seconds:.2f} s; "
          f"read whole {ocr_seconds:.2f} s = {ocr_seconds / pages:.2f} s per page; "
          f"card found on {cards} of {pages} pages")


def _digits_found(text: str) -> int:
    digits = re.sub(r"[^0-9]", "", text)
    return sum(1 for token in EXPECTED if token in digits)


def _rapidocr(image) -> str:
    return "\n".join(line.text for line in ocr.read_lines(image))


def _tesseract(image, folder: Path) -> str:
    path = folder / "page.png"
    image.save(path)
    return subprocess.run(["tesseract", str(path), "-", "-l", "chi_sim", "--psm", "3"], capture_output=True,
                          text=True, check=True).stdout


def _installed_size() -> dict:
    import importlib.util
    sizes = {}
    packages = ("rapidocr_onnxruntime", "onnxruntime", "cv2", "numpy", "shapely", "pyclipper")
    total = 0
    for name in packages:
        spec = importlib.util.find_spec(name)
        if spec and spec.submodule_search_locations:
            folder = Path(list(spec.submodule_search_locations)[0])
            total += sum(f.stat().st_size for f in folder.parent.glob(f"{folder.name}*/**/*") if f.is_file())
            total += sum(f.stat().st_size for f in folder.parent.glob(f"{folder.name.replace('_', '')}*.libs/*"))
    sizes["RapidOCR (pip: rapidocr-onnxruntime, onnxruntime, opencv-python, numpy ...)"] = total
    dpkg = subprocess.run(["dpkg-query", "-W", "-f", "${Installed-Size}\n", "tesseract-ocr", "tesseract-ocr-chi-sim",
                           "libtesseract5", "liblept5", "tesseract-ocr-eng", "tesseract-ocr-osd"],
                          capture_output=True, text=True)
    sizes["Tesseract (apt: tesseract-ocr, -chi-sim, -eng, -osd, libtesseract5, liblept5)"] = \
        sum(int(v) for v in dpkg.stdout.split() if v.isdigit()) * 1024
    return sizes


def compare_engines(folder: Path) -> None:
    pages = {"drawn ledger table": ledger_image(), "noisy photo-like scan": scanned(ledger_image())}
    engines = {"RapidOCR": _rapidocr}
    if shutil.which("tesseract"):
        engines["Tesseract chi_sim"] = lambda image: _tesseract(image, folder)
    ocr._load()
    print(f"\nOCR engines: {len(EXPECTED)} numbers expected per page (dates, amounts, the card)")
    for engine, read in engines.items():
        for name, image in pages.items():
            text, seconds = _timed(read, image)
            print(f"  {engine:18} {name:22} {_digits_found(text)}/{len(EXPECTED)} numbers, card "
                  f"{'found' if LEDGER_CARD in re.sub(r'[^0-9]', '', text) else 'MISSED'}, {seconds:.2f} s")
    for what, size in _installed_size().items():
        print(f"  installed: {what}: {size / 1e6:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--text-pages", type=int, default=20)
    parser.add_argument("--scanned-pages", type=int, default=5)
    parser.add_argument("--no-compare", action="store_true", help="skip the OCR engine comparison")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())}; {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        check_text_pdf(folder, args.text_pages)
        check_scanned_pdf(folder, args.scanned_pages)
        if not args.no_compare:
            compare_engines(folder)
    print(f"load average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
