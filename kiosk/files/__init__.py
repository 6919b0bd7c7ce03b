"""Uploaded files: checked by their content (never their name), stored under random names in
KIOSK_UPLOAD_PATH, and removed again if the transaction that stored them rolls back.

    checked = check_upload(stream, filename, kinds=IMAGES, max_bytes=...)  # raises TooLarge / UnsupportedMedia
    stored_name = store(checked, area="notices")                          # inside the DB transaction
    path = stored_path(stored_name, area="notices")                       # for send_file
"""
from kiosk.files.storage import delete_stored, discard_on_commit, fresh_path, store, stored_path
from kiosk.files.validation import IMAGE_OR_PDF, IMAGES, CheckedFile, check_upload

__all__ = ["CheckedFile", "IMAGES", "IMAGE_OR_PDF", "check_upload", "delete_stored", "discard_on_commit", "fresh_path", "store", "stored_path"]
