import pytest
from ckan.tests import factories

from ckanext.learning.themes.catalogue import create_themes


@pytest.fixture
def org():
    return factories.Organization()


@pytest.fixture
def sysadmin():
    return factories.Sysadmin()


@pytest.fixture
def themes_created():
    """The nine theme groups, as ``ckan learning init`` makes them."""
    create_themes()
