"""The generated engine's pool is configurable, and an exhausted pool is a 503 with
Retry-After within `pool_timeout`, never a 500 nor a hang (issue 17, item 5)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.conftest import GeneratedPackage, reset_database, url_of
from tests.e2e.test_bulk_and_upsert import MODELS_PATH


@pytest.fixture(params=["postgres", "mysql"])
def server_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return url_of(request.param, tmp_path)


async def test_an_exhausted_pool_answers_503_within_pool_timeout(
    server_url: str, generate: Callable[..., GeneratedPackage], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", server_url)
    package = generate(MODELS_PATH, pool_size=1, max_overflow=0, pool_timeout=0.5)
    db = package.module("db")
    app = package.module("app").app
    assert db.engine.pool.size() == 1 and db.engine.pool.timeout() == 0.5
    try:
        await reset_database(db.engine)
        await db.create_tables()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            async with db.engine.connect():  # the only connection, held
                started = time.monotonic()
                waited = await client.get("/teams")
                took = time.monotonic() - started
            assert waited.status_code == 503 and waited.headers["retry-after"], waited.text
            assert took < 2, took
            assert (await client.get("/teams")).status_code == 200
    finally:
        await db.engine.dispose()
