"""(Moved to ``learning_search``) What a search worker needs to keep its in-memory postings current.

The search index belongs to the ``learning_search`` plugin since the plugin
split: its history (``migration/learning_search``) creates these tables.
This revision stays, empty, so databases migrated before keep their history.

Revision ID: 0007_search_postings_sync
Revises: 0006_search_facet_values
Create Date: 2026-11-23
"""

revision = "0007_search_postings_sync"
down_revision = "0006_search_facet_values"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
