"""Demo content of ``ckan learning init``: demo admin, CSOs, resources, submissions.

Everything goes through CKAN's actions (validation, indexing, activity) as
the site user; existing objects are kept untouched so re-running is safe.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from werkzeug.datastructures import FileStorage

from ckanext.learning.themes.catalogue import Report, data_file, exists, site_context

DEMO_ADMIN = "admin"


@dataclass
class AdminReport:
    name: str
    created: bool


def create_demo_admin(password: str) -> AdminReport:
    if model.User.get(DEMO_ADMIN):
        return AdminReport(DEMO_ADMIN, created=False)
    tk.get_action("user_create")(site_context(), {
        "name": DEMO_ADMIN, "email": "admin@learning.example.org",
        "password": password, "fullname": "Learning Platform Admin",
    })
    user = model.User.get(DEMO_ADMIN)
    assert user
    user.sysadmin = True
    model.Session.commit()
    return AdminReport(DEMO_ADMIN, created=True)


def create_demo_content() -> Report:
    """About thirty learning resources from several CSOs, each with a small
    generated PDF or a video link (``data/demo_resources.json``)."""
    data = data_file("demo_resources.json")
    for org in data["organizations"]:
        if not exists("organization_show", org["name"]):
            tk.get_action("organization_create")(site_context(), {
                "name": org["name"], **_bilingual(org)})
        else:
            _make_bilingual(org)
    report = Report()
    for item in data["datasets"]:
        if exists("package_show", item["name"]):
            report.kept += 1
            continue
        _create_demo_dataset(item)
        report.created += 1
    return report


def _bilingual(org: dict[str, Any]) -> dict[str, Any]:
    return {"title_translated": {"en": org["title"], "km": org["title_km"]},
            "description_translated": {"en": org["description"],
                                       "km": org["description_km"]}}


def _make_bilingual(org: dict[str, Any]) -> None:
    """A demo organisation of an older portal had its English and Khmer
    descriptions run together in one ``description`` and no Khmer name:
    give it both languages, unless someone has edited it since."""
    shown = tk.get_action("organization_show")(site_context(), {"id": org["name"]})
    if shown.get("description") != f"{org['description']}\n\n{org['description_km']}":
        return
    extras = {e["key"]: e["value"] for e in shown.get("extras") or []}
    translated = shown.get("title_translated") or extras.get("title_translated")
    if translated and "km" in str(translated):
        return
    tk.get_action("organization_patch")(site_context(), {
        "id": shown["id"], "title": org["title"], "description": org["description"],
        **_bilingual(org)})


def _create_demo_dataset(item: dict[str, Any]) -> None:
    files = [r for r in item["resources"] if r.get("file")]
    links = [_resource(r) for r in item["resources"] if not r.get("file")]
    dataset = dict(item, type="learning-resource", resources=links)
    dataset.pop("edition_of", None)  # set once both editions exist
    created = tk.get_action("package_create")(site_context(), dataset)
    for number, resource in enumerate(files, 1):
        filename = f"{item['name']}-{resource.get('language', 'en')}-{number}.pdf"
        pdf = demo_pdf(item["title_translated"]["en"],
                       item["notes_translated"]["en"], item["owner_org"])
        tk.get_action("resource_create")(site_context(), dict(
            _resource(resource), package_id=created["id"], url=filename,
            upload=FileStorage(io.BytesIO(pdf), filename=filename,
                               content_type="application/pdf"),
            size=len(pdf)))
    if item.get("edition_of") and exists("package_show", item["edition_of"]):
        tk.get_action("package_patch")(site_context(), {
            "id": created["id"], "edition_of": item["edition_of"]})


def _resource(resource: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in resource.items() if k != "file"}


def demo_pdf(title: str, summary: str, organisation: str) -> bytes:
    """A one-page PDF standing in for the real document."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_title(title)
    pdf.set_author(organisation)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 9, title)
    pdf.ln(4)
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, summary)
    pdf.ln(4)
    pdf.set_font("Helvetica", "I", 9)
    pdf.multi_cell(0, 5, "Demo document of the ODC Learning Platform. "
                         "Published by " + organisation + ".")
    return bytes(pdf.output())


DEMO_CONTRIBUTOR_PASSWORD = "learning-contributor"


def create_demo_submissions(password: str = DEMO_CONTRIBUTOR_PASSWORD) -> Report:
    """A demo contributor of a CSO with two submissions, one waiting in the
    review queue and one returned with a reviewer's comment, so the
    contribution pages have something to show (``data/demo_submissions.json``).

    Made through the workflow's own actions, as that contributor and as the
    demo admin, so the audit trail reads as it would on a real portal.
    """
    data = data_file("demo_submissions.json")
    person = data["contributor"]
    if not model.User.get(person["name"]):
        tk.get_action("user_create")(site_context(), {
            "name": person["name"], "fullname": person["fullname"],
            "email": person["email"], "password": password})
        tk.get_action("organization_member_create")(site_context(), {
            "id": person["organization"], "username": person["name"], "role": "editor"})
    as_contributor = {"user": person["name"]}
    as_reviewer = {"user": DEMO_ADMIN}
    report = Report()
    for item in data["submissions"]:
        if exists("package_show", item["dataset"]["name"]):
            report.kept += 1
            continue
        created = tk.get_action("package_create")(
            dict(as_contributor), dict(item["dataset"], type="learning-resource"))
        tk.get_action("learning_submit")(dict(as_contributor), {
            "id": created["id"], "accept_terms": True, "comment": item["comment"]})
        if item.get("decision"):
            tk.get_action("learning_review")(dict(as_reviewer), {
                "id": created["id"], "decision": item["decision"],
                "comment": item["review_comment"]})
        report.created += 1
    return report
