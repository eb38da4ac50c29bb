"""A small facets document beside the filterable fields.

Counting facets read every match's ``fields`` document, which is toasted
(compressed, out of line): ~6 buffers a match.  ``facets`` holds only the
fields portals facet on (``backend/postgres.py`` ``FACET_FIELDS``), small
enough to stay in the row.

Revision ID: 0005_search_facets
Revises: 0004_search_sort_indexes
Create Date: 2026-11-23
"""
from alembic import op

revision = "0005_search_facets"
down_revision = "0004_search_sort_indexes"
branch_labels = None
depends_on = None

#: FACET_FIELDS when this migration was written (later changes re-index).
FACET_FIELDS = ["organization", "groups", "tags", "res_format", "license_id",
                "resource_type", "language", "provinces", "marc21_260c"]


def upgrade():
    op.execute("ALTER TABLE learning_search_index "
               "ADD COLUMN facets jsonb NOT NULL DEFAULT '{}'::jsonb")
    names = ", ".join(f"'{name}'" for name in FACET_FIELDS)
    op.execute(f"""
        UPDATE learning_search_index SET facets = coalesce(
            (SELECT jsonb_object_agg(e.key, e.value) FROM jsonb_each(fields) e
             WHERE e.key IN ({names})), '{{}}'::jsonb)""")


def downgrade():
    op.execute("ALTER TABLE learning_search_index DROP COLUMN facets")
