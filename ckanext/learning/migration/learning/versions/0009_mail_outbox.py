"""The mail outbox: notifications saved with the change they report and
delivered by a background job.

Revision ID: 0009_mail_outbox
Revises: 0008_document_text
Create Date: 2026-12-01
"""
from alembic import op

revision = "0009_mail_outbox"
down_revision = "0008_document_text"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("""
        CREATE TABLE learning_mail_outbox (
            id text PRIMARY KEY,
            recipient text NOT NULL,
            address text NOT NULL,
            subject text NOT NULL,
            body text NOT NULL,
            created timestamp NOT NULL DEFAULT (now() at time zone 'utc'),
            attempts integer NOT NULL DEFAULT 0,
            next_attempt timestamp NOT NULL DEFAULT (now() at time zone 'utc'),
            last_error text NOT NULL DEFAULT '',
            sent timestamp
        )""")
    # what is waiting, in the order it is delivered
    op.execute("""CREATE INDEX learning_mail_outbox_due
                  ON learning_mail_outbox (next_attempt) WHERE sent IS NULL""")


def downgrade():
    op.execute("DROP TABLE learning_mail_outbox")
