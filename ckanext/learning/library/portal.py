"""What the portal's own pages show around the records: the site's name in
the reader's language, the home page's sections, theme icons, the language
switch, format labels and dates (template helpers, see ``helpers.py``)."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlsplit

import ckan.plugins.toolkit as tk
from flask_babel import format_date, format_time

from ckanext.learning.themes.catalogue import is_own_icon, theme_names, themes
from ckanext.learning.workflow import N_

#: The portal's name and tagline as ``etc/portal-options.ini`` sets them;
#: the catalogue translates these exact texts (another portal's own title is
#: shown as configured).
SITE_TITLE = N_("Learning Platform")
SITE_DESCRIPTION = N_(
    "Open Development Cambodia's Khmer and English library of CSO learning resources")

#: Hosts whose links are pages playing a video, not video files.
VIDEO_HOSTS = {
    "youtube.com": "YouTube", "youtu.be": "YouTube", "vimeo.com": "Vimeo",
    "facebook.com": "Facebook", "fb.watch": "Facebook",
}

NEWEST = 6
MOST_DOWNLOADED = 5


def _translated(configured: str | None) -> str:
    text = configured or ""
    return tk._(text) if text else text


def learning_site_title() -> str:
    """``ckan.site_title`` in the page's language."""
    return _translated(tk.config.get("ckan.site_title"))


def learning_site_description() -> str:
    """``ckan.site_description`` in the page's language."""
    return _translated(tk.config.get("ckan.site_description"))


def learning_theme_icon(name: str | None) -> str | None:
    """The icon of one of the nine themes (``public/learning/themes/``)."""
    if name not in theme_names():
        return None
    return tk.h.url_for_static(f"/learning/themes/{name}.svg")


def learning_group_image(group: dict[str, Any]) -> str | None:
    """A group's or organisation's image.  A theme's own icon is shown from
    the page's host (the stored address names ``ckan.site_url``, which a
    proxy or a moved site may not answer), a theme without an image gets its
    icon, and any other site path is served as such; the rest is core's."""
    url = group.get("image_url") or ""
    name = group.get("name")
    if not url or is_own_icon(url, name):
        return learning_theme_icon(name) or (tk.h.url_for_static(url) if url else None)
    if url.startswith("/"):
        return tk.h.url_for_static(url)
    return group.get("image_display_url") or url


def learning_language_links() -> list[dict[str, Any]]:
    """The page in each offered language: its own name, its address, and
    whether it is the page's language (the header's language switch)."""
    current = tk.h.lang()
    here = tk.h.current_url()
    links = []
    for locale in tk.h.get_available_locales():
        code = locale.short_name
        links.append({
            "code": code, "lang": code.replace("_", "-"),
            "name": locale.display_name or locale.english_name,
            "url": tk.h.url_for(here, locale=code),
            "current": code == current,
        })
    return links


def learning_home() -> dict[str, Any]:
    """The home page's sections from one search of published resources:
    their number, the nine themes with their counts, the newest resources,
    the types of resource with their counts; and the most downloaded."""
    try:
        found = tk.get_action("package_search")({"for_view": True}, {
            "q": "", "rows": NEWEST, "sort": "metadata_created desc",
            "facet.field": ["groups", "resource_type"], "facet.limit": -1,
            "include_private": False})
    except tk.ValidationError:
        found = {"count": 0, "results": [], "search_facets": {}}
    facets = found.get("search_facets") or {}

    def counts(field: str) -> dict[str, int]:
        return {item["name"]: item["count"]
                for item in (facets.get(field) or {}).get("items", [])}

    theme_counts = counts("groups")
    groups = {g["name"]: g for g in tk.get_action("group_list")(
        {"for_view": True}, {"all_fields": True, "include_extras": True,
                             "groups": [t["name"] for t in themes()]})}
    theme_list = []
    for theme in themes():
        group = groups.get(theme["name"])
        if group is None:
            continue
        theme_list.append({
            "name": theme["name"], "title": group.get("display_name"),
            "description": group.get("description") or "",
            "icon": learning_group_image(group),
            "count": theme_counts.get(theme["name"], 0),
        })
    type_labels = {item["name"]: item.get("display_name") or item["name"]
                   for item in (facets.get("resource_type") or {}).get("items", [])}
    type_counts = counts("resource_type")
    types = [{"value": value, "label": type_labels[value], "count": count}
             for value, count in sorted(type_counts.items(), key=lambda kv: -kv[1])]
    most_downloaded = tk.get_action("learning_most_downloaded")(
        {"for_view": True}, {"limit": MOST_DOWNLOADED})
    return {"count": found.get("count", 0), "themes": theme_list,
            "newest": found.get("results", []), "types": types,
            "most_downloaded": most_downloaded}


def learning_format_label(resource: dict[str, Any]) -> str:
    """What a file or link is, for its badge: a link to a video site is a
    page on that site (YouTube), whatever format was typed for it."""
    host = (urlsplit(resource.get("url") or "").hostname or "").lower()
    host = host[4:] if host.startswith("www.") else host
    host = host[2:] if host.startswith("m.") else host
    return VIDEO_HOSTS.get(host) or resource.get("format") or ""


def learning_format_labels(package: dict[str, Any]) -> list[str]:
    """The distinct badges of a record's files and links, in order."""
    seen: list[str] = []
    for resource in package.get("resources") or []:
        label = learning_format_label(resource)
        if label and label not in seen:
            seen.append(label)
    return seen


@tk.chained_helper
def render_datetime(next_helper: Any, datetime_: Any, date_format: str | None = None,
                    with_hours: bool = False, with_seconds: bool = False) -> str:
    """Core's helper with one date format per language, Babel's own (km: "1
    ធ្នូ 2026", en: "December 1, 2026"), and 24-hour times in the display
    time zone; core writes dates with hours the American way in every
    language ("ធ្នូ 1, 2026, 09:30 (UTC)")."""
    if date_format:
        return next_helper(datetime_, date_format=date_format, with_hours=with_hours,
                           with_seconds=with_seconds)
    if isinstance(datetime_, str):
        try:
            datetime_ = tk.h.date_str_to_datetime(datetime_)
        except (TypeError, ValueError):
            return ""
    if not isinstance(datetime_, dt.datetime):
        return ""
    if datetime_.tzinfo is None:
        datetime_ = datetime_.replace(tzinfo=dt.UTC)
    text = format_date(datetime_, "long")
    if with_hours or with_seconds:
        text += ", " + format_time(datetime_, "HH:mm:ss" if with_seconds else "HH:mm")
    return text


def learning_choice_label(field_name: str, value: str,
                          dataset_type: str = "learning-resource") -> str:
    """The label of a choice of the learning-resource schema, in the page's
    language (``resource_type`` ``report`` -> Report / របាយការណ៍)."""
    schema = tk.h.scheming_get_dataset_schema(dataset_type) or {}
    field = tk.h.scheming_field_by_name(schema.get("dataset_fields", []), field_name)
    if not field:
        return value
    choices = tk.h.scheming_field_choices(field) or []
    return tk.h.scheming_choices_label(choices, value)


def _group_texts(group: dict[str, Any] | str | None) -> tuple[str, str]:
    """An organisation's or theme's name and description in the page's
    language, read from its stored multilingual fields: the dicts templates
    get (search results, ``h.get_organization``) carry core's fields only."""
    import ckan.model as model

    from ckanext.learning.fluent.helpers import fluent_text_for_display

    if not group:
        return "", ""
    if isinstance(group, str):
        group = {"name": group}
    found = model.Group.get(group.get("id") or group.get("name") or "")
    if found is None:
        return (group.get("title") or group.get("name") or "",
                group.get("description") or "")
    texts = []
    for field, core in (("title", found.title or found.name),
                        ("description", found.description or "")):
        text, _lang, _fallback = fluent_text_for_display(
            found.extras.get(field + "_translated"))
        texts.append(text or core)
    return texts[0], texts[1]


def learning_organization_title(organization: dict[str, Any] | str | None) -> str:
    """An organisation's name in the page's language."""
    return _group_texts(organization)[0]


def learning_organization_description(organization: dict[str, Any] | str | None) -> str:
    """An organisation's description in the page's language."""
    return _group_texts(organization)[1]


def learning_error_message(code: Any, content: Any) -> str:
    """What an error page says under its title: the reason the portal gave
    (``abort(403, _("..."))``, already translated), not werkzeug's English
    default description of the status."""
    from werkzeug.exceptions import default_exceptions

    if isinstance(code, (list, tuple)):
        code = code[0] if code else 500
    default = default_exceptions.get(int(code or 500))
    text = str(content or "")
    if not text or (default is not None and text == default.description):
        return ""
    if text == "Internal server error":
        return ""
    return text



def initials(name: str) -> str:
    """The first letter (a whole cluster in Khmer) of a name's first two words."""
    from ckanext.learning.khmer import clusters, has_khmer

    letters = []
    for word in (name or "").split()[:2]:
        first = clusters(word)[:1] if has_khmer(word[:1]) else [word[:1].upper()]
        letters += [letter for letter in first if letter]
    return "".join(letters) or "?"


def learning_user_image(user: Any, size: int = 22) -> Any:
    """The picture of ``user`` (the logged-in ``model.User``, already loaded
    for the request), else the initials of their name: no outside picture
    service (Gravatar is off) and no grey placeholder.  Decorative either
    way: it sits beside the user's name (core's alt is the English word
    "Gravatar", or the name again)."""
    from markupsafe import Markup, escape

    if user is None or not getattr(user, "image_url", None):
        name = (user.fullname or user.name) if user is not None else ""
        return Markup('<span class="learning-initials" aria-hidden="true">{0}</span>'
                      ).format(escape(initials(name)))
    html = str(tk.h.user_image(user.id, size=size))
    return Markup(re.sub(r'\balt="[^"]*"', 'alt=""', html, count=1))
