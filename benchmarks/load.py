"""Load: many concurrent clients against the generated app served by uvicorn.

crudgen generates a package for one model (the blog example's shape: a unique slug, a
version column, a soft delete), serves it with uvicorn in a child process on the database
at `--url` (PostgreSQL by default), and drives it over real TCP from `--clients` concurrent
clients, each sending `--requests` mixed requests: create, read, list with a filter and a
sort, versioned PATCH (a stale version expecting 409), delete, a missing row (404) and a
bad body (422). Every response's status is checked against what that request must get.

It reports throughput, latency percentiles and the server's resident memory after the
warm-up and after the run, and exits non-zero unless there were no errors (no unexpected
status, no refused connection) and memory after the run stayed within `--memory-ratio`
(1.2) of memory after the warm-up. It is a script, not a test: its figures depend on the
machine.

    python benchmarks/load.py                       # 64 clients x 2,000 requests on PostgreSQL
    python benchmarks/load.py --clients 8 --requests 100 --url sqlite+aiosqlite:///load.db
"""

import argparse
import asyncio
import collections
import contextlib
import importlib
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/crudgen_bench"
MODELS_MODULE = "crudgen_load_models"
PACKAGE = "crudgen_load_app"
PATH = "/load-articles"  # the generated router's prefix: the table's name
MODELS_SOURCE = '''\
"""The load test's model: a unique key, optimistic locking and a soft delete."""

import datetime

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Article(Base):
    __tablename__ = "load_articles"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str | None] = mapped_column(Text)
    views: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True))
'''
PYPROJECT = """\
[tool.crudgen]
sources = ["crudgen_load_models.py"]
out = "crudgen_load_app"
"""


# -- the server ----------------------------------------------------------------------------


@contextlib.contextmanager
def generated_project() -> Iterator[Path]:
    """A temporary project holding the model and the package crudgen generates for it."""
    with tempfile.TemporaryDirectory(prefix="crudgen-load-") as root:
        project = Path(root)
        (project / f"{MODELS_MODULE}.py").write_text(MODELS_SOURCE)
        (project / "pyproject.toml").write_text(PYPROJECT)
        command = [sys.executable, "-m", "crudgen", "generate", "--quiet"]
        subprocess.run(
            command, cwd=project, check=True, env=_environment(project, None), capture_output=True
        )
        yield project


async def fresh_table(project: Path, url: str) -> None:
    """Drop the model's table left by an earlier run: the app creates it anew."""
    from sqlalchemy.ext.asyncio import create_async_engine

    sys.path.insert(0, str(project))
    try:
        models = importlib.import_module(MODELS_MODULE)
    finally:
        sys.path.remove(str(project))
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(models.Base.metadata.drop_all)
    await engine.dispose()


def _environment(project: Path, url: str | None) -> dict[str, str]:
    environment = dict(os.environ, PYTHONPATH=str(project))
    if url is not None:
        environment["DATABASE_URL"] = url
    return environment


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def served(project: Path, url: str, port: int) -> Iterator[subprocess.Popen[bytes]]:
    """uvicorn serving the generated app, one worker, until the block ends."""
    command = [
        sys.executable, "-m", "uvicorn", f"{PACKAGE}.app:app",
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
        "--backlog", "1024",
        # Longer than any pause between one client's requests on a loaded machine: else
        # uvicorn may close a kept-alive connection just as the client reuses it.
        "--timeout-keep-alive", "120",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=project, env=_environment(project, url))
    try:
        yield server
    finally:
        server.terminate()
        server.wait(timeout=30)


async def wait_until_ready(base_url: str, server: subprocess.Popen[bytes]) -> None:
    async with httpx.AsyncClient(base_url=base_url) as client:
        for _ in range(300):
            if server.poll() is not None:
                raise SystemExit(f"uvicorn exited with {server.returncode}")
            with contextlib.suppress(httpx.TransportError):
                if (await client.get("/health/ready")).status_code == 200:
                    return
            await asyncio.sleep(0.1)
    raise SystemExit("the app did not become ready within 30 s")


def resident_memory(pid: int) -> int:
    """The process's resident set size in bytes (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS in /proc: the memory check needs Linux")


# -- the clients ---------------------------------------------------------------------------


@dataclass
class Tally:
    """What the clients saw."""

    latencies: list[float] = field(default_factory=list)
    by_operation: collections.Counter[str] = field(default_factory=collections.Counter)
    errors: collections.Counter[str] = field(default_factory=collections.Counter)

    def record(
        self, operation: str, started: float, response: httpx.Response, *expected: int
    ) -> None:
        self.latencies.append(time.perf_counter() - started)
        self.by_operation[operation] += 1
        if response.status_code not in expected:
            self.errors[f"{operation}: {response.status_code}"] += 1


class Client:
    """One client: its own rows, a fixed mix of operations, every status checked."""

    def __init__(self, http: httpx.AsyncClient, number: int, tally: Tally) -> None:
        self.http, self.number, self.tally = http, number, tally
        self.rows: list[dict[str, Any]] = []
        self.created = 0
        self.random = random.Random(number)

    async def run(self, requests: int) -> None:
        for _ in range(requests):
            try:
                await self.step()
            except httpx.HTTPError as error:
                self.tally.errors[f"transport: {type(error).__name__}"] += 1

    async def step(self) -> None:
        roll = self.random.random()
        if not self.rows or roll < 0.25:
            await self.create()
        elif roll < 0.50:
            await self.read()
        elif roll < 0.65:
            await self.list_page()
        elif roll < 0.80:
            await self.update()
        elif roll < 0.90:
            await self.delete()
        elif roll < 0.95:
            await self.missing()
        else:
            await self.invalid()

    async def create(self) -> None:
        self.created += 1
        slug = f"c{self.number}-{self.created}"
        started = time.perf_counter()
        response = await self.http.post(PATH, json={"slug": slug, "title": slug, "body": "x" * 200})
        self.tally.record("create", started, response, 201)
        if response.status_code == 201:
            self.rows.append(response.json())

    async def read(self) -> None:
        row = self.random.choice(self.rows)
        started = time.perf_counter()
        response = await self.http.get(f"{PATH}/{row['id']}")
        self.tally.record("read", started, response, 200)

    async def list_page(self) -> None:
        params: dict[str, str | int] = {
            "title__contains": f"c{self.number}-",
            "sort": "-id",
            "limit": 20,
        }
        started = time.perf_counter()
        response = await self.http.get(PATH, params=params)
        self.tally.record("list", started, response, 200)

    async def update(self) -> None:
        row = self.random.choice(self.rows)
        stale = self.random.random() < 0.2
        version = row["version"] - 1 if stale else row["version"]
        body = {"views": row["views"] + 1, "version": version}
        started = time.perf_counter()
        response = await self.http.patch(f"{PATH}/{row['id']}", json=body)
        self.tally.record("update", started, response, 409 if stale else 200)
        if response.status_code == 200:
            row.update(response.json())

    async def delete(self) -> None:
        row = self.rows.pop(self.random.randrange(len(self.rows)))
        started = time.perf_counter()
        if_match = {"If-Match": f'"{row["version"]}"'}
        response = await self.http.delete(f"{PATH}/{row['id']}", headers=if_match)
        self.tally.record("delete", started, response, 204)

    async def missing(self) -> None:
        started = time.perf_counter()
        response = await self.http.get(f"{PATH}/987654321")
        self.tally.record("missing", started, response, 404)

    async def invalid(self) -> None:
        started = time.perf_counter()
        response = await self.http.post(PATH, json={"slug": 5, "title": None})
        self.tally.record("invalid", started, response, 422)


async def drive(base_url: str, clients: int, requests: int, tally: Tally, offset: int) -> float:
    """`clients` clients sending `requests` requests each, at once -> seconds taken."""
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    timeout = httpx.Timeout(60.0)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=timeout) as http:
        started = time.perf_counter()
        await asyncio.gather(
            *(Client(http, offset + n, tally).run(requests) for n in range(clients))
        )
        return time.perf_counter() - started


# -- the report ----------------------------------------------------------------------------


def report(tally: Tally, seconds: float, warm: int, after: int, limit: float) -> bool:
    total = sum(tally.by_operation.values())
    ratio = after / warm
    print(f"requests: {total} in {seconds:.1f} s ({total / seconds:.0f} req/s)")
    print("  mix: " + ", ".join(f"{k} {v}" for k, v in sorted(tally.by_operation.items())))
    print(
        f"latency: median {statistics.median(tally.latencies) * 1000:.1f} ms, "
        f"p99 {statistics.quantiles(tally.latencies, n=100)[98] * 1000:.1f} ms"
    )
    print(
        f"errors: {sum(tally.errors.values())}"
        + "".join(f"\n  {k}: {v}" for k, v in tally.errors.items())
    )
    print(
        f"server memory: {warm / 2**20:.1f} MiB after warm-up, {after / 2**20:.1f} MiB after "
        f"the run: {ratio:.2f}x (goal <= {limit}x)"
    )
    passed = not tally.errors and ratio <= limit
    print("PASS" if passed else "FAIL")
    return passed


async def main_async(arguments: argparse.Namespace) -> bool:
    with generated_project() as project:
        await fresh_table(project, arguments.url)
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        with served(project, arguments.url, port) as server:
            await wait_until_ready(base_url, server)
            await drive(base_url, arguments.clients, arguments.warmup, Tally(), offset=0)
            warm = resident_memory(server.pid)
            tally = Tally()
            seconds = await drive(
                base_url, arguments.clients, arguments.requests, tally, offset=arguments.clients
            )
            after = resident_memory(server.pid)
    return report(tally, seconds, warm, after, arguments.memory_ratio)


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=DEFAULT_URL, help=f"database URL (default {DEFAULT_URL})")
    parser.add_argument("--clients", type=int, default=64, help="concurrent clients (64)")
    parser.add_argument("--requests", type=int, default=2000, help="requests per client (2000)")
    parser.add_argument("--warmup", type=int, default=100, help="warm-up requests per client (100)")
    parser.add_argument("--memory-ratio", type=float, default=1.2, help="memory goal (1.2)")
    return parser.parse_args()


def main() -> None:
    arguments = parse_arguments()
    if not arguments.url.startswith("sqlite") and "127.0.0.1" not in arguments.url:
        raise SystemExit("the load test only connects to a database on 127.0.0.1")
    raise SystemExit(0 if asyncio.run(main_async(arguments)) else 1)


if __name__ == "__main__":
    main()
