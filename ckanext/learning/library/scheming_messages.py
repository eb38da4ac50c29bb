"""Messages of ckanext-scheming that the library's forms show.

Scheming ships no Khmer catalogue and its strings are not in CKAN's; listed
here (``N_``), they enter our template and our Khmer catalogue, which
CKAN merges over every plugin's strings, so scheming's own ``_()`` finds
them in Khmer.
"""
from __future__ import annotations

from ckanext.learning.workflow import N_

MESSAGES = (
    N_("Select at least one"),
    N_("expecting list of strings"),
    N_('unexpected choice "%s"'),
    N_("Update {page}"),
    N_("Next"),
    N_("Time format incorrect"),
    N_("Date is required when a time is provided"),
    N_("These fields have been removed."),
    N_("These fields have been removed, click update below to save your changes."),
    N_("Invalid JSON string: {}"),
    N_("Invalid JSON object: {}"),
    N_("No organization"),
)
