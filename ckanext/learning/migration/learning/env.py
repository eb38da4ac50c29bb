"""Alembic environment for ``ckan db upgrade -p learning``.

Only tables prefixed ``learning_`` belong to this extension; the version is
kept in ``learning_alembic_version``.
"""
from __future__ import annotations

import os
from logging.config import fileConfig

from alembic import context
from sqlalchemy import engine_from_config, pool

from ckan.model.meta import metadata

config = context.config
fileConfig(config.config_file_name)
target_metadata = metadata
name = os.path.basename(os.path.dirname(__file__))
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
