"""Email about contributions, through the mail outbox (``mail/``).

``tell`` writes the mails into the transaction of the change they report,
so it is called before that change commits: both are saved or neither is,
and no request waits on the mail server.  Recipients' languages are unknown
(CKAN keeps none per user), so every mail says it in Khmer and in English.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import ckan.model as model

from ckanext.learning import config
from ckanext.learning.fluent import languages
from ckanext.learning.mail import outbox
from ckanext.learning.workflow.model import ReviewEvent

#: Subject and body per event, Khmer first (the platform's first language).
#: ``{user}`` (who acted) appears only in mail to reviewers and organisation
#: admins: a contributor or newcomer is told what "the reviewers" decided,
#: never which reviewer (``tests/workflow/test_reviewer_names.py``).
MESSAGES: dict[str, dict[str, str]] = {
    "submitted": {
        "subject": "ត្រូវពិនិត្យ / To review: {title}",
        "km": "{user} បានដាក់ស្នើ «{title}» ({organization}) ឱ្យពិនិត្យ។",
        "en": "{user} submitted “{title}” ({organization}) for review.",
    },
    "approved": {
        "subject": "បានផ្សព្វផ្សាយ / Published: {title}",
        "km": "«{title}» ត្រូវបានអនុម័ត និងផ្សព្វផ្សាយដោយអ្នកពិនិត្យ។",
        "en": "“{title}” was approved and published by the reviewers.",
    },
    "returned": {
        "subject": "ត្រូវកែតម្រូវ / Returned for changes: {title}",
        "km": "អ្នកពិនិត្យបានបញ្ជូន «{title}» ត្រឡប់មកវិញ ដើម្បីកែតម្រូវ។ សូមកែ ហើយដាក់ស្នើម្ដងទៀត។",
        "en": "The reviewers returned “{title}” for changes. Please edit it and submit it again.",
    },
    "rejected": {
        "subject": "មិនត្រូវបានទទួលយក / Not accepted: {title}",
        "km": "អ្នកពិនិត្យបានបដិសេធ «{title}»។",
        "en": "The reviewers declined “{title}”.",
    },
    "revision_approved": {
        "subject": "ការកែប្រែត្រូវបានផ្សព្វផ្សាយ / Changes published: {title}",
        "km": "ការកែប្រែរបស់អ្នកលើ «{title}» ត្រូវបានអនុម័តដោយអ្នកពិនិត្យ។",
        "en": "Your changes to “{title}” were approved by the reviewers and are now public.",
    },
    "revision_returned": {
        "subject": "ការកែប្រែត្រូវកែតម្រូវ / Changes returned: {title}",
        "km": "អ្នកពិនិត្យបានបញ្ជូនការកែប្រែរបស់អ្នកលើ «{title}» ត្រឡប់មកវិញ។ កំណែដែលបានផ្សព្វផ្សាយនៅតែដដែល។",
        "en": "The reviewers returned your changes to “{title}”. The published version stays as it was.",
    },
    "revision_rejected": {
        "subject": "ការកែប្រែមិនត្រូវបានទទួលយក / Changes not accepted: {title}",
        "km": "អ្នកពិនិត្យបានបដិសេធការកែប្រែរបស់អ្នកលើ «{title}»។ កំណែដែលបានផ្សព្វផ្សាយនៅតែដដែល។",
        "en": "The reviewers declined your changes to “{title}”. The published version stays as it was.",
    },
    "membership_requested": {
        "subject": "សំណើចូលរួម / Request to join {organization}",
        "km": "{user} ស្នើសុំចូលរួមជាមួយ {organization} ដើម្បីចែករំលែកធនធាន។",
        "en": "{user} asks to join {organization} to contribute resources.",
    },
    "membership_approved": {
        "subject": "បានទទួលយក / Welcome to {organization}",
        "km": "សំណើរបស់អ្នកដើម្បីចូលរួមជាមួយ {organization} ត្រូវបានទទួលយក។ ឥឡូវនេះអ្នកអាចចែករំលែកធនធានបាន។",
        "en": "Your request to join {organization} was accepted: you can now contribute resources.",
    },
    "membership_rejected": {
        "subject": "សំណើចូលរួម / Your request to join {organization}",
        "km": "សំណើរបស់អ្នកដើម្បីចូលរួមជាមួយ {organization} មិនត្រូវបានទទួលយកទេ។",
        "en": "Your request to join {organization} was not accepted.",
    },
}


def enabled() -> bool:
    return config.review_notify()


def tell(event: str, recipients: list[model.User], actor: model.User,
         package: model.Package | None = None, comment: str = "",
         organization: model.Group | None = None) -> list[str]:
    """Mail ``recipients`` about an ``event``, in the transaction that makes
    it (commit after this); returns the names of those who have no address."""
    if not enabled():
        return []
    org = organization or (model.Group.get(package.owner_org)
                           if package is not None and package.owner_org else None)
    subject, body = compose(
        event, comment=comment,
        link=dataset_link(package) if package is not None else "",
        title=languages.package_title(package) if package is not None else "",
        user=actor.display_name,
        organization=(org.display_name if org is not None else ""))
    return send(recipients, subject, body)


def submitter_of(package: model.Package) -> list[model.User]:
    """Whoever last submitted it; the creator when nobody did."""
    event = (model.Session.query(ReviewEvent)
             .filter(ReviewEvent.package_id == package.id,
                     ReviewEvent.action.in_(("submit", "submit_revision")))
             .order_by(ReviewEvent.created.desc()).first())
    user = model.User.get(event.user_id if event is not None
                          else package.creator_user_id or "")
    return [user] if user is not None else []


def compose(event: str, comment: str = "", link: str = "",
            **values: Any) -> tuple[str, str]:
    """``(subject, body)`` of a mail, both languages."""
    message = MESSAGES[event]
    parts = [message["km"].format(**values), message["en"].format(**values)]
    if comment:
        parts.append(f"មតិយោបល់ / Comment:\n{comment}")
    if link:
        parts.append(link)
    return message["subject"].format(**values), "\n\n".join(parts)


def send(recipients: Iterable[model.User], subject: str, body: str) -> list[str]:
    """Queue the mail for each recipient; returns the names of those who
    have no address."""
    return outbox.queue(recipients, subject, body)


def dataset_link(package: model.Package) -> str:
    site = config.site_url()
    return f"{site}/{package.type or 'dataset'}/{package.name}"
