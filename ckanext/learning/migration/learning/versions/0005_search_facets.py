"""(Moved to ``learning_search``) A small facets document beside the filterable fields.

The search index belongs to the ``learning_search`` plugin since the plugin
split: its history (``migration/learning_search``) creates these tables.
This revision stays, empty, so databases migrated before keep their history.

Revision ID: 0005_search_facets
Revises: 0004_search_sort_indexes
Create Date: 2026-11-23
"""

revision = "0005_search_facets"
down_revision = "0004_search_sort_indexes"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
