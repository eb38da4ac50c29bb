"""Text of uploaded documents, page by page.

PDFs are read with pypdfium2 (PDFium, the engine of Chromium's viewer),
chosen by measurement on Khmer PDFs: ``bench/documents/RESULTS.md``.  DOCX
through python-docx, ODT through odfpy, PPTX through python-pptx (one
"page" per slide).  Nothing here touches CKAN: :func:`extract` takes a path
and a MIME type and returns an :class:`Extraction`.

A PDF whose pages carry no text (a scan: images only) is reported as
:data:`NO_TEXT_LAYER`, not as a failure; no OCR is attempted.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["OK", "NO_TEXT_LAYER", "FAILED", "STATUSES", "PDF", "DOCX", "ODT", "PPTX",
           "EXTRACTABLE", "Extraction", "clean_text", "extract"]

OK = "ok"
NO_TEXT_LAYER = "no_text_layer"
FAILED = "failed"
STATUSES = (OK, NO_TEXT_LAYER, FAILED)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

# Glyphs a PDF maps to no character come out as control characters (pypdf,
# pypdfium2), "(cid:N)" (pdfminer.six) or U+FFFD; PDFium also marks
# generated line ends and hyphens with U+FFFE/U+0002.
_UNMAPPED = re.compile(r"\(cid:\d+\)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd\ufffe\uffff]")
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_WORD = re.compile(r"\w")
#: Pages of a PDF read (the page count is the whole document's).
MAX_PAGES = 1000
# Khmer-specific repairs of what PDF text layers get wrong: a space or line
# break before a dependent vowel, sign or subscript (which never begins a
# word: the extractor split a cluster drawn as several glyphs), and ASCII
# symbols between two Khmer letters (glyphs mapped to a wrong code point).
_SPLIT_CLUSTER = re.compile(r"(?<=[\u1780-\u17dd])\s+(?=[\u17b6-\u17d3\u17dd])")
_SYMBOL_IN_WORD = re.compile(r"(?<=[\u1780-\u17dd])[!-/:-@\[-`{-~]+(?=[\u1780-\u17dd])")


@dataclass
class Extraction:
    """What was read from one file.

    :param status: :data:`OK`, :data:`NO_TEXT_LAYER` or :data:`FAILED`
    :param pages: the text of each page (each slide of a presentation; a
        word-processing document, which has no fixed pages, is one); of a
        PDF, the first :data:`MAX_PAGES`
    :param page_count: pages of a PDF, slides of a presentation; ``None``
        for a word-processing document
    :param extractor: library and version that read the file
    :param reason: why it failed, for :data:`FAILED`
    """

    status: str
    pages: list[str] = field(default_factory=list)
    page_count: int | None = None
    extractor: str = ""
    reason: str = ""

    @property
    def text(self) -> str:
        return "\n\n".join(p for p in self.pages if p)


def clean_text(text: str) -> str:
    """NFC text without unmapped glyphs, split Khmer clusters, runs of
    spaces or trailing blanks."""
    text = _UNMAPPED.sub("", unicodedata.normalize("NFC", text.replace("\r\n", "\n")))
    text = _SYMBOL_IN_WORD.sub("", _SPLIT_CLUSTER.sub("", text))
    lines = (_SPACES.sub(" ", line).strip() for line in text.replace("\r", "\n").split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _has_text(text: str) -> bool:
    return bool(_WORD.search(text))


def _version(module_name: str) -> str:
    from importlib.metadata import version

    try:
        return f"{module_name} {version(module_name)}"
    except Exception:  # pragma: no cover - a vendored copy
        return module_name


def _pdf(path: str) -> Extraction:
    import pypdfium2 as pdfium

    pages: list[str] = []
    pdf = pdfium.PdfDocument(path)
    try:
        page_count = len(pdf)
        for number in range(min(page_count, MAX_PAGES)):
            page = pdf[number]
            textpage = page.get_textpage()
            pages.append(clean_text(textpage.get_text_bounded()))
            textpage.close()
            page.close()
    finally:
        pdf.close()
    status = OK if any(_has_text(p) for p in pages) else NO_TEXT_LAYER
    return Extraction(status, pages, page_count, _version("pypdfium2"))


def _docx(path: str) -> Extraction:
    import docx

    document = docx.Document(path)
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" ".join(cell.text for cell in row.cells))
    for section in document.sections:
        parts.extend(p.text for p in section.header.paragraphs)
        parts.extend(p.text for p in section.footer.paragraphs)
    return _single_page(parts, "python-docx")


def _odt(path: str) -> Extraction:
    from odf import teletype
    from odf import text as odf_text
    from odf.opendocument import load

    document = load(path)
    parts = [teletype.extractText(element)
             for kind in (odf_text.H, odf_text.P)
             for element in document.getElementsByType(kind)]
    return _single_page(parts, "odfpy")


def _single_page(parts: list[str], library: str) -> Extraction:
    text = clean_text("\n".join(parts))
    return Extraction(OK if _has_text(text) else NO_TEXT_LAYER, [text], None,
                      _version(library))


def _pptx(path: str) -> Extraction:
    from pptx import Presentation

    slides: list[str] = []
    for slide in Presentation(path).slides:
        parts: list[str] = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                parts.extend(cell.text for row in shape.table.rows for cell in row.cells)
        if slide.has_notes_slide and slide.notes_slide.notes_text_frame is not None:
            parts.append(slide.notes_slide.notes_text_frame.text)
        slides.append(clean_text("\n".join(parts)))
    status = OK if any(_has_text(s) for s in slides) else NO_TEXT_LAYER
    return Extraction(status, slides, len(slides), _version("python-pptx"))


_READERS: dict[str, Callable[[str], Extraction]] = {
    PDF: _pdf, DOCX: _docx, ODT: _odt, PPTX: _pptx}
#: MIME types (as ``workflow.files.detect`` reports them) whose text is read.
EXTRACTABLE = frozenset(_READERS)


def extract(path: str, mime: str) -> Extraction:
    """Read the text of the file at ``path``, of type ``mime``.

    Never raises for a broken or unsupported file: the result says
    :data:`FAILED` with the reason.
    """
    reader = _READERS.get(mime)
    if reader is None:
        return Extraction(FAILED, reason=f"no text extraction for {mime}")
    try:
        return reader(path)
    except Exception as error:  # a damaged or hostile file
        return Extraction(FAILED, reason=f"{type(error).__name__}: {error}"[:500])
