"""(Moved to ``learning_search``) Facet fields as an exactly indexed array of ``field=value`` entries.

The search index belongs to the ``learning_search`` plugin since the plugin
split: its history (``migration/learning_search``) creates these tables.
This revision stays, empty, so databases migrated before keep their history.

Revision ID: 0006_search_facet_values
Revises: 0005_search_facets
Create Date: 2026-11-23
"""

revision = "0006_search_facet_values"
down_revision = "0005_search_facets"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
