"""``ckan learning check`` passes a sound portal and names what disagrees."""
from __future__ import annotations

import re

import ckan.model as model
import pytest
import sqlalchemy as sa
from ckan.cli.cli import ckan
from ckan.tests import factories, helpers

from ckanext.learning.search import check

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


@pytest.fixture
def shelf(org):
    """Public, private and draft datasets in two organisations, searched
    once (this process's postings are loaded)."""
    other = factories.Organization(name="other-cso")
    make = factories.Dataset
    shelf = {
        "public": make(name="forest-guide", owner_org=org["id"], title="Forest patrol guide",
                       tags=[{"name": "forest"}],
                       resources=[{"url": "http://x/a.pdf", "format": "PDF"}]),
        "private": make(name="forest-notes", owner_org=org["id"], private=True,
                        title="Internal forest notes"),
        "draft": make(name="radio-draft", owner_org=other["id"], state="draft",
                      title="Community radio draft"),
        "other": make(name="river-report", owner_org=other["id"], title="River report",
                      tags=[{"name": "river"}]),
    }
    helpers.call_action("package_search", q="forest")
    return shelf


def invoke(cli, *args: str):
    return cli.invoke(ckan, ["learning", "check", *args])


def invoke_briefly(cli):
    """Two searches are enough to show a corruption (and cost a fifth)."""
    return invoke(cli, "--query", "*:*", "--query", "forest")


def totals(output: str) -> tuple[int, int, int]:
    found = re.search(r"(\d+) comparisons, (\d+) answered by the postings; "
                      r"(\d+) disagreements", output)
    assert found, output
    return int(found[1]), int(found[2]), int(found[3])


def sql(statement: str, **values) -> None:
    model.Session.execute(sa.text(statement), values)
    model.Session.commit()


def test_a_sound_portal_passes(cli, shelf):
    result = invoke(cli)
    assert result.exit_code == 0, result.output
    comparisons, by_postings, disagreements = totals(result.output)
    # not SQL compared with itself: the postings answered every search
    assert comparisons >= 20 and by_postings == comparisons
    assert disagreements == 0


def test_default_searches_take_the_commonest_words_and_values(shelf):
    queries = check.default_queries(common=3)
    assert {} in queries
    assert {"q": "forest"} in queries
    assert {"fq": 'tags:"forest"', "sort": "metadata_modified desc"} in queries
    assert {"fq": 'res_format:"PDF"', "sort": "metadata_modified desc"} in queries
    assert any(q.get("fq", "").startswith("organization:") for q in queries)


def test_given_searches_and_user(cli, shelf, org):
    member = factories.User()
    helpers.call_action("organization_member_create", id=org["id"],
                        username=member["name"], role="member")
    result = invoke(cli, "--user", member["name"], "--query", "forest",
                    "--query", '{"q": "river", "fq": "tags:river"}')
    assert result.exit_code == 0, result.output
    # 2 searches for anonymous, 4 sysadmin scopes and 3 of the member's
    assert totals(result.output) == (16, 16, 0)


def test_rounds_repeat_the_comparison(cli, shelf):
    result = invoke(cli, "--query", "forest", "--repeat", "2", "--interval", "0")
    assert result.exit_code == 0, result.output
    assert totals(result.output)[0] == 2 * 5


def test_an_unknown_user_is_a_usage_error(cli, shelf):
    result = invoke(cli, "--user", "nobody-by-this-name")
    assert result.exit_code == 2
    assert "nobody-by-this-name" in result.output


def test_a_row_deleted_behind_the_backend_s_back(cli, shelf):
    """No tombstone: this process's postings keep the dataset, SQL has lost
    it, and the dataset is missing from the index."""
    sql("DELETE FROM learning_search_index WHERE id = :id", id=shelf["public"]["id"])
    result = invoke_briefly(cli)
    assert result.exit_code == 1, result.output
    assert '[index] {"dataset": "forest-guide"}: active dataset not indexed' in result.output
    assert '[anonymous] {"q": "*:*"}: count\n    postings: 2\n    sql:      1' in result.output
    assert '[sysadmin +private +drafts] {"q": "forest"}: count' in result.output
    assert totals(result.output)[2] > 0


def test_a_stale_row_without_a_dataset(cli, shelf):
    """A row of no dataset: both paths count it, neither can show it."""
    sql("""INSERT INTO learning_search_index
               (index_id, id, site_id, state, capacity, dataset_type, permission_labels,
                fields, facet_values, tsv, tsv_rank)
           SELECT md5('stale'), 'no-such-dataset', site_id, state, capacity, dataset_type,
                  permission_labels, fields, facet_values, tsv, tsv_rank
           FROM learning_search_index WHERE id = :id""", id=shelf["public"]["id"])
    result = invoke_briefly(cli)
    assert result.exit_code == 1, result.output
    assert ('[index] {"dataset": "no-such-dataset"}: index row of a missing or deleted '
            'dataset') in result.output
    assert '[anonymous] {"q": "*:*"}: postings: count 3 but 2 results' in result.output
    assert '[anonymous] {"q": "*:*"}: sql: count 3 but 2 results' in result.output


def test_a_row_out_of_date(cli, shelf):
    """A private dataset indexed as public (written behind the backend's back)."""
    sql("UPDATE learning_search_index SET capacity = 'public' WHERE id = :id",
        id=shelf["private"]["id"])
    result = invoke_briefly(cli)
    assert result.exit_code == 1, result.output
    assert ('[index] {"dataset": "forest-notes"}: index row out of date '
            '(state, capacity, type)\n    index:   ["active", "public", "dataset"]\n'
            '    dataset: ["active", "private", "dataset"]') in result.output
