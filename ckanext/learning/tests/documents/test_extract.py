"""Reading the text of real documents (documents/extract.py)."""
from __future__ import annotations

import pytest

from ckanext.learning import khmer
from ckanext.learning.documents import extract
from ckanext.learning.tests.documents import samples
from ckanext.learning.workflow import files


def _file(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def _tokens(text):
    return set(khmer.index_tokens(text))


class TestPdf:
    def test_khmer_text_layer_is_read_page_by_page(self, tmp_path):
        path = _file(tmp_path, "fisheries.pdf", samples.khmer_pdf(pages=3))
        result = extract.extract(path, extract.PDF)
        assert result.status == extract.OK
        assert result.page_count == 3 and len(result.pages) == 3
        assert result.extractor.startswith("pypdfium2 ")
        first = result.pages[0]
        assert samples.ENGLISH_SENTENCE in first
        assert samples.KHMER_WORD in khmer.normalize(first)
        # the whole first clause, as a phrase search needs it
        assert khmer.normalize("សហគមន៍នេសាទការពារព្រៃកោងកាង") in khmer.normalize(first)
        assert {"សហគមន៍", "នេសាទ", samples.KHMER_WORD} <= _tokens(first)
        assert "Page 3" in result.pages[2] and samples.ENGLISH_WORD not in result.pages[2]

    def test_a_scan_has_no_text_layer(self, tmp_path):
        path = _file(tmp_path, "scan.pdf", samples.scanned_pdf())
        assert files.detect(open(path, "rb")) == extract.PDF
        result = extract.extract(path, extract.PDF)
        assert result.status == extract.NO_TEXT_LAYER
        assert result.page_count == 1 and result.pages == [""]
        assert result.reason == ""

    def test_a_broken_pdf_fails_with_its_reason(self, tmp_path):
        path = _file(tmp_path, "broken.pdf", samples.khmer_pdf()[:300])
        result = extract.extract(path, extract.PDF)
        assert result.status == extract.FAILED
        assert result.reason and result.pages == []


class TestOfficeDocuments:
    @pytest.mark.parametrize("name, make, mime", [
        ("fisheries.docx", samples.docx_file, extract.DOCX),
        ("fisheries.odt", samples.odt_file, extract.ODT),
    ])
    def test_word_processing_documents_are_one_page(self, tmp_path, name, make, mime):
        path = _file(tmp_path, name, make())
        assert files.detect(open(path, "rb"), name) == mime
        result = extract.extract(path, mime)
        assert result.status == extract.OK
        assert result.page_count is None and len(result.pages) == 1
        text = result.pages[0]
        assert "Community fisheries" in text
        assert samples.KHMER_SENTENCE in text and samples.ENGLISH_SENTENCE in text
        if mime == extract.DOCX:
            assert "Province Koh Kong" in text  # tables too

    def test_presentation_slides_are_pages(self, tmp_path):
        path = _file(tmp_path, "fisheries.pptx", samples.pptx_file())
        assert files.detect(open(path, "rb"), "fisheries.pptx") == extract.PPTX
        result = extract.extract(path, extract.PPTX)
        assert result.status == extract.OK and result.page_count == 2
        assert samples.KHMER_SENTENCE in result.pages[0]
        assert samples.ENGLISH_SENTENCE in result.pages[1]
        assert "tide tables" in result.pages[1]  # speaker notes
        assert result.extractor.startswith("python-pptx ")

    def test_an_unknown_type_fails(self, tmp_path):
        path = _file(tmp_path, "data.csv", b"a,b\n1,2\n")
        result = extract.extract(path, "text/csv")
        assert result.status == extract.FAILED and "text/csv" in result.reason


class TestCleaning:
    def test_unmapped_glyphs_and_split_clusters_are_repaired(self):
        assert extract.clean_text("វ \u17d0យ(cid:12)ក្មេ#$ង\x02។") == "វ\u17d0យក្មេង។"

    def test_ordinary_text_is_kept(self):
        text = "Koh Kong - 2024: 30% (est.)\nខេត្ត កោះកុង, ២០២៤"
        assert extract.clean_text(text) == text


def test_only_the_first_pages_of_a_long_pdf_are_read(tmp_path, monkeypatch):
    monkeypatch.setattr(extract, "MAX_PAGES", 2)
    path = _file(tmp_path, "long.pdf", samples.khmer_pdf(pages=4))
    result = extract.extract(path, extract.PDF)
    assert result.page_count == 4 and len(result.pages) == 2
    assert "Page 2" in result.pages[1]
