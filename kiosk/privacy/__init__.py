"""The privacy gate (条例 第十五条): no citizen's ID, bank card, mobile number or home address
reaches a public page, screen, image or print sheet, however it was typed, formatted or scanned.

    find_in_text(text, field)        -> [Finding]   one normaliser, then the detectors
    find_in_fields({"title": ...})   -> [Finding]
    find_on_page(fields, parts)      -> [Finding]   the sources, and what the surfaces show put together
    mask_page(fields, parts_of, ...) -> fields masked by the masking rule until the page shows nothing
    ensure_clean({"caption": ...})   raises Conflict(code="privacy") with the findings
    mask_text(text, markdown=False)  -> the text with each finding masked where it was typed
    files.scan_text / files.read_by_ocr: the texts of a PDF or an image, for find_in_pieces

`normalise.py` (characters → digit groups with their original spans), `detectors.py` (the
checks), `gate.py` (findings, the masking rule and masking), `page.py` (HTML to visible text,
surfaces read whole), `ocr.py` (RapidOCR), `files.py` (PDF and image texts),
`redact.py` (black boxes on an image), `views.py` (the editors' guide).
"""
from kiosk.privacy.detectors import KINDS, id_number_valid, luhn_valid, old_id_number_valid
from kiosk.privacy.gate import (Finding, ensure_clean, find_in_fields, find_in_pieces, find_in_text,
                                findings_conflict, mask_text)
from kiosk.privacy.page import Part, find_on_page, mask_page, visible_text

__all__ = ["KINDS", "Finding", "Part", "ensure_clean", "find_in_fields", "find_in_pieces", "find_in_text",
           "find_on_page", "findings_conflict", "id_number_valid", "luhn_valid", "mask_page", "mask_text",
           "old_id_number_valid", "visible_text"]


def register(app):
    from kiosk.privacy.views import privacy_bp
    app.register_blueprint(privacy_bp)
