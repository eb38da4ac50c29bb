"""No reviewer's name reaches a contributor or a newcomer.

Two reviewers with names found nowhere else (one of them without an email
address, so that "could not be told" has someone to name) take part in the
whole flow on the web pages: a contributor submits, a reviewer returns it,
the contributor submits again, a reviewer approves; a newcomer asks to join
a CSO that a reviewer administers and is accepted by that reviewer; another
asks for a new organisation, which a reviewer adds.  Every page, flash
message and mail the contributor and the newcomers get is collected, in
both languages, and neither reviewer's user name nor display name may be in
any of it.  The controls: the reviewers themselves see those names on the
same pages (so their absence means something), and the flows did happen.
"""
from __future__ import annotations

import ckan.model as model
import pytest
from ckan.tests import factories
from ckanapi import LocalCKAN

# a real SMTP server the portal mails to
from ckanext.learning.tests.mail.conftest import (  # noqa: F401
    body,
    deliver,
    inbox,
    mail_server,
)
from ckanext.learning.tests.workflow.conftest import api

#: The portal's plugins, activity streams included (etc/portal-options.ini).
pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db"),
              pytest.mark.ckan_config(
                  "ckan.plugins", "activity learning learning_search learning_fluent "
                  "scheming_datasets scheming_groups scheming_organizations dcat")]

NAMED = ("zorvath-quillon", "Marbrecht Ostravel")
MUTE = ("yestrumble-pell", "Grissolde Vantaker")
SECRETS = (*NAMED, *MUTE)


def auth(user):
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


class Seen:
    """Everything one person was shown: pages (with the flash messages a
    form's redirect carries) and mails."""

    def __init__(self, app, user):
        self.app, self.user, self.texts = app, user, []

    def page(self, url, status=200):
        text = self.app.get(url, headers=auth(self.user), status=status).body
        self.texts.append((url, text))
        return text

    def form(self, url, data):
        """Post a form as the browser does and read the page it lands on."""
        response = self.app.post(url, data=data, headers=auth(self.user),
                                 follow_redirects=True)
        assert response.status_code == 200, (url, response.status_code)
        self.texts.append((f"{url} (after posting)", response.body))
        return response.body

    def mails(self, inbox):  # noqa: F811 - the fixture's value
        for message in inbox.to(self.user["email"]):
            self.texts.append((f"mail: {message['subject']}",
                               f"{message['subject']}\n{message['from']}\n{body(message)}"))

    def assert_no_reviewer_named(self):
        shown = [(where, secret) for where, text in self.texts for secret in SECRETS
                 if secret in text]
        assert shown == [], f"{self.user['name']} was shown a reviewer's name: {shown}"


@pytest.fixture
def reviewers(odc, cso):
    """ODC reviewers, both also admins of the CSO (as the demo admin, who
    made the demo organisations, is); one has no email address."""
    named = factories.User(name=NAMED[0], fullname=NAMED[1], email="zq@example.org")
    mute = factories.Sysadmin(name=MUTE[0], fullname=MUTE[1])
    user = model.User.get(mute["id"])
    user.email = None
    model.repo.commit()
    for user in (named, mute):
        for org in (odc, cso):
            LocalCKAN().action.organization_member_create(
                id=org["id"], username=user["name"], role="admin")
    return named, mute


def test_a_contributor_never_sees_a_reviewers_name(app, inbox, reviewers, draft,  # noqa: F811
                                                   contributor, cso):
    named, _mute = reviewers
    me = Seen(app, contributor)
    api(contributor).action.follow_dataset(id=draft["id"])
    url = f"/learning-resource/{draft['name']}"

    text = me.form(f"/learning/submit/{draft['id']}", {"accept_terms": "true",
                                                       "comment": "First try"})
    assert "Submitted: the reviewers have been told." in text
    api(named).action.learning_review(id=draft["id"], decision="return",
                                      comment="Add the Khmer summary")
    me.form(f"/learning/submit/{draft['id']}", {"accept_terms": "true"})
    api(named).action.learning_review(id=draft["id"], decision="approve")
    deliver()

    history = me.page(url)
    assert "Add the Khmer summary" in history and "a reviewer" in history
    assert "learning-status-published" in me.page("/learning/submissions")
    activity = me.page(f"/dataset/activity/{draft['name']}")
    assert "A reviewer" in activity
    me.page(f"/organization/activity/{cso['name']}")
    me.page(f"/organization/members/{cso['name']}")
    me.page("/dashboard/")
    me.page("/contribute")
    me.page(f"/km{url}")
    me.page(f"/km/dataset/activity/{draft['name']}")
    me.page("/user/")
    me.mails(inbox)
    decisions = [where for where, _t in me.texts if where.startswith("mail:")]
    assert len(decisions) == 2, decisions  # returned, then published
    me.assert_no_reviewer_named()

    # the controls: a reviewer is shown the names on the same pages, and
    # the contributor's mail did say who decided ("the reviewers")
    they = Seen(app, named)
    assert NAMED[1] in they.page(url)
    assert NAMED[1] in they.page(f"/dataset/activity/{draft['name']}")
    assert all("the reviewers" in text.lower() for where, text in me.texts
               if where.startswith("mail:"))


def test_the_api_names_no_reviewer_to_a_contributor(reviewers, draft, contributor,
                                                    cso):
    named, _mute = reviewers
    reply = api(contributor).action.learning_submit(id=draft["id"], accept_terms=True)
    assert reply["mail_failed"] == []
    api(named).action.learning_review(id=draft["id"], decision="return", comment="x")
    events = api(contributor).action.learning_review_history(id=draft["id"])["events"]
    decision = [e for e in events if e["action"] == "return"][0]
    assert decision["by_reviewer"] and decision["user"] is None
    assert decision["user_display_name"] is None
    assert not any(secret in str(events) for secret in SECRETS)
    # a reviewer is told who could not be mailed, and sees who decided
    other = api(named).action.package_create(**{
        **{k: v for k, v in api(contributor).action.package_show(id=draft["id"]).items()
           if k in ("type", "title_translated", "notes_translated", "themes",
                    "resource_type", "license_id", "language")},
        "name": "reviewers-own-handbook", "owner_org": cso["id"], "private": True,
        "resources": [{"url": "https://video.example.org/own"}]})
    assert MUTE[0] in api(named).action.learning_submit(
        id=other["id"], accept_terms=True)["mail_failed"]
    seen = api(named).action.learning_review_history(id=draft["id"])["events"]
    assert [e["user"] for e in seen if e["action"] == "return"] == [NAMED[0]]


def test_newcomers_never_see_a_reviewers_name(app, inbox, reviewers, cso):  # noqa: F811
    named, _mute = reviewers
    newcomer = factories.User()
    me = Seen(app, newcomer)
    text = me.form("/contribute/join", {"organization": cso["name"],
                                        "message": "Trainer at the CSO"})
    assert "Your request was sent to the organisation&#39;s admins." in text or \
        "Your request was sent to the organisation's admins." in text
    [request] = api(named).action.learning_membership_request_list()
    Seen(app, named).form(f"/learning/membership/{request['id']}",
                          {"decision": "approve"})

    founder = factories.User()
    them = Seen(app, founder)
    them.form("/km/contribute/join", {"new_organization_en": "Stung Treng Forest Community",
                                      "new_organization_km": "សហគមន៍ព្រៃឈើស្ទឹងត្រែង"})
    [asked] = [r for r in api(named).action.learning_membership_request_list()
               if r["new_organization"]]
    Seen(app, named).form(f"/learning/membership/{asked['id']}", {"decision": "approve"})
    deliver()

    for person, org in ((me, cso["name"]), (them, asked["organization"])):
        person.page("/contribute")
        person.page("/km/contribute")
        person.page(f"/organization/{org}")
        person.page(f"/organization/activity/{org}")
        person.page(f"/organization/members/{org}")
        person.page("/dashboard/")
        person.mails(inbox)
        assert any("accepted" in text for where, text in person.texts
                   if where.startswith("mail:")), person.texts
        person.assert_no_reviewer_named()
    # the control: the request to join did reach the reviewer by mail and
    # the page, with the newcomer's name
    assert inbox.to("zq@example.org")
    assert NAMED[1] in Seen(app, named).page(f"/organization/members/{cso['name']}")
