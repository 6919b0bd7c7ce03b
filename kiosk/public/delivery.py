"""How public pages travel over a weak 4G link: compressed, revalidated with an ETag instead of
downloaded again, cacheable when they hold no form, and with a strict Content-Security-Policy
(the public pages run no script at all)."""
import gzip

from flask import g, request

# No script, no frames, no plugins; styles are inline in each page (one request per page).
CONTENT_SECURITY_POLICY = ("default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; form-action 'self'; "
                           "base-uri 'none'; frame-ancestors 'self'")
PUBLIC_MAX_AGE = 60
MIN_GZIP_BYTES = 600


def keep_private() -> None:
    """The page carries a form (a CSRF token tied to the visitor's session): no shared caching."""
    g.public_page_private = True


def prepare(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    if response.mimetype != "text/html" or response.status_code != 200 or response.direct_passthrough:
        return response
    response.vary.update(("Cookie", "Accept-Encoding"))
    if g.get("public_page_private"):
        response.headers["Cache-Control"] = "private, no-cache"
    else:
        response.headers["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
        response.add_etag(weak=True)
        response.make_conditional(request)
        if response.status_code == 304:
            return response
    body = response.get_data()
    if len(body) >= MIN_GZIP_BYTES and "gzip" in request.accept_encodings:
        response.set_data(gzip.compress(body, compresslevel=6))
        response.headers["Content-Encoding"] = "gzip"
    return response
