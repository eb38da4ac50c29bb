"""Test set-up shared by our suite and by CKAN's own tests run against us.

CKAN's ``reset_db`` rebuilds core's tables only; the search index tables come
from this extension's migration, so every reset also brings them up to date.
Living at the repository root, this also applies when CKAN's own test modules
inside ``.venv`` are run from here (see ``bench/ckan_compat.sh``).
"""
import pytest

from ckan.tests import helpers


@pytest.fixture(scope="session")
def reset_db(migrate_db_for):
    def reset() -> None:
        helpers.reset_db()
        migrate_db_for("learning")

    return reset
