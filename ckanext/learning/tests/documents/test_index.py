"""The documents' text in the index document (documents/index.py)."""
from __future__ import annotations

import ckan.model as model
import ckan.plugins as p
import pytest
from ckan.tests import factories

from ckanext.learning.documents import index
from ckanext.learning.documents.model import DocumentText
from ckanext.learning.search import hooks


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
        assert "កោងកាង" in pkg_dict[hooks.TEXT_TOKENS].split()

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
