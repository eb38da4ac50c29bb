"""Typed accessors for every option the three plugins declare.

Each plugin declares its own options (``config_declaration.yaml`` beside its
``plugin.py``); this module is the one place that reads them, so a name is
spelled once and a declared type is never parsed again (``bool`` and
``list`` options arrive as such from ``tk.config``).
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk

MB = 1 << 20

# learning_search (search/config_declaration.yaml)
SEARCH_BACKEND = "ckanext.learning.search.backend"
SEARCH_TEXT_CONFIG = "ckanext.learning.search.text_config"
SEARCH_POSTINGS = "ckanext.learning.search.postings"
SEARCH_MAX_QUERY_LENGTH = "ckanext.learning.search.max_query_length"
SEARCH_MAX_TERMS = "ckanext.learning.search.max_terms"
SEARCH_MAX_DEPTH = "ckanext.learning.search.max_depth"
SEARCH_STATEMENT_TIMEOUT = "ckanext.learning.search.statement_timeout"
SEARCH_READ_URL = "ckanext.learning.search.read_url"
# learning_fluent (fluent/config_declaration.yaml)
FLUENT_KHMER_TAGS = "ckanext.learning.fluent.khmer_tags"
# learning (config_declaration.yaml)
UPLOAD_MAX_SIZE_MB = "ckanext.learning.upload.max_size_mb"
UPLOAD_ALLOWED_KINDS = "ckanext.learning.upload.allowed_kinds"
UPLOAD_MIN_FREE_MB = "ckanext.learning.upload.min_free_mb"
REVIEW_REVIEWERS = "ckanext.learning.review.reviewers"
REVIEW_REVIEWER_ORGANIZATIONS = "ckanext.learning.review.reviewer_organizations"
REVIEW_TERMS_FILE = "ckanext.learning.review.terms_file"
REVIEW_NOTIFY = "ckanext.learning.review.notify"
DCAT_PUBLISHER = "ckanext.learning.dcat.publisher"
DCAT_PUBLISHER_TYPE = "ckanext.learning.dcat.publisher_type"
DCAT_CONTACT_EMAIL = "ckanext.learning.dcat.contact_email"
DCAT_TITLE_KM = "ckanext.learning.dcat.title_km"
DCAT_DESCRIPTION_KM = "ckanext.learning.dcat.description_km"
DCAT_LICENSE = "ckanext.learning.dcat.license"
SECURITY_LOGIN_FAILURES_PER_ACCOUNT = "ckanext.learning.security.login_failures_per_account"
SECURITY_LOGIN_FAILURES_PER_ADDRESS = "ckanext.learning.security.login_failures_per_address"
SECURITY_LOGIN_WINDOW = "ckanext.learning.security.login_window"
SECURITY_SIGNUPS_PER_ADDRESS = "ckanext.learning.security.signups_per_address"
SECURITY_SIGNUP_WINDOW = "ckanext.learning.security.signup_window"
SECURITY_PROXY_HOPS = "ckanext.learning.security.proxy_hops"
SECURITY_CSP = "ckanext.learning.security.content_security_policy"
WEB_COMPRESS = "ckanext.learning.web.compress"
DATABASE_CONNECT_TIMEOUT = "ckanext.learning.database.connect_timeout"
DATABASE_STATEMENT_TIMEOUT = "ckanext.learning.database.statement_timeout"
DATABASE_RETRY_AFTER = "ckanext.learning.database.retry_after"
MAIL_TIMEOUT = "ckanext.learning.mail.timeout"
MAIL_RETRY_SECONDS = "ckanext.learning.mail.retry_seconds"
MAIL_MAX_RETRY_SECONDS = "ckanext.learning.mail.max_retry_seconds"
MAIL_SINK_PORT = "ckanext.learning.mail.sink_port"
MAIL_SINK_DIRECTORY = "ckanext.learning.mail.sink_directory"
# core's, read here so that limits and links agree with core
CORE_MAX_RESOURCE_SIZE = "ckan.max_resource_size"
CORE_SITE_URL = "ckan.site_url"
CORE_SITE_ID = "ckan.site_id"


def search_backend() -> str:
    return tk.config[SEARCH_BACKEND]


def search_text_config() -> str:
    return tk.config[SEARCH_TEXT_CONFIG]


def search_postings() -> bool:
    """Whether everyday searches come from the in-memory postings."""
    return tk.config[SEARCH_POSTINGS]


def search_max_query_length() -> int:
    return tk.config[SEARCH_MAX_QUERY_LENGTH]


def search_max_terms() -> int:
    return tk.config[SEARCH_MAX_TERMS]


def search_max_depth() -> int:
    return tk.config[SEARCH_MAX_DEPTH]


def search_statement_timeout() -> int:
    """Milliseconds; 0: no limit."""
    return tk.config[SEARCH_STATEMENT_TIMEOUT]


def search_read_url() -> str | None:
    """SQLAlchemy URL of a streaming replica for the search's reads; None:
    the primary (``sqlalchemy.url``) answers them."""
    return tk.config[SEARCH_READ_URL] or None


def fluent_khmer_tags() -> bool:
    """Whether core's tag validators are replaced by ones that accept Khmer."""
    return tk.config[FLUENT_KHMER_TAGS]


def upload_max_bytes() -> int:
    """The largest resource upload accepted, in bytes.

    The smaller of ``ckanext.learning.upload.max_size_mb`` and core's
    ``ckan.max_resource_size``: core's local storage enforces its own limit
    only while copying the file (after validation, with an untranslated
    message), so refusing at the lower of the two up front keeps the
    message ours and the limit it states true.
    """
    return min(tk.config[UPLOAD_MAX_SIZE_MB], tk.config[CORE_MAX_RESOURCE_SIZE]) * MB


def upload_min_free_bytes() -> int:
    """Disk an upload must leave free in the storage, in bytes."""
    return tk.config[UPLOAD_MIN_FREE_MB] * MB


def upload_allowed_kinds() -> list[str]:
    """Kinds of file accepted (see ``ckanext.learning.workflow.files``)."""
    return tk.config[UPLOAD_ALLOWED_KINDS]


def review_reviewers() -> set[str]:
    """User names of the reviewers besides the sysadmins."""
    return set(tk.config[REVIEW_REVIEWERS])


def review_reviewer_organizations() -> list[str]:
    """Organisations (names or ids) whose admins review."""
    return list(tk.config[REVIEW_REVIEWER_ORGANIZATIONS])


def review_terms_file() -> str:
    """The terms of contribution: a path, or ``package:path``."""
    return tk.config[REVIEW_TERMS_FILE]


def review_notify() -> bool:
    """Whether the workflow sends mail."""
    return tk.config[REVIEW_NOTIFY]


def site_id() -> str:
    """Core's site id, also the name of its site user (``get_site_user``)."""
    return tk.config[CORE_SITE_ID]


def site_url() -> str:
    """The portal's public address, without a trailing slash (mail links)."""
    return (tk.config.get(CORE_SITE_URL) or "").rstrip("/")


def dcat_publisher() -> str:
    """The organisation (name or id) publishing the DCAT catalogue."""
    return tk.config[DCAT_PUBLISHER]


def dcat_publisher_type() -> str:
    """ADMS publisher type of organisations without their own ("" for none)."""
    return tk.config[DCAT_PUBLISHER_TYPE] or ""


def dcat_contact_email() -> str:
    return tk.config[DCAT_CONTACT_EMAIL] or ""


def dcat_title_km() -> str:
    return tk.config[DCAT_TITLE_KM] or ""


def dcat_description_km() -> str:
    return tk.config[DCAT_DESCRIPTION_KM] or ""


def dcat_license() -> str:
    """Licence URI of the catalogue's metadata ("" for none)."""
    return tk.config[DCAT_LICENSE] or ""


def security_login_failures_per_account() -> int:
    """Failed log-ins to one account before it is locked for the window."""
    return tk.config[SECURITY_LOGIN_FAILURES_PER_ACCOUNT]


def security_login_failures_per_address() -> int:
    """Failed log-ins from one client address before it is locked."""
    return tk.config[SECURITY_LOGIN_FAILURES_PER_ADDRESS]


def security_login_window() -> int:
    """Seconds over which failed log-ins are counted."""
    return tk.config[SECURITY_LOGIN_WINDOW]


def security_signups_per_address() -> int:
    """Anonymous sign-ups one client address may make per window."""
    return tk.config[SECURITY_SIGNUPS_PER_ADDRESS]


def security_signup_window() -> int:
    """Seconds over which sign-ups are counted."""
    return tk.config[SECURITY_SIGNUP_WINDOW]


def security_proxy_hops() -> int:
    """Trusted reverse proxies in front of CKAN (0: none)."""
    return tk.config[SECURITY_PROXY_HOPS]


def security_content_security_policy() -> str:
    """The ``Content-Security-Policy`` header of every response."""
    return tk.config[SECURITY_CSP]


def web_compress() -> bool:
    """Whether the app compresses its pages and assets itself."""
    return tk.config[WEB_COMPRESS]


def database_connect_timeout() -> int:
    """Seconds to wait for PostgreSQL to accept a connection."""
    return tk.config[DATABASE_CONNECT_TIMEOUT]


def database_statement_timeout() -> int:
    """Milliseconds a web request's statement may run (0: no limit)."""
    return tk.config[DATABASE_STATEMENT_TIMEOUT]


def database_retry_after() -> int:
    """Seconds of ``Retry-After`` while the database is unavailable."""
    return tk.config[DATABASE_RETRY_AFTER]


def mail_timeout() -> int:
    """Seconds to wait on the SMTP server."""
    return tk.config[MAIL_TIMEOUT]


def mail_retry_seconds() -> int:
    """Seconds before the first retry of an undelivered mail."""
    return tk.config[MAIL_RETRY_SECONDS]


def mail_max_retry_seconds() -> int:
    """The longest wait between two tries of an undelivered mail."""
    return tk.config[MAIL_MAX_RETRY_SECONDS]


def mail_sink_port() -> int:
    """Port of ``make run``'s local mail sink."""
    return tk.config[MAIL_SINK_PORT]


def mail_sink_directory() -> str:
    """Where the mail sink keeps its ``.eml`` files."""
    return tk.config[MAIL_SINK_DIRECTORY]


def site_is_https() -> bool:
    """Whether the portal is served over HTTPS (``ckan.site_url``)."""
    return site_url().lower().startswith("https://")
