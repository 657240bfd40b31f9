"""Alembic environment: one script for SQLite and PostgreSQL (batch mode makes ALTERs portable)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

from gibon import models
from gibon.config import get_settings
from gibon.db import configure_sqlite

config = context.config
target_metadata = models.metadata()
if not config.get_main_option("sqlalchemy.url"):
    # Run as `alembic ...` by a developer: use the same settings as the app (GIBON_DATABASE_URL).
    config.set_main_option("sqlalchemy.url", get_settings().database_url.replace("%", "%%"))


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = config.attributes.get("connection")
    if connectable is None:
        engine = engine_from_config(
            config.get_section(config.config_ini_section, {}),
            prefix="sqlalchemy.",
            poolclass=pool.NullPool,
        )
        if engine.dialect.name == "sqlite":
            configure_sqlite(engine)
        with engine.connect() as connection:
            _run(connection)
    else:
        _run(connectable)


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
