"""Run by ``portals.Portal.bootstrap`` in a portal's own process (never
imported by the tests): an API token of the site user (a sysadmin) and the
CSO's own organisation, which owns its harvest sources.  One process instead
of three ``ckan`` commands (user, sysadmin, token) on a slow machine.

    python bootstrap.py INI ORG(none|plain|fluent)      prints the token
"""
from __future__ import annotations

import logging
import sys

from ckan.cli import CKANConfigLoader
from ckan.config.middleware import make_app


def main(ini: str, org: str) -> None:
    logging.disable(logging.INFO)
    app = make_app(CKANConfigLoader(ini).get_config())
    with app._wsgi_app.test_request_context():
        import ckan.plugins.toolkit as tk
        site = tk.get_action("get_site_user")({"ignore_auth": True}, {})
        context = {"user": site["name"], "ignore_auth": True}
        names = ({"title_translated": {"en": "Our CSO", "km": "អង្គការរបស់យើង"}}
                 if org == "fluent" else {"title": "Our CSO"})
        if org != "none":
            tk.get_action("organization_create")(dict(context), {"name": "our-cso", **names})
        token = tk.get_action("api_token_create")(
            dict(context), {"user": site["name"], "name": "harvest-tests"})["token"]
    print(token)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
