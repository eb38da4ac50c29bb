"""The PostgreSQL search index, as ``learning_search`` keeps it.

Until the plugin split these tables came from the ``learning`` history
(its revisions 0001, 0002 and 0004-0007, now empty); this creates the same
final schema in one step.  A database that already has them from that
history keeps them as they are: only the version is recorded.

Revision ID: 0001_search_index
Revises:
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0001_search_index"
down_revision = None
branch_labels = None
depends_on = None

#: The last revision of the ``learning`` history that changed these tables.
HANDED_OVER_AT = "0007_search_postings_sync"


def _handed_over(bind) -> bool:
    inspector = sa.inspect(bind)
    if not inspector.has_table("learning_search_index"):
        return False
    version = None
    if inspector.has_table("learning_alembic_version"):
        version = bind.execute(sa.text(
            "SELECT version_num FROM learning_alembic_version")).scalar()
    columns = {c["name"] for c in inspector.get_columns("learning_search_index")}
    if "xid" not in columns:
        raise RuntimeError(
            "learning_search_index predates the search's last schema (learning "
            f"revision {version or 'unknown'}): run 'ckan db upgrade -p learning' "
            "with the previous release first, or drop the learning_search_* tables "
            "and rebuild the index ('ckan search-index rebuild').")
    return True


def upgrade():
    if _handed_over(op.get_bind()):
        return
    op.execute("CREATE SEQUENCE learning_search_seq AS integer")
    op.execute("""
        CREATE TABLE learning_search_index (
            index_id text PRIMARY KEY,
            id text NOT NULL,
            metadata_modified timestamp,
            metadata_created timestamp,
            title_sort text,
            fields jsonb NOT NULL DEFAULT '{}'::jsonb,
            tsv tsvector NOT NULL DEFAULT ''::tsvector,
            site_id text,
            state text,
            capacity text,
            dataset_type text,
            permission_labels text[] NOT NULL DEFAULT '{}',
            tsv_rank tsvector NOT NULL DEFAULT ''::tsvector,
            facet_values text[] NOT NULL DEFAULT '{}',
            seq integer NOT NULL DEFAULT nextval('learning_search_seq'),
            xid xid8 NOT NULL DEFAULT pg_current_xact_id()
        )""")
    op.execute("ALTER SEQUENCE learning_search_seq OWNED BY learning_search_index.seq")
    op.execute("""
        CREATE TABLE learning_search_document (
            index_id text PRIMARY KEY
                REFERENCES learning_search_index (index_id) ON DELETE CASCADE,
            doc jsonb NOT NULL
        )""")
    for index in (
            "learning_search_index_tsv ON learning_search_index USING gin (tsv)",
            "learning_search_index_fields ON learning_search_index "
            "USING gin (fields jsonb_path_ops)",
            "learning_search_index_id ON learning_search_index (id)",
            "learning_search_index_labels ON learning_search_index "
            "USING gin (permission_labels)",
            # searches sort NULLS LAST, id (a backwards scan would give NULLS FIRST)
            "learning_search_index_modified ON learning_search_index "
            "(metadata_modified DESC NULLS LAST, id)",
            "learning_search_index_created ON learning_search_index "
            "(metadata_created DESC NULLS LAST, id)",
            "learning_search_index_title ON learning_search_index (title_sort, id)",
            # the filters every search carries, countable from the index alone
            "learning_search_index_state ON learning_search_index "
            "(state, capacity, site_id, dataset_type)",
            # facets and exact filters without rechecking the toasted fields
            "learning_search_index_facet_values ON learning_search_index "
            "USING gin (facet_values)",
            "learning_search_index_xid ON learning_search_index (xid)"):
        op.execute(f"CREATE INDEX {index}")
    op.execute("CREATE UNIQUE INDEX learning_search_index_seq "
               "ON learning_search_index (seq)")
    # what the in-memory postings need to follow other transactions' writes
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
    op.execute("DROP TABLE IF EXISTS learning_search_document")
    op.execute("DROP TABLE IF EXISTS learning_search_index")
    op.execute("DROP SEQUENCE IF EXISTS learning_search_seq")
