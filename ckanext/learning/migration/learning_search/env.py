"""Alembic environment of ``ckan db upgrade -p learning_search``: the same as
the library's (``../learning/env.py``), which names the history by folder."""
import os
import runpy

runpy.run_path(os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir,
                            "learning", "env.py"))
