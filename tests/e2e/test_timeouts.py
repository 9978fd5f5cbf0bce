"""A write that meets a row another transaction holds waits at most `lock_timeout`, then
answers 503 with Retry-After, instead of hanging (issue 17, item 3). The bounds are set on
each new connection of the generated engine, per database."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.conftest import GeneratedPackage, reset_database, url_of
from tests.e2e.test_bulk_and_upsert import MODELS_PATH


@pytest.fixture(params=["postgres", "mysql"])
def server_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return url_of(request.param, tmp_path)


async def test_a_locked_row_answers_503_within_the_lock_timeout(
    server_url: str, generate: Callable[..., GeneratedPackage], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", server_url)
    package = generate(MODELS_PATH, lock_timeout=1.0, statement_timeout=3.0)
    db = package.module("db")
    app = package.module("app").app
    holder = create_async_engine(server_url)
    try:
        await reset_database(holder)
        await db.create_tables()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            created = await client.post("/teams", json={"name": "reds"})
            team = f"/teams/{created.json()['id']}"
            async with holder.connect() as other:
                await other.execute(text("SELECT id FROM teams WHERE name = 'reds' FOR UPDATE"))
                started = time.monotonic()
                waited = await client.patch(team, json={"name": "blues"})
                took = time.monotonic() - started
                await other.rollback()
            assert waited.status_code == 503, waited.text
            assert waited.headers["retry-after"] and took < 2.5, took
            after = await client.patch(team, json={"name": "blues"})
            assert after.status_code == 200 and after.json()["name"] == "blues"

        async with db.engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                shown = (await connection.execute(text("SHOW statement_timeout"))).scalar()
                assert shown == "3s"
            else:
                lock = "SELECT @@SESSION.innodb_lock_wait_timeout"
                assert (await connection.execute(text(lock))).scalar() == 1
    finally:
        await db.engine.dispose()
        await holder.dispose()
