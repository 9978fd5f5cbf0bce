"""What the CLI tests share: crudgen run as a user runs it, and the small shop project most
of them generate from. Fixtures are in conftest.py."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.conftest import REPO

MODELS = textwrap.dedent(
    """
    from sqlalchemy import String
    from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


    class Base(DeclarativeBase):
        pass


    class Widget(Base):
        __tablename__ = "widgets"
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str] = mapped_column(String(40))
    """
)

# A second model, appended to MODELS (or removed again) to add or delete generated files.
GADGET = textwrap.dedent(
    """

    class Gadget(Base):
        __tablename__ = "gadgets"
        id: Mapped[int] = mapped_column(primary_key=True)
    """
)

# [tool.crudgen] naming the shop's models and package, for runs that name neither.
SHOP_SETTINGS = '[tool.crudgen]\nsources = ["shop/models.py"]\nout = "shop/api"\n'


def cli_environment(**extra: str) -> dict[str, str]:
    """PYTHONPATH makes the process run this checkout's crudgen, not an installed one; COLUMNS
    is wide enough that rich wraps no line a test looks for."""
    return {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "200", **extra}


def crudgen(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """In a process of its own, as a user runs it: the exit code, the output and what gets
    imported are those of the real command, not of a CliRunner inside the test process."""
    return subprocess.run(
        [sys.executable, "-m", "crudgen", *args],
        cwd=cwd,
        env=cli_environment(**env),
        capture_output=True,
        text=True,
    )


def make_shop_project(root: Path, models: str = MODELS, settings: str | None = None) -> Path:
    """shop/ is a package, as in a real project, so its models import as `shop.models` too;
    settings, when given, become pyproject.toml."""
    (root / "shop").mkdir()
    (root / "shop" / "__init__.py").write_text("")
    (root / "shop" / "models.py").write_text(models)
    if settings is not None:
        (root / "pyproject.toml").write_text(settings)
    return root


def snapshot(directory: Path) -> dict[str, bytes]:
    """Two snapshots compare equal only if nothing under the directory was written, added or
    deleted in between (or two runs wrote the very same files)."""
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in directory.rglob("*")
        if p.is_file()
    }
