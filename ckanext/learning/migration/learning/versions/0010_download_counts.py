"""Download counts per resource, kept by the portal.

Revision ID: 0010_download_counts
Revises: 0009_mail_outbox
Create Date: 2026-12-01
"""
from alembic import op

revision = "0010_download_counts"
down_revision = "0009_mail_outbox"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("""
        CREATE TABLE learning_download_count (
            resource_id text PRIMARY KEY REFERENCES resource (id) ON DELETE CASCADE,
            package_id text NOT NULL REFERENCES package (id) ON DELETE CASCADE,
            count integer NOT NULL DEFAULT 0,
            last timestamp
        )""")
    op.execute("CREATE INDEX learning_download_count_package "
               "ON learning_download_count (package_id)")


def downgrade():
    op.execute("DROP TABLE learning_download_count")
