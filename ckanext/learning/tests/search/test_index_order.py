"""A write of an older version of a dataset never replaces a newer one in
the PostgreSQL index (found by bench/soak: the document job read a draft,
the approval published it and re-indexed, then the job's stale write landed
and the index said private until the next change)."""
from __future__ import annotations

import ckan.model as model
import pytest
from ckan import logic
from ckan.tests import factories, helpers


def indexed(dataset_id):
    model.Session.remove()
    found = helpers.call_action("package_search", fq=f'id:"{dataset_id}"',
                                include_private=True, include_drafts=True,
                                fl="id,title,metadata_modified")["results"]
    return found[0] if found else None


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_a_stale_write_is_ignored_and_an_equal_one_is_not(org):
    dataset = factories.Dataset(owner_org=org["id"], title="First title")
    # what a job reads before the change commits
    stale = logic.package_show_default_and_custom_schemas({"ignore_auth": True},
                                                          dataset["id"])
    helpers.call_action("package_patch", id=dataset["id"], title="Second title")
    assert indexed(dataset["id"])["title"] == "Second title"
    # the job's write, from what it read before the change, lands last
    logic.index_update_package_dicts(stale)
    model.Session.commit()  # the index's writes belong to the caller's transaction
    assert indexed(dataset["id"])["title"] == "Second title"
    # the same version written again (a re-index, document text) does land
    default, custom = logic.package_show_default_and_custom_schemas(
        {"ignore_auth": True}, dataset["id"])
    logic.index_update_package_dicts((dict(default, title="Second title, re-read"),
                                      dict(custom, title="Second title, re-read")))
    model.Session.commit()
    assert indexed(dataset["id"])["title"] == "Second title, re-read"
