"""Pages of the contribution workflow: contribute, my submissions, the review
queue, requests to join, and the forms that drive the workflow actions.

Every page is a thin caller of an action: what a page may do, the API may
do, with the same checks and the same messages.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint

from ckanext.learning.fluent import languages
from ckanext.learning.security import redirects

learning = Blueprint("learning", __name__, url_prefix="/learning")
contribute_blueprint = Blueprint("learning_contribute", __name__)

#: The sign-up form's trap for robots: a field people never see or fill
#: (``templates/user/new_user_form.html``).
HONEYPOT = "homepage"

def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else "",
            "auth_user_obj": tk.current_user if tk.current_user.is_authenticated else None}


def _errors_text(error: tk.ValidationError) -> str:
    parts = []
    for field, messages in (error.error_dict or {}).items():
        if isinstance(messages, list):
            messages = "; ".join(str(m) for m in messages)
        parts.append(f"{field}: {messages}" if field not in ("status", "__before") else
                     str(messages))
    return " ".join(parts) or str(error)


def _call(action: str, data: dict[str, Any], success: str) -> bool:
    """Run a workflow action for a form; flash its outcome."""
    try:
        reply = tk.get_action(action)(_context(), data)
    except tk.ValidationError as error:
        tk.h.flash_error(_errors_text(error))
        return False
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error) or tk._("Not authorized"))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Resource not found"))
    tk.h.flash_success(success)
    if reply.get("mail_failed"):
        tk.h.flash_notice(tk._("Saved, but these people have no email address to "
                               "tell: %s") % ", ".join(reply["mail_failed"]))
    return True


def _dataset_url(dataset_id: str) -> str:
    try:
        pkg = tk.get_action("package_show")(_context(), {"id": dataset_id})
        return tk.h.url_for(f"{pkg['type']}.read", id=pkg["name"])
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return tk.h.url_for("learning.submissions")


def _form() -> dict[str, Any]:
    return dict(tk.request.form)


# ------------------------------------------------------------------ pages

@contribute_blueprint.route("/contribute")
def contribute() -> str:
    """Where contributing starts, whoever you are."""
    context = _context()
    organizations: list[dict[str, Any]] = []
    all_organizations: list[dict[str, Any]] = []
    my_requests: list[dict[str, Any]] = []
    waiting: list[dict[str, Any]] | None = None
    if tk.current_user.is_authenticated:
        organizations = tk.get_action("organization_list_for_user")(
            context, {"permission": "create_dataset"})
        all_organizations = tk.get_action("organization_list")(
            context, {"all_fields": True})
        my_requests = tk.get_action("learning_membership_request_list")(
            context, {"mine": True})
        if tk.get_action("organization_list_for_user")(
                context, {"permission": "membership"}):
            # an organisation's admins: where its requests to join wait
            waiting = tk.get_action("learning_membership_request_list")(context, {})
    terms = tk.get_action("learning_terms_show")(context, {})
    return tk.render("learning/contribute.html", {
        "organizations": organizations, "all_organizations": all_organizations,
        "my_requests": my_requests, "waiting_requests": waiting, "terms": terms,
        "terms_text": languages.pick(terms["text"], languages.ui_language())[0],
        "is_reviewer": _allowed("learning_review_queue"),
    })


def _allowed(auth: str, data: dict[str, Any] | None = None) -> bool:
    try:
        tk.check_access(auth, _context(), data or {})
    except tk.NotAuthorized:
        return False
    return True


@contribute_blueprint.route("/contribute/join", methods=["POST"])
def join() -> Any:
    """Ask to join an organisation, or for a new one (registered users)."""
    if not tk.current_user.is_authenticated:
        return tk.abort(403, tk._("Log in first."))
    form = _form()
    if form.get("organization"):
        success = tk._("Your request was sent to the organisation's admins.")
    else:
        success = tk._("Your request was sent to the reviewers: they will add "
                       "your organisation and tell you by email.")
    _call("learning_membership_request_create", form, success)
    return tk.redirect_to("learning_contribute.contribute")


@contribute_blueprint.before_app_request
def _refuse_robots() -> Any:
    """A sign-up whose hidden trap field is filled came from a robot."""
    if (tk.request.endpoint == "user.register" and tk.request.method == "POST"
            and tk.request.form.get(HONEYPOT)):
        return tk.abort(400, tk._("This form could not be sent."))
    return None


@contribute_blueprint.after_app_request
def _back_to_contribute(response: Any) -> Any:
    """Someone who signed up from the Contribute page goes back there to ask
    to join an organisation (core would show the dashboard)."""
    if (tk.request.endpoint == "user.register" and tk.request.method == "POST"
            and response.status_code in (301, 302, 303)
            and tk.request.form.get("came_from") == "contribute"):
        return tk.redirect_to("learning_contribute.contribute")
    return response


@learning.route("/submissions")
def submissions() -> str:
    """The resources of one's organisations, with their review status."""
    try:
        items = tk.get_action("learning_my_submissions")(
            _context(), {"status": tk.request.args.get("status") or None})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Log in to see your submissions."))
    return tk.render("learning/submissions.html", {"items": items})


@learning.route("/review")
def queue() -> str:
    """What waits for a reviewer's decision."""
    try:
        items = tk.get_action("learning_review_queue")(_context(), {})
        undelivered = tk.get_action("learning_outbox_list")(_context(), {})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only reviewers can see the review queue."))
    return tk.render("learning/review_queue.html",
                     {"items": items, "undelivered": undelivered})


@learning.route("/membership")
def membership_requests() -> str:
    """Requests to join the organisations one administers."""
    try:
        items = tk.get_action("learning_membership_request_list")(_context(), {})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Log in first."))
    return tk.render("learning/membership_requests.html", {"items": items})


# ------------------------------------------------------------------ forms
# One function per form: CSRF exemptions are keyed by view function, so
# views must not share one (see ckanext/learning/security/csrf.py).

def _dataset_form(action: str, success: str, dataset_id: str) -> Any:
    """Run ``action`` on the dataset, then back to ``came_from`` if it is on
    this site, else to the dataset's page."""
    _call(action, dict(_form(), id=dataset_id), success)
    return tk.redirect_to(redirects.local_or(tk.request.form.get("came_from"),
                                             _dataset_url(dataset_id)))


@learning.route("/submit/<dataset_id>", methods=["POST"])
def submit(dataset_id: str) -> Any:
    return _dataset_form("learning_submit", tk._(
        "Submitted: the reviewers have been told."), dataset_id)


@learning.route("/decide/<dataset_id>", methods=["POST"])
def decide(dataset_id: str) -> Any:
    return _dataset_form("learning_review", tk._("Decision saved."), dataset_id)


@learning.route("/withdraw/<dataset_id>", methods=["POST"])
def withdraw(dataset_id: str) -> Any:
    return _dataset_form("learning_withdraw", tk._(
        "Withdrawn: it is a private draft again."), dataset_id)


@learning.route("/membership/<request_id>", methods=["POST"])
def decide_membership(request_id: str) -> Any:
    _call("learning_membership_request_decide", dict(_form(), id=request_id),
          tk._("Decision saved."))
    return tk.redirect_to("learning.membership_requests")


def get_blueprints() -> list[Blueprint]:
    return [learning, contribute_blueprint]
