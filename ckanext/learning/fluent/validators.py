"""Scheming validators for multilingual fields, named and stored as upstream
ckanext-fluent does, so its presets, schemas and data work unchanged.

Input, in any of upstream's forms: a dict ``{lang: text}``, the same as a JSON
string, or one form field per language (``<field>-km``, ``<field>-en``).
Storage: a JSON object, Khmer written as is (``ensure_ascii=False``); a field
left empty is ``{}``.  Output: always the dict, by plain one-argument output
validators, as upstream's.  Tags are the same with ``{lang: [tag, ...]}``.
Errors are recorded in ``errors``, never raised, as upstream does.

Field options (scheming schema): ``form_languages``; ``required: true`` (every
form language, as upstream); ``required_languages: [en, km]``;
``fluent_required: any`` (at least one language); ``tag_validators`` (tags,
as upstream).  Required-language rules are waived while the dataset is a
draft, so the multi-stage form can save incomplete work.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import authz

from ckanext.learning.fluent import languages
from ckanext.learning.fluent.tags import (
    learning_tag_name_validator,
    learning_tag_string_convert,
    learning_tag_validator,
)
from ckanext.scheming.validation import scheming_validator, validators_from_string

__all__ = [
    "fluent_text",
    "fluent_text_output",
    "fluent_tags",
    "fluent_tags_output",
    "fluent_core_translated_output",
    "learning_tag_validator",
    "learning_tag_name_validator",
    "learning_tag_string_convert",
]

#: ``title_translated`` feeds core ``title``, ``notes_translated`` ``notes``.
CORE_SUFFIX = "_translated"

#: a cleaner turns one language's raw input into its stored value, returning
#: it with the list of error messages for that language.
Cleaner = Callable[[Any], tuple[Any, list[str]]]


@scheming_validator
def fluent_text(field: dict[str, Any], schema: dict[str, Any]):
    """Multilingual text; on a ``<core>_translated`` field also fills the core
    field (``title``, ``notes``) in the site's default language, else another
    one, so pages, feeds and API clients that only know ``title`` see one."""
    core = _core_field_name(field)
    order = languages.form_languages(field, schema)

    def clean(value: Any) -> tuple[Any, list[str]]:
        if value is None:
            return "", []
        if not isinstance(value, str):
            return value, [tk._("Expected text, not {type}").format(
                type=type(value).__name__)]
        return value, []

    def fill_core(key, data, values, context) -> None:
        # the core key may have been dropped by its own ignore_missing
        # (it sorts first), so also trust the schema's top-level keys;
        # nested dicts (resources) take any key
        core_key = key[:-1] + (core,)
        known = (core_key in data or len(key) > 1
                 or core in context.get("schema_keys", ()))
        text, _lang = languages.pick(values, languages.default_language(), order)
        if known and text:
            data[core_key] = text

    def from_core(key, data) -> dict[str, Any]:
        # a client that only knows core CKAN (a harvester, ckanapi scripts)
        # sends ``title``: keep it as the default language's value
        text = data.get(key[:-1] + (core,))
        if isinstance(text, str) and text.strip():
            return {languages.default_language(): text}
        return {}

    return _multilingual(field, schema, clean, fill_core if core else None,
                         seed=from_core if core else None)


@scheming_validator
def fluent_tags(field: dict[str, Any], schema: dict[str, Any]):
    """Multilingual tags: a list per language, or comma-separated text from
    the form; each tag checked by ``learning_tag_validator`` (Khmer-aware)
    unless the field names its own ``tag_validators``."""
    if "tag_validators" in field:
        tag_validators = validators_from_string(
            field["tag_validators"], field, schema)
    else:
        tag_validators = [learning_tag_validator]

    def clean(value: Any) -> tuple[Any, list[str]]:
        if value is None:
            value = []
        elif isinstance(value, str):
            value = value.split(",")
        if not isinstance(value, list):
            return value, [tk._("Expected a list of tags")]
        tags: list[str] = []
        problems: list[str] = []
        for tag in value:
            if isinstance(tag, str) and not tag.strip():
                continue
            try:
                for check in tag_validators:
                    tag = check(tag, {})
            except tk.Invalid as e:
                problems.append(e.error)
                continue
            if tag not in tags:
                tags.append(tag)
        return tags, problems

    return _multilingual(field, schema, clean)


def fluent_text_output(value: Any) -> dict[str, Any]:
    """Stored JSON (ours or upstream's) back to ``{lang: text}``.

    A plain one-argument validator, as upstream's is: code written for
    upstream calls it directly, and scheming uses it as it is (it only calls
    validators marked ``@scheming_validator`` with the field and schema)."""
    return languages.load(value)


def fluent_tags_output(value: Any) -> dict[str, Any]:
    """Stored JSON back to ``{lang: [tags]}``; plain one-argument, as upstream.

    Objects pass through unchanged, as upstream returns them; only a legacy
    plain (non-JSON) string, which upstream cannot read at all, is taken as
    one tag in the site's default language."""
    if isinstance(value, str) and value.strip():
        try:
            decoded = json.loads(value)
        except ValueError:
            decoded = None
        if not isinstance(decoded, dict):
            return {languages.default_language(): [value]}
    return languages.load(value)


@scheming_validator
def fluent_core_translated_output(field: dict[str, Any], schema: dict[str, Any]):
    """Like ``fluent_text_output``, and fills an empty core field (``title``
    from ``title_translated``) for datasets saved before the field existed."""
    core = _core_field_name(field)
    if not core:
        raise ValueError(
            f'fluent_core_translated_output needs a field named "<core>{CORE_SUFFIX}",'
            f' not "{field.get("field_name")}"')

    def output(key, data, errors, context) -> None:
        values = data[key] = languages.load(data[key])
        core_key = key[:-1] + (core,)
        if core_key in data and not languages.filled(data[core_key]):
            text, _lang = languages.pick(values, languages.default_language())
            if text:
                data[core_key] = text

    return output


def _multilingual(field: dict[str, Any], schema: dict[str, Any],
                  clean: Cleaner, after: Callable[..., None] | None = None,
                  seed: Callable[..., dict[str, Any]] | None = None):
    """The navl validator shared by text and tags: gather the input, check
    languages and rules, store JSON.  ``seed`` supplies a value when nothing
    multilingual was given at all."""
    form_langs = languages.form_languages(field, schema)
    required = languages.required_languages(field, schema)
    needs_any = languages.requires_any(field)

    def validator(key, data, errors, context) -> None:
        # errors are recorded, never raised (no StopOnError), as upstream:
        # navl then reports them with every other field's
        if errors[key]:
            return  # an earlier validator failed: ours would only add noise
        inputs = _language_inputs(key, data)
        given = data.get(key, tk.missing)
        from_form = given is tk.missing or given is None or given == ""
        if from_form:
            raw = inputs or (seed(key, data) if seed else {})
        else:
            raw = _decode(given, errors[key])
            if raw is None:
                return
        failed = False

        def complain(lang: str | None, message: str) -> None:
            nonlocal failed
            failed = True
            where = key[:-1] + (f"{key[-1]}-{lang}",) if from_form and lang else key
            errors.setdefault(where, []).append(message)

        values: dict[str, Any] = {}
        for lang, value in raw.items():
            if lang not in form_langs:
                complain(lang, tk._(
                    'Unknown language "{lang}": expected one of {langs}'
                ).format(lang=lang, langs=", ".join(form_langs)))
                continue
            values[lang], problems = clean(value)
            for problem in problems:
                complain(lang, problem)

        if not _is_draft(data, context):
            for lang in required:
                if not languages.filled(values.get(lang)):
                    # the form's input for the language is named by the key,
                    # so it says just what core says of an empty field
                    complain(lang, tk._("Missing value") if from_form else
                             tk._('Required language "{lang}" missing')
                             .format(lang=lang))
            if needs_any and not any(map(languages.filled, values.values())):
                complain(None, tk._("Fill in at least one language: {langs}")
                         .format(langs=", ".join(form_langs)))

        if failed:
            return  # the data stays as given, the form's inputs too
        _drop_extras_inputs(key, data, inputs)
        # nothing given is stored as ``{}``, as upstream stores it
        data[key] = json.dumps(values, ensure_ascii=False)
        if after:
            after(key, data, values, context)

    return validator


def _decode(value: Any, key_errors: list[str]) -> dict[str, Any] | None:
    """A dict or its JSON text, else ``None`` with a message saying why."""
    if isinstance(value, str):
        if not value.strip():
            return {}
        try:
            value = json.loads(value)
        except ValueError as e:
            key_errors.append(tk._(
                'The value is not valid JSON ({reason}): expected an object '
                'such as {{"en": "…", "km": "…"}}').format(reason=e.msg))
            return None
    if not isinstance(value, dict):
        key_errors.append(tk._(
            'Expected an object of languages such as {{"en": "…", "km": "…"}}'))
        return None
    return value


def _language_inputs(key: tuple, data: dict) -> dict[str, Any]:
    """The per-language form inputs (``<field>-<lang>``): navl puts them in
    ``__extras`` (or ``__junk`` when nested deeper), or they are plain keys
    when a schema declares them.

    Those in ``__junk`` or plain keys are taken out at once (``__junk``'s
    ``empty`` would reject them); those in ``__extras`` are only read, and
    dropped by ``_drop_extras_inputs`` once the value is accepted, so a failed
    validation leaves them as posted, as upstream does."""
    prefix = f"{key[-1]}-"
    found: dict[str, Any] = {}

    def lang_of(name: Any) -> str | None:
        if isinstance(name, str) and name.startswith(prefix):
            return name[len(prefix):]
        return None

    extras = data.get(key[:-1] + ("__extras",))
    if isinstance(extras, dict):
        for name in [n for n in extras if lang_of(n)]:
            found[lang_of(name)] = extras[name]
    junk = data.get(("__junk",))
    if isinstance(junk, dict):
        for flat in [k for k in junk if k[:-1] == key[:-1] and lang_of(k[-1])]:
            found[lang_of(flat[-1])] = junk.pop(flat)
    for flat in [k for k in data if k[:-1] == key[:-1] and lang_of(k[-1])]:
        found[lang_of(flat[-1])] = data.pop(flat)
    return found


def _drop_extras_inputs(key: tuple, data: dict, inputs: dict[str, Any]) -> None:
    """Remove the accepted per-language inputs from ``__extras``, so they are
    not saved a second time as extras of their own."""
    extras = data.get(key[:-1] + ("__extras",))
    if isinstance(extras, dict):
        for lang in inputs:
            extras.pop(f"{key[-1]}-{lang}", None)


def _is_draft(data: dict, context: dict) -> bool:
    """Whether the dataset being validated is (and will stay) a draft.

    A ``state`` in the data only counts when core will keep it (core's
    ``ignore_not_package_admin`` drops it otherwise, so an API client cannot
    dodge the rules by claiming a draft); else the stored package's state."""
    state = data.get(("state",))
    if not (isinstance(state, str) and _may_set_state(context)):
        state = getattr(context.get("package"), "state", None)
    return isinstance(state, str) and state.startswith("draft")


def _may_set_state(context: dict) -> bool:
    return bool(context.get("ignore_auth") or context.get("allow_state_change")
                or context.get("package") is not None
                or authz.is_sysadmin(context.get("user")))


def _core_field_name(field: dict[str, Any]) -> str | None:
    name = field.get("field_name") or ""
    if name.endswith(CORE_SUFFIX) and len(name) > len(CORE_SUFFIX):
        return name[:-len(CORE_SUFFIX)]
    return None
