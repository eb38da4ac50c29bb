"""Contribution workflow: review status, pending revisions, audit trail,
requests to join an organisation.

Kept in tables of their own rather than dataset extras, so that nothing a
contributor sends through ``package_update`` can change a review decision.

Revision ID: 0003_contribution_workflow
Revises: 0002_search_filter_columns (empty since the split)
Create Date: 2026-11-23
"""
from alembic import op

revision = "0003_contribution_workflow"
down_revision = "0002_search_filter_columns"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("""
        CREATE TABLE learning_review_status (
            package_id text PRIMARY KEY
                REFERENCES package (id) ON DELETE CASCADE,
            status text NOT NULL,
            modified timestamp NOT NULL DEFAULT (now() at time zone 'utc')
        )""")
    op.execute("CREATE INDEX learning_review_status_status "
               "ON learning_review_status (status)")
    op.execute("""
        CREATE TABLE learning_revision (
            id text PRIMARY KEY,
            package_id text NOT NULL
                REFERENCES package (id) ON DELETE CASCADE,
            user_id text NOT NULL,
            data jsonb NOT NULL,
            status text NOT NULL,
            created timestamp NOT NULL DEFAULT (now() at time zone 'utc')
        )""")
    op.execute("CREATE INDEX learning_revision_package "
               "ON learning_revision (package_id, status)")
    op.execute("""
        CREATE TABLE learning_review_event (
            id text PRIMARY KEY,
            package_id text NOT NULL
                REFERENCES package (id) ON DELETE CASCADE,
            revision_id text,
            user_id text NOT NULL,
            action text NOT NULL,
            from_status text,
            to_status text NOT NULL,
            comment text NOT NULL DEFAULT '',
            terms_version text,
            terms_text text,
            created timestamp NOT NULL DEFAULT (now() at time zone 'utc')
        )""")
    op.execute("CREATE INDEX learning_review_event_package "
               "ON learning_review_event (package_id, created)")
    op.execute("""
        CREATE TABLE learning_membership_request (
            id text PRIMARY KEY,
            user_id text NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
            group_id text NOT NULL REFERENCES "group" (id) ON DELETE CASCADE,
            message text NOT NULL DEFAULT '',
            status text NOT NULL,
            decided_by text,
            created timestamp NOT NULL DEFAULT (now() at time zone 'utc'),
            decided timestamp
        )""")
    op.execute("CREATE UNIQUE INDEX learning_membership_request_open "
               "ON learning_membership_request (user_id, group_id) "
               "WHERE status = 'pending'")


def downgrade():
    op.execute("DROP TABLE IF EXISTS learning_membership_request")
    op.execute("DROP TABLE IF EXISTS learning_review_event")
    op.execute("DROP TABLE IF EXISTS learning_revision")
    op.execute("DROP TABLE IF EXISTS learning_review_status")
