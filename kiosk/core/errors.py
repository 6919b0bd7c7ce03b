"""Errors the rules raise. Routes turn them into a 4xx with the message; never a 500."""


class KioskError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, message: str, code: str | None = None, details: dict | None = None,
                 headers: dict | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.details = details or {}
        self.headers = headers or {}


class InvalidInput(KioskError):
    status, code = 400, "invalid"


class Unauthorized(KioskError):
    status, code = 401, "unauthorized"


class Forbidden(KioskError):
    status, code = 403, "forbidden"


class NotFound(KioskError):
    status, code = 404, "not_found"


class Conflict(KioskError):
    status, code = 409, "conflict"


class TooLarge(KioskError):
    status, code = 413, "too_large"


class UnsupportedMedia(KioskError):
    status, code = 415, "unsupported_media"
