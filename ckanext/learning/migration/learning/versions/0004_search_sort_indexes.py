"""(Moved to ``learning_search``) Indexes in the order searches sort, and for counting without the heap.

The search index belongs to the ``learning_search`` plugin since the plugin
split: its history (``migration/learning_search``) creates these tables.
This revision stays, empty, so databases migrated before keep their history.

Revision ID: 0004_search_sort_indexes
Revises: 0003_contribution_workflow
Create Date: 2026-11-23
"""

revision = "0004_search_sort_indexes"
down_revision = "0003_contribution_workflow"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
