"""Indexes in the order searches sort, and for counting without the heap.

Searches sort ``metadata_modified DESC NULLS LAST, id`` (the default without a
text query, and page N of it): the ascending index of 0001 read backwards
gives NULLS FIRST, so PostgreSQL sorted the whole table for ten rows.  The
filters every search carries (``state``, ``capacity``, ``site_id``) now come
from one index that an index-only scan can count, instead of the wide rows.

Revision ID: 0004_search_sort_indexes
Revises: 0003_contribution_workflow
Create Date: 2026-11-23
"""
from alembic import op

revision = "0004_search_sort_indexes"
down_revision = "0003_contribution_workflow"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("DROP INDEX IF EXISTS learning_search_index_modified")
    op.execute("CREATE INDEX learning_search_index_modified "
               "ON learning_search_index (metadata_modified DESC NULLS LAST, id)")
    op.execute("CREATE INDEX learning_search_index_created "
               "ON learning_search_index (metadata_created DESC NULLS LAST, id)")
    op.execute("CREATE INDEX learning_search_index_title "
               "ON learning_search_index (title_sort, id)")
    op.execute("DROP INDEX IF EXISTS learning_search_index_state")
    op.execute("CREATE INDEX learning_search_index_state "
               "ON learning_search_index (state, capacity, site_id, dataset_type)")


def downgrade():
    op.execute("DROP INDEX IF EXISTS learning_search_index_title")
    op.execute("DROP INDEX IF EXISTS learning_search_index_created")
    op.execute("DROP INDEX IF EXISTS learning_search_index_modified")
    op.execute("CREATE INDEX learning_search_index_modified "
               "ON learning_search_index (metadata_modified)")
    op.execute("DROP INDEX IF EXISTS learning_search_index_state")
    op.execute("CREATE INDEX learning_search_index_state "
               "ON learning_search_index (state, capacity)")
