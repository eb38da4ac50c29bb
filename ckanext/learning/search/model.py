"""The PostgreSQL search index tables (created by the extension's migration).

Declared on CKAN's metadata so that CKAN's own ``delete_all`` (test resets,
``ckan db clean``) empties them together with the datasets they index.
"""
from __future__ import annotations

import sqlalchemy as sa
from ckan.model import meta
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR

INDEX_TABLE = "learning_search_index"
DOCUMENT_TABLE = "learning_search_document"
REMOVED_TABLE = "learning_search_removed"
EPOCH_TABLE = "learning_search_epoch"
SEQUENCE = "learning_search_seq"


class XID8(sa.types.UserDefinedType):
    """PostgreSQL's 64-bit transaction id (``pg_current_xact_id()``)."""

    cache_ok = True

    def get_col_spec(self, **kw):
        return "xid8"


def _writing_transaction() -> sa.Column:
    """The transaction that wrote the row (see postings.py)."""
    return sa.Column("xid", XID8(), nullable=False,
                     server_default=sa.text("pg_current_xact_id()"))


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
    # document number, new at each write (see postings.py)
    sa.Column("seq", sa.Integer, nullable=False,
              server_default=sa.text(f"nextval('{SEQUENCE}')")),
    _writing_transaction(),
    extend_existing=True,
)

search_removed = sa.Table(
    REMOVED_TABLE, meta.metadata,
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("index_id", sa.UnicodeText, nullable=False),
    _writing_transaction(),
    extend_existing=True,
)

#: One row; emptied with the other tables, which tells workers to reload.
search_epoch = sa.Table(
    EPOCH_TABLE, meta.metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("epoch", sa.UnicodeText, nullable=False),
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


def estimated_rows(session) -> int:
    """PostgreSQL's estimate of the index's rows (no count: it decides
    whether a worker reads the index inline or in the background)."""
    estimate = session.execute(sa.text(
        "SELECT CAST(reltuples AS bigint) FROM pg_class "
        "WHERE oid = CAST(:table AS regclass)"), {"table": INDEX_TABLE}).scalar()
    return max(estimate or 0, 0)
