"""Text read from uploaded documents (PDF, DOCX, ODT, PPTX), per resource.

Revision ID: 0008_document_text
Revises: 0007_search_postings_sync
Create Date: 2026-12-01
"""
from alembic import op

revision = "0008_document_text"
down_revision = "0007_search_postings_sync"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("""
        CREATE TABLE learning_document_text (
            resource_id text PRIMARY KEY
                REFERENCES resource (id) ON DELETE CASCADE,
            status text NOT NULL,
            pages jsonb NOT NULL DEFAULT '[]',
            page_count integer,
            extractor text NOT NULL DEFAULT '',
            reason text NOT NULL DEFAULT '',
            source text NOT NULL DEFAULT '',
            cover text,
            modified timestamp NOT NULL DEFAULT (now() at time zone 'utc')
        )""")


def downgrade():
    op.execute("DROP TABLE learning_document_text")
