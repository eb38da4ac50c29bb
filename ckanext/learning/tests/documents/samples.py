"""Real documents made in the tests: Khmer PDFs drawn with Noto Sans Khmer and
HarfBuzz shaping (fpdf2 + uharfbuzz), a scan (an image-only PDF), DOCX,
ODT and PPTX files."""
from __future__ import annotations

import io
from importlib import resources

from PIL import Image, ImageDraw

FONT = str(resources.files("fontpkg_noto_sans_khmer").joinpath(
    "files", "NotoSansKhmer[wdth,wght].ttf"))

#: Words found only inside the documents (no dataset field has them).
KHMER_WORD = "កោងកាង"  # mangrove
KHMER_SENTENCE = "សហគមន៍នេសាទការពារព្រៃកោងកាងនៅខេត្តកោះកុង។"
ENGLISH_WORD = "mangroves"
ENGLISH_SENTENCE = "Fishing communities replant mangroves along the coast of Koh Kong."


def khmer_pdf(pages: int = 2) -> bytes:
    """A PDF whose first page has :data:`KHMER_SENTENCE` and
    :data:`ENGLISH_SENTENCE`; the other pages say which page they are."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("khmer", fname=FONT)
    pdf.set_text_shaping(True)
    for n in range(pages):
        pdf.add_page()
        pdf.set_font("khmer", size=16)
        if n == 0:
            pdf.multi_cell(0, 10, KHMER_SENTENCE, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Helvetica", size=12)
            pdf.multi_cell(0, 8, ENGLISH_SENTENCE, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.multi_cell(0, 10, f"ទំព័រ {n + 1} Page {n + 1}",
                           new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def scanned_pdf() -> bytes:
    """A PDF that is one picture of a page (what a scanner makes): no text."""
    from fpdf import FPDF

    image = Image.new("RGB", (600, 800), "white")
    draw = ImageDraw.Draw(image)
    for y in range(80, 720, 40):
        draw.rectangle((60, y, 540, y + 14), fill="#333333")
    picture = io.BytesIO()
    image.save(picture, "PNG")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(picture, x=0, y=0, w=210)
    return bytes(pdf.output())


def docx_file() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Community fisheries", level=1)
    document.add_paragraph(KHMER_SENTENCE)
    document.add_paragraph(ENGLISH_SENTENCE)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Province"
    table.rows[0].cells[1].text = "Koh Kong"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def odt_file() -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text="Community fisheries"))
    document.text.addElement(P(text=KHMER_SENTENCE))
    document.text.addElement(P(text=ENGLISH_SENTENCE))
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def pptx_file() -> bytes:
    from pptx import Presentation
    from pptx.util import Inches

    presentation = Presentation()
    first = presentation.slides.add_slide(presentation.slide_layouts[1])
    first.shapes.title.text = "Community fisheries"
    first.placeholders[1].text = KHMER_SENTENCE
    second = presentation.slides.add_slide(presentation.slide_layouts[5])
    second.shapes.title.text = "Koh Kong"
    box = second.shapes.add_textbox(Inches(1), Inches(2), Inches(6), Inches(1))
    box.text_frame.text = ENGLISH_SENTENCE
    second.notes_slide.notes_text_frame.text = "Speaker notes: tide tables"
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()
