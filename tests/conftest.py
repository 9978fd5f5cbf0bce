"""Shared fixtures: generate a package into a temp dir, import it, and give it a database."""

from __future__ import annotations

import contextlib
import importlib
import itertools
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from crudgen.config import Config
from crudgen.files import RenderedFile
from crudgen.formatting import format_files, memo_key
from crudgen.pipeline import plan_run
from crudgen.write import apply_plan

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
MODELS = Path(__file__).resolve().parent / "models"
POSTGRES_URL_VAR = "CRUDGEN_TEST_POSTGRES_URL"
MYSQL_URL_VAR = "CRUDGEN_TEST_MYSQL_URL"

_package_numbers = itertools.count()
# black's output for each rendered text seen in this session, by line length: most
# generated files (the shared runtime, and each example's models) are rendered many times.
_formatted: dict[int, dict[str, str]] = {}


def formatting_remembered(files: list[RenderedFile], *, line_length: int) -> list[RenderedFile]:
    """format_files, reusing black's output for a text formatted before in this session."""
    known = _formatted.setdefault(line_length, {})
    formatted = format_files(files, line_length=line_length, known=known)
    known.update((memo_key(r), f.source) for r, f in zip(files, formatted, strict=True))
    return formatted


class GeneratedPackage:
    """A generated package on disk, importable under a name unique to the test session."""

    def __init__(self, root: Path, name: str) -> None:
        self.root = root
        self.name = name
        self.path = root / name

    def module(self, relative: str = "") -> ModuleType:
        return importlib.import_module(f"{self.name}.{relative}" if relative else self.name)

    def files(self) -> dict[str, str]:
        return {
            p.relative_to(self.path).as_posix(): p.read_text()
            for p in sorted(self.path.rglob("*.py"))
        }


@contextlib.contextmanager
def generator(root: Path) -> Iterator[Callable[..., GeneratedPackage]]:
    """generate(*sources, **config) -> a package under `root`, importable until the end.

    Each package gets a name unique to the session, so modules never collide in sys.modules.
    """
    sys.path.insert(0, str(root))
    names: list[str] = []

    def run(*sources: str | Path, **options: Any) -> GeneratedPackage:
        name = f"crudgen_generated_{next(_package_numbers)}"
        names.append(name)
        config = Config(sources=tuple(str(s) for s in sources), out_dir=root / name, **options)
        apply_plan(plan_run(config, format_files=formatting_remembered).plan)
        return GeneratedPackage(root, name)

    try:
        yield run
    finally:
        sys.path.remove(str(root))
        for module in [m for m in sys.modules if m.split(".")[0] in names]:
            del sys.modules[module]


@pytest.fixture(autouse=True)
def _processes_only_in_slow_tests(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fast tier (`-m "not slow"`) starts no process: a test that does must say so."""
    if request.node.get_closest_marker("slow"):
        return

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("this test starts a process: mark it @pytest.mark.slow")

    monkeypatch.setattr(subprocess, "Popen", refuse)


@pytest.fixture
def generate(tmp_path: Path) -> Iterator[Callable[..., GeneratedPackage]]:
    """generate(*sources, **config) -> a generated package importable from this test."""
    with generator(tmp_path) as run:
        yield run


def _sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"


_SERVER_URLS = {
    "postgres": (POSTGRES_URL_VAR, "postgresql+asyncpg://postgres@127.0.0.1:5432/test"),
    "mysql": (MYSQL_URL_VAR, "mysql+aiomysql://root@127.0.0.1:3306/test"),
}


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL for each database the generated code must work on (MariaDB/MySQL: in the
    modules that override this fixture with `url_of`, and tests that ask by `indirect`)."""
    return url_of(request.param, tmp_path)


def url_of(database: str, tmp_path: Path) -> str:
    """The test URL of "sqlite", "postgres" or "mysql"; skips when a server's is not set."""
    if database == "sqlite":
        return _sqlite_url(tmp_path)
    variable, example = _SERVER_URLS[database]
    url = os.environ.get(variable)
    if not url:
        pytest.skip(f"{database} tests need {variable} (e.g. {example})")
    return url


async def reset_database(engine: Any) -> None:
    """Start each test from an empty database (SQLite files are new per test already)."""
    if engine.dialect.name == "postgresql":
        async with engine.begin() as connection:
            await connection.exec_driver_sql("DROP SCHEMA public CASCADE")
            await connection.exec_driver_sql("CREATE SCHEMA public")
    elif engine.dialect.name in ("mysql", "mariadb"):
        from sqlalchemy import MetaData

        def drop_every_table(connection: Any) -> None:
            metadata = MetaData()
            metadata.reflect(connection)
            metadata.drop_all(connection)

        async with engine.begin() as connection:
            await connection.run_sync(drop_every_table)


@pytest.fixture
def executed_sql() -> list[str]:
    """Every SQL statement the app under test sent (app_client records them here)."""
    return []


@pytest.fixture
def app_client(database_url: str, executed_sql: list[str]) -> Callable[..., Any]:
    """app_client(package) -> an async context giving an httpx client bound to the app."""
    import contextlib

    import httpx
    from sqlalchemy import event
    from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

    @contextlib.asynccontextmanager
    async def open_client(
        package: GeneratedPackage,
    ) -> AsyncIterator[httpx.AsyncClient]:
        db = package.module("db")
        app = package.module("app").app
        engine = create_async_engine(database_url)
        if engine.dialect.name == "sqlite":
            event.listen(engine.sync_engine, "connect", db.enable_sqlite_foreign_keys)
        await reset_database(engine)
        await db.create_tables(bind=engine)

        def record(_connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
            executed_sql.append(statement)

        event.listen(engine.sync_engine, "before_cursor_execute", record)
        sessions = async_sessionmaker(engine, expire_on_commit=False)

        async def get_test_db() -> AsyncIterator[Any]:
            async with sessions() as session:
                try:
                    yield session
                except Exception:
                    await session.rollback()
                    raise

        app.dependency_overrides[db.get_db] = get_test_db
        transport = httpx.ASGITransport(app=app)
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                yield client
        finally:
            app.dependency_overrides.clear()
            await engine.dispose()

    return open_client
