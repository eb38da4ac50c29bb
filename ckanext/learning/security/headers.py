"""Security headers on every response: pages, the API, files and errors.

The Content-Security-Policy (``ckanext.learning.security.
content_security_policy``) names no outside host and allows no inline
script; framing is refused twice (``frame-ancestors 'none'`` and the older
``X-Frame-Options: DENY``); ``nosniff`` makes browsers believe the
``Content-Type``; the referrer never leaves the site, so private page
addresses (drafts, review links) are not handed to the hosts that links
point to.  Over HTTPS (``ckan.site_url``) browsers are also told to keep to
HTTPS.  A header a view set itself is kept.
"""
from __future__ import annotations

from flask import Response, g, has_request_context

from ckanext.learning import config

__all__ = ["add_security_headers", "allow_frame_source", "security_headers"]

#: HSTS lifetime: one year, the usual minimum for preload lists.
HSTS_SECONDS = 31_536_000


def allow_frame_source(source: str) -> None:
    """Let this response's page frame ``source`` (``https://host``)."""
    if has_request_context():
        g.learning_frame_sources = {*getattr(g, "learning_frame_sources", ()), source}


def _policy() -> str:
    policy = config.security_content_security_policy()
    extra = sorted(getattr(g, "learning_frame_sources", ())) if has_request_context() else []
    if not extra:
        return policy
    directives = [d.strip() for d in policy.split(";") if d.strip()]
    for index, directive in enumerate(directives):
        if directive.split()[0] == "frame-src":
            directives[index] = " ".join([directive, *extra])
            break
    else:
        directives.append(" ".join(["frame-src 'self'", *extra]))
    return "; ".join(directives)


def security_headers() -> dict[str, str]:
    """The headers added to every response (name -> value)."""
    headers = {
        "Content-Security-Policy": _policy(),
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    }
    if config.site_is_https():
        headers["Strict-Transport-Security"] = f"max-age={HSTS_SECONDS}"
    return headers


def add_security_headers(response: Response) -> Response:
    """``after_request`` hook: add :func:`security_headers`."""
    for name, value in security_headers().items():
        response.headers.setdefault(name, value)
    return response
