"""Disclosures (政务公开 / 村务公开): categories, the notice lifecycle from draft to archive,
review, schedule, publicity periods, the privacy gate, attachments and timeliness.

The public pages (catalogue, notice page, comments) build on these models and on `feed.py`.
"""


def register(app):
    pass
