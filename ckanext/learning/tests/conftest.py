import pytest

from ckan.tests import factories


@pytest.fixture
def org():
    return factories.Organization()


@pytest.fixture
def sysadmin():
    return factories.Sysadmin()
