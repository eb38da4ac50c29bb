"""``learning_fluent``: multilingual fields, data-compatible with ckanext-fluent.

Usable alone beside ckanext-scheming: the presets (``fluent/presets.json``),
validators under upstream's names, template helpers and form/display
snippets, and a tag validator that accepts Khmer.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.learning import config
from ckanext.learning.fluent import helpers, tags, validators
from ckanext.learning.i18n import Translation


def _validators() -> dict[str, Any]:
    found = {name: getattr(validators, name) for name in validators.__all__}
    if config.fluent_khmer_tags():
        found.update(tags.CORE_REPLACEMENTS)
    return found


@tk.blanket.config_declarations
@tk.blanket.validators(_validators)
@tk.blanket.helpers(lambda: {name: getattr(helpers, name) for name in helpers.__all__})
class LearningFluentPlugin(p.SingletonPlugin, Translation):
    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)

    # IConfigurer
    def update_config(self, config_: Any) -> None:
        tk.add_template_directory(config_, "templates")
