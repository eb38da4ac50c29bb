"""The documents' text in the index document (documents/index.py)."""
from __future__ import annotations

import ckan.model as model
import ckan.plugins as p
import pytest
import sqlalchemy as sa
from ckan.lib import search
from ckan.tests import factories, helpers

from ckanext.learning.documents import index
from ckanext.learning.documents.model import DocumentText
from ckanext.learning.search import hooks
from ckanext.learning.search.model import DOCUMENT_TABLE


def _store(resource_id, pages):
    model.Session.add(DocumentText(resource_id=resource_id, status="ok", pages=pages,
                                   page_count=len(pages)))
    model.Session.commit()


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestIndexDocument:
    def test_learning_adds_the_text_before_learning_search_segments_it(self):
        names = [plugin.name for plugin in p.PluginImplementations(p.IPackageController)]
        assert names.index("learning") < names.index("learning_search")

    def test_khmer_document_text_is_segmented_by_the_search_hook(self, org):
        dataset = factories.Dataset(owner_org=org["id"])
        resource = factories.Resource(package_id=dataset["id"])
        _store(resource["id"], ["ព្រៃកោងកាង mangroves"])
        pkg_dict = hooks.prepare_for_index(index.add_document_text({"id": dataset["id"]}))
        assert pkg_dict[index.DOCUMENT_TEXT] == "ព្រៃកោងកាង mangroves"
        assert "កោងកាង" in pkg_dict[index.DOCUMENT_TOKENS].split()
        # apart from the metadata's tokens, which rank above them
        assert hooks.TEXT_TOKENS not in pkg_dict

    @pytest.mark.parametrize("postings", [True, False], ids=["postings", "sql"])
    def test_the_text_is_searched_below_the_metadata_and_never_stored(
            self, org, postings, ckan_config, monkeypatch):
        monkeypatch.setitem(ckan_config, "ckanext.learning.search.postings", postings)
        in_title = factories.Dataset(owner_org=org["id"], title="Mangroves ព្រៃកោងកាង")
        dataset = factories.Dataset(owner_org=org["id"], title="Coastal guide")
        resource = factories.Resource(package_id=dataset["id"])
        _store(resource["id"], ["Planting mangroves. ការដាំព្រៃកោងកាងតាមឆ្នេរ"])
        search.rebuild(dataset["id"])
        for q in ("mangroves", "កោងកាង", f"{index.DOCUMENT_TEXT}:planting",
                  f"{index.DOCUMENT_TEXT}:កោងកាង"):
            found = helpers.call_action("package_search", q=q)["results"]
            assert dataset["id"] in [r["id"] for r in found], q
        # the newer dataset, found only inside its document, comes after
        for q in ("mangroves", "កោងកាង"):
            found = helpers.call_action("package_search", q=q)["results"]
            assert [r["id"] for r in found] == [in_title["id"], dataset["id"]], q
        stored = model.Session.execute(sa.text(
            f"SELECT doc::text FROM {DOCUMENT_TABLE}")).scalars().all()
        assert stored and not any("Planting" in doc for doc in stored)

    def test_deleted_resources_are_left_out(self, org):
        dataset = factories.Dataset(owner_org=org["id"])
        kept = factories.Resource(package_id=dataset["id"])
        gone = factories.Resource(package_id=dataset["id"])
        _store(kept["id"], ["kept text"])
        _store(gone["id"], ["deleted text"])
        model.Session.get(model.Resource, gone["id"]).state = "deleted"
        model.Session.commit()
        assert index.add_document_text({"id": dataset["id"]})[index.DOCUMENT_TEXT] == \
            "kept text"

    def test_the_text_is_capped_and_khmer_more_so(self, monkeypatch, org):
        monkeypatch.setattr(index, "MAX_INDEX_CHARS", 50)
        monkeypatch.setattr(index, "MAX_KHMER_CHARS", 6)
        dataset = factories.Dataset(owner_org=org["id"])
        resource = factories.Resource(package_id=dataset["id"])
        _store(resource["id"], ["a" * 30, "ព្រៃ forest កោងកាង", "b" * 30])
        text = index.add_document_text({"id": dataset["id"]})[index.DOCUMENT_TEXT]
        assert text == "a" * 30 + "\n" + "ព្រៃ forest កោ" + "\n" + "b" * 4
