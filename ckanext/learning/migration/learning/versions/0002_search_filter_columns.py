"""Typed columns for the filters every search carries; a title vector.

CKAN adds ``site_id``, ``state``, ``capacity`` and ``permission_labels``
filters to every query; as JSONB containments the planner cannot estimate
them and scans the whole table.  Plain columns (and an array for the labels)
give it statistics and cheap indexes.  ``tsv_rank`` (the lexemes of the
title, weight A, and of name, tags, themes and organisation, weight B) is
small enough to rank every match by without reading the full, toasted
``tsv``.

Revision ID: 0002_search_filter_columns
Revises: 0001_search_index
Create Date: 2026-11-23
"""
from alembic import op

revision = "0002_search_filter_columns"
down_revision = "0001_search_index"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("""
        ALTER TABLE learning_search_index
            ADD COLUMN site_id text,
            ADD COLUMN state text,
            ADD COLUMN capacity text,
            ADD COLUMN dataset_type text,
            ADD COLUMN permission_labels text[] NOT NULL DEFAULT '{}',
            ADD COLUMN tsv_rank tsvector NOT NULL DEFAULT ''::tsvector""")
    op.execute("""
        UPDATE learning_search_index SET
            site_id = fields -> 'site_id' ->> 0,
            state = fields -> 'state' ->> 0,
            capacity = fields -> 'capacity' ->> 0,
            dataset_type = fields -> 'dataset_type' ->> 0,
            permission_labels = ARRAY(
                SELECT jsonb_array_elements_text(fields -> 'permission_labels')),
            tsv_rank = ts_filter(tsv, '{a,b}')""")
    op.execute("CREATE INDEX learning_search_index_labels "
               "ON learning_search_index USING gin (permission_labels)")
    op.execute("CREATE INDEX learning_search_index_state "
               "ON learning_search_index (state, capacity)")


def downgrade():
    op.execute("""
        ALTER TABLE learning_search_index
            DROP COLUMN site_id, DROP COLUMN state, DROP COLUMN capacity,
            DROP COLUMN dataset_type, DROP COLUMN permission_labels,
            DROP COLUMN tsv_rank""")
