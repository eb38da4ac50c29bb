"""The PostgreSQL search index tables (created by the extension's migration).

Declared on CKAN's metadata so that CKAN's own ``delete_all`` (test resets,
``ckan db clean``) empties them together with the datasets they index.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR

from ckan.model import meta

INDEX_TABLE = "learning_search_index"
DOCUMENT_TABLE = "learning_search_document"

search_index = sa.Table(
    INDEX_TABLE, meta.metadata,
    sa.Column("index_id", sa.UnicodeText, primary_key=True),
    sa.Column("id", sa.UnicodeText, nullable=False),
    sa.Column("metadata_modified", sa.DateTime),
    sa.Column("metadata_created", sa.DateTime),
    sa.Column("title_sort", sa.UnicodeText),
    sa.Column("site_id", sa.UnicodeText),
    sa.Column("state", sa.UnicodeText),
    sa.Column("capacity", sa.UnicodeText),
    sa.Column("dataset_type", sa.UnicodeText),
    sa.Column("permission_labels", ARRAY(sa.UnicodeText), nullable=False),
    sa.Column("fields", JSONB, nullable=False),
    sa.Column("facet_values", ARRAY(sa.UnicodeText), nullable=False),
    sa.Column("tsv", TSVECTOR, nullable=False),
    sa.Column("tsv_rank", TSVECTOR, nullable=False),
    extend_existing=True,
)

search_document = sa.Table(
    DOCUMENT_TABLE, meta.metadata,
    sa.Column("index_id", sa.UnicodeText,
              sa.ForeignKey(f"{INDEX_TABLE}.index_id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("doc", JSONB, nullable=False),
    extend_existing=True,
)
