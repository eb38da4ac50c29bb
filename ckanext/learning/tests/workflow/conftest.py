"""Real users of every role, and a complete learning resource to submit."""
from __future__ import annotations

import pytest
from ckan.tests import factories
from ckanapi import LocalCKAN

from ckanext.learning.tests.resources import learning_resource


def _member(org, role):
    user = factories.User()
    LocalCKAN().action.organization_member_create(
        id=org["id"], username=user["name"], role=role)
    return user


@pytest.fixture
def cso(themes_created):
    return factories.Organization(name="tonle-forest-alliance")


@pytest.fixture
def other_cso(themes_created):
    return factories.Organization(name="young-voices-media")


@pytest.fixture
def odc(themes_created):
    """ODC's organisation: its admins review (reviewer_organizations = odc)."""
    return factories.Organization(name="odc")


@pytest.fixture
def contributor(cso):
    return _member(cso, "editor")


@pytest.fixture
def cso_admin(cso):
    return _member(cso, "admin")


@pytest.fixture
def cso_member(cso):
    """A read-only member of the CSO: sees its drafts, edits nothing."""
    return _member(cso, "member")


@pytest.fixture
def outsider(other_cso):
    """An editor of another CSO."""
    return _member(other_cso, "editor")


@pytest.fixture
def reviewer(odc):
    return _member(odc, "admin")


@pytest.fixture
def registered():
    """A registered user of no organisation."""
    return factories.User()


def api(user=None) -> LocalCKAN:
    if user is None:
        # LocalCKAN without a user acts as the site user; anonymous is ""
        return LocalCKAN(username="")
    return LocalCKAN(username=user["name"])


def resource_dict(org, name="forest-patrol-handbook", **overrides):
    """A learning resource complete enough to submit (a licence and a link)."""
    return learning_resource(org, name, **{
        "license_id": "CC-BY-4.0",
        "resources": [{"name": "Handbook (video)",
                       "url": "https://video.example.org/patrol-handbook"}],
        **overrides})


@pytest.fixture
def draft(cso, contributor):
    return api(contributor).action.package_create(**resource_dict(cso))


@pytest.fixture
def pending(draft, contributor):
    api(contributor).action.learning_submit(id=draft["id"], accept_terms=True)
    return draft


@pytest.fixture
def published(pending, reviewer):
    api(reviewer).action.learning_review(id=pending["id"], decision="approve")
    return pending
