"""The public pages (no login, phone-first): the catalogue, a notice and its versions, the
comment form, the disclosure guide and the complaint and supervision page."""
import io
from pathlib import PurePosixPath

from flask import Blueprint, current_app, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded

from kiosk.core.errors import InvalidInput, KioskError, NotFound
from kiosk import privacy
from kiosk.consultation.operations import outcome_label, public_handling
from kiosk.disclosures.feed import comment_period, publicity
from kiosk.disclosures.operations import public_copy
from kiosk.disclosures.render import markdown_to_html
from kiosk.extensions import db, limiter
from kiosk.files import pages
from kiosk.public import delivery, notice_page, operations as ops, visits
from kiosk.public.catalogue import Filters, filtered_unit, search
from kiosk.public.forms import KIND_LABELS, CommentForm
from kiosk.public.models import CommentKind, PageKind, VisitedPage
from kiosk.qr import SCAN_MARKER, public_url

public_bp = Blueprint("public", __name__, template_folder="templates")
public_bp.after_request(visits.count_noted)   # runs after `prepare`: sees the answer as it leaves (a 304 too)
public_bp.after_request(delivery.prepare)
PAGE_WIDTH = 1000   # pixels of a PDF page drawn for phones: sharp on a phone, small to send

# One budget per address for the form and the API together; failed attempts do not count.
comment_limit = limiter.shared_limit(lambda: current_app.config["KIOSK_COMMENT_LIMIT"], scope="public-comment",
                                     deduct_when=lambda response: response.status_code in (201, 303))


@public_bp.context_processor
def page_links():
    def this_url(**changes) -> str:
        """This page's address with some query arguments changed (language, page number)."""
        view_args = request.view_args or {}
        if request.method == "GET":
            endpoint = request.endpoint
        else:   # a form's answer page: link to the notice it was sent from
            endpoint = "public.notice" if "slug" in view_args else "public.catalogue"
            view_args = {"slug": view_args["slug"]} if "slug" in view_args else {}
        args = {**request.args.to_dict(), **changes} if request.method == "GET" else changes
        args.pop(SCAN_MARKER, None)     # the next page was not reached by scanning
        return url_for(endpoint, **view_args, **args)
    return {"this_url": this_url}


@public_bp.app_template_filter("public_name")
def public_name(name: str) -> str:
    """How a commenter is named in public: the surname only."""
    name = (name or "").strip()
    return f"{name[0]}**" if name else _("Anonymous")


@public_bp.app_template_filter("masked")
def masked(text: str) -> str:
    """Personal data a visitor or staff wrote into a comment is masked before it is shown."""
    return privacy.mask_text(text or "")


@public_bp.app_template_filter("unbroken")
def unbroken(text: str) -> str:
    """A date that a narrow screen must not split at its hyphens (non-breaking hyphens)."""
    return text.replace("-", "\u2011")


def _page_number(text: str | None) -> int:
    return int(text) if text and text.isdigit() and len(text) < 6 else 1


@public_bp.get("/")
@public_bp.get("/catalogue")
def catalogue():
    args = request.args
    filters = Filters(category=args.get("category", "")[:40], unit=args.get("unit", "")[:40],
                      village=args.get("village", "")[:40], q=args.get("q", "").strip()[:100],
                      page=_page_number(args.get("page")))
    visits.note(VisitedPage.catalogue, visits.catalogue_unit(filtered_unit(filters)))
    return render_template("public/catalogue.html", result=search(filters), filters=filters)


def _township_of(notice):
    return notice.unit.township


def _render_notice(notice, form: CommentForm | None = None, status: int = 200, sent: bool = False):
    kinds = ops.open_kinds(notice)
    is_open = bool(kinds)
    if is_open:
        form = form or CommentForm(kind=(CommentKind.comment if CommentKind.comment in kinds else kinds[0]).value)
        form.kind.choices = [choice for choice in form.kind.choices if choice.value in {kind.value for kind in kinds}]
        delivery.keep_private()
    version = notice.published_version
    return render_template(
        "public/notice.html", notice=notice, version=version, body_html=markdown_to_html(version.body),
        attachments=notice.public_attachments, publicity=publicity(notice),
        page_counts={a.id: pages.page_count(public_copy(a))
                     for a in notice.public_attachments if not a.is_image},
        cannot_show_pdf="MicroMessenger" in request.user_agent.string,
        history=notice_page.approved_versions(notice), draft=notice_page.superseded_draft(notice),
        final=notice_page.final_decision(notice), comments=ops.public_comments(notice),
        channels=ops.channels(_township_of(notice)), township=_township_of(notice), comments_open=is_open,
        form=form, sent=sent, kind_labels=KIND_LABELS, public_link=public_url(f"n/{notice.slug}"),
        comment_period=comment_period(notice), handling=public_handling(notice), outcome_label=outcome_label), status


@public_bp.get("/n/<slug>")
def notice(slug):
    shown = ops.public_notice(slug)
    visits.note(VisitedPage.notice, shown.unit_id)
    return _render_notice(shown, sent=request.args.get("sent") == "1")


@public_bp.post("/n/<slug>/comments")
@comment_limit
def comment(slug):
    notice = ops.public_notice(slug)
    form = CommentForm()
    form.validate_on_submit()           # checks the CSRF token; the rules themselves are in the operation
    if form.csrf_token.errors:
        form.message.errors = list(form.message.errors) + [_("The form expired. Please send it again.")]
        return _render_notice(notice, form, 400)
    kind = CommentKind(form.kind.data) if form.kind.data in {k.value for k in CommentKind} else CommentKind.comment
    try:
        ops.create_comment(notice, kind, form.message.data, form.name.data, form.phone.data)
    except InvalidInput as error:
        field = getattr(form, error.details.get("field", "message"), form.message)
        field.errors = list(field.errors) + [error.message]
        return _render_notice(notice, form, 400)
    db.session.commit()
    return redirect(url_for("public.notice", slug=slug, sent=1, _anchor="comments"), 303)


def _public_attachment(slug: str, attachment_id: int):
    notice = ops.public_notice(slug)
    item = next((a for a in notice.public_attachments if a.id == attachment_id), None)
    if item is None:
        raise NotFound(_("This notice has no such document."))
    return notice, item


@public_bp.get("/n/<slug>/f/<int:attachment_id>")
def attachment(slug, attachment_id):
    """A full document of the version shown, named after its uploaded name (RFC 5987 for Chinese),
    typed by what its content was found to be, never sniffed and never run as a page. Shown in the
    browser (PDF viewer or picture); `?download=1` saves it instead."""
    notice, item = _public_attachment(slug, attachment_id)
    visits.note(VisitedPage.document, notice.unit_id)
    extension = item.stored_name.rsplit(".", 1)[1]
    download_name = f"{PurePosixPath(item.display_name).stem or notice.index_number}.{extension}"
    response = send_file(public_copy(item), mimetype=item.media_type,
                         download_name=download_name, as_attachment=request.args.get("download") == "1",
                         max_age=3600, conditional=True)
    response.headers["X-Content-Type-Options"] = "nosniff"
    # A sandboxed document cannot open the browser's PDF viewer; a PDF gets no scripts either way.
    response.headers["Content-Security-Policy"] = ("default-src 'none'; img-src 'self'; object-src 'self'"
                                                   if not item.is_image else "default-src 'none'; img-src 'self'; sandbox")
    return response


@public_bp.get("/n/<slug>/f/<int:attachment_id>/p<int:page>.png")
def attachment_page(slug, attachment_id, page):
    """Page `page` (from 1) of a PDF document as a picture, for browsers that cannot show a PDF
    (WeChat's, many kiosks)."""
    _notice, item = _public_attachment(slug, attachment_id)
    path = public_copy(item)
    if item.is_image or not 1 <= page <= pages.page_count(path):
        raise NotFound(_("This document has no such page."))
    picture = io.BytesIO(pages.page_png(path, page - 1, PAGE_WIDTH))
    response = send_file(picture, mimetype="image/png", max_age=86400, etag=f"{item.public_name}-{page}")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response.make_conditional(request)


@public_bp.get("/n/<slug>/v/<int:number>")
def version(slug, number):
    notice = ops.public_notice(slug)
    shown = notice_page.approved_version(notice, number)
    visits.note(VisitedPage.notice, notice.unit_id)
    return render_template("public/version.html", notice=notice, version=shown,
                           body_html=markdown_to_html(shown.body), latest=notice.published_version)


def _township_page(kind: PageKind, code: str | None):
    if code is None:
        townships = ops.townships()
        if len(townships) != 1:
            return render_template("public/townships.html", townships=townships, kind=kind)
        township = townships[0]
    else:
        township = ops.township_by_code(code)
    visits.note(VisitedPage.guide, township.id)
    return render_template("public/township_page.html", township=township, kind=kind,
                           body_html=markdown_to_html(ops.page_body(township, kind)),
                           channels=ops.channels(township), qr_path=request.path.lstrip("/"))


@public_bp.get("/guide")
@public_bp.get("/guide/<code>")
def guide(code=None):
    return _township_page(PageKind.guide, code)


@public_bp.get("/supervision")
@public_bp.get("/supervision/<code>")
def supervision(code=None):
    return _township_page(PageKind.supervision, code)


def _channels_for_slug(slug: str | None) -> list:
    """The complaint channels of the notice's township; none when the slug names no notice (an error
    page must not fail in turn)."""
    try:
        return ops.channels(_township_of(ops.public_notice(slug))) if slug else []
    except KioskError:
        return []


@public_bp.errorhandler(RateLimitExceeded)
def too_many_comments(error):
    return render_template("public/message.html", title=_("Please wait a while"), message=_(
        "You have sent several comments from this connection in the last hour. Please try again later, "
        "or use one of the complaint channels below."),
        channels=_channels_for_slug((request.view_args or {}).get("slug"))), 429


@public_bp.errorhandler(KioskError)
def public_error(error: KioskError):
    db.session.rollback()
    return render_template("public/message.html", title=_("Sorry"), message=error.message, channels=[]), error.status
