"""Login and logout for the staff pages."""
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

from kiosk.accounts.models import ROLE_LABELS, Role, User
from kiosk.accounts.operations import authenticate, change_own_password, create_user, update_user, \
    users_visible_to
from kiosk.accounts.passwords import password_change_due
from kiosk.accounts.permissions import staff_page
from kiosk.accounts.throttle import throttle_failed_logins
from kiosk.core.errors import KioskError, NotFound, Unauthorized
from kiosk.extensions import db
from kiosk.org.forms import unit_choices
from kiosk.org.operations import get_unit_by_code
from kiosk.staff import NavItem, add_nav

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
    if current_user.is_authenticated:
        # Every copy of this session cookie (another tab, a stolen one) stops working too.
        current_user.end_sessions()
        db.session.commit()
    logout_user()
    return redirect(url_for("accounts.login"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=256)])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=256)])
    repeat = PasswordField(_l("New password again"), validators=[
        DataRequired(), EqualTo("new_password", message=_l("The two new passwords differ."))])


@accounts_bp.route("/password", methods=["GET", "POST"])
@staff_page()
def change_password():
    """Where a staff member changes their password, and the only page open while a change is due."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_own_password(current_user._get_current_object(), form.current_password.data, form.new_password.data)
        except KioskError as failure:
            field = form.current_password if failure.details.get("field") == "current_password" else form.new_password
            field.errors = list(field.errors) + [failure.message]
        else:
            db.session.commit()
            flash(_l("Your password is changed."))
            return redirect(url_for("staff.dashboard"))
    status = 400 if request.method == "POST" else 200
    return render_template("accounts/password.html", form=form, due=password_change_due(current_user),
                           min_length=current_app.config["KIOSK_PASSWORD_MIN_LENGTH"]), status


class NewUserForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64),
                                                       Regexp(r"^[A-Za-z0-9_.-]+$", message=_l("Letters, digits, . _ - only."))])
    display_name = StringField(_l("Name"), validators=[Length(max=80)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])
    unit = SelectField(_l("Unit"), validators=[DataRequired()])
    roles = SelectMultipleField(_l("Roles"), validators=[DataRequired()],
                                choices=[SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()])


@accounts_bp.route("/users", methods=["GET", "POST"])
@staff_page(Role.administrator)
def users():
    form = NewUserForm()
    form.unit.choices = unit_choices(current_user.unit)
    error = None
    if form.validate_on_submit():
        try:
            create_user(form.username.data, form.password.data, {Role(r) for r in form.roles.data},
                        get_unit_by_code(form.unit.data), form.display_name.data, actor=current_user)
            db.session.commit()
            flash(_l("Account created."))
            return redirect(url_for("accounts.users"))
        except KioskError as failure:
            error = failure.message
    status = 400 if request.method == "POST" else 200
    return render_template("accounts/users.html", form=form, error=error, users=users_visible_to(current_user),
                           role_labels=ROLE_LABELS), status


@accounts_bp.post("/users/<int:user_id>/active")
@staff_page(Role.administrator)
def set_active(user_id: int):
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_l("No such account."))
    update_user(current_user, user, active=request.form.get("active") == "1")
    db.session.commit()
    return redirect(url_for("accounts.users"))


add_nav(NavItem("accounts.users", _l("Accounts"), roles=(Role.administrator,), order=80))
