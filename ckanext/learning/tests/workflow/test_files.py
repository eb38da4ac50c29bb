"""The files rule, judged on real files: detection, checks, download headers.

Pure unit tests: no database, no CKAN app (the download hook runs on a bare
Flask app whose routes carry CKAN's resource-download endpoint names).
"""
from __future__ import annotations

import io

import ckan.plugins.toolkit as tk
import flask
import pytest
from werkzeug.datastructures import FileStorage

from ckanext.learning import config
from ckanext.learning.tests.workflow import samples
from ckanext.learning.workflow import files, upload_hooks

MB = 1 << 20
OOXML = "application/vnd.openxmlformats-officedocument."
ODF = "application/vnd.oasis.opendocument."

ACCEPTED = [
    # (name given by the client, content, expected MIME type)
    ("handbook.pdf", samples.pdf(), "application/pdf"),
    ("photo.png", samples.image("PNG"), "image/png"),
    ("photo.jpg", samples.image("JPEG"), "image/jpeg"),
    ("anim.gif", samples.image("GIF"), "image/gif"),
    ("photo.webp", samples.image("WEBP"), "image/webp"),
    ("report.docx", samples.docx(), OOXML + "wordprocessingml.document"),
    ("budget.xlsx", samples.xlsx(), OOXML + "spreadsheetml.sheet"),
    ("slides.pptx", samples.pptx(), OOXML + "presentationml.presentation"),
    ("report.odt", samples.odf(ODF + "text"), ODF + "text"),
    ("budget.ods", samples.odf(ODF + "spreadsheet"), ODF + "spreadsheet"),
    ("slides.odp", samples.odf(ODF + "presentation"), ODF + "presentation"),
    ("report.doc", samples.ole(("WordDocument",)), "application/msword"),
    ("budget.xls", samples.ole(("Workbook",)), "application/vnd.ms-excel"),
    ("slides.ppt", samples.ole(("PowerPoint Document",)),
     "application/vnd.ms-powerpoint"),
    ("lesson.mp4", samples.mp4(), "video/mp4"),
    ("lesson.webm", samples.webm(), "video/webm"),
    ("song.mp3", samples.mp3(), "audio/mpeg"),
    ("schools.csv", samples.csv(), "text/csv"),
    ("tiny.csv", b"a,b\n1,2\n", "text/csv"),
    ("schools.json", samples.json_data(), "application/json"),
    ("big.json", samples.json_data(50_000), "application/json"),
    ("bundle.zip", samples.plain_zip(), "application/zip"),
]

REFUSED = [
    # (name given by the client, content, detected type, words in the message)
    ("handbook.pdf", samples.windows_exe(),
     "application/vnd.microsoft.portable-executable", "Windows program"),
    ("report.pdf", samples.elf(), "application/x-executable", "program"),
    ("page.html", samples.HTML, "text/html", "web page (HTML)"),
    ("data.csv", samples.HTML, "text/html", "web page (HTML)"),
    ("logo.svg", samples.SVG, "image/svg+xml", "SVG image"),
    ("logo.png", samples.SVG, "image/svg+xml", "SVG image"),
    ("install.sh", samples.SHELL, "text/x-shellscript", "shell script"),
    ("notes.csv", samples.SHELL, "text/x-shellscript", "shell script"),
    ("notes.txt", b"just some words\n", "text/plain", "plain text"),
    ("report.docm", samples.docm(), "application/vnd.ms-office.vbaProject",
     "with macros"),
    ("report.doc", samples.ole(("WordDocument",), ("Macros",)),
     "application/vnd.ms-office.vbaProject", "with macros"),
    ("setup.msi", samples.ole(("SummaryInformation",)),
     "application/x-ole-storage", "installer"),
    ("library.zip", samples.jar(), "application/java-archive", "Java program"),
    ("empty.pdf", b"", "application/x-empty", "empty file"),
    ("broken.zip", b"PK\x03\x04" + b"\x00" * 100, "application/octet-stream",
     "damaged"),
]


def upload(name: str, content: bytes) -> FileStorage:
    return FileStorage(stream=io.BytesIO(content), filename=name)


class CountingStream(io.BytesIO):
    """A stream that remembers how many bytes were read from it."""

    read_total = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.read_total += len(data)
        return data


class TestDetect:
    @pytest.mark.parametrize("name,content,mime", ACCEPTED,
                             ids=[c[0] for c in ACCEPTED])
    def test_accepted_content(self, name, content, mime):
        assert files.detect(content, name) == mime

    @pytest.mark.parametrize("name,content,mime,_", REFUSED,
                             ids=[c[0] for c in REFUSED])
    def test_refused_content(self, name, content, mime, _):
        assert files.detect(content, name) == mime

    def test_name_never_makes_content(self):
        assert files.detect(samples.windows_exe(), "report.pdf") != "application/pdf"
        assert files.detect(samples.pdf(), "virus.exe") == "application/pdf"

    def test_name_only_settles_plain_text(self):
        assert files.detect(b"a,b\n1,2\n", "tiny.csv") == "text/csv"
        assert files.detect(b"a,b\n1,2\n", "tiny.txt") == "text/plain"
        assert files.detect(b"plain words", "fake.json") == "text/plain"

    def test_declared_but_missing_office_part_is_a_plain_zip(self):
        assert files.detect(samples.fake_docx(), "x.docx") == "application/zip"

    def test_reads_only_the_head_and_rewinds(self):
        stream = CountingStream(samples.pdf() + b"\x00" * (5 * MB))
        stream.seek(123)
        assert files.detect(stream) == "application/pdf"
        assert stream.tell() == 123
        assert stream.read_total <= files.HEAD_BYTES

    def test_container_directory_is_read_without_the_whole_file(self):
        big = samples.plain_zip(**{"video.bin": b"\x00" * (8 * MB)})
        stream = CountingStream(big)
        assert files.detect(stream, "bundle.zip") == "application/zip"
        assert stream.read_total < 64 * 1024
        assert stream.tell() == 0

    def test_ole_directory_beyond_the_head(self):
        content = samples.ole(("WordDocument",), filler_sectors=120)
        assert len(content) > 7 * files.HEAD_BYTES
        assert files.detect(content, "x.doc") == "application/msword"


class TestCheckUpload:
    @pytest.mark.parametrize("name,content,mime", ACCEPTED,
                             ids=[c[0] for c in ACCEPTED])
    def test_accepts_allowed_content(self, name, content, mime):
        storage = upload(name, content)
        assert files.check_upload(storage, 10 * MB) is None
        assert files.inspect_upload(storage, 10 * MB).mime == mime
        assert storage.stream.tell() == 0

    @pytest.mark.parametrize("name,content,mime,words", REFUSED,
                             ids=[c[0] for c in REFUSED])
    def test_refuses_by_content_naming_type_and_allowed_kinds(
            self, name, content, mime, words):
        with pytest.raises(tk.ValidationError) as caught:
            files.check_upload(upload(name, content), 10 * MB)
        [message] = caught.value.error_dict["upload"]
        assert words in message and mime in message
        assert "not by their name" in message
        for kind in ("PDF", "Word", "Excel", "PowerPoint", "PNG", "MP4",
                     "MP3", "CSV", "JSON", "ZIP"):
            assert kind in message

    def test_svg_is_refused_even_though_it_is_an_image(self):
        with pytest.raises(tk.ValidationError):
            files.check_upload(upload("logo.svg", samples.SVG), MB,
                               kinds=["image"])

    def test_too_large_gives_the_limit_in_mb(self):
        content = samples.pdf() + b"\x00" * (3 * MB)
        with pytest.raises(tk.ValidationError) as caught:
            files.check_upload(upload("big.pdf", content), 2 * MB)
        [message] = caught.value.error_dict["upload"]
        assert "2 MB" in message and "3.0 MB" in message

    def test_size_limit_is_inclusive(self):
        content = samples.pdf()
        files.check_upload(upload("x.pdf", content), len(content))
        with pytest.raises(tk.ValidationError):
            files.check_upload(upload("x.pdf", content), len(content) - 1)

    def test_kinds_restrict_the_list_and_the_message(self):
        with pytest.raises(tk.ValidationError) as caught:
            files.check_upload(upload("p.png", samples.image("PNG")), MB,
                               kinds=["document", "data"])
        [message] = caught.value.error_dict["upload"]
        assert "PNG image (image/png)" in message
        assert "documents (PDF" in message and "data (CSV" in message
        assert "images" not in message

    def test_unseekable_stream_is_spooled(self):
        class Pipe(io.RawIOBase):
            def __init__(self, data: bytes):
                self._data = io.BytesIO(data)

            def readable(self) -> bool:
                return True

            def readinto(self, buffer) -> int:
                chunk = self._data.read(len(buffer))
                buffer[:len(chunk)] = chunk
                return len(chunk)

        content = samples.pdf()
        storage = FileStorage(stream=Pipe(content), filename="x.pdf")
        files.check_upload(storage, MB)
        assert storage.stream.read() == content

    def test_unseekable_stream_too_large(self):
        class Pipe(io.RawIOBase):
            def readable(self) -> bool:
                return True

            def readinto(self, buffer) -> int:
                buffer[:len(buffer)] = b"\x00" * len(buffer)
                return len(buffer)

        with pytest.raises(tk.ValidationError):
            files.check_upload(FileStorage(stream=Pipe(), filename="x"), 2 * MB)

    def test_messages_are_translated(self, monkeypatch):
        monkeypatch.setattr(tk, "_", lambda s: "KM:" + s)
        with pytest.raises(tk.ValidationError) as caught:
            files.check_upload(upload("x.pdf", samples.windows_exe()), MB)
        [message] = caught.value.error_dict["upload"]
        assert message.startswith("KM:This file cannot be uploaded")
        assert "KM:Windows program" in message and "KM:images (" in message


class TestAllowList:
    def test_every_type_has_a_known_kind_and_extension(self):
        for ftype in files.ALLOWED.values():
            assert ftype.kind in files.KINDS
            assert ftype.extensions and all(
                e.startswith(".") for e in ftype.extensions)

    def test_declared_default_kinds_are_all_kinds(self):
        import os

        import yaml

        import ckanext.learning

        path = os.path.join(os.path.dirname(ckanext.learning.__file__),
                            "config_declaration.yaml")
        with open(path) as f:
            options = yaml.safe_load(f)["groups"][0]["options"]
        kinds = {o["key"]: o for o in options}[config.UPLOAD_ALLOWED_KINDS]
        assert kinds["default"].split() == list(files.KINDS)

    def test_no_active_content_is_allowed(self):
        for mime in ("image/svg+xml", "text/html", "application/javascript",
                     "text/javascript", "application/xhtml+xml", "text/xml"):
            assert mime not in files.ALLOWED


class TestSafeFilename:
    @pytest.mark.parametrize("name,mime,expected", [
        ("report.pdf", "application/pdf", "report.pdf"),
        ("REPORT.PDF", "application/pdf", "REPORT.PDF"),
        ("photo.jpeg", "image/jpeg", "photo.jpeg"),
        ("report.exe", "application/pdf", "report.exe.pdf"),
        ("page.html", "text/csv", "page.html.csv"),
        ("report.docx", "application/zip", "report.docx.zip"),
        ("../../etc/passwd", "text/csv", "passwd.csv"),
        ("C:\\Users\\me\\x.pdf", "application/pdf", "x.pdf"),
        ("evil\r\nSet-Cookie: a.pdf", "application/pdf", "evilSet-Cookie: a.pdf"),
        ("", "application/pdf", "download.pdf"),
        ("page.html", "text/html", "page.html"),
        ("សៀវភៅ.pdf", "application/pdf", "សៀវភៅ.pdf"),
    ])
    def test_extension_matches_content(self, name, mime, expected):
        assert files.safe_filename(name, mime) == expected


class TestStoredFilename:
    @pytest.mark.parametrize(("name", "expected"), [
        # ASCII: exactly core's munging
        ("Report 2024 (final).PDF", "report-2024-final.pdf"),
        ("handbook.exe.pdf", "handbook.exe.pdf"),
        # other scripts keep their letters, marks and digits
        ("សៀវភៅណែនាំ-កោងកាង.pdf", "សៀវភៅណែនាំ-កោងកាង.pdf"),
        ("a/b/ខ្មែរ ភាសា.docx", "ខ្មែរ-ភាសា.docx"),
        ("២០២៤ ?#%& ខ.pdf", "២០២៤-ខ.pdf"),
        ("ខ\u202efdp.exe", "ខfdp.exe"),  # no bidi override
    ])
    def test_names(self, name, expected):
        assert files.stored_filename(name) == expected

    def test_long_khmer_name_is_cut_between_clusters(self):
        name = files.stored_filename("ស្ត្រី" * 30 + ".pdf")
        assert len(name) <= 100 and name.endswith("ស្ត្រី.pdf")

    def test_nothing_left_falls_back_to_core(self):
        from ckan.lib.munge import munge_filename

        assert files.stored_filename("«»—.pdf") == munge_filename("«»—.pdf")


class TestDownloadHeaders:
    @pytest.mark.parametrize("mime", [
        "application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp",
        "video/mp4", "video/webm", "audio/mpeg", "text/csv",
        "application/json", "text/plain; charset=utf-8", "IMAGE/PNG"])
    def test_safe_types_inline(self, mime):
        headers = files.download_headers(mime, "file")
        assert headers["Content-Disposition"].startswith("inline")
        assert headers["X-Content-Type-Options"] == "nosniff"

    @pytest.mark.parametrize("mime", [
        "text/html", "text/html; charset=utf-8", "image/svg+xml",
        "application/javascript", "text/javascript", "application/xhtml+xml",
        "text/xml", "application/xml", "application/octet-stream",
        OOXML + "wordprocessingml.document", "application/zip",
        "application/x-msdownload", "", None])
    def test_everything_else_attachment(self, mime):
        headers = files.download_headers(mime, "file")
        assert headers["Content-Disposition"].startswith("attachment")
        assert headers["X-Content-Type-Options"] == "nosniff"

    def test_offered_name_matches_the_served_type(self):
        headers = files.download_headers("application/pdf", "evil.html")
        assert headers["Content-Disposition"] == 'inline; filename=evil.html.pdf'

    def test_khmer_name_is_rfc6266_encoded(self):
        headers = files.download_headers("application/pdf", "សៀវភៅ.pdf")
        value = headers["Content-Disposition"]
        assert value.startswith("inline; filename=download.pdf; filename*=UTF-8''")
        assert "%E1%9E" in value
        value.encode("latin-1")

    def test_saved_is_attachment_whatever_the_type(self):
        headers = files.download_headers("application/pdf", "x.pdf", save=True)
        assert headers["Content-Disposition"] == "attachment; filename=x.pdf"

    def test_no_name(self):
        assert files.download_headers("text/html", None)[
            "Content-Disposition"] == "attachment"


class TestResourceHook:
    @pytest.fixture(autouse=True)
    def limits(self, monkeypatch):
        monkeypatch.setattr(config, "upload_max_bytes", lambda: 2 * MB)
        monkeypatch.setattr(config, "upload_allowed_kinds",
                            lambda: list(files.KINDS))

    def test_link_resources_pass(self):
        resource = {"url": "https://example.org/a.html"}
        upload_hooks.validate_resource_upload(resource)
        assert resource == {"url": "https://example.org/a.html"}

    def test_accepted_upload_gets_content_type_and_matching_name(self):
        storage = upload("handbook.exe", samples.pdf())
        resource = {"upload": storage, "mimetype": "text/html"}
        upload_hooks.validate_resource_upload(resource)
        assert resource["mimetype"] == "application/pdf"
        assert storage.filename == "handbook.exe.pdf"
        assert storage.stream.tell() == 0

    def test_refused_upload(self):
        resource = {"upload": upload("handbook.pdf", samples.windows_exe())}
        with pytest.raises(tk.ValidationError) as caught:
            upload_hooks.validate_resource_upload(resource)
        assert list(caught.value.error_dict) == ["upload"]

    def test_dataset_errors_are_positioned(self):
        data = {"resources": [
            {"url": "https://example.org"},
            {"upload": upload("a.pdf", samples.HTML)},
            {"upload": upload("b.csv", samples.csv())},
        ]}
        with pytest.raises(tk.ValidationError) as caught:
            upload_hooks.validate_dataset_uploads(data)
        errors = caught.value.error_dict["resources"]
        assert errors[0] == {} and errors[2] == {}
        assert "web page (HTML)" in errors[1]["upload"][0]


def download_app() -> flask.Flask:
    """A bare app with CKAN's resource-download endpoint names."""
    app = flask.Flask(__name__)
    app.register_blueprint(upload_hooks.blueprint)
    served: dict[str, str] = {}

    def serve(id, resource_id, filename=None, package_type=None):
        if resource_id == "link":
            return flask.redirect("https://example.org/file.html")
        response = flask.Response(b"<script>alert(1)</script>")
        response.headers["Content-Type"] = served["type"]
        return response

    for blueprint_name, prefix in (("resource", "/dataset"),
                                   ("learning-resource_resource",
                                    "/learning-resource")):
        bp = flask.Blueprint(blueprint_name, __name__,
                             url_prefix=prefix + "/<id>/resource")
        bp.add_url_rule("/<resource_id>/download", "download", serve)
        bp.add_url_rule("/<resource_id>/download/<filename>", "download", serve)
        bp.add_url_rule("/<resource_id>", "read", serve)
        app.register_blueprint(bp)
    app.config["served"] = served
    return app


class TestDownloadHook:
    @pytest.fixture
    def client(self):
        app = download_app()
        client = app.test_client()
        client.served = app.config["served"]
        return client

    @pytest.mark.parametrize("prefix", ["/dataset", "/learning-resource"])
    def test_html_is_an_attachment(self, client, prefix):
        client.served["type"] = "text/html; charset=utf-8"
        response = client.get(f"{prefix}/d/resource/r/download/page.html")
        assert response.headers["Content-Disposition"] == (
            "attachment; filename=page.html")
        assert response.headers["X-Content-Type-Options"] == "nosniff"

    def test_pdf_inline_named_by_its_type(self, client):
        client.served["type"] = "application/pdf"
        response = client.get("/learning-resource/d/resource/r/download/x.html")
        assert response.headers["Content-Disposition"] == (
            "inline; filename=x.html.pdf")

    def test_svg_without_filename(self, client):
        client.served["type"] = "image/svg+xml"
        response = client.get("/dataset/d/resource/r/download")
        assert response.headers["Content-Disposition"] == "attachment"

    def test_redirects_only_get_nosniff(self, client):
        response = client.get("/dataset/d/resource/link/download")
        assert response.status_code == 302
        assert "Content-Disposition" not in response.headers
        assert response.headers["X-Content-Type-Options"] == "nosniff"

    def test_other_views_untouched(self, client):
        client.served["type"] = "text/html"
        response = client.get("/dataset/d/resource/r")
        assert "Content-Disposition" not in response.headers
        assert "X-Content-Type-Options" not in response.headers
