"""A models file that raises while it is imported."""

import os

from sqlalchemy.orm import DeclarativeBase


class RaisesBase(DeclarativeBase):
    pass


def _settings() -> dict[str, str]:
    raise RuntimeError("DATABASE_URL is not configured")  # RAISES-HERE


SETTINGS = _settings() if os.environ.get("CRUDGEN_NEVER_SET_THIS") is None else {}
