"""Login and logout for the staff pages."""
from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from kiosk.accounts.operations import authenticate
from kiosk.accounts.throttle import throttle_failed_logins
from kiosk.core.errors import Unauthorized

accounts_bp = Blueprint("accounts", __name__, url_prefix="/staff", template_folder="templates")


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])


def _safe_next(target: str | None) -> str:
    """Only follow a `next` that stays on this site."""
    if target and urlsplit(target).netloc == "" and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("staff.dashboard")


@accounts_bp.route("/login", methods=["GET", "POST"])
@throttle_failed_logins
def login():
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        try:
            user = authenticate(form.username.data, form.password.data)
        except Unauthorized as failure:
            error = failure.message
        else:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
    status = 401 if request.method == "POST" else 200
    return render_template("accounts/login.html", form=form, error=error), status


@accounts_bp.post("/logout")
def logout():
    logout_user()
    return redirect(url_for("accounts.login"))
