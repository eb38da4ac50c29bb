"""(Moved to ``learning_search``) Typed columns for the filters every search carries; a title vector.

The search index belongs to the ``learning_search`` plugin since the plugin
split: its history (``migration/learning_search``) creates these tables.
This revision stays, empty, so databases migrated before keep their history.

Revision ID: 0002_search_filter_columns
Revises: 0001_search_index
Create Date: 2026-11-23
"""

revision = "0002_search_filter_columns"
down_revision = "0001_search_index"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
