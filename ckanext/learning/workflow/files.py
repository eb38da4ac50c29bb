"""Which uploaded files the platform accepts, and how stored files are served.

Contribution rules, files part: an upload is judged by its *content*
(libmagic through python-magic, plus a look inside ZIP and OLE containers),
never by its name, against the allow-list :data:`ALLOWED`.  The file name
only breaks ties libmagic cannot (plain text that is CSV or JSON).

Nothing here touches CKAN's storage or database: :func:`check_upload` raises
``ValidationError`` before core writes anything, and :func:`download_headers`
only computes headers.  The CKAN hook points live in
:mod:`ckanext.learning.workflow.upload_hooks`.
"""
from __future__ import annotations

import io
import os
import posixpath
import re
import struct
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any
from urllib.parse import quote, urlsplit

import ckan.plugins.toolkit as tk
import magic
from werkzeug.http import dump_options_header

from ckanext.learning.config import MB
from ckanext.learning.workflow import N_

__all__ = [
    "ALLOWED",
    "KINDS",
    "FileType",
    "INLINE_TYPES",
    "allowed_types",
    "check_upload",
    "detect",
    "download_headers",
    "inspect_upload",
    "is_web_link",
    "safe_filename",
    "stored_filename",
    "valid_mimetype",
]

#: bytes given to libmagic; containers (ZIP, OLE) are then read by structure.
HEAD_BYTES = 8192


@dataclass(frozen=True)
class FileType:
    """One accepted kind of content.

    :param mime: the canonical MIME type, as :func:`detect` reports it
    :param kind: the family an admin can switch off
        (``ckanext.learning.upload.allowed_kinds``)
    :param label: human name (msgid), e.g. "Word document"
    :param extensions: file extensions, the first being canonical
    :param inline: a browser may display it in place (it runs no script)
    """

    mime: str
    kind: str
    label: str
    extensions: tuple[str, ...]
    inline: bool = False


_OOXML = "application/vnd.openxmlformats-officedocument."
_ODF = "application/vnd.oasis.opendocument."

#: The allow-list, by canonical MIME type.
ALLOWED: dict[str, FileType] = {t.mime: t for t in (
    FileType("application/pdf", "document", N_("PDF document"), (".pdf",),
             inline=True),
    FileType("application/msword", "document", N_("Word document"),
             (".doc",)),
    FileType(_OOXML + "wordprocessingml.document", "document",
             N_("Word document"), (".docx",)),
    FileType(_ODF + "text", "document", N_("OpenDocument text"), (".odt",)),
    FileType("application/vnd.ms-excel", "spreadsheet", N_("Excel spreadsheet"),
             (".xls",)),
    FileType(_OOXML + "spreadsheetml.sheet", "spreadsheet",
             N_("Excel spreadsheet"), (".xlsx",)),
    FileType(_ODF + "spreadsheet", "spreadsheet",
             N_("OpenDocument spreadsheet"), (".ods",)),
    FileType("application/vnd.ms-powerpoint", "presentation",
             N_("PowerPoint presentation"), (".ppt",)),
    FileType(_OOXML + "presentationml.presentation", "presentation",
             N_("PowerPoint presentation"), (".pptx",)),
    FileType(_ODF + "presentation", "presentation",
             N_("OpenDocument presentation"), (".odp",)),
    FileType("image/png", "image", N_("PNG image"), (".png",), inline=True),
    FileType("image/jpeg", "image", N_("JPEG image"), (".jpg", ".jpeg", ".jpe"),
             inline=True),
    FileType("image/gif", "image", N_("GIF image"), (".gif",), inline=True),
    FileType("image/webp", "image", N_("WebP image"), (".webp",), inline=True),
    FileType("video/mp4", "video", N_("MP4 video"), (".mp4", ".m4v"),
             inline=True),
    FileType("video/webm", "video", N_("WebM video"), (".webm",), inline=True),
    FileType("audio/mpeg", "audio", N_("MP3 audio"), (".mp3",), inline=True),
    FileType("text/csv", "data", N_("CSV table"), (".csv",), inline=True),
    FileType("application/json", "data", N_("JSON data"), (".json",),
             inline=True),
    FileType("application/zip", "archive", N_("ZIP archive"), (".zip",)),
)}

#: Kinds in the order the refusal message lists them, with their labels.
KINDS: dict[str, str] = {
    "document": N_("documents (PDF, Word, OpenDocument text)"),
    "spreadsheet": N_("spreadsheets (Excel, OpenDocument)"),
    "presentation": N_("presentations (PowerPoint, OpenDocument)"),
    "image": N_("images (PNG, JPEG, GIF, WebP)"),
    "video": N_("video (MP4, WebM)"),
    "audio": N_("audio (MP3)"),
    "data": N_("data (CSV, JSON)"),
    "archive": N_("ZIP archives"),
}

#: Other spellings libmagic (depending on its version) gives accepted types.
_ALIASES = {
    "application/x-zip-compressed": "application/zip",
    "application/csv": "text/csv",
    "audio/mp3": "audio/mpeg",
    "audio/x-mp3": "audio/mpeg",
    "audio/x-mpeg": "audio/mpeg",
    "video/x-m4v": "video/mp4",
    "application/x-pdf": "application/pdf",
}

_MACRO_OFFICE = "application/vnd.ms-office.vbaProject"

#: Names for refused content, so the message says more than a MIME type.
_REFUSED_LABELS = {
    "application/vnd.microsoft.portable-executable": N_("Windows program"),
    "application/x-dosexec": N_("Windows program"),
    "application/x-msdownload": N_("Windows program"),
    "application/x-msi": N_("Windows installer"),
    "application/x-executable": N_("program"),
    "application/x-pie-executable": N_("program"),
    "application/x-sharedlib": N_("program library"),
    "application/x-mach-binary": N_("program"),
    "text/x-shellscript": N_("shell script"),
    "text/x-python": N_("script"),
    "text/x-perl": N_("script"),
    "text/x-php": N_("script"),
    "text/x-msdos-batch": N_("script"),
    "application/javascript": N_("JavaScript"),
    "text/javascript": N_("JavaScript"),
    "text/html": N_("web page (HTML)"),
    "application/xhtml+xml": N_("web page (HTML)"),
    "image/svg+xml": N_("SVG image"),
    "text/xml": N_("XML document"),
    "application/xml": N_("XML document"),
    "text/plain": N_("plain text"),
    "application/x-empty": N_("empty file"),
    "application/octet-stream": N_("unrecognised or damaged data"),
    "application/x-ole-storage": N_("unrecognised Office or installer file"),
    "application/CDFV2": N_("unrecognised Office or installer file"),
    "application/java-archive": N_("Java program"),
    "application/vnd.android.package-archive": N_("Android app"),
    _MACRO_OFFICE: N_("Office document with macros"),
    "application/vnd.ms-word.document.macroEnabled.12":
        N_("Office document with macros"),
    "application/vnd.ms-excel.sheet.macroEnabled.12":
        N_("Office document with macros"),
    "application/vnd.ms-powerpoint.presentation.macroEnabled.12":
        N_("Office document with macros"),
}

Source = bytes | bytearray | memoryview | IO[bytes]


# --------------------------------------------------------------- detection


def detect(source: Source, filename: str | None = None) -> str:
    """The MIME type of a file, judged by content.

    libmagic reads the first :data:`HEAD_BYTES`; a ZIP is then classified by
    its member list (OOXML, OpenDocument, Java/Android archives or plain ZIP)
    and an OLE2 compound file by its directory (Word, Excel, PowerPoint,
    macros), seeking rather than reading the whole file.  ``filename`` only
    breaks ties for plain text: ``.csv`` is CSV, ``.json`` that starts like
    JSON is JSON.

    :param source: the bytes, or a seekable binary stream; a stream is read
        from its start and left where it was
    :param filename: the name the client gave, if any
    :returns: a MIME type, e.g. ``application/pdf``
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        return _detect(io.BytesIO(bytes(source)), filename)
    position = source.tell()
    try:
        return _detect(source, filename)
    finally:
        source.seek(position)


def _detect(stream: IO[bytes], filename: str | None) -> str:
    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    mime = magic.from_buffer(head, mime=True) if head else "application/x-empty"
    mime = _ALIASES.get(mime, mime)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_type(stream)
    if head.startswith(_OLE_MAGIC):
        return _ole_type(stream) or mime
    if mime == "text/plain":
        return _text_type(head, filename) or mime
    return mime


def _text_type(head: bytes, filename: str | None) -> str | None:
    ext = posixpath.splitext((filename or "").lower())[1]
    if ext == ".csv":
        return "text/csv"
    if ext == ".json" and head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        return "application/json"
    return None


# ZIP containers: OOXML declares its main part in [Content_Types].xml,
# OpenDocument (and EPUB) name themselves in a first member "mimetype".

_CT_MEMBER = "[Content_Types].xml"
_MAX_MEMBER_READ = 1 << 16
_OOXML_MAIN = {
    _OOXML + "wordprocessingml.document.main+xml":
        _OOXML + "wordprocessingml.document",
    _OOXML + "spreadsheetml.sheet.main+xml": _OOXML + "spreadsheetml.sheet",
    _OOXML + "presentationml.presentation.main+xml":
        _OOXML + "presentationml.presentation",
    _OOXML + "wordprocessingml.template.main+xml":
        _OOXML + "wordprocessingml.template",
    _OOXML + "spreadsheetml.template.main+xml": _OOXML + "spreadsheetml.template",
    _OOXML + "presentationml.template.main+xml":
        _OOXML + "presentationml.template",
    _OOXML + "presentationml.slideshow.main+xml":
        _OOXML + "presentationml.slideshow",
    "application/vnd.ms-word.document.macroEnabled.main+xml":
        "application/vnd.ms-word.document.macroEnabled.12",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml":
        "application/vnd.ms-excel.sheet.macroEnabled.12",
    "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml":
        "application/vnd.ms-powerpoint.presentation.macroEnabled.12",
}
_XML_ELEMENT = re.compile(rb"<(?:\w+:)?Override\b([^>]*)>")
_XML_ATTR = re.compile(rb"(\w+)\s*=\s*[\"']([^\"']*)[\"']")


def _zip_type(stream: IO[bytes]) -> str:
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if _CT_MEMBER in names:
                ooxml = _ooxml_type(archive, names)
                if ooxml:
                    return ooxml
            if "mimetype" in names:
                declared = _read_member(archive, "mimetype", 200)
                declared_mime = declared.decode("ascii", "replace").strip()
                if declared_mime.startswith(_ODF) and "content.xml" not in names:
                    return "application/octet-stream"
                if declared_mime:
                    return declared_mime
            if "AndroidManifest.xml" in names and "classes.dex" in names:
                return "application/vnd.android.package-archive"
            if "META-INF/MANIFEST.MF" in names:
                return "application/java-archive"
            return "application/zip"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError,
            ValueError, NotImplementedError, RuntimeError):
        return "application/octet-stream"


def _ooxml_type(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    if any(posixpath.basename(n).lower() == "vbaproject.bin" for n in names):
        return _MACRO_OFFICE
    content_types = _read_member(archive, _CT_MEMBER, _MAX_MEMBER_READ)
    for match in _XML_ELEMENT.finditer(content_types):
        attrs = {k.decode(): v.decode("utf-8", "replace")
                 for k, v in _XML_ATTR.findall(match.group(1))}
        main = _OOXML_MAIN.get(attrs.get("ContentType", ""))
        if main and attrs.get("PartName", "").lstrip("/") in names:
            return main
    return None


def _read_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    with archive.open(name) as member:
        return member.read(limit)


# OLE2 compound files (legacy .doc/.xls/.ppt): the directory is often at the
# end of the file, out of libmagic's sight in the head, so follow the FAT.

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_LAST_SECTOR = 0xFFFFFFFA
_OLE_MAX_SECTORS = 4096
_OLE_STREAMS = {
    "WordDocument": "application/msword",
    "Workbook": "application/vnd.ms-excel",
    "Book": "application/vnd.ms-excel",
    "PowerPoint Document": "application/vnd.ms-powerpoint",
}
_OLE_MACROS = {"Macros", "_VBA_PROJECT_CUR", "_VBA_PROJECT", "VBA"}


def _ole_type(stream: IO[bytes]) -> str | None:
    try:
        names = _ole_entry_names(stream)
    except (OSError, struct.error, ValueError):
        return None
    if names & _OLE_MACROS:
        return _MACRO_OFFICE
    for name, mime in _OLE_STREAMS.items():
        if name in names:
            return mime
    return None


def _ole_entry_names(stream: IO[bytes]) -> set[str]:
    """Names in an OLE2 compound file's directory (MS-CFB), read by seeking."""
    stream.seek(0)
    header = stream.read(512)
    if len(header) < 512 or not header.startswith(_OLE_MAGIC):
        return set()
    shift = struct.unpack_from("<H", header, 0x1E)[0]
    if shift not in (9, 12):
        return set()
    size = 1 << shift
    per_sector = size // 4
    first_dir, = struct.unpack_from("<I", header, 0x30)
    first_difat, difat_count = struct.unpack_from("<II", header, 0x44)

    def sector(number: int) -> bytes:
        stream.seek((number + 1) * size)
        return stream.read(size)

    fat_sectors = list(struct.unpack_from("<109I", header, 0x4C))
    difat, hops = first_difat, 0
    while difat < _OLE_LAST_SECTOR and hops < min(difat_count, _OLE_MAX_SECTORS):
        block = sector(difat)
        if len(block) < size:
            break
        entries = struct.unpack(f"<{per_sector}I", block)
        fat_sectors.extend(entries[:-1])
        difat, hops = entries[-1], hops + 1
    fat_sectors = [s for s in fat_sectors if s < _OLE_LAST_SECTOR]
    fat_cache: dict[int, tuple[int, ...]] = {}

    def next_sector(number: int) -> int:
        index, offset = divmod(number, per_sector)
        if index >= len(fat_sectors):
            return _OLE_LAST_SECTOR
        if index not in fat_cache:
            block = sector(fat_sectors[index])
            if len(block) < size:
                return _OLE_LAST_SECTOR
            fat_cache[index] = struct.unpack(f"<{per_sector}I", block)
        return fat_cache[index][offset]

    names: set[str] = set()
    current, seen = first_dir, set()
    while current < _OLE_LAST_SECTOR and current not in seen \
            and len(seen) < _OLE_MAX_SECTORS:
        seen.add(current)
        block = sector(current)
        if len(block) < size:
            break
        for start in range(0, size, 128):
            entry = block[start:start + 128]
            length = struct.unpack_from("<H", entry, 0x40)[0]
            if entry[0x42] in (1, 2, 5) and 2 <= length <= 64:
                names.add(entry[:length - 2].decode("utf-16-le", "replace"))
        current = next_sector(current)
    return names


# ------------------------------------------------------------------ checks


def allowed_types(kinds: Iterable[str] | None = None) -> dict[str, FileType]:
    """The allow-list restricted to ``kinds`` (all of :data:`KINDS` if None)."""
    if kinds is None:
        return dict(ALLOWED)
    wanted = set(kinds)
    return {m: t for m, t in ALLOWED.items() if t.kind in wanted}


def inspect_upload(upload: Any, max_bytes: int,
                   kinds: Iterable[str] | None = None) -> FileType:
    """Check an upload's size and content; return what it is.

    :param upload: a ``werkzeug.datastructures.FileStorage`` (its ``stream``
        and ``filename`` are used) or a binary stream; a stream that cannot
        seek is spooled to a temporary file, which replaces
        ``upload.stream``
    :param max_bytes: the largest size accepted
    :param kinds: the kinds accepted (default: every kind in :data:`KINDS`)
    :returns: the matching :class:`FileType`
    :raises ckan.plugins.toolkit.ValidationError: ``{"upload": [message]}``
        when the file is too large or its content is not allowed
    """
    stream = _seekable_stream(upload, max_bytes)
    size = _size(stream)
    if size > max_bytes:
        raise tk.ValidationError({"upload": [_too_large_message(size, max_bytes)]})
    mime = detect(stream, getattr(upload, "filename", None))
    allowed = allowed_types(kinds)
    if mime not in allowed:
        raise tk.ValidationError({"upload": [_refused_message(mime, allowed)]})
    return allowed[mime]


def check_upload(upload: Any, max_bytes: int,
                 kinds: Iterable[str] | None = None) -> None:
    """Refuse an upload that is too large or whose content is not allowed.

    Reads the first few KB (and, for ZIP/OLE containers, their directory)
    and leaves the stream where it was; the size is measured by seeking.

    :raises ckan.plugins.toolkit.ValidationError: ``{"upload": [message]}``
    """
    inspect_upload(upload, max_bytes, kinds)


def _seekable_stream(upload: Any, max_bytes: int) -> IO[bytes]:
    stream = getattr(upload, "stream", upload)
    try:
        if stream.seekable():
            return stream
    except (AttributeError, ValueError):
        pass
    spooled = tempfile.SpooledTemporaryFile(max_size=MB)
    copied = 0
    while chunk := stream.read(MB):
        copied += len(chunk)
        if copied > max_bytes:
            raise tk.ValidationError({"upload": [
                _too_large_message(copied, max_bytes)]})
        spooled.write(chunk)
    spooled.seek(0)
    if hasattr(upload, "stream"):
        upload.stream = spooled
    return spooled  # type: ignore[return-value]


def _size(stream: IO[bytes]) -> int:
    position = stream.tell()
    try:
        return stream.seek(0, os.SEEK_END)
    finally:
        stream.seek(position)


def _too_large_message(size: int, max_bytes: int) -> str:
    return tk._(
        "This file is too large ({size} MB). Files can be at most {limit} MB."
    ).format(size=_mb(size), limit=_mb(max_bytes))


def _refused_message(mime: str, allowed: dict[str, FileType]) -> str:
    label = ALLOWED[mime].label if mime in ALLOWED else _REFUSED_LABELS.get(mime)
    detected = f"{tk._(label)} ({mime})" if label else mime
    kinds = {t.kind for t in allowed.values()}
    accepted = ", ".join(tk._(text) for kind, text in KINDS.items() if kind in kinds)
    return tk._(
        "This file cannot be uploaded: its content is {detected}. Files are "
        "checked by what they contain, not by their name. Accepted files: "
        "{accepted}."
    ).format(detected=detected, accepted=accepted or "-")


def _mb(size: int) -> str:
    value = size / MB
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


# ------------------------------------------------------------ stored fields

#: One part of a MIME type (RFC 6838 ``restricted-name``): no space, no
#: control character, no separator, so never a header injection.
_MIME_NAME = r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}"
_MIME_TYPE = re.compile(rf"{_MIME_NAME}/{_MIME_NAME}")
#: Schemes a link resource may point to.
WEB_SCHEMES = ("http", "https")


def valid_mimetype(value: Any) -> bool:
    """Whether ``value`` is a bare MIME type (``type/subtype``, no
    parameters), fit to be sent as a ``Content-Type``."""
    return isinstance(value, str) and _MIME_TYPE.fullmatch(value) is not None


def is_web_link(url: Any) -> bool:
    """Whether ``url`` is an absolute http(s) address with a host and no
    control character or backslash (what a link resource may hold; a
    ``javascript:`` or ``data:`` URL is not).  Surrounding spaces are
    ignored, as core's ``remove_whitespace`` strips them."""
    if not isinstance(url, str):
        return False
    url = url.strip()
    if not url or any(ord(c) < 0x20 or ord(c) == 0x7F or c == "\\" for c in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an invalid IPv6 host
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname)


# ------------------------------------------------------------------ naming


def safe_filename(filename: str | None, mime: str) -> str:
    """``filename`` with an extension that matches ``mime``.

    A PDF uploaded as ``report.exe`` becomes ``report.exe.pdf``; a name whose
    extension already fits is kept.  Types outside the allow-list are left
    alone (they are only ever served as attachments).  Path parts and
    control characters are dropped.
    """
    name = _clean_name(filename)
    ftype = ALLOWED.get(_ALIASES.get(mime, mime))
    if ftype is None:
        return name
    if name.lower().endswith(ftype.extensions):
        return name
    return (name or "download") + ftype.extensions[0]


def stored_filename(filename: str) -> str:
    """The name an upload is stored (and offered) under.

    Core's ``munge_filename`` keeps ASCII letters only, so a Khmer name
    (``សៀវភៅណែនាំ.pdf``) became ``-.pdf``.  An ASCII name is tidied exactly
    as core does; any other keeps its letters, marks and digits of every
    script, with core's other rules (lower case, ``-`` for spaces, nothing
    that means something in a URL, at most 100 characters, cut between
    clusters)."""
    from ckan.lib import munge

    from ckanext.learning.library.text import cut_point

    name = unicodedata.normalize("NFC", _clean_name(filename))
    if name.isascii():
        return munge.munge_filename(name)
    name = "".join(c if c in "._- " or unicodedata.category(c)[0] in "LMN" else ""
                   for c in name.lower())
    name = re.sub(r"-+", "-", name.strip().replace(" ", "-"))
    stem, ext = posixpath.splitext(name)
    ext = ext[:munge.MAX_FILENAME_EXTENSION_LENGTH]
    stem = stem[:cut_point(stem, munge.MAX_FILENAME_TOTAL_LENGTH - len(ext))]
    if not stem.strip("-_."):
        return munge.munge_filename(name)
    return stem + ext


def _clean_name(filename: str | None) -> str:
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    return name.strip().strip(".")


# ---------------------------------------------------------------- download

#: Served inline only if the response's type is one of these (and so never
#: HTML, SVG, XML or JavaScript); ``text/plain`` covers CSV/JSON shown as text.
INLINE_TYPES = frozenset(
    {t.mime for t in ALLOWED.values() if t.inline} | {"text/plain"})


def download_headers(mimetype: str | None, filename: str | None = None,
                     save: bool = False) -> dict[str, str]:
    """Headers that stop a browser from running a downloaded file.

    Always ``X-Content-Type-Options: nosniff`` (the browser must believe the
    ``Content-Type``); ``Content-Disposition: inline`` only for the types in
    :data:`INLINE_TYPES`, ``attachment`` for anything else (HTML, SVG,
    JavaScript, XML, Office files, ZIP, unknown).  The file name offered is
    :func:`safe_filename` of ``filename``, RFC 6266 encoded for non-ASCII
    (Khmer) names.

    :param mimetype: the ``Content-Type`` the response is sent with
        (parameters such as ``charset`` are ignored)
    :param filename: the name to offer
    :param save: ``attachment`` whatever the type (the file is to be saved,
        not shown)
    :returns: header name -> value
    """
    base = (mimetype or "").split(";", 1)[0].strip().lower()
    disposition = "inline" if base in INLINE_TYPES and not save else "attachment"
    name = safe_filename(filename, base) if filename else ""
    return {
        "Content-Disposition": dump_options_header(
            disposition, _filename_params(name)),
        "X-Content-Type-Options": "nosniff",
    }


def _filename_params(name: str) -> dict[str, str]:
    if not name:
        return {}
    try:
        name.encode("ascii")
    except UnicodeEncodeError:
        stem, ext = posixpath.splitext(name)
        ascii_stem = unicodedata.normalize("NFKD", stem).encode(
            "ascii", "ignore").decode("ascii").strip(" ._-")
        ascii_name = (ascii_stem or "download") + (ext if ext.isascii() else "")
        return {"filename": ascii_name,
                "filename*": "UTF-8''" + quote(name, safe="!#$&+^`|~")}
    return {"filename": name}
