"""The WSGI application that ``bin/serve`` runs under gunicorn: CKAN built
from the config file named by ``$CKAN_INI`` (default: ``ckan.ini`` at the
top of the repository), with that file's logging set-up.

Refuses ``debug = true``: CKAN would then wrap itself in Werkzeug's
interactive debugger, a remote shell for anyone who can make it fail.
"""
from __future__ import annotations

import logging
import os
from logging.config import fileConfig

from ckan.cli import CKANConfigLoader
from ckan.config.middleware import make_app

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INI = os.path.abspath(os.environ.get("CKAN_INI") or os.path.join(ROOT, "ckan.ini"))

fileConfig(INI, defaults={"here": os.path.dirname(INI)}, disable_existing_loggers=False)
_config = CKANConfigLoader(INI).get_config()
if str(_config.get("debug", "false")).strip().lower() in ("true", "yes", "on", "1"):
    raise SystemExit(f"{INI} sets debug = true: a production server must not run "
                     "the debugger (use `ckan -c {INI} run` to develop)")
application = make_app(_config)
# CKAN's loader ran fileConfig again, which disables the loggers that exist,
# gunicorn's among them: its access and error logs would go silent
for _name in ("gunicorn", "gunicorn.access", "gunicorn.error"):
    logging.getLogger(_name).disabled = False
