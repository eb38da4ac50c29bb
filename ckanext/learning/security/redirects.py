"""Redirect targets a form may ask for (``came_from``): this site only.

Core's ``h.url_is_local`` lets ``\\\\evil.example`` and ``/\\evil.example``
through, which browsers read as ``//evil.example``; here only a path on this
site (one leading slash, no backslash, no control character) or an absolute
address on ``ckan.site_url``'s scheme and host is accepted.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from ckanext.learning import config

__all__ = ["is_local", "local_or"]


def is_local(target: str | None) -> bool:
    """Whether redirecting to ``target`` stays on this site."""
    if not target or "\\" in target or any(ord(c) < 0x20 or ord(c) == 0x7F
                                            for c in target):
        return False
    if target.startswith("/"):
        return not target.startswith("//")
    site = urlsplit(config.site_url())
    parts = urlsplit(target)
    return bool(site.netloc) and (parts.scheme.lower(), parts.netloc.lower()) == (
        site.scheme.lower(), site.netloc.lower())


def local_or(target: str | None, default: str) -> str:
    """``target`` if it is on this site, else ``default``."""
    return target if target is not None and is_local(target) else default
