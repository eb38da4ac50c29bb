"""Our validators registered under their names, as the plugin's
``tk.blanket.validators`` registers them, so presets resolve in every test."""
import ckan.logic as logic
import ckan.plugins.toolkit as tk
import pytest

from ckanext.learning.fluent import validators


@pytest.fixture(autouse=True)
def registered(monkeypatch):
    tk.get_validator("ignore")  # fill core's cache before adding to it
    for name in validators.__all__:
        monkeypatch.setitem(logic._validators_cache, name, getattr(validators, name))
