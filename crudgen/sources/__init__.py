"""Where the models come from: SQLAlchemy modules (sqlalchemy.py) or a YAML spec (yaml_spec.py).

Kept light: the pipeline asks which source a run has before importing either.
"""

from __future__ import annotations

from pathlib import Path

SPEC_SUFFIXES = (".yaml", ".yml")


def is_spec(source: str) -> bool:
    """A YAML spec is named by its suffix; anything else is a SQLAlchemy source."""
    return Path(source).suffix.lower() in SPEC_SUFFIXES
