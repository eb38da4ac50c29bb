"""Wiring of the hardening into the Flask app CKAN builds.

:data:`blueprint` holds no routes.  Registering it (``IBlueprint``, before
core's own blueprints and before ``csrf.init_app``) runs
:func:`configure_app` once on each app, installs
:func:`~ckanext.learning.security.inputs.refuse_nul` as an app-wide
``before_request`` and
:func:`~ckanext.learning.security.headers.add_security_headers` as an
app-wide ``after_request``.
"""
from __future__ import annotations

import psycopg2
import sqlalchemy as sa
from flask import Blueprint, Flask
from flask.blueprints import BlueprintSetupState
from werkzeug.middleware.proxy_fix import ProxyFix

from ckanext.learning import config
from ckanext.learning.config import MB
from ckanext.learning.security import csrf, database, headers, inputs

__all__ = ["REQUEST_OVERHEAD", "blueprint", "configure_app", "request_limit"]

#: Room for the other fields and the multipart framing of an upload at the
#: limit (Flask caches form fields at 500 KB anyway: MAX_FORM_MEMORY_SIZE).
REQUEST_OVERHEAD = 1 * MB

#: SameSite values kept as configured; anything else becomes Lax.
_SAMESITE_KEPT = ("Lax", "Strict")

blueprint = Blueprint("learning_security", __name__)


def request_limit() -> int:
    """The largest request body accepted: just above the upload limit."""
    return config.upload_max_bytes() + REQUEST_OVERHEAD


def configure_app(app: Flask) -> None:
    """Per-app settings of the hardening.

    * CSRF exemptions last one request (:mod:`.csrf`);
    * connection and statement timeouts, and a 503 while the database is
      unavailable (:mod:`.database`);
    * ``MAX_CONTENT_LENGTH``: a larger body is answered 413 before it is
      read (never spooled to the temp dir); a smaller limit set in the
      config is kept;
    * session and remember-me cookies: ``HttpOnly``, ``SameSite=Lax``
      (unless ``Strict`` is configured), ``Secure`` when ``ckan.site_url``
      is https;
    * behind ``proxy_hops`` trusted proxies, the client address and scheme
      come from their ``X-Forwarded-*`` headers.
    """
    csrf.install()
    database.install()
    for error in (sa.exc.OperationalError, sa.exc.InterfaceError, psycopg2.OperationalError):
        app.register_error_handler(error, database.unavailable)
    configured = app.config.get("MAX_CONTENT_LENGTH")
    limit = request_limit()
    app.config["MAX_CONTENT_LENGTH"] = min(configured, limit) if configured else limit
    for prefix in ("SESSION_COOKIE", "REMEMBER_COOKIE"):
        app.config[f"{prefix}_HTTPONLY"] = True
        if app.config.get(f"{prefix}_SAMESITE") not in _SAMESITE_KEPT:
            app.config[f"{prefix}_SAMESITE"] = "Lax"
        if config.site_is_https():
            app.config[f"{prefix}_SECURE"] = True
    hops = config.security_proxy_hops()
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


@blueprint.record_once
def _on_register(state: BlueprintSetupState) -> None:
    configure_app(state.app)


blueprint.before_app_request(inputs.refuse_nul)
blueprint.after_app_request(headers.add_security_headers)
# after_request functions run last-registered first: the 503 replacing a
# 500 gets the security headers too
blueprint.after_app_request(database.replace_500)
