"""(Moved to ``learning_search``) PostgreSQL search index: narrow index table, stored documents.

The search index belongs to the ``learning_search`` plugin since the plugin
split: its history (``migration/learning_search``) creates these tables.
This revision stays, empty, so databases migrated before keep their history.

Revision ID: 0001_search_index
Revises:
Create Date: 2026-11-23
"""

revision = "0001_search_index"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
