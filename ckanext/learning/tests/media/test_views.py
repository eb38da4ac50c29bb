"""The files' views: which are made by default (core's mechanism), what the
record's and the file's pages show, PDF.js served by the portal, and the
one page-specific hole in the CSP (the video site's player host)."""
from __future__ import annotations

import re

import pytest
from ckan import model
from ckan.tests import helpers

from ckanext.learning.media import defaults, pdfjs, videos
from ckanext.learning.tests.resources import learning_resource
from ckanext.learning.tests.workflow import samples
from ckanext.learning.tests.workflow.test_files_wiring import upload

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index",
                                     "themes_created")

YOUTUBE = "https://www.youtube.com/watch?v=kF3vQ8pLm2A"


def _record(org, name="patrol-handbook", **kw):
    return helpers.call_action("package_create", **learning_resource(org, name, **kw))


def _file(record, filename, content, **kw):
    return helpers.call_action("resource_create", package_id=record["id"],
                               upload=upload(filename, content), **kw)


def _link(record, url, **kw):
    return helpers.call_action("resource_create", package_id=record["id"], url=url, **kw)


def _view_types(resource):
    return [v["view_type"] for v in helpers.call_action("resource_view_list",
                                                         id=resource["id"])]


class TestDefaultViews:
    def test_each_kind_of_file_gets_its_view(self, org):
        record = _record(org)
        assert _view_types(_file(record, "handbook.pdf", samples.pdf())) == [
            "learning_pdf_view"]
        assert _view_types(_file(record, "talk.mp4", samples.mp4())) == ["video_view"]
        assert _view_types(_file(record, "talk.webm", samples.webm())) == ["video_view"]
        assert _view_types(_file(record, "song.mp3", samples.mp3())) == ["audio_view"]
        video = _link(record, YOUTUBE, format="MP4")
        assert video["format"] == "YouTube"  # the site, not the typed "MP4"
        assert _view_types(video) == ["learning_video_link_view"]

    def test_links_elsewhere_get_no_preview(self, org):
        record = _record(org)
        assert _view_types(_link(record, "https://example.org/report.pdf", format="PDF")) == []
        assert _view_types(_link(record, "https://www.youtube.com/@odc")) == []

    def test_a_pdf_linked_on_the_portal_is_previewed(self, org, ckan_config):
        record = _record(org)
        here = ckan_config["ckan.site_url"] + "/learning/files/report.pdf"
        assert _view_types(_link(record, here, format="PDF")) == ["learning_pdf_view"]

    def test_init_gives_stored_files_their_views(self, org):
        record = _record(org)
        pdf = _file(record, "handbook.pdf", samples.pdf())
        video = _link(record, YOUTUBE)
        model.Session.query(model.ResourceView).delete()
        model.Session.commit()
        assert _view_types(pdf) == [] and _view_types(video) == []
        report = defaults.add_missing_views()
        assert report.created == 2
        assert _view_types(pdf) == ["learning_pdf_view"]
        assert _view_types(video) == ["learning_video_link_view"]
        assert defaults.add_missing_views().created == 0  # idempotent


class TestPdfPreview:
    def test_record_and_file_pages_hold_the_preview(self, app, org):
        record = _record(org)
        pdf = _file(record, "handbook.pdf", samples.pdf())
        for url in (f"/dataset/{record['name']}",
                    f"/dataset/{record['name']}/resource/{pdf['id']}"):
            body = app.get(url).body
            box = re.search(r'<figure class="learning-pdf"[^>]*>', body).group(0)
            assert 'data-learning-preview="pdf"' in box
            assert f'data-pdfjs="/learning/pdfjs/{pdfjs.pinned_version()}/"' in box
            # fetched from the page's own host, whatever ckan.site_url says
            assert re.search(rf'data-pdf-url="/[^"]*/resource/{pdf["id"]}'
                             r'/download/handbook.pdf"', box)
            assert "pdf-preview.js" in body
            assert "There are no views created" not in body
            assert "Embed" not in body  # the portal refuses to be framed

    def test_khmer_page(self, app, org):
        record = _record(org)
        _file(record, "handbook.pdf", samples.pdf())
        body = app.get(f"/km/dataset/{record['name']}").body
        assert 'data-label-page="ទំព័រ {page} នៃ {pages}"' in body
        assert "ទំព័រមុន" in body and "Previous page" not in body

    def test_the_record_page_previews_the_file_in_its_language(self, app, org):
        record = _record(org)
        km = _file(record, "handbook-km.pdf", samples.pdf(), language="km")
        en = _file(record, "handbook-en.pdf", samples.pdf(), language="en")
        for prefix, shown, other in (("/km", km, en), ("", en, km)):
            body = app.get(f"{prefix}/dataset/{record['name']}").body
            box = re.search(r'<figure class="learning-pdf"[^>]*>', body).group(0)
            assert f"/resource/{shown['id']}/download/" in box
            assert f"/resource/{other['id']}/download/" not in box

    def test_a_preview_is_no_download(self, app, org):
        record = _record(org)
        pdf = _file(record, "handbook.pdf", samples.pdf())
        url = f"/dataset/{record['id']}/resource/{pdf['id']}/download/handbook.pdf"
        app.get(url, headers={"X-Learning-Preview": "pdf"}, status=200)
        assert helpers.call_action("package_show", id=record["id"])["download_count"] == 0
        app.get(url, status=200)
        assert helpers.call_action("package_show", id=record["id"])["download_count"] == 1


class TestPdfjsFiles:
    def test_installed_at_the_pinned_version(self):
        assert pdfjs.installed_version() == pdfjs.pinned_version()

    def test_served_with_their_types_and_cached_for_a_year(self, app):
        base = f"/learning/pdfjs/{pdfjs.pinned_version()}/"
        library = app.get(base + "legacy/build/pdf.min.mjs", status=200)
        assert library.headers["Content-Type"].startswith("text/javascript")
        assert "max-age=31536000" in library.headers["Cache-Control"]
        assert "immutable" in library.headers["Cache-Control"]
        worker = app.get(base + "legacy/build/pdf.worker.min.mjs", status=200)
        assert worker.headers["Content-Type"].startswith("text/javascript")
        assert app.get(base + "wasm/openjpeg.wasm").headers["Content-Type"] == (
            "application/wasm")
        app.get(base + "standard_fonts/FoxitSerif.pfb", status=200)
        app.get(base + "cmaps/UniKS-UTF16-H.bcmap", status=200)

    def test_nothing_else_of_the_package(self, app):
        base = f"/learning/pdfjs/{pdfjs.pinned_version()}/"
        app.get(base + "package.json", status=404)
        app.get(base + "../package.json", status=404)
        app.get(base + "legacy/../../package.json", status=404)
        app.get("/learning/pdfjs/1.0.0/legacy/build/pdf.min.mjs", status=404)


class TestVideoLinks:
    @pytest.mark.parametrize("url, site, video_id", [
        (YOUTUBE, "youtube", "kF3vQ8pLm2A"),
        ("https://youtu.be/kF3vQ8pLm2A?t=10", "youtube", "kF3vQ8pLm2A"),
        ("https://m.youtube.com/shorts/kF3vQ8pLm2A", "youtube", "kF3vQ8pLm2A"),
        ("https://www.youtube-nocookie.com/embed/kF3vQ8pLm2A", "youtube", "kF3vQ8pLm2A"),
        ("https://vimeo.com/76979871", "vimeo", "76979871"),
        ("https://vimeo.com/channels/staffpicks/76979871", "vimeo", "76979871"),
    ])
    def test_the_video_a_link_names(self, url, site, video_id):
        link = videos.video_link(url)
        assert (link.site, link.video_id) == (site, video_id)
        assert link.player_url.startswith(f"https://{videos.PLAYER_HOSTS[site]}/")

    @pytest.mark.parametrize("url", [
        "https://www.youtube.com/@odc", "https://www.youtube.com/watch?v=short",
        "https://example.org/watch?v=kF3vQ8pLm2A", "javascript:alert(1)",
        "https://vimeo.com/about", "", None])
    def test_no_video(self, url):
        assert videos.video_link(url) is None

    def test_placeholder_and_the_one_frame_host(self, app, org):
        record = _record(org, resource_type="video")
        _link(record, YOUTUBE, name="Patrol video")
        response = app.get(f"/km/dataset/{record['name']}")
        body = response.body
        box = re.search(r'<div class="learning-video-link"[^>]*>', body).group(0)
        assert 'data-player="https://www.youtube-nocookie.com/embed/kF3vQ8pLm2A' in box
        assert "<iframe" not in body  # nothing from the site until the click
        assert "youtube.com" not in body.replace(YOUTUBE, "")  # the link only
        policy = response.headers["Content-Security-Policy"]
        assert "frame-src 'self' https://www.youtube-nocookie.com;" in policy
        assert "frame-ancestors 'none'" in policy and "script-src 'self';" in policy
        # other pages keep the strict policy
        other = app.get("/dataset/").headers["Content-Security-Policy"]
        assert "youtube" not in other and "frame-src 'self';" in other


class TestCorePlayers:
    def test_uploaded_video_and_audio_play_in_the_page(self, app, org):
        record = _record(org, resource_type="video")
        video = _file(record, "talk.mp4", samples.mp4())
        audio = _file(record, "song.mp3", samples.mp3())
        body = app.get(f"/dataset/{record['name']}/resource/{video['id']}").body
        assert re.search(rf'<video[^>]+src="[^"]*/resource/{video["id"]}/download/talk.mp4"',
                         body)
        body = app.get(f"/dataset/{record['name']}/resource/{audio['id']}").body
        assert re.search(rf'<audio[^>]+src="[^"]*/resource/{audio["id"]}/download/song.mp3"',
                         body)
        # the record's page plays the first one
        assert "<video" in app.get(f"/dataset/{record['name']}").body

    def test_a_player_for_a_file_elsewhere_is_a_link(self, app, org):
        record = _record(org, resource_type="video")
        video = _link(record, "https://example.org/talk.mp4", format="MP4")
        assert _view_types(video) == ["video_view"]  # core's choice
        body = app.get(f"/dataset/{record['name']}/resource/{video['id']}").body
        assert "<video" not in body
        assert 'href="https://example.org/talk.mp4"' in body
