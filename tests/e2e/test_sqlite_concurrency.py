"""The default database, SQLite, under concurrent writers (issue 17, item 4).

SQLite lets one writer in at a time. The generated engine puts the file in WAL mode (readers
never wait for the writer) and gives each connection a busy timeout, so concurrent writers
queue instead of failing with `database is locked` (a 500).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from tests.conftest import GeneratedPackage
from tests.e2e.test_bulk_and_upsert import MODELS_PATH

WRITERS = 20


@pytest.fixture
def players_app(
    tmp_path: Path, generate: Callable[..., GeneratedPackage], monkeypatch: pytest.MonkeyPatch
) -> GeneratedPackage:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'busy.db'}")
    return generate(MODELS_PATH)


async def test_twenty_concurrent_writers_all_succeed(players_app: GeneratedPackage) -> None:
    db = players_app.module("db")
    app = players_app.module("app").app
    await db.create_tables()
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            created = await asyncio.gather(
                *(client.post("/players", json={"handle": f"p{n}"}) for n in range(WRITERS))
            )
            assert [r.status_code for r in created] == [201] * WRITERS, [
                r.text for r in created if r.status_code != 201
            ]

            async def write_and_read(n: int) -> list[Any]:
                player = created[n].json()
                path = f"/players/{player['id']}"
                patched = await client.patch(path, json={"score": n, "version": 1})
                batch = await client.post("/players/bulk", json=[{"handle": f"b{n}"}])
                listed = await client.get("/players", params={"limit": 5})
                return [patched, batch, listed]

            answers = [
                r for rs in await asyncio.gather(*map(write_and_read, range(WRITERS))) for r in rs
            ]
            failed = [(r.status_code, r.text) for r in answers if r.status_code >= 300]
            assert not failed, failed
            total = (await client.get("/players", params={"limit": 1})).json()["total"]
            assert total == 2 * WRITERS

        async with db.engine.connect() as connection:
            mode = (await connection.execute(text("PRAGMA journal_mode"))).scalar()
            timeout = (await connection.execute(text("PRAGMA busy_timeout"))).scalar()
        assert (mode, timeout) == ("wal", 2000), "lock_timeout: 2 s"
    finally:
        await db.engine.dispose()
