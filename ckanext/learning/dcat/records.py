"""A learning resource in the keys ckanext-dcat's DCAT-AP 3 profile reads.

ckanext-dcat already serialises multilingual values (``title_translated``,
``tags_translated``, ``name_translated`` ...) as language-tagged literals,
agents and contacts with translated names, URIs for lists of languages and
themes, licences, download URLs and byte sizes of distributions.  What our
schema calls these differs (``keywords``, ``themes``, ``language`` codes,
``provinces``, ``marc21_*``), so :func:`for_dcat` gives the profile a copy of
the record under ckanext-dcat's names, with vocabulary URIs instead of codes;
the profile adds only what ckanext-dcat has no key for.  The record itself
is never changed.
"""
from __future__ import annotations

import copy
import weakref
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.dcat.utils import publisher_uri_organization_fallback
from ckanext.learning import config
from ckanext.learning.dcat import themes as theme_scheme
from ckanext.learning.dcat import vocabularies as vocab
from ckanext.learning.fluent import languages

#: Agents (``marc21_*`` fluent fields) that become ``dct:creator``: the
#: author and the corporate author.
CREATOR_FIELDS = ("marc21_100", "marc21_110")
#: Identifiers that become ``adms:identifier`` (ISBN, ISSN).
IDENTIFIER_FIELDS = {"marc21_020": "urn:isbn:", "marc21_022": "urn:issn:"}

_ORGANIZATIONS: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()


def texts(value: Any) -> dict[str, str]:
    """A multilingual value (dict or stored JSON) without its empty languages."""
    return {lang: text for lang, text in languages.load(value).items()
            if isinstance(text, str) and text.strip()}


def _extra(obj: dict[str, Any], key: str) -> Any:
    extras = obj.get("extras") or []
    if isinstance(extras, dict):
        return extras.get(key)
    for extra in extras:
        if isinstance(extra, dict) and extra.get("key") == key:
            return extra.get("value")
    return None


def organization(org_id: str, cache_on: Any = None) -> dict[str, Any] | None:
    """``organization_show`` of ``org_id`` without its datasets, members or
    counts, remembered for as long as ``cache_on`` (the graph being written)
    lives: a catalogue page names the same publishers many times."""
    cache = None
    if cache_on is not None:
        try:
            cache = _ORGANIZATIONS.setdefault(cache_on, {})
        except TypeError:
            cache = None
    if cache is not None and org_id in cache:
        return cache[org_id]
    try:
        found = tk.get_action("organization_show")({"ignore_auth": True}, {
            "id": org_id, "include_dataset_count": False, "include_users": False,
            "include_groups": False, "include_tags": False,
            "include_followers": False})
    except tk.ObjectNotFound:
        found = None
    if cache is not None:
        cache[org_id] = found
    return found


def organization_names(org: dict[str, Any]) -> dict[str, str]:
    """The organisation's titles by language, as a fluent organisation schema
    stores them (``title_translated``, at the top with scheming, else as an
    extra); empty when it has only core's ``title``."""
    return texts(org.get("title_translated") or _extra(org, "title_translated"))


def organization_agent(org: dict[str, Any]) -> dict[str, Any]:
    """An organisation as ckanext-dcat's scheming agent (``publisher``)."""
    agent: dict[str, Any] = {
        "uri": publisher_uri_organization_fallback({"organization": org}),
        "name": org.get("title") or org.get("name"),
        "name_translated": organization_names(org),
        "type": org.get("dcat_type") or _extra(org, "dcat_type")
        or config.dcat_publisher_type(),
    }
    return {key: value for key, value in agent.items() if value}


def landing_page(dataset_dict: dict[str, Any], locale: str | None = "default") -> str:
    """The record's page: without a language prefix (an identifier, for DCAT)
    by default, in the current page's language with ``locale=None``."""
    return tk.url_for(f"{dataset_dict.get('type') or 'dataset'}.read",
                      id=dataset_dict["name"], _external=True, locale=locale)


def resource_page(dataset_dict: dict[str, Any], resource: dict[str, Any],
                  locale: str | None = "default") -> str:
    return tk.url_for(f"{dataset_dict.get('type') or 'dataset'}_resource.read",
                      id=dataset_dict["name"], resource_id=resource["id"],
                      _external=True, locale=locale)


def _contact(dataset_dict: dict[str, Any], org: dict[str, Any] | None) -> dict[str, Any]:
    """The record's contact (``odm_contact``), else its organisation, as a
    ckanext-dcat contact point."""
    contact: dict[str, Any] = {}
    names = texts(dataset_dict.get("odm_contact")) or (organization_names(org) if org else {})
    if names:
        contact["name_translated"] = names
    elif org and org.get("title"):
        contact["name"] = org["title"]
    if org:
        contact["url"] = tk.url_for("organization.read", id=org["name"], _external=True,
                                    locale="default")
    if config.dcat_contact_email():
        contact["email"] = config.dcat_contact_email()
    return contact


def _creator(names: dict[str, str], org: dict[str, Any] | None) -> dict[str, Any]:
    """An author as an agent: the record's organisation itself when the
    author is it by name (CSOs are mostly their documents' corporate
    authors), else an agent of that name."""
    if org:
        own = set(organization_names(org).values()) | {org.get("title")}
        if own & set(names.values()):
            return organization_agent(org)
    return {"name_translated": names}


def _translated(obj: dict[str, Any], *fields: str) -> None:
    """Multilingual fields without their empty languages (ckanext-dcat would
    write an empty literal for each), dropped when none is left so that
    ckanext-dcat falls back to the core field."""
    for field in fields:
        if field in obj:
            obj[field] = texts(obj[field])
            if not obj[field]:
                del obj[field]


def _distribution(dataset_dict: dict[str, Any], resource: dict[str, Any]) -> dict[str, Any]:
    out = dict(resource)
    _translated(out, "name_translated", "description_translated")
    fmt = resource.get("format")
    out["format"] = vocab.file_type_uri(fmt)
    out["mimetype"] = vocab.media_type_uri(resource.get("mimetype"), fmt)
    if not out["format"] and not out["mimetype"]:
        out.pop("format")
        out.pop("mimetype")
    out["language"] = vocab.language_uris(resource.get("language"))
    if not resource.get("license") and dataset_dict.get("license_url"):
        out["license"] = dataset_dict["license_url"]
    if resource.get("url_type") == "upload" and resource.get("url"):
        out["download_url"] = resource["url"]
        out["access_url"] = resource_page(dataset_dict, resource)
        out["availability"] = vocab.AVAILABILITY_STABLE
    elif resource.get("url"):
        out["availability"] = vocab.AVAILABILITY_AVAILABLE
    try:
        out["size"] = int(resource["size"]) if resource.get("size") else None
    except (TypeError, ValueError):
        out["size"] = None
    return out


def for_dcat(dataset_dict: dict[str, Any], cache_on: Any = None) -> dict[str, Any]:
    """A copy of ``dataset_dict`` (``package_show``) in ckanext-dcat's keys."""
    out = copy.deepcopy(dataset_dict)
    _translated(out, "title_translated", "notes_translated")
    out["tags_translated"] = {lang: list(words) for lang, words in
                              languages.load(dataset_dict.get("keywords")).items()
                              if isinstance(words, list) and words}
    if not out["tags_translated"]:
        del out["tags_translated"]
    out["theme"] = [str(theme_scheme.concept_uri(name))
                    for name in theme_scheme.known(dataset_dict.get("themes") or [])]
    out["language"] = vocab.language_uris(dataset_dict.get("language"))
    out["url"] = landing_page(dataset_dict)
    if dataset_dict.get("marc21_260c"):
        out["issued"] = str(dataset_dict["marc21_260c"])

    org = None
    if dataset_dict.get("owner_org"):
        org = organization(dataset_dict["owner_org"], cache_on)
    if org:
        out["publisher"] = [organization_agent(org)]
    out["contact"] = [_contact(dataset_dict, org)]
    out["creator"] = [_creator(texts(dataset_dict.get(name)), org)
                      for name in CREATOR_FIELDS if texts(dataset_dict.get(name))]
    if not out["creator"]:
        del out["creator"]
    identifiers = [prefix + str(dataset_dict[name]).strip()
                   for name, prefix in IDENTIFIER_FIELDS.items() if dataset_dict.get(name)]
    if identifiers:
        out["alternate_identifier"] = identifiers

    out["resources"] = [_distribution(dataset_dict, r)
                        for r in dataset_dict.get("resources") or []]
    return out
