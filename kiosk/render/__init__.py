"""Rendering with Pillow: every slide as a picture for image-only boards and e-paper, print sheets
for paper noticeboards, thumbnails and previews for staff, tickets for thermal printers."""


def register(app):
    from kiosk.render import api  # noqa: F401  (renderNotice, renderScreenNow, renderPrintSheet, ...)
    from kiosk.render.rendering import install_caches

    install_caches(app)
