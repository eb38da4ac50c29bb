"""Nothing unpublished leaks.

The rule: a learning resource that is not published (pending, returned or
rejected) never appears to those not allowed to see it: not in
``package_search`` (whatever the parameters), ``package_show``, the lists,
the group and organisation pages and counts, activity streams, feeds, DCAT
output, the sitemap, nor as a file downloaded by its URL.

Each case puts an unpublished resource (distinctive words in English and
Khmer, an uploaded PDF and a link) beside a published one, and looks at
every surface as an anonymous visitor, a registered user of no organisation
and an editor of another CSO.  Each check has its controls: the published
resource *is* there (the surface works), and the organisation itself or the
reviewers *do* see the unpublished one (so its absence means something).
"""
from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import Any

import ckan.logic as ckan_logic
import pytest
import rdflib
from ckan.tests import factories
from ckanapi import LocalCKAN, NotAuthorized, NotFound
from fpdf import FPDF
from rdflib.namespace import DCAT, DCTERMS, RDF

from ckanext.learning.tests.workflow.conftest import api, resource_dict
from ckanext.learning.workflow import states

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db"),
              pytest.mark.ckan_config("ckanext.learning.review.notify", False)]

ACTIVITY_PLUGINS = ("activity learning learning_search learning_fluent scheming_datasets "
                    "scheming_groups dcat")

STATUSES = ("pending", "returned", "rejected")
#: Who must never see an unpublished resource.
OUTSIDERS = ("anonymous", "registered", "outsider")
#: Who may: the organisation (a read-only member here) and the reviewers.
INSIDERS = ("member", "reviewer")

THEME = "environment-nrm"
SHARED_WORD = "handbook"        # in both titles
SHARED_WORD_KM = "ការ"          # in both Khmer titles

PUB_NAME = "video-editing-handbook"
PUB_TITLE = "Video editing handbook"
PUB_TITLE_KM = "មូលដ្ឋានគ្រឹះនៃការកាត់តវីដេអូ"
PUB_WORD_KM = "វីដេអូ"
PUB_FILE = "video-annex.pdf"
PUB_FORMAT = "Lesson-reel"

UNPUB_NAME = "xylotrema-patrol-handbook"
UNPUB_TITLE = "Xylotrema patrol handbook"
UNPUB_WORD = "Xylotrema"
UNPUB_NOTES = "Vorpalith findings of the patrol committees."
UNPUB_NOTES_WORD = "Vorpalith"
UNPUB_TITLE_KM = "សៀវភៅណែនាំការល្បាតព្រៃសហគមន៍"
UNPUB_WORD_KM = "សហគមន៍"
UNPUB_NOTES_KM = "ការរៀបចំការល្បាត និងការរាយការណ៍ទៅរដ្ឋបាលព្រៃឈើ។"
UNPUB_KEYWORD = "quillwort-secret"
UNPUB_LINK = "https://video.example.org/xylotrema-secret-video"
UNPUB_FILE = "xylotrema-annex.pdf"
UNPUB_FORMAT = "Quagga-reel"
REVIEW_COMMENT = "Gribbleflux: the chapter on patrols needs sources."


def _pdf(text: str) -> bytes:
    doc = FPDF()
    doc.add_page()
    doc.set_font("helvetica", size=12)
    doc.cell(text=text)
    return bytes(doc.output())


# ------------------------------------------------------------------ the scene

@dataclass
class Scene:
    status: str
    users: dict[str, dict[str, Any] | None]
    cso: dict[str, Any]
    pub: dict[str, Any]
    unpub: dict[str, Any]
    pub_file: dict[str, Any]
    unpub_file: dict[str, Any]
    unpub_link: dict[str, Any]
    pub_bytes: bytes
    unpub_bytes: bytes
    _tokens: dict[str, str] = field(default_factory=dict)

    def api(self, role: str) -> LocalCKAN:
        return api(self.users[role])

    def headers(self, role: str) -> dict[str, str]:
        user = self.users[role]
        if user is None:
            return {}
        if role not in self._tokens:
            self._tokens[role] = factories.APIToken(user=user["name"])["token"]
        return {"Authorization": self._tokens[role]}

    def secrets(self) -> list[str]:
        """What of the unpublished resource must not show in a response that
        may echo the query words (ids, name, notes, file and link)."""
        return [self.unpub["id"], self.unpub["name"], UNPUB_NOTES_WORD,
                UNPUB_TITLE_KM, self.unpub_file["id"], self.unpub_link["id"],
                UNPUB_FILE, "xylotrema-secret-video", UNPUB_KEYWORD,
                UNPUB_FORMAT.lower(),
                REVIEW_COMMENT.split(":")[0]]

    def assert_hidden(self, text: str, where: str) -> None:
        """No secret in ``text``; ``where`` names the request, and what it
        holds may be echoed (a page showing its URL or query; an error naming
        the dataset asked for, by name or id)."""
        allowed = {s for s in self.secrets() if s in where}
        if allowed & {self.unpub["id"], self.unpub["name"]}:
            allowed |= {self.unpub["id"], self.unpub["name"]}
        for secret in self.secrets():
            if secret not in allowed:
                assert secret not in text, f"{where}: {secret!r} leaked"

    def assert_published_there(self, text: str, where: str) -> None:
        assert self.pub["name"] in text or self.pub["id"] in text, \
            f"{where}: the published resource is missing (control)"


def _upload(user, dataset_id, filename, content, name):
    return api(user).call_action(
        "resource_create", {"package_id": dataset_id, "name": name},
        files={"upload": (filename, io.BytesIO(content))})


@pytest.fixture(params=STATUSES)
def scene(request, cso, other_cso, odc, contributor, cso_member, outsider, reviewer,
          registered) -> Scene:
    """A published resource and one unpublished in ``request.param``, both of
    the CSO, each with an uploaded PDF (uploaded while a draft)."""
    status = request.param
    me = api(contributor)

    pub_bytes = _pdf("Video editing annex, public")
    pub = me.action.package_create(**resource_dict(
        cso, name=PUB_NAME,
        title_translated={"en": PUB_TITLE, "km": PUB_TITLE_KM},
        notes_translated={"en": "Cutting short videos for citizen journalists.",
                          "km": "វគ្គបណ្ដុះបណ្ដាលស្ដីពីការថតវីដេអូខ្លីៗ។"},
        keywords={"en": ["video"], "km": ["វីដេអូ"]},
        resources=[{"name": "Video lesson", "url": "https://video.example.org/editing",
                    "format": PUB_FORMAT}]))
    pub_file = _upload(contributor, pub["id"], PUB_FILE, pub_bytes, "Video annex")
    me.action.learning_submit(id=pub["id"], accept_terms=True)
    api(reviewer).action.learning_review(id=pub["id"], decision="approve")

    unpub_bytes = _pdf("Xylotrema annex, confidential")
    unpub = me.action.package_create(**resource_dict(
        cso, name=UNPUB_NAME,
        title_translated={"en": UNPUB_TITLE, "km": UNPUB_TITLE_KM},
        notes_translated={"en": UNPUB_NOTES, "km": UNPUB_NOTES_KM},
        keywords={"en": [UNPUB_KEYWORD], "km": ["ព្រៃសហគមន៍"]},
        resources=[{"name": "Xylotrema video", "url": UNPUB_LINK,
                    "format": UNPUB_FORMAT}]))
    unpub_file = _upload(contributor, unpub["id"], UNPUB_FILE, unpub_bytes,
                         "Xylotrema annex")
    me.action.learning_submit(id=unpub["id"], accept_terms=True,
                              comment="Please review")
    if status == "returned":
        api(reviewer).action.learning_review(id=unpub["id"], decision="return",
                                             comment=REVIEW_COMMENT)
        # the contributor works on it again: an edit while returned
        me.action.package_patch(id=unpub["id"], notes_translated={
            "en": UNPUB_NOTES + " Sources added.", "km": UNPUB_NOTES_KM})
    elif status == "rejected":
        api(reviewer).action.learning_review(id=unpub["id"], decision="reject",
                                             comment=REVIEW_COMMENT)

    shown = api(reviewer).action.package_show(id=unpub["id"])
    assert shown["private"] is True
    assert shown["learning_review"]["status"] == status
    assert api().action.package_show(id=pub["id"])["private"] is False
    unpub_link = next(r for r in shown["resources"] if r["url"] == UNPUB_LINK)
    return Scene(status=status,
                 users={"anonymous": None, "registered": registered,
                        "outsider": outsider, "member": cso_member,
                        "reviewer": reviewer, "contributor": contributor},
                 cso=cso, pub=pub, unpub=shown, pub_file=pub_file,
                 unpub_file=unpub_file, unpub_link=unpub_link,
                 pub_bytes=pub_bytes, unpub_bytes=unpub_bytes)


def ids(result: dict[str, Any]) -> set[str]:
    return {r["id"] for r in result["results"] if "id" in r} | {
        r["name"] for r in result["results"] if "name" in r}


def facet_items(result: dict[str, Any], name: str) -> dict[str, int]:
    return {i["name"]: i["count"] for i in result["search_facets"][name]["items"]}


def fetch(app, url: str, headers: dict[str, str], **kwargs: Any):
    """GET ``url``; an action error core's view does not catch (a server
    error in production, raised here by the test client) reads as 500."""
    try:
        return app.get(url, headers=headers, **kwargs)
    except (ckan_logic.NotAuthorized, ckan_logic.NotFound):
        return _ServerError()


class _ServerError:
    status_code = 500
    body = ""
    data = b""
    headers: dict[str, str] = {}


def denied(call, *args, **kwargs) -> bool:
    try:
        call(*args, **kwargs)
    except (NotAuthorized, NotFound):
        return True
    return False


# ------------------------------------------------------------------ search

#: (parameters, whether the published resource is among the results)
SEARCHES: list[tuple[dict[str, Any], bool]] = [
    ({}, True),
    ({"q": "*:*"}, True),
    ({"q": SHARED_WORD}, True),
    ({"q": UNPUB_WORD}, False),
    ({"q": UNPUB_WORD.lower() + "*"}, False),
    ({"q": f"{UNPUB_WORD} OR {SHARED_WORD}"}, True),
    ({"q": UNPUB_NOTES_WORD}, False),
    ({"q": f"title:{UNPUB_WORD}"}, False),
    ({"q": f"text:{UNPUB_NOTES_WORD}"}, False),
    ({"q": f"name:{UNPUB_NAME}"}, False),
    ({"q": f"tags:{UNPUB_KEYWORD}"}, False),
    ({"q": "res_name:Xylotrema*"}, False),
    ({"q": SHARED_WORD_KM}, True),
    ({"q": PUB_WORD_KM}, True),
    ({"q": UNPUB_WORD_KM}, False),
    ({"q": "ព្រៃសហគមន៍"}, False),
    ({"q": SHARED_WORD, "include_private": True}, True),
    ({"q": UNPUB_WORD, "include_private": True}, False),
    ({"q": SHARED_WORD, "include_drafts": True}, True),
    ({"q": SHARED_WORD, "include_private": True, "include_drafts": True}, True),
    ({"q": SHARED_WORD, "include_deleted": True}, True),
    ({"fq": f"name:{UNPUB_NAME}", "include_private": True}, False),
    ({"fq": "capacity:private", "include_private": True}, False),
    ({"fq": "-capacity:public", "include_private": True}, False),
    ({"fq": "*:*", "include_private": True}, True),
    ({"fq": "dataset_type:learning-resource", "include_private": True}, True),
    ({"fq_list": ["capacity:private", "dataset_type:learning-resource"],
      "include_private": True}, False),
    ({"fq_list": [f"name:{UNPUB_NAME} OR name:{PUB_NAME}", "*:*"],
      "include_private": True}, True),
    ({"q": SHARED_WORD, "rows": 1, "start": 0}, True),
    ({"q": SHARED_WORD, "rows": 1, "start": 1}, False),
    ({"q": SHARED_WORD, "rows": 1000, "start": 0, "include_private": True}, True),
    ({"q": SHARED_WORD, "sort": "metadata_modified desc"}, True),
    ({"q": SHARED_WORD, "sort": "metadata_created asc", "include_private": True}, True),
    ({"q": "*:*", "sort": "title_string asc", "include_private": True}, True),
    ({"q": "*:*", "sort": "name desc, score desc", "include_private": True}, True),
    ({"q": SHARED_WORD, "fl": "id,name,title", "include_private": True}, True),
    ({"q": SHARED_WORD, "fl": "id name data_dict", "include_private": True}, True),
    ({"q": SHARED_WORD, "fl": "*", "include_private": True}, True),
    ({"q": SHARED_WORD, "fl": "id,name,capacity,permission_labels",
      "include_private": True}, True),
    ({"q": SHARED_WORD, "facet.field": ["organization", "groups", "tags", "name",
                                        "res_name", "dataset_type", "capacity"],
      "facet.limit": -1, "include_private": True}, True),
]


def _assert_search(scene: Scene, role: str, params: dict[str, Any],
                   result: dict[str, Any], pub_expected: bool, where: str) -> None:
    found = ids(result)
    assert scene.unpub["id"] not in found and scene.unpub["name"] not in found, \
        f"{where} as {role}: the {scene.status} resource is in the results"
    if pub_expected:
        assert scene.pub["id"] in found or scene.pub["name"] in found, \
            f"{where} as {role}: the published resource is missing (control)"
    scene.assert_hidden(json.dumps(result, ensure_ascii=False), f"{where} as {role}")
    for name, facet in (result.get("search_facets") or {}).items():
        names = {i["name"] for i in facet["items"]}
        assert not names & {UNPUB_NAME, UNPUB_KEYWORD, "Xylotrema annex",
                            "Xylotrema video", "private", UNPUB_FORMAT,
                            UNPUB_FORMAT.upper(), UNPUB_FORMAT.lower()}, (
            where, role, name, names)
    facets = result.get("search_facets") or {}
    if "organization" in facets:
        assert facet_items(result, "organization") == {scene.cso["name"]: 1}, where
    if "groups" in facets:
        assert facet_items(result, "groups") == {THEME: 1}, where


def searches(scene: Scene) -> list[tuple[dict[str, Any], bool]]:
    """SEARCHES, and filters naming what only the organisation and the
    reviewers hold: they narrow, never widen."""
    labels = [f"member-{scene.cso['id']}", "learning-review",
              f"creator-{scene.users['contributor']['id']}"]
    extra: list[tuple[dict[str, Any], bool]] = [
        ({"fq": f"permission_labels:{label}", "include_private": True}, False)
        for label in labels]
    extra += [
        ({"fq": "permission_labels:(" + " OR ".join(labels + ["public"]) + ")",
          "include_private": True}, True),
        ({"q": f"id:{scene.unpub['id']}", "include_private": True}, False),
        ({"fq": f"id:{scene.unpub['id']}", "include_private": True}, False),
        ({"fq": f"+id:{scene.unpub['id']} OR +id:{scene.pub['id']}",
          "include_private": True}, True),
        ({"fq": f"owner_org:{scene.cso['id']}", "include_private": True}, True),
        ({"q": "*:* OR capacity:private", "include_private": True}, True),
        ({"fq": "capacity:public OR capacity:private", "include_private": True}, True),
        ({"q": "permission_labels:*", "include_private": True}, True),
        ({"q": SHARED_WORD, "defType": "edismax", "qf": "name title text",
          "include_private": True}, True),
        ({"q": "*:*", "facet.field": ["name", "tags", "res_format", "organization"],
          "facet.mincount": 0, "facet.limit": -1, "rows": 0,
          "include_private": True}, False),
    ]
    return SEARCHES + extra


class TestPackageSearch:
    def test_action_api(self, scene):
        for role in OUTSIDERS:
            for params, pub_expected in searches(scene):
                result = scene.api(role).action.package_search(**params)
                _assert_search(scene, role, params, result, pub_expected,
                               f"package_search {params}")
                if "rows" not in params:
                    assert result["count"] == (1 if pub_expected else 0), \
                        (role, params, result["count"])
                elif params["rows"] == 0:  # facets only: the control is the count
                    assert result["count"] == 1, (role, params)
        # controls: the organisation and the reviewers find it with the same
        # parameters (include_private), by each distinctive word
        for role in INSIDERS:
            for q in (UNPUB_WORD, UNPUB_NOTES_WORD, UNPUB_WORD_KM, f"name:{UNPUB_NAME}",
                      f"tags:{UNPUB_KEYWORD}"):
                found = scene.api(role).action.package_search(q=q, include_private=True)
                assert ids(found) >= {scene.unpub["id"]}, (role, q)
            found = scene.api(role).action.package_search(
                fq="capacity:private", include_private=True,
                **{"facet.field": ["organization", "groups"]})
            assert scene.unpub["id"] in ids(found)
            assert facet_items(found, "organization") == {scene.cso["name"]: 1}
            both = scene.api(role).action.package_search(q=SHARED_WORD,
                                                         include_private=True)
            assert ids(both) >= {scene.unpub["id"], scene.pub["id"]}
            # but not without include_private
            assert scene.unpub["id"] not in ids(
                scene.api(role).action.package_search(q=UNPUB_WORD))

    def test_http(self, app, scene):
        """The action API over HTTP, and the search pages."""
        self._http_api(app, scene)
        self._search_pages(app, scene)

    def _http_api(self, app, scene):
        url = "/api/3/action/package_search"
        for role in OUTSIDERS:
            headers = scene.headers(role)
            for params, pub_expected in searches(scene):
                # facet.field is JSON in a query string, fq_list a repeated key
                query = {k: json.dumps(v) if k == "facet.field" else
                         (str(v).lower() if isinstance(v, bool) else v)
                         for k, v in params.items()}
                reply = app.get(url, query_string=query, headers=headers)
                assert reply.status_code == 200, (query, reply.body)
                _assert_search(scene, role, params, reply.json["result"], pub_expected,
                               f"GET {url} {params}")
                reply = app.post(url, json=params, headers=headers)
                assert reply.status_code == 200, (params, reply.body)
                _assert_search(scene, role, params, reply.json["result"], pub_expected,
                               f"POST {url} {params}")
        for role in INSIDERS:
            reply = app.get(url,
                            query_string={"q": UNPUB_WORD, "include_private": "true"},
                            headers=scene.headers(role), status=200)
            assert scene.unpub["id"] in ids(reply.json["result"])

    def _search_pages(self, app, scene):
        pages = ["/dataset/", f"/dataset/?q={UNPUB_WORD}", f"/dataset/?q={SHARED_WORD}",
                 "/learning-resource/", f"/learning-resource/?q={SHARED_WORD}",
                 f"/learning-resource/?q={UNPUB_WORD}",
                 f"/learning-resource/?q={UNPUB_WORD_KM}",
                 "/learning-resource/?q=&sort=metadata_modified+desc",
                 f"/learning-resource/?organization={scene.cso['name']}",
                 f"/learning-resource/?groups={THEME}",
                 f"/learning-resource/?tags={UNPUB_KEYWORD}",
                 "/km/learning-resource/"]
        for role in OUTSIDERS:
            for url in pages:
                body = app.get(url, headers=scene.headers(role), status=200).body
                scene.assert_hidden(body, f"{url} as {role}")
            for url in ("/dataset/", f"/dataset/?q={SHARED_WORD}",
                        "/learning-resource/", f"/learning-resource/?q={SHARED_WORD}",
                        f"/learning-resource/?organization={scene.cso['name']}",
                        "/km/learning-resource/"):
                body = app.get(url, headers=scene.headers(role)).body
                scene.assert_published_there(body, f"{url} as {role}")
        # control: the organisation's member finds it on the search page
        for role in INSIDERS:
            body = app.get(f"/learning-resource/?q={UNPUB_WORD}",
                           headers=scene.headers(role), status=200).body
            assert scene.unpub["name"] in body, role


# ------------------------------------------------------------------ show and lists

class TestShowAndLists:
    def test_show_and_lists(self, app, scene):
        self._show(app, scene)
        self._lists(app, scene)

    def _show(self, app, scene):
        unpub, rid = scene.unpub, scene.unpub_file["id"]
        for role in OUTSIDERS:
            a = scene.api(role).action
            for ref in (unpub["id"], unpub["name"]):
                assert denied(a.package_show, id=ref), (role, ref)
            assert denied(a.resource_show, id=rid), role
            assert denied(a.resource_show, id=scene.unpub_link["id"]), role
            assert denied(a.resource_view_list, id=rid), role
            assert denied(a.learning_review_history, id=unpub["id"]), role
            assert a.package_show(id=scene.pub["id"])["name"] == PUB_NAME
            pub_file = scene.pub_file["id"]
            assert a.resource_show(id=pub_file)["id"] == pub_file
            for ref in (unpub["id"], unpub["name"]):
                reply = app.post("/api/3/action/package_show", json={"id": ref},
                                 headers=scene.headers(role))
                assert reply.status_code in (403, 404), (role, reply.status_code)
                scene.assert_hidden(reply.body, f"package_show {ref} as {role}")
                # (GET is refused for everyone: the chained package_show is
                # not marked side-effect free; nothing leaks either way)
                reply = app.get(f"/api/3/action/package_show?id={ref}",
                                headers=scene.headers(role))
                assert reply.status_code in (400, 403, 404), (role, reply.status_code)
                scene.assert_hidden(reply.body, f"GET package_show {ref} as {role}")
            reply = app.post("/api/3/action/package_show", json={"id": PUB_NAME},
                             headers=scene.headers(role), status=200)
            assert reply.json["result"]["id"] == scene.pub["id"]
            url = f"/api/3/action/resource_show?id={rid}"
            reply = app.get(url, headers=scene.headers(role))
            assert reply.status_code in (403, 404)
            scene.assert_hidden(reply.body, f"{url} as {role}")
            for url in (f"/learning-resource/{unpub['name']}",
                        f"/dataset/{unpub['id']}",
                        f"/learning-resource/{unpub['id']}/resource/{rid}",
                        f"/dataset/{scene.pub['id']}/resource/{rid}",
                        f"/learning-resource/{scene.pub['name']}/resource/{rid}"):
                reply = app.get(url, headers=scene.headers(role))
                assert reply.status_code in (403, 404), (url, role, reply.status_code)
                scene.assert_hidden(reply.body, f"{url} as {role}")
            assert app.get(f"/learning-resource/{PUB_NAME}",
                           headers=scene.headers(role)).status_code == 200
        # controls: the organisation and the reviewers read it
        for role in INSIDERS:
            a = scene.api(role).action
            assert a.package_show(id=unpub["id"])["name"] == UNPUB_NAME
            assert a.resource_show(id=rid)["id"] == rid
            body = app.get(f"/learning-resource/{unpub['name']}",
                           headers=scene.headers(role), status=200).body
            assert UNPUB_TITLE in body

    def _lists(self, app, scene):
        for role in OUTSIDERS:
            a = scene.api(role).action
            where = f"as {role}"
            names = a.package_list()
            assert PUB_NAME in names and UNPUB_NAME not in names, (where, names)
            current = a.current_package_list_with_resources(limit=100)
            assert {d["name"] for d in current} == {PUB_NAME}, where
            scene.assert_hidden(json.dumps(current, ensure_ascii=False), where)
            for q in ("handbook", "xylo", "patrol", "video"):
                completed = a.package_autocomplete(q=q, limit=100)
                assert UNPUB_NAME not in {d["name"] for d in completed}, (where, q)
            assert PUB_NAME in {d["name"] for d in a.package_autocomplete(q="video")}
            for query in (f"name:{UNPUB_WORD}", "name:Xylotrema annex",
                          f"url:{UNPUB_FILE}", "url:xylotrema-secret"):
                found = a.resource_search(query=query)
                assert found["count"] == 0, (where, query, found)
            assert a.resource_search(query="name:Video annex")["count"] == 1
            tags = a.tag_list()
            assert UNPUB_KEYWORD not in tags, where
            user = a.user_show(id=scene.users["contributor"]["name"],
                               include_datasets=True)
            assert {d["name"] for d in user["datasets"]} == {PUB_NAME}, where
            assert user["number_created_packages"] == 1, where
            if role != "anonymous":
                mine = a.learning_my_submissions()
                assert UNPUB_NAME not in {m["name"] for m in mine}, where
            assert denied(a.learning_review_queue), where
            for url in (f"/user/{scene.users['contributor']['name']}",
                        "/api/3/action/package_list",
                        "/api/3/action/current_package_list_with_resources",
                        "/api/3/action/package_autocomplete?q=xylo",
                        f"/api/3/action/resource_search?query=name:{UNPUB_WORD}",
                        "/api/2/util/dataset/autocomplete?incomplete=xylo",
                        "/api/2/util/tag/autocomplete?incomplete=quill",
                        "/learning/review", "/learning/submissions"):
                reply = app.get(url, headers=scene.headers(role))
                scene.assert_hidden(reply.body, f"{url} {where}")
            body = app.get(f"/user/{scene.users['contributor']['name']}",
                           headers=scene.headers(role), status=200).body
            scene.assert_published_there(body, f"user page {where}")
        # controls: the contributor's own view of the same lists has it
        mine = scene.api("contributor").action
        assert UNPUB_NAME in {d["name"] for d in mine.user_show(
            id=scene.users["contributor"]["name"], include_datasets=True)["datasets"]}
        assert UNPUB_NAME in {m["name"] for m in mine.learning_my_submissions()}
        if scene.status == "pending":
            assert UNPUB_NAME in {e["name"] for e in scene.api("reviewer").action
                                  .learning_review_queue()}

    def test_lists_that_ignore_visibility(self, app, scene):
        """Core lists that read the tables without permission labels."""
        leaks = []
        for role in OUTSIDERS:
            a = scene.api(role).action
            formats = a.format_autocomplete(q="reel", limit=100)
            assert PUB_FORMAT.lower() in formats, (role, formats)  # control
            if UNPUB_FORMAT.lower() in formats:
                leaks.append(f"format_autocomplete as {role}: {formats}")
            reply = app.get("/api/2/util/resource/format_autocomplete?incomplete=reel",
                            headers=scene.headers(role), status=200)
            if UNPUB_FORMAT.lower() in reply.body:
                leaks.append(f"/api/2/util/resource/format_autocomplete as {role}")
            for group in (THEME, scene.cso["name"]):
                members = {m[0]: m for m in
                           a.member_list(id=group, object_type="package")}
                assert scene.pub["id"] in members, (role, group, members)  # control
                if scene.unpub["id"] in members:
                    leaks.append(f"member_list(id={group}, object_type=package) as "
                                 f"{role}: {members[scene.unpub['id']]}")
        assert not leaks, "\n".join(leaks)


# ------------------------------------------------------------------ groups, orgs

class TestGroupsAndOrganisations:
    def test_actions_and_pages(self, app, scene):
        self._actions(scene)
        self._pages(app, scene)

    def _actions(self, scene):
        org_name = scene.cso["name"]
        for role in OUTSIDERS:
            a = scene.api(role).action
            where = f"as {role}"
            org = a.organization_show(id=org_name, include_datasets=True)
            assert {d["name"] for d in org["packages"]} == {PUB_NAME}, where
            assert org["package_count"] == 1, where
            group = a.group_show(id=THEME, include_datasets=True)
            assert {d["name"] for d in group["packages"]} == {PUB_NAME}, where
            assert group["package_count"] == 1, where
            packages = a.group_package_show(id=THEME, limit=100)
            assert {d["name"] for d in packages} == {PUB_NAME}, where
            orgs = {o["name"]: o for o in a.organization_list(all_fields=True)}
            assert orgs[org_name]["package_count"] == 1, where
            groups = {g["name"]: g for g in a.group_list(all_fields=True)}
            assert groups[THEME]["package_count"] == 1, where
            for dumped in (org, group, packages, orgs, groups):
                scene.assert_hidden(json.dumps(dumped, ensure_ascii=False), where)
            if role != "anonymous":
                mine = a.organization_list_for_user(include_dataset_count=True)
                scene.assert_hidden(json.dumps(mine, ensure_ascii=False), where)
        # controls: the organisation sees both, and counts both
        member = scene.api("member").action
        org = member.organization_show(id=org_name, include_datasets=True)
        assert {d["name"] for d in org["packages"]} == {PUB_NAME, UNPUB_NAME}
        assert org["package_count"] == 2
        for role in INSIDERS:
            orgs = scene.api(role).action.organization_list(all_fields=True)
            assert {o["name"]: o for o in orgs}[org_name]["package_count"] == 2, role

    def _pages(self, app, scene):
        org_name = scene.cso["name"]
        pages = [f"/organization/{org_name}",
                 f"/organization/{org_name}?q={UNPUB_WORD}",
                 f"/group/{THEME}", f"/group/{THEME}?q={UNPUB_WORD}",
                 f"/learning-resource/?groups={THEME}",
                 "/organization/", "/group/", f"/km/group/{THEME}",
                 f"/organization/about/{org_name}", "/"]
        for role in OUTSIDERS:
            for url in pages:
                body = app.get(url, headers=scene.headers(role), status=200).body
                scene.assert_hidden(body, f"{url} as {role}")
            for url in (f"/organization/{org_name}", f"/group/{THEME}",
                        f"/km/group/{THEME}"):
                body = app.get(url, headers=scene.headers(role)).body
                scene.assert_published_there(body, f"{url} as {role}")
        for url in (f"/organization/{org_name}", f"/group/{THEME}?q={UNPUB_WORD}"):
            body = app.get(url, headers=scene.headers("member"), status=200).body
            assert UNPUB_NAME in body, url


# ------------------------------------------------------------------ activity

@pytest.mark.ckan_config("ckan.plugins", ACTIVITY_PLUGINS)
class TestActivityStreams:
    def _object_ids(self, activities):
        return {a["object_id"] for a in activities}

    def test_actions_and_pages(self, app, scene):
        self._actions(scene)
        self._pages(app, scene)

    def _actions(self, scene):
        unpub, pub = scene.unpub, scene.pub
        contributor = scene.users["contributor"]["name"]
        # controls: the organisation sees the unpublished resource's activity
        # (core leaves private datasets out of organisation and group streams
        # for everyone; their own stream and the recent changes follow labels)
        member = scene.api("member").action
        unpub_activities = member.package_activity_list(id=unpub["id"])
        assert unpub_activities, "no activity recorded for the unpublished resource"
        assert unpub["id"] in self._object_ids(
            member.recently_changed_packages_activity_list(limit=100))
        assert unpub["id"] in self._object_ids(
            scene.api("contributor").action.user_activity_list(id=contributor))
        for role in OUTSIDERS:
            a = scene.api(role).action
            where = f"as {role}"
            assert denied(a.package_activity_list, id=unpub["id"]), where
            assert pub["id"] in self._object_ids(a.package_activity_list(id=pub["id"]))
            streams = {
                "organization_activity_list": a.organization_activity_list(
                    id=scene.cso["name"], limit=100),
                "group_activity_list": a.group_activity_list(id=THEME, limit=100),
                "recently_changed_packages_activity_list":
                    a.recently_changed_packages_activity_list(limit=100),
                "user_activity_list": a.user_activity_list(id=contributor, limit=100),
            }
            for name, activities in streams.items():
                assert unpub["id"] not in self._object_ids(activities), (name, where)
                scene.assert_hidden(json.dumps(activities, ensure_ascii=False),
                                    f"{name} {where}")
                if name != "user_activity_list":
                    assert pub["id"] in self._object_ids(activities), (name, where)
            for activity in unpub_activities:
                assert denied(a.activity_show, id=activity["id"]), where
                assert denied(a.activity_data_show, id=activity["id"]), where
                assert denied(a.activity_diff, id=activity["id"],
                              object_type="package"), where
        # dashboards: users who follow the organisation, the theme, the
        # published resource, and (if they can) the unpublished one by id
        for role in ("registered", "outsider"):
            a = scene.api(role).action
            a.follow_group(id=scene.cso["id"])
            a.follow_group(id=THEME)
            a.follow_dataset(id=pub["id"])
            a.follow_user(id=contributor)
            try:
                a.follow_dataset(id=unpub["id"])
            except (NotAuthorized, NotFound):
                pass
            dashboard = a.dashboard_activity_list(limit=100)
            assert unpub["id"] not in self._object_ids(dashboard), role
            assert pub["id"] in self._object_ids(dashboard), role
            scene.assert_hidden(json.dumps(dashboard, ensure_ascii=False),
                                f"dashboard as {role}")
            followed = a.dataset_followee_list(id=scene.users[role]["name"])
            assert UNPUB_NAME not in {d["name"] for d in followed}

    def _pages(self, app, scene):
        unpub, pub = scene.unpub, scene.pub
        activity_id = scene.api("member").action.package_activity_list(
            id=unpub["id"])[0]["id"]
        contributor = scene.users["contributor"]["name"]
        for role in OUTSIDERS:
            headers = scene.headers(role)
            rid = scene.unpub_file["id"]
            for url in (f"/dataset/activity/{unpub['id']}",
                        f"/dataset/activity/{unpub['name']}",
                        f"/dataset/changes/{activity_id}",
                        f"/dataset/changes_multiple?new_id={activity_id}"
                        f"&old_id={activity_id}",
                        f"/dataset/{unpub['name']}/history/{activity_id}",
                        f"/dataset/{pub['name']}/history/{activity_id}",
                        f"/dataset/{unpub['id']}/resources/{rid}/history/{activity_id}",
                        f"/dataset/{pub['id']}/resources/{rid}/history/{activity_id}"):
                reply = fetch(app, url, headers)
                # changes_multiple lets activity_show's refusal through: a
                # server error, not a leak
                refused = (403, 404, 500) if "changes_multiple" in url else (403, 404)
                assert reply.status_code in refused, (url, role, reply.status_code)
                scene.assert_hidden(reply.body, f"{url} as {role}")
            body = app.get(f"/dataset/activity/{pub['id']}", headers=headers,
                           status=200).body
            assert PUB_TITLE in body
            for url in (f"/organization/activity/{scene.cso['name']}",
                        f"/group/activity/{THEME}"):
                body = app.get(url, headers=headers, status=200).body
                scene.assert_hidden(body, f"{url} as {role}")
                assert PUB_TITLE in body, (url, role)
            body = app.get(f"/user/activity/{contributor}", headers=headers,
                           status=200).body
            scene.assert_hidden(body, f"user activity page as {role}")
            if role != "anonymous":
                body = app.get("/dashboard/", headers=headers, status=200).body
                scene.assert_hidden(body, f"dashboard page as {role}")
        # control: the organisation's member reads its stream
        body = app.get(f"/dataset/activity/{unpub['name']}",
                       headers=scene.headers("member"), status=200).body
        assert UNPUB_TITLE in body
        body = app.get(f"/user/activity/{contributor}",
                       headers=scene.headers("member"), status=200).body
        assert UNPUB_TITLE in body


# ------------------------------------------------------------------ feeds, sitemap

class TestFeedsAndSitemap:
    def test_feeds_and_sitemap(self, app, scene):
        self._feeds(app, scene)
        self._sitemap(app, scene)

    def _feeds(self, app, scene):
        feeds = {
            "/feeds/dataset.atom": True,
            f"/feeds/organization/{scene.cso['name']}.atom": True,
            f"/feeds/group/{THEME}.atom": True,
            f"/feeds/custom.atom?q={SHARED_WORD}": True,
            f"/feeds/custom.atom?q={UNPUB_WORD}": False,
            f"/feeds/custom.atom?q={UNPUB_NOTES_WORD}": False,
            f"/feeds/custom.atom?q=name:{UNPUB_NAME}": False,
            f"/feeds/custom.atom?organization={scene.cso['name']}": True,
            f"/feeds/custom.atom?groups={THEME}": True,
            f"/feeds/tag/{UNPUB_KEYWORD}.atom": False,
            "/feeds/tag/video.atom": True,
        }
        for role in OUTSIDERS:
            for url, has_pub in feeds.items():
                reply = app.get(url, headers=scene.headers(role), status=200)
                body = reply.body
                scene.assert_hidden(body, f"{url} as {role}")
                assert UNPUB_TITLE not in body, (url, role)
                if has_pub:
                    scene.assert_published_there(body, f"{url} as {role}")
                    assert PUB_TITLE in body, (url, role)
        # (feeds search public datasets only, whoever asks: no insider control;
        # the published resource beside it shows each feed works)

    def _sitemap(self, app, scene):
        for role in (*OUTSIDERS, *INSIDERS):
            for url in ("/sitemap.xml", "/sitemap.xml?page=1"):
                reply = app.get(url, headers=scene.headers(role), status=200)
                body = reply.body
                # even asked for by those who may read it: it is for search engines
                scene.assert_hidden(body, f"{url} as {role}")
                assert f"/learning-resource/{PUB_NAME}</loc>" in body, (url, role)
                assert f"/organization/{scene.cso['name']}</loc>" in body


# ------------------------------------------------------------------ DCAT

FORMATS = {"ttl": "turtle", "jsonld": "json-ld", "rdf": "xml", "xml": "xml",
           "n3": "n3"}


def _graph(body: str, fmt: str) -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(data=body, format=FORMATS[fmt])
    return graph


def _datasets(graph: rdflib.Graph) -> tuple[set[str], set[str]]:
    subjects = {str(s) for s in graph.subjects(RDF.type, DCAT.Dataset)}
    titles = {str(t) for s in graph.subjects(RDF.type, DCAT.Dataset)
              for t in graph.objects(s, DCTERMS.title)}
    return subjects, titles


UNPUB_QUERY = f"?q={UNPUB_WORD}"


class TestDcat:
    """DCAT output, from ckanext-dcat's endpoints.

    ckanext-dcat 2.4.4's profiles load the scheming schema of type
    ``dataset`` (``RDFSerializer``'s default), so the portal ships
    scheming's own ``dataset`` schema beside ``learning-resource``
    (test.ini, etc/portal-options.ini); without it ``/catalog.*`` is a
    server error.
    """
    def test_catalog_and_datasets(self, app, scene):
        self._catalog(app, scene)
        self._dataset_documents(app, scene)

    def _catalog(self, app, scene):
        queries = {"": True, f"?q={SHARED_WORD}": True, UNPUB_QUERY: False,
                   f"?q=name:{UNPUB_NAME}": False,
                   f"?fq=organization:{scene.cso['name']}": True,
                   "?modified_since=2000-01-01": True}
        for role in OUTSIDERS:
            for fmt in FORMATS:
                for query, has_pub in queries.items():
                    if fmt not in ("ttl", "jsonld") and query not in ("", UNPUB_QUERY):
                        continue  # every format once, every query in two
                    url = f"/catalog.{fmt}{query}"
                    body = app.get(url, headers=scene.headers(role), status=200).body
                    scene.assert_hidden(body, f"{url} as {role}")
                    subjects, titles = _datasets(_graph(body, fmt))
                    assert UNPUB_TITLE not in titles, (url, role)
                    assert not any(scene.unpub["id"] in s for s in subjects), (
                        url, role)
                    if has_pub:
                        assert PUB_TITLE in titles, (url, role, titles)
                        assert any(scene.pub["id"] in s for s in subjects), (url, role)
                    else:
                        assert not titles, (url, role, titles)
            reply = app.get(f"/api/3/action/dcat_catalog_search?q={UNPUB_WORD}"
                            "&format=ttl", headers=scene.headers(role))
            scene.assert_hidden(reply.body, f"dcat_catalog_search as {role}")
        # (the catalogue lists public datasets only, whoever asks: no insider
        # control; the published resource beside it shows the catalogue works)

    def _dataset_documents(self, app, scene):
        unpub = scene.unpub
        for role in OUTSIDERS:
            headers = scene.headers(role)
            for fmt in ("rdf", "ttl", "jsonld", "xml", "n3"):
                for ref in (unpub["id"], unpub["name"]):
                    for prefix in ("dataset", "learning-resource"):
                        url = f"/{prefix}/{ref}.{fmt}"
                        reply = app.get(url, headers=headers)
                        assert reply.status_code in (403, 404), (
                            url, role, reply.status_code)
                        scene.assert_hidden(reply.body, f"{url} as {role}")
                body = app.get(f"/dataset/{scene.pub['id']}.{fmt}", headers=headers,
                               status=200).body
                assert PUB_TITLE in _datasets(_graph(body, fmt))[1]
            url = "/dataset/" + unpub["id"]
            reply = app.get(url, headers=dict(headers, Accept="text/turtle"))
            assert reply.status_code in (403, 404), role
            scene.assert_hidden(reply.body, f"{url} (Accept: text/turtle) as {role}")
            url = "/api/3/action/dcat_dataset_show"
            reply = app.post(url, json={"id": unpub["id"], "format": "ttl"},
                             headers=headers)
            assert reply.status_code in (403, 404), role
            scene.assert_hidden(reply.body, f"{url} {unpub['id']} as {role}")
            reply = app.post(url, json={"id": scene.pub["id"], "format": "ttl"},
                             headers=headers, status=200)
            assert PUB_TITLE in reply.json["result"]
        # control: the organisation's member gets the document
        for role in INSIDERS:
            body = app.get(f"/dataset/{unpub['id']}.ttl", headers=scene.headers(role),
                           status=200).body
            assert UNPUB_TITLE in _datasets(_graph(body, "ttl"))[1]


# ------------------------------------------------------------------ downloads

class TestDownloads:
    def test_files_by_url(self, app, scene):
        unpub, pub = scene.unpub, scene.pub
        rid, fname = scene.unpub_file["id"], scene.unpub_file["url"].rsplit("/", 1)[-1]
        assert scene.unpub_file["url_type"] == "upload" and fname.endswith(".pdf")
        urls = [f"/dataset/{unpub['id']}/resource/{rid}/download",
                f"/dataset/{unpub['id']}/resource/{rid}/download/{fname}",
                f"/learning-resource/{unpub['id']}/resource/{rid}/download/{fname}",
                f"/learning-resource/{unpub['name']}/resource/{rid}/download/{fname}",
                f"/learning-resource/{unpub['name']}/resource/{rid}/download",
                # a published dataset's URL with the unpublished file
                f"/dataset/{pub['id']}/resource/{rid}/download/{fname}",
                f"/learning-resource/{pub['name']}/resource/{rid}/download/{fname}",
                scene.unpub_file["url"].replace("http://test.ckan.net", "")]
        link = f"/dataset/{unpub['id']}/resource/{scene.unpub_link['id']}/download"
        for role in OUTSIDERS:
            headers = scene.headers(role)
            for url in urls:
                reply = app.get(url, headers=headers, follow_redirects=False)
                assert reply.status_code in (403, 404), (url, role, reply.status_code)
                assert scene.unpub_bytes not in reply.data, (url, role)
                assert not reply.data.startswith(b"%PDF"), (url, role)
                scene.assert_hidden(reply.get_data(as_text=True), f"{url} as {role}")
            reply = app.get(link, headers=headers, follow_redirects=False)
            assert reply.status_code in (403, 404), (link, role, reply.status_code)
            assert "xylotrema-secret" not in reply.headers.get("Location", "")
            # control: the published file downloads
            pub_url = (f"/learning-resource/{pub['name']}/resource/"
                       f"{scene.pub_file['id']}/download/{PUB_FILE}")
            reply = app.get(pub_url, headers=headers, status=200)
            assert reply.data == scene.pub_bytes
        # control: the organisation and the reviewers download the unpublished file
        for role in INSIDERS:
            reply = app.get(urls[2], headers=scene.headers(role), status=200)
            assert reply.data == scene.unpub_bytes, role
            reply = app.get(link, headers=scene.headers(role), follow_redirects=False)
            assert reply.status_code == 302 and \
                reply.headers["Location"] == UNPUB_LINK, role


# ------------------------------------------------------------------ revisions

REVISION_WORD = "Zorbulent"


@pytest.mark.ckan_config("ckan.plugins", ACTIVITY_PLUGINS)
class TestRevisionOfPublished:
    """An edit of a published resource waits for review as a revision: its
    words reach no one but the organisation and the reviewers, while the
    published version stays visible."""

    def _check(self, app, published, users, state):
        name = published["name"]
        for role, user in users.items():
            a = api(user).action
            where = f"revision {state}, as {role}"
            shown = a.package_show(id=name)
            assert shown["title"] == "Community forest patrol handbook", where
            assert REVISION_WORD not in json.dumps(shown, ensure_ascii=False), where
            assert a.package_search(q=REVISION_WORD)["count"] == 0, where
            assert a.package_search(q=REVISION_WORD, include_private=True)["count"] == 0
            assert ids(a.package_search(q="patrol")) == {published["id"], name}, where
            activities = a.package_activity_list(id=published["id"])
            assert activities, where
            assert REVISION_WORD not in json.dumps(activities, ensure_ascii=False), \
                where
            for activity in activities:
                try:  # the full data: for those who may edit (core's rule)
                    data = a.activity_data_show(id=activity["id"])
                except NotAuthorized:
                    continue
                assert REVISION_WORD not in json.dumps(data, ensure_ascii=False), where
            recent = a.recently_changed_packages_activity_list(limit=100)
            assert REVISION_WORD not in json.dumps(recent, ensure_ascii=False), where
            headers = ({"Authorization": factories.APIToken(user=user["name"])["token"]}
                       if user else {})
            for url in (f"/learning-resource/{name}", f"/dataset/activity/{name}",
                        "/learning-resource/?q=patrol", "/feeds/dataset.atom",
                        "/feeds/custom.atom?q=patrol", "/sitemap.xml",
                        f"/learning-resource/{name}/resource/"
                        f"{shown['resources'][0]['id']}"):
                body = app.get(url, headers=headers, status=200).body
                assert REVISION_WORD not in body, (url, where)
            assert name in app.get("/feeds/custom.atom?q=patrol", headers=headers).body

    def test_revision_words_stay_private(self, app, published, contributor, reviewer,
                                         registered, outsider):
        users = {"anonymous": None, "registered": registered, "outsider": outsider}
        me = api(contributor).action

        def revise(n):
            me.package_patch(id=published["id"], title_translated={
                "en": f"{REVISION_WORD} patrol handbook, edition {n}",
                "km": "សៀវភៅណែនាំការល្បាត បោះពុម្ពលើកទីពីរ"},
                notes_translated={"en": f"{REVISION_WORD} notes {n}.",
                                  "km": "របៀបល្បាតព្រៃ។"})
            me.learning_submit(id=published["id"], accept_terms=True)

        revise(1)
        # control: the revision holds the words, and waits for the reviewers
        queue = api(reviewer).action.learning_review_queue()
        assert [(e["name"], e["kind"]) for e in queue] == [
            (published["name"], "revision")]
        assert REVISION_WORD in json.dumps(states.open_revision(published["id"]).data)
        self._check(app, published, users, "pending")
        api(reviewer).action.learning_review(id=published["id"], decision="return",
                                             comment="Fix the title")
        self._check(app, published, users, "returned")
        revise(2)
        api(reviewer).action.learning_review(id=published["id"], decision="reject",
                                             comment="No")
        self._check(app, published, users, "rejected")
