"""Field names the search package shares with the rest of the extension.

Defined once here (a module importing nothing) so that the index code, the
query compiler, the Khmer hooks and the library's facets all use the same
names.
"""
from __future__ import annotations

#: Khmer word tokens of a dataset's titles, and of the rest of its text, as
#: space-separated words (``hooks.add_segmented_text``).  Solr's ``extras_*``
#: dynamic fields are tokenised text, so Solr indexes them as they are.
TITLE_TOKENS = "extras_learning_title_tokens"
TEXT_TOKENS = "extras_learning_text_tokens"
TOKEN_FIELDS = (TITLE_TOKENS, TEXT_TOKENS)
#: The text read from the dataset's documents (``documents/index.py``) and
#: its Khmer word tokens: fields of their own, searched at a lower weight
#: than the metadata in both engines and never stored (up to 200 000
#: characters a dataset; the snippets read the pages themselves).
DOCUMENT_TEXT = "learning_file_text"
DOCUMENT_TOKENS = "learning_file_tokens"
DOCUMENT_FIELDS = (DOCUMENT_TEXT, DOCUMENT_TOKENS)

#: CKAN's default facets (``search.facets``).
CKAN_FACETS = ("organization", "groups", "tags", "res_format", "license_id")
#: The learning library's facets, in display order (``library/facets.py``
#: gives them their titles).
LIBRARY_FACETS = ("groups", "resource_type", "language", "organization",
                  "provinces", "res_format", "marc21_260c")
#: Facet fields the PostgreSQL index keeps in its small in-row
#: ``facet_values`` array (facets and exact filters on them never read the
#: larger ``fields`` document).  A change needs a re-index.
FACET_FIELDS = frozenset(CKAN_FACETS + LIBRARY_FACETS)
