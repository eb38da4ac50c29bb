"""Multilingual (Khmer/English) dataset fields for ckanext-scheming.

Our own implementation of upstream ckanext-fluent's presets and validators
(which do not run on CKAN 2.12), storing values in the same format
(a JSON object ``{lang: text}`` or ``{lang: [tags]}``) so data moves freely
between the two.  Adds per-field required-language rules, draft leniency and
Khmer-aware tag validation.
"""
