"""Alembic environment of both migration histories: ``ckan db upgrade -p
learning`` (the library's tables) and ``-p learning_search`` (the index's).

Each history is named by its folder, keeps its version in
``<folder>_alembic_version`` and owns only the tables its name prefixes.
"""
from __future__ import annotations

import os
from logging.config import fileConfig

from alembic import context
from ckan.model.meta import metadata
from sqlalchemy import engine_from_config, pool

config = context.config
# keep the loggers that exist (the portal's own, when a migration runs in
# a process that serves or tests it)
fileConfig(config.config_file_name, disable_existing_loggers=False)
target_metadata = metadata
name = os.path.basename(os.path.normpath(config.get_main_option("script_location")))
version_table = f"{name}_alembic_version"


def include_object(object, object_name, type_, reflected, compare_to):
    if type_ == "table":
        return object_name.startswith(name)
    return True


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"),
                      target_metadata=target_metadata, literal_binds=True,
                      version_table=version_table, include_object=include_object)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = engine_from_config(config.get_section(config.config_ini_section),
                                     prefix="sqlalchemy.", poolclass=pool.NullPool)
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          version_table=version_table,
                          include_object=include_object)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
