"""Round trips to the database per request, counted on the connection itself.

PostgreSQL: the app's engine talks to the server through a TCP proxy that counts what the
client sends which waits for the server (a simple Query, or a Sync closing an extended-
protocol exchange). SQLite runs in the process: there every statement the driver runs is
counted, BEGIN and COMMIT included. On PostgreSQL a read is one round trip: asyncpg opens
no transaction for it; so is a write of one statement whose hooks do nothing: it commits
itself. A hook at work puts the write back in a transaction of its own (issue 16, item 2).
SQLite keeps BEGIN and COMMIT around a write: they run in the process, and switching its
connection to autocommit and back costs a PRAGMA per request.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import struct
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import event
from sqlalchemy.engine import make_url

from tests.conftest import GeneratedPackage, reset_database, url_of
from tests.e2e.test_bulk_and_upsert import MODELS_PATH

# Messages a PostgreSQL client sends and then waits on: each is one round trip.
WAITED_ON = {b"Q", b"S"}
SSL_REQUEST = 80877103


class RoundTripCounter:
    """A TCP proxy in front of PostgreSQL counting the client's waited-on messages."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.count = 0
        self.server: asyncio.Server | None = None

    @property
    def port(self) -> int:
        assert self.server is not None
        return int(self.server.sockets[0].getsockname()[1])

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)

    async def stop(self) -> None:
        assert self.server is not None
        self.server.close()

    async def _serve(self, client: asyncio.StreamReader, to_client: asyncio.StreamWriter) -> None:
        server, to_server = await asyncio.open_connection(*self.target)
        backwards = asyncio.create_task(self._pipe(server, to_client))
        try:
            await self._count_client(client, to_client, to_server)
        finally:
            backwards.cancel()
            to_server.close()
            to_client.close()

    async def _count_client(
        self,
        client: asyncio.StreamReader,
        to_client: asyncio.StreamWriter,
        to_server: asyncio.StreamWriter,
    ) -> None:
        with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError):
            while True:  # start-up messages carry no type byte
                (length,) = struct.unpack("!I", header := await client.readexactly(4))
                body = await client.readexactly(length - 4)
                if struct.unpack("!I", body[:4])[0] == SSL_REQUEST:
                    to_client.write(b"N")  # no TLS: the proxy reads the messages
                    await to_client.drain()
                    continue
                to_server.write(header + body)
                await to_server.drain()
                break
            while True:
                kind = await client.readexactly(1)
                (length,) = struct.unpack("!I", header := await client.readexactly(4))
                body = await client.readexactly(length - 4)
                self.count += kind in WAITED_ON
                to_server.write(kind + header + body)
                await to_server.drain()

    @staticmethod
    async def _pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        """The server's bytes to the client; its closing closes the client's side too
        (a client closing its connection waits for that)."""
        with contextlib.suppress(ConnectionError):
            while data := await source.read(65536):
                sink.write(data)
                await sink.drain()
        sink.close()


@contextlib.asynccontextmanager
async def counted_postgres(url: str) -> AsyncIterator[tuple[str, RoundTripCounter]]:
    parsed = make_url(url)
    counter = RoundTripCounter(parsed.host or "127.0.0.1", parsed.port or 5432)
    await counter.start()
    try:
        yield parsed.set(host="127.0.0.1", port=counter.port).render_as_string(False), counter
    finally:
        await counter.stop()


class StatementCounter:
    """SQLite's own trace of every statement it runs, BEGIN and COMMIT included."""

    def __init__(self) -> None:
        self.count = 0

    def attach(self, dbapi_connection: Any, _record: Any) -> None:
        raw: sqlite3.Connection = dbapi_connection.driver_connection._conn
        raw.set_trace_callback(self._count)

    def _count(self, _statement: str) -> None:
        self.count += 1


async def requests_and_their_round_trips(package: GeneratedPackage, counter: Any) -> dict[str, int]:
    db = package.module("db")
    app = package.module("app").app
    transport = httpx.ASGITransport(app=app)
    counts = {}
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        await client.get("/teams")  # the pool's connection is open and set up
        steps: list[tuple[str, Callable[[], Any], int]] = [
            ("create", lambda: client.post("/teams", json={"name": "reds"}), 201),
            ("get", lambda: client.get("/teams/1"), 200),
            ("list", lambda: client.get("/teams", params={"name": "reds"}), 200),
            ("update", lambda: client.patch("/teams/1", json={"name": "blues"}), 200),
            ("delete", lambda: client.delete("/teams/1"), 204),
            ("bulk create", lambda: client.post("/teams/bulk", json=TWO_TEAMS), 201),
        ]
        for name, send, status in steps:
            before = counter.count
            response = await send()
            assert response.status_code == status, (name, response.text)
            counts[name] = counter.count - before
    await db.engine.dispose()
    return counts


TWO_TEAMS = [{"name": "greens"}, {"name": "golds"}]
# Every request is its statement alone (a bulk create of one INSERT too).
ONE_EACH = {"create": 1, "get": 1, "list": 1, "update": 1, "delete": 1, "bulk create": 1}
# Writes in a transaction: BEGIN, the statement, COMMIT.
HOOKED_WRITES = {
    "create": 3,
    "get": 1,
    "list": 1,
    "update": 3,
    "delete": 3,
    "bulk create": 3,
}
DEFAULT_BEFORE_CREATE = "    return values\n"
TRIMMING_BEFORE_CREATE = '    return values | {"name": values["name"].strip()}\n'


def package_with_hooks(generate: Callable[..., GeneratedPackage], hooked: bool) -> GeneratedPackage:
    """The teams package; `hooked`: its before_create does something, and the package was
    generated again since (as `crudgen generate` after editing the hooks)."""
    package = generate(MODELS_PATH)
    if hooked:
        text = (package.path / "hooks" / "team.py").read_text()
        assert text.count(DEFAULT_BEFORE_CREATE) == 2  # before_create's, before_update's
        trimming = text.replace(DEFAULT_BEFORE_CREATE, TRIMMING_BEFORE_CREATE, 1)
        package.write_hooks({"team": trimming})
    return package


@pytest.mark.parametrize(("hooked", "expected"), [(False, ONE_EACH), (True, HOOKED_WRITES)])
async def test_round_trips_per_request_on_postgresql(
    generate: Callable[..., GeneratedPackage],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    hooked: bool,
    expected: dict[str, int],
) -> None:
    url = url_of("postgres", tmp_path)
    async with counted_postgres(url) as (proxied_url, counter):
        monkeypatch.setenv("DATABASE_URL", proxied_url)
        package = package_with_hooks(generate, hooked)
        db = package.module("db")
        await reset_database(db.engine)
        await db.create_tables()
        counts = await requests_and_their_round_trips(package, counter)
    assert counts == expected


@pytest.mark.parametrize("hooked", [False, True])
async def test_statements_per_request_on_sqlite(
    generate: Callable[..., GeneratedPackage],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    hooked: bool,
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'trips.db'}")
    package = package_with_hooks(generate, hooked)
    db = package.module("db")
    counter = StatementCounter()
    event.listen(db.engine.sync_engine, "connect", counter.attach)
    await db.create_tables()
    counts = await requests_and_their_round_trips(package, counter)
    # Hooks or none; a batch's INSERT runs once a row here, to return rows in order.
    assert counts == HOOKED_WRITES | {"bulk create": 2 + len(TWO_TEAMS)}
