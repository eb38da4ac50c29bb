"""What a search worker needs to keep its in-memory postings current.

Every index row gets a document number ``seq`` (a new one on each write, so a
worker can tell versions apart and keep 32-bit bitmaps) and the id of the
transaction that wrote it, ``xid``: a worker that loaded the index at
snapshot S applies exactly the rows not visible in S.  Removed rows leave a
tombstone in ``learning_search_removed``; ``learning_search_epoch`` changes
whenever the tables are emptied behind the extension's back (``ckan db
clean``, test resets), which makes workers start over.

Revision ID: 0007_search_postings_sync
Revises: 0006_search_facet_values
Create Date: 2026-11-23
"""
from alembic import op

revision = "0007_search_postings_sync"
down_revision = "0006_search_facet_values"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("CREATE SEQUENCE IF NOT EXISTS learning_search_seq AS integer")
    op.execute("ALTER TABLE learning_search_index "
               "ADD COLUMN seq integer NOT NULL DEFAULT nextval('learning_search_seq'), "
               "ADD COLUMN xid xid8 NOT NULL DEFAULT pg_current_xact_id()")
    op.execute("ALTER SEQUENCE learning_search_seq OWNED BY learning_search_index.seq")
    op.execute("CREATE UNIQUE INDEX learning_search_index_seq ON learning_search_index (seq)")
    op.execute("CREATE INDEX learning_search_index_xid ON learning_search_index (xid)")
    op.execute("""
        CREATE TABLE learning_search_removed (
            seq integer PRIMARY KEY,
            index_id text NOT NULL,
            xid xid8 NOT NULL DEFAULT pg_current_xact_id())""")
    op.execute("CREATE INDEX learning_search_removed_xid ON learning_search_removed (xid)")
    op.execute("""
        CREATE TABLE learning_search_epoch (
            id integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
            epoch text NOT NULL)""")


def downgrade():
    op.execute("DROP TABLE IF EXISTS learning_search_epoch")
    op.execute("DROP TABLE IF EXISTS learning_search_removed")
    op.execute("ALTER TABLE learning_search_index DROP COLUMN xid, DROP COLUMN seq")
    op.execute("DROP SEQUENCE IF EXISTS learning_search_seq")
