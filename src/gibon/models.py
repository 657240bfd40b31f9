"""Every ORM model, imported in one place so Alembic and the tests see the whole schema."""

from __future__ import annotations

from sqlalchemy import MetaData

from gibon.db import Base


def metadata() -> MetaData:
    # One import per domain that owns tables; keep the list sorted.
    import gibon.accounts.models
    import gibon.audit.models
    import gibon.care.models
    import gibon.crisis.models
    import gibon.pharm.models
    import gibon.residents.models
    import gibon.simulator.models
    import gibon.visits.models
    import gibon.window.models  # noqa: F401

    return Base.metadata
