"""Only for Babel's setuptools commands (``python setup.py extract_messages``);
the package itself is described in pyproject.toml."""
from setuptools import setup

setup()
