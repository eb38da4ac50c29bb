"""Test set-up shared by our suite and by CKAN's own tests run against us.

CKAN's ``reset_db`` rebuilds core's tables only; the search index tables come
from this extension's migration, so every reset brings them back when they
are missing.  Living at the repository root, this also applies when CKAN's
own test modules inside ``.venv`` are run from here (``bench/ckan_compat.sh``),
where the plugin itself is not loaded: hence alembic directly, as
``ckan db upgrade -p learning`` would run it.
"""
import logging
import os

import ckan.model as model
import pytest
import sqlalchemy as sa
from ckan.tests import helpers

import ckanext.activity
import ckanext.learning


def _alembic_ini(package, name):
    return os.path.join(os.path.dirname(package.__file__), "migration", name,
                        "alembic.ini")


#: Ours, and the activity plugin's (its migration adds the permission labels
#: of activities; the tests that check activity streams load the plugin).
MIGRATIONS = (_alembic_ini(ckanext.activity, "activity"),
              _alembic_ini(ckanext.learning, "learning_search"),
              _alembic_ini(ckanext.learning, "learning"))


_upgraded = False


def _migrate_learning() -> None:
    """Bring the plugins' tables to head: once per session (a kept test
    database may predate a migration), then whenever a reset dropped them."""
    global _upgraded
    if _upgraded and sa.inspect(model.meta.engine).has_table("learning_search_index"):
        return
    core_ini = model.repo._alembic_ini
    try:
        for alembic_ini in MIGRATIONS:
            model.repo._alembic_ini = alembic_ini
            model.repo.upgrade_db("head")
    finally:
        model.repo._alembic_ini = core_ini
        _enable_loggers()
    _upgraded = True


def _enable_loggers() -> None:
    """Core's migration environments (activity's) call ``fileConfig``, which
    disables every logger it does not name: the extension's would then log
    nothing for the rest of the session, and tests of what it logs fail."""
    for name, logger in logging.root.manager.loggerDict.items():
        if name.startswith("ckanext.learning") and isinstance(logger, logging.Logger):
            logger.disabled = False


@pytest.fixture(scope="session")
def reset_db():
    def reset() -> None:
        helpers.reset_db()
        _migrate_learning()

    return reset
