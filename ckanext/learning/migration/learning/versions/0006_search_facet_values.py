"""Facet fields as an exactly indexed array of ``field=value`` entries.

0005's ``facets`` JSONB made facet counting cheap, but a filter on a theme or
an organisation still went through the ``fields`` GIN index
(``jsonb_path_ops`` always rechecks), which re-read every candidate's toasted
``fields`` and ``tsv``.  A ``text[]`` with a GIN index needs no recheck, and
is as small to count facets from.

Revision ID: 0006_search_facet_values
Revises: 0005_search_facets
Create Date: 2026-11-23
"""
from alembic import op

revision = "0006_search_facet_values"
down_revision = "0005_search_facets"
branch_labels = None
depends_on = None

#: lucene.FACET_FIELDS when this migration was written (later changes re-index).
FACET_FIELDS = ["organization", "groups", "tags", "res_format", "license_id",
                "resource_type", "language", "provinces", "marc21_260c"]


def upgrade():
    op.execute("ALTER TABLE learning_search_index "
               "ADD COLUMN facet_values text[] NOT NULL DEFAULT '{}'")
    names = ", ".join(f"'{name}'" for name in FACET_FIELDS)
    op.execute(f"""
        UPDATE learning_search_index SET facet_values = ARRAY(
            SELECT DISTINCT e.key || '=' || v.x FROM jsonb_each(fields) e
            CROSS JOIN LATERAL jsonb_array_elements_text(
                CASE jsonb_typeof(e.value) WHEN 'array'
                     THEN e.value ELSE '[]'::jsonb END) AS v(x)
            WHERE e.key IN ({names}))""")
    op.execute("ALTER TABLE learning_search_index DROP COLUMN facets")
    op.execute("CREATE INDEX learning_search_index_facet_values "
               "ON learning_search_index USING gin (facet_values)")


def downgrade():
    op.execute("DROP INDEX IF EXISTS learning_search_index_facet_values")
    op.execute("ALTER TABLE learning_search_index "
               "ADD COLUMN facets jsonb NOT NULL DEFAULT '{}'::jsonb")
    op.execute("ALTER TABLE learning_search_index DROP COLUMN facet_values")
