"""Which PDF library reads Khmer text layers best: pypdf, pdfminer.six, pypdfium2.

Run:  .venv/bin/python bench/documents/extractors.py   (writes RESULTS.md's table to stdout)

The text is the 106 Khmer sentences of ``bench/khmer/eval_set.json`` (zero-width
spaces removed), four to a page with one English line, laid out as PDFs three
ways:

* ``fpdf2 shaped``: fpdf2 with Noto Sans Khmer and HarfBuzz shaping on
  (``set_text_shaping(True)``, uharfbuzz): correct rendering, the way a
  generator draws Khmer;
* ``fpdf2 unshaped``: the same without shaping (wrong rendering, but one glyph
  per character, so a trivially mapped text layer);
* ``LibreOffice``: a DOCX written with python-docx converted by
  ``libreoffice --headless --convert-to pdf`` (Noto Sans Khmer installed for
  fontconfig), the way most real documents reach the platform (skipped with a
  note when LibreOffice is not installed).

Each library's text goes through the production cleaning
(``documents.extract.clean_text``: unmapped glyphs removed, split Khmer
clusters joined, ASCII symbols between Khmer letters dropped; the
"unrepaired" column repeats the three scores with only unmapped glyphs
removed), then is compared with the original page after ``khmer.normalize``,
spaces and line breaks removed: *char accuracy* is difflib's similarity
(2 x characters matched in order / both lengths: junk counts against), *token recall* the share of the page's
``khmer.index_tokens`` (what the index holds) found among the extracted
text's tokens, *sentences* the share of sentences found verbatim (what a
phrase search needs).  Speed: pages per second, best of three runs.
"""
from __future__ import annotations

import difflib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from importlib import metadata, resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from ckanext.learning import khmer  # noqa: E402
from ckanext.learning.documents.extract import _UNMAPPED, clean_text  # noqa: E402

FONT = str(resources.files("fontpkg_noto_sans_khmer").joinpath(
    "files/NotoSansKhmer[wdth,wght].ttf"))
PER_PAGE = 4


def pages_of_text() -> list[list[str]]:
    docs = json.loads((ROOT / "bench/khmer/eval_set.json").read_text())["docs"]
    sentences = [d["text"].replace("\u200b", "") for d in docs]
    return [sentences[i:i + PER_PAGE] for i in range(0, len(sentences), PER_PAGE)]


def english(n: int) -> str:
    return f"Page {n + 1}: community forest training materials for teachers."


def fpdf_pdf(pages: list[list[str]], shaped: bool) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("khmer", fname=FONT)
    pdf.set_text_shaping(shaped)
    for n, sentences in enumerate(pages):
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 7, english(n), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("khmer", size=13)
        for sentence in sentences:
            pdf.multi_cell(0, 9, sentence, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
    return bytes(pdf.output())


def libreoffice_pdf(pages: list[list[str]]) -> bytes | None:
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if not office:
        return None
    import docx
    from docx.enum.text import WD_BREAK
    from docx.oxml.ns import qn

    fonts = Path.home() / ".local/share/fonts"
    if not (fonts / Path(FONT).name).exists():
        fonts.mkdir(parents=True, exist_ok=True)
        shutil.copy(FONT, fonts)
        subprocess.run(["fc-cache", "-f", str(fonts)], check=False, capture_output=True)
    document = docx.Document()
    for n, sentences in enumerate(pages):
        document.add_paragraph(english(n))
        for sentence in sentences:
            run = document.add_paragraph().add_run(sentence)
            run.font.name = "Noto Sans Khmer"
            run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:cs"), "Noto Sans Khmer")
        if n < len(pages) - 1:
            document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
    with tempfile.TemporaryDirectory() as tmp:
        source = os.path.join(tmp, "khmer.docx")
        document.save(source)
        subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp}/profile",
                        "--convert-to", "pdf", "--outdir", tmp, source],
                       check=True, capture_output=True, timeout=300)
        return Path(tmp, "khmer.pdf").read_bytes()


def read_pypdf(data: bytes) -> list[str]:
    import pypdf

    return [page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def read_pdfminer(data: bytes) -> list[str]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer

    return ["".join(el.get_text() for el in layout if isinstance(el, LTTextContainer))
            for layout in extract_pages(io.BytesIO(data))]


def read_pypdfium2(data: bytes) -> list[str]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        return [page.get_textpage().get_text_bounded() for page in pdf]
    finally:
        pdf.close()


EXTRACTORS = {"pypdf": read_pypdf, "pdfminer.six": read_pdfminer,
              "pypdfium2": read_pypdfium2}


def squash(text: str) -> str:
    return "".join(khmer.normalize(text).split())


def basic_clean(text: str) -> str:
    """Unmapped glyphs removed only (no Khmer repairs)."""
    return _UNMAPPED.sub("", text)


def score(pages: list[list[str]], got: list[str],
          repair: bool = True) -> tuple[float, float, float]:
    matched = total = found_tokens = all_tokens = found_sentences = n_sentences = 0
    for n, sentences in enumerate(pages):
        original = [english(n), *sentences]
        raw = got[n] if n < len(got) else ""
        text = clean_text(raw) if repair else basic_clean(raw)
        ref, hyp = squash("".join(original)), squash(text)
        blocks = difflib.SequenceMatcher(None, ref, hyp, autojunk=False).get_matching_blocks()
        matched += 2 * sum(b.size for b in blocks)
        total += len(ref) + len(hyp)
        want = Counter(t for s in sentences for t in khmer.index_tokens(s) if khmer.has_khmer(t))
        have = Counter(khmer.index_tokens(khmer.normalize(text)))
        found_tokens += sum(min(c, have[t]) for t, c in want.items())
        all_tokens += sum(want.values())
        found_sentences += sum(squash(s) in hyp for s in sentences)
        n_sentences += len(sentences)
    return matched / total, found_tokens / all_tokens, found_sentences / n_sentences


def speed(read, data: bytes, n_pages: int) -> float:
    best = min(_timed(read, data) for _ in range(3))
    return n_pages / best


def _timed(read, data: bytes) -> float:
    start = time.perf_counter()
    read(data)
    return time.perf_counter() - start


def main() -> None:
    pages = pages_of_text()
    sources = {"fpdf2 shaped": fpdf_pdf(pages, True),
               "fpdf2 unshaped": fpdf_pdf(pages, False)}
    office = libreoffice_pdf(pages)
    if office is not None:
        sources["LibreOffice"] = office
    versions = {name: metadata.version(name) for name in
                ("pypdf", "pdfminer.six", "pypdfium2", "fpdf2", "uharfbuzz")}
    print(f"{len(pages)} pages, {sum(map(len, pages))} Khmer sentences; "
          + ", ".join(f"{k} {v}" for k, v in versions.items()))
    if office is None:
        print("(LibreOffice not installed: its row is missing)")
    print()
    print("| PDF made by | library | char accuracy | token recall | sentences found "
          "| same, unrepaired | pages/s |")
    print("|---|---|---:|---:|---:|---|---:|")
    for source, data in sources.items():
        for name, read in EXTRACTORS.items():
            got = read(data)
            chars, tokens, sentences = score(pages, got)
            raw = "/".join(f"{x:.0%}" for x in score(pages, got, repair=False))
            print(f"| {source} | {name} | {chars:.1%} | {tokens:.1%} | {sentences:.1%} "
                  f"| {raw} | {speed(read, data, len(pages)):.0f} |")


if __name__ == "__main__":
    main()
