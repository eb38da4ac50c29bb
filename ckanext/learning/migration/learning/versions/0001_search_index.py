"""PostgreSQL search index: narrow index table, stored documents.

Revision ID: 0001_search_index
Revises:
Create Date: 2026-11-23
"""
from alembic import op

revision = "0001_search_index"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.execute("""
        CREATE TABLE learning_search_index (
            index_id text PRIMARY KEY,
            id text NOT NULL,
            metadata_modified timestamp,
            metadata_created timestamp,
            title_sort text,
            fields jsonb NOT NULL DEFAULT '{}'::jsonb,
            tsv tsvector NOT NULL DEFAULT ''::tsvector
        )""")
    op.execute("""
        CREATE TABLE learning_search_document (
            index_id text PRIMARY KEY
                REFERENCES learning_search_index (index_id) ON DELETE CASCADE,
            doc jsonb NOT NULL
        )""")
    op.execute("CREATE INDEX learning_search_index_tsv "
               "ON learning_search_index USING gin (tsv)")
    op.execute("CREATE INDEX learning_search_index_fields "
               "ON learning_search_index USING gin (fields jsonb_path_ops)")
    op.execute("CREATE INDEX learning_search_index_modified "
               "ON learning_search_index (metadata_modified)")
    op.execute("CREATE INDEX learning_search_index_id "
               "ON learning_search_index (id)")


def downgrade():
    op.execute("DROP TABLE IF EXISTS learning_search_document")
    op.execute("DROP TABLE IF EXISTS learning_search_index")
