"""The server drops the app's connections (a restart, a failover, an admin's kill): the app
recovers by itself (issue 17, item 1). A request that meets a dead connection is a 503 with
Retry-After and writes nothing; the pool is then refreshed, so the requests after it
succeed without restarting the app, and no ping is paid on the requests of good days."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from tests.conftest import GeneratedPackage, reset_database, url_of
from tests.e2e.test_bulk_and_upsert import MODELS_PATH


@pytest.fixture(params=["postgres", "mysql"])
def server_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return url_of(request.param, tmp_path)


async def drop_other_connections(admin: AsyncConnection) -> int:
    """Kill every connection to this database but the admin's own; how many."""
    if admin.dialect.name == "postgresql":
        killed = await admin.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
        return len(killed.all())
    found = await admin.execute(
        text(
            "SELECT id FROM information_schema.PROCESSLIST "
            "WHERE db = DATABASE() AND id <> CONNECTION_ID()"
        )
    )
    ids = [row[0] for row in found]
    for connection_id in ids:
        await admin.execute(text(f"KILL CONNECTION {int(connection_id)}"))
    return len(ids)


async def test_requests_after_the_server_dropped_the_pool_succeed(
    server_url: str, generate: Callable[..., GeneratedPackage], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", server_url)
    package = generate(MODELS_PATH)
    db = package.module("db")
    app = package.module("app").app
    admin_engine = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        await reset_database(admin_engine)
        await db.create_tables()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            assert (await client.post("/teams", json={"name": "reds"})).status_code == 201
            async with admin_engine.connect() as admin:
                assert await drop_other_connections(admin) >= 1

            # No ping on checkout: the first request meets a dead connection.
            first = await client.post("/teams", json={"name": "blues"})
            assert first.status_code == 503, first.text
            assert first.headers["retry-after"]
            for name in ("greens", "golds", "greys"):
                created = await client.post("/teams", json={"name": name})
                assert created.status_code == 201, created.text
            listed = await client.get("/teams", params={"sort": "id"})
            names = [team["name"] for team in listed.json()["items"]]
            assert names == ["reds", "greens", "golds", "greys"], "the failed write left nothing"
    finally:
        await db.engine.dispose()
        await admin_engine.dispose()
