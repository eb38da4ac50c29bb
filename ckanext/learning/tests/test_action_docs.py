"""Every action the extension adds documents itself for ``help_show`` and
Sphinx: each parameter with ``:param:`` and ``:type:``, and ``:returns:``."""
from __future__ import annotations

import inspect
import re

import pytest

from ckanext.learning import plugin as learning_plugin
from ckanext.learning.downloads import action as downloads_action
from ckanext.learning.mail import action as mail_action
from ckanext.learning.workflow import action, membership

OURS = learning_plugin._public(action, membership, mail_action, downloads_action)


def test_the_extension_adds_these_actions():
    assert all(name.startswith("learning_") for name in OURS)
    assert len(OURS) >= 12


@pytest.mark.parametrize("name", sorted(OURS))
def test_action_has_sphinx_docstring(name):
    doc = inspect.getdoc(OURS[name]) or ""
    assert ":returns:" in doc, name
    params = re.findall(r":param (\w+):", doc)
    types = re.findall(r":type (\w+):", doc)
    assert params == types, (name, params, types)
    # every key the action reads from data_dict is documented
    source = inspect.getsource(OURS[name])
    read = set(re.findall(r"data_dict(?:\.get\(|\[)[\"'](\w+)[\"']", source))
    assert read <= set(params), (name, read - set(params))
