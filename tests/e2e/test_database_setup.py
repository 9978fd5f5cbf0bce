"""The project's own database set-up: `session` (a dependency yielding an AsyncSession) or
`engine` in [tool.crudgen] make the generated routers use it; without either, routers
mounted in another app fall back to the default SQLite database aloud, tables created on
first use, never a 500."""

from __future__ import annotations

import itertools
import logging
import textwrap
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from crudgen.config import build_config
from crudgen.errors import CrudgenError
from tests.conftest import GeneratedPackage

MODELS = Path(__file__).resolve().parent / "models" / "owned_notes.py"
_numbers = itertools.count()

USER_DB = textwrap.dedent(
    """
    from collections.abc import AsyncIterator

    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

    engine = create_async_engine("sqlite+aiosqlite:///{path}")
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    opened = []


    async def get_session() -> AsyncIterator[AsyncSession]:
        async with sessions() as session:
            opened.append(session)
            yield session
    """
)


def user_db(tmp_path: Path) -> tuple[str, Path]:
    """A module of the user's own database set-up, importable; its name and database."""
    name = f"user_db_{next(_numbers)}"
    database = tmp_path / f"{name}.sqlite"
    (tmp_path / f"{name}.py").write_text(USER_DB.format(path=database))
    return name, database


async def post_a_note(package: GeneratedPackage) -> httpx.Response:
    """The routers mounted in the user's own app (not the generated one)."""
    app = FastAPI()
    app.include_router(package.module("routers.note").router)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.post("/notes", json={"text": "hello"})


@pytest.mark.parametrize("setting", ["session", "engine"])
async def test_the_routers_use_the_projects_own_database(
    setting: str,
    tmp_path: Path,
    generate: Callable[..., GeneratedPackage],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    module, database = user_db(tmp_path)
    target = f"{module}:get_session" if setting == "session" else f"{module}:engine"
    package = generate(MODELS, **{setting: target})
    db = package.module("db")
    mine = __import__(module)
    await db.create_tables(bind=mine.engine)
    response = await post_a_note(package)
    assert response.status_code == 201, response.text
    if setting == "session":
        assert db.get_db is mine.get_session and mine.opened, "the user's dependency served"
    else:
        assert db.engine is mine.engine
    assert database.exists() and not (tmp_path / "app.db").exists(), "no stray default db"
    await mine.engine.dispose()


async def test_mounted_without_a_setting_the_default_is_said_and_works(
    tmp_path: Path,
    generate: Callable[..., GeneratedPackage],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    package = generate(MODELS)
    with caplog.at_level(logging.WARNING):
        db = package.module("db")
    assert "DATABASE_URL is not set" in caplog.text
    response = await post_a_note(package)
    assert response.status_code == 201, "tables created on first use: " + response.text
    await db.engine.dispose()


def test_session_and_engine_together_are_refused(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.crudgen]\nsession = "a.db:get_session"\nengine = "a.db:engine"\n'
    )
    with pytest.raises(CrudgenError, match="session or engine, not both"):
        build_config(tmp_path)
