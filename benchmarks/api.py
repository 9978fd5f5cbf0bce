"""Throughput and SQL statements per request: the generated API, FastCRUD and the guide's patterns.

Three apps serve the same model, each on its own table of one database:

- `generated`: the package crudgen generates for the model (its own engine, session and routes);
- `fastcrud`: FastCRUD's `crud_router` (the leading runtime CRUD library), when it is installed;
- `guide`: endpoints written from the seed guide's patterns (get, setattr, commit, refresh);
- `limit`: the practical limit, written here: the same routes and answers with one Core
  statement per request, each committing itself (no transaction, no ORM objects), rows
  validated once into the response model.

The requests go through `httpx.ASGITransport`, one at a time, in one process. Each round runs
every operation's batch for each app in turn (the apps' order rotates from round to round);
the report gives the median of the rounds.

Statements are counted with a `before_cursor_execute` listener on each app's engine: one per
event, i.e. per statement the driver is given. A multi-row INSERT that SQLAlchemy sends in
"insertmanyvalues" batches fires one event per batch, so it counts once per batch (one for
1,000 rows of this model on PostgreSQL and SQLite); a plain `executemany` counts once.
Transaction control (BEGIN, COMMIT, ROLLBACK) goes through the driver's own calls, not a
cursor, and is not counted: every app runs one transaction per request.

Run `python benchmarks/api.py --help`; it needs `pip install -e ".[bench]"`.
"""

import argparse
import asyncio
import contextlib
import datetime
import gc
import importlib
import os
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import httpx
from fastapi import Depends, FastAPI, HTTPException
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Table, delete, event, func, insert, select, update
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

DEFAULT_POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/crudgen_bench"
MODELS_MODULE = "crudgen_api_bench_models"
GENERATED_PACKAGE = "crudgen_api_bench_app"

# One table per app, the same columns: the apps never see each other's rows.
MODELS_SOURCE = '''\
"""The benchmark's model, once per app (crudgen generates code for `Item` only)."""

import datetime

from sqlalchemy import DateTime, String, Text, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class ItemColumns:
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)
    quantity: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class Item(ItemColumns, Base):
    __tablename__ = "generated_items"


class FastcrudItem(ItemColumns, Base):
    __tablename__ = "fastcrud_items"


class GuideItem(ItemColumns, Base):
    __tablename__ = "guide_items"


class LimitItem(ItemColumns, Base):
    __tablename__ = "limit_items"
'''

OPERATIONS = ("create", "get", "update", "delete", "list")
SINGLE_ROW_OPERATIONS = ("create", "get", "update", "delete")
BULK_ROWS = 1000
SEED_ROWS = 200  # more than a list page, so every app has to count the total
PAGE_SIZE = 50


# -- the hand-written apps' schemas (the shapes the generated schemas have) ---------------


class ItemCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(max_length=100)
    description: str | None = None
    quantity: int = 0
    is_active: bool = True


class ItemUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(default=None, max_length=100)
    description: str | None = None
    quantity: int | None = None
    is_active: bool | None = None


class ItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    description: str | None
    quantity: int
    is_active: bool
    created_at: datetime.datetime


class ItemPage(BaseModel):
    items: list[ItemRead]
    total: int
    offset: int
    limit: int


# -- the apps ------------------------------------------------------------------------------


@dataclass
class App:
    """One app under test, with how to reach each operation."""

    name: str
    engine: AsyncEngine
    asgi: FastAPI
    table: Table
    list_params: dict[str, Any]
    bulk_path: str | None  # None: no bulk create endpoint, rows go one POST at a time
    statements: int = 0
    ids: list[int] = field(default_factory=list)

    def count_statements(self) -> None:
        def record(*_: Any) -> None:
            self.statements += 1

        event.listen(self.engine.sync_engine, "before_cursor_execute", record)


def session_dependency(engine: AsyncEngine) -> Callable[[], AsyncIterator[AsyncSession]]:
    """The seed guide's session dependency."""
    sessions = async_sessionmaker(engine, expire_on_commit=False)

    async def get_db() -> AsyncIterator[AsyncSession]:
        async with sessions() as session:
            yield session

    return get_db


def guide_app(engine: AsyncEngine, model: Any) -> FastAPI:
    """The seed guide's inline endpoints: get, setattr, commit, refresh."""
    Session = Annotated[AsyncSession, Depends(session_dependency(engine))]
    app = FastAPI()

    @app.post("/items", response_model=ItemRead, status_code=201)
    async def create_item(item: ItemCreate, db: Session) -> Any:
        obj = model(**item.model_dump())
        db.add(obj)
        await db.commit()
        await db.refresh(obj)
        return obj

    @app.post("/items/bulk", response_model=list[ItemRead], status_code=201)
    async def bulk_create(items: list[ItemCreate], db: Session) -> Any:
        objects = [model(**item.model_dump()) for item in items]
        db.add_all(objects)
        await db.commit()
        return objects

    @app.get("/items", response_model=ItemPage)
    async def list_items(db: Session, offset: int = 0, limit: int = 100) -> Any:
        result = await db.execute(select(model).offset(offset).limit(limit))
        total = await db.scalar(select(func.count()).select_from(model))
        return {"items": result.scalars().all(), "total": total, "offset": offset, "limit": limit}

    @app.get("/items/{id}", response_model=ItemRead)
    async def read_item(id: int, db: Session) -> Any:
        obj = await db.get(model, id)
        if not obj:
            raise HTTPException(status_code=404, detail="Item not found")
        return obj

    @app.patch("/items/{id}", response_model=ItemRead)
    async def update_item(id: int, item: ItemUpdate, db: Session) -> Any:
        obj = await db.get(model, id)
        if not obj:
            raise HTTPException(status_code=404, detail="Item not found")
        for key, value in item.model_dump(exclude_unset=True).items():
            setattr(obj, key, value)
        await db.commit()
        await db.refresh(obj)
        return obj

    @app.delete("/items/{id}", response_model=ItemRead)
    async def delete_item(id: int, db: Session) -> Any:
        obj = await db.get(model, id)
        if not obj:
            raise HTTPException(status_code=404, detail="Item not found")
        await db.delete(obj)
        await db.commit()
        return obj

    return app


def limit_app(engine: AsyncEngine, table: Table) -> FastAPI:
    """The practical limit: what the generated app does, as one Core statement a request,
    each committing itself on a connection in autocommit (no BEGIN, no COMMIT)."""
    alone = engine.execution_options(isolation_level="AUTOCOMMIT")
    app = FastAPI()
    columns = table.c
    by_id = columns.id.__eq__

    @app.post("/items", response_model=ItemRead, status_code=201)
    async def create_item(item: ItemCreate) -> Any:
        async with alone.connect() as connection:
            statement = insert(table).values(item.model_dump()).returning(*columns)
            return (await connection.execute(statement)).one()._mapping

    @app.post("/items/bulk", response_model=list[ItemRead], status_code=201)
    async def bulk_create(items: list[ItemCreate]) -> Any:
        statement = insert(table).returning(*columns, sort_by_parameter_order=True)
        async with alone.begin() as connection:  # many statements on SQLite: all or none
            rows = await connection.execute(statement, [i.model_dump() for i in items])
            return [row._mapping for row in rows]

    @app.get("/items", response_model=ItemPage)
    async def list_items(offset: int = 0, limit: int = 100) -> Any:
        total = select(func.count()).select_from(table).scalar_subquery()
        statement = select(*columns, total).order_by(columns.id).offset(offset).limit(limit)
        async with alone.connect() as connection:
            rows = (await connection.execute(statement)).all()
        count = rows[0][-1] if rows else 0
        return {
            "items": [row._mapping for row in rows],
            "total": count,
            "offset": offset,
            "limit": limit,
        }

    @app.get("/items/{id}", response_model=ItemRead)
    async def read_item(id: int) -> Any:
        async with alone.connect() as connection:
            row = (await connection.execute(select(*columns).where(by_id(id)))).first()
        if row is None:
            raise HTTPException(status_code=404, detail="Item not found")
        return row._mapping

    @app.patch("/items/{id}", response_model=ItemRead)
    async def update_item(id: int, item: ItemUpdate) -> Any:
        values = item.model_dump(exclude_unset=True)
        statement = update(table).where(by_id(id)).values(values).returning(*columns)
        async with alone.connect() as connection:
            row = (await connection.execute(statement)).first()
        if row is None:
            raise HTTPException(status_code=404, detail="Item not found")
        return row._mapping

    @app.delete("/items/{id}", status_code=204)
    async def delete_item(id: int) -> None:
        async with alone.connect() as connection:
            deleted = await connection.execute(delete(table).where(by_id(id)))
        if deleted.rowcount == 0:
            raise HTTPException(status_code=404, detail="Item not found")

    return app


def fastcrud_app(engine: AsyncEngine, model: Any) -> FastAPI:
    from fastcrud import crud_router

    app = FastAPI()
    router = crud_router(
        session=session_dependency(engine),
        model=model,
        create_schema=ItemCreate,
        update_schema=ItemUpdate,
        select_schema=ItemRead,
        path="/items",
        tags=["items"],
    )
    app.include_router(router)
    return app


def fastcrud_available() -> bool:
    return importlib.util.find_spec("fastcrud") is not None


@contextlib.contextmanager
def generated_package(url: str) -> Iterator[tuple[Any, Any]]:
    """Generate the model's package into a temp dir and import it -> (models, package)."""
    from crudgen.config import Config, ModelOptions
    from crudgen.pipeline import plan_run
    from crudgen.write import apply_plan

    with tempfile.TemporaryDirectory(prefix="crudgen-api-bench-") as root:
        (Path(root) / f"{MODELS_MODULE}.py").write_text(MODELS_SOURCE)
        sys.path.insert(0, root)
        # The generated db module reads its URL when imported.
        previous_url = os.environ.get("DATABASE_URL")
        os.environ["DATABASE_URL"] = url
        try:
            models = importlib.import_module(MODELS_MODULE)
            config = Config(
                sources=(MODELS_MODULE,),
                out_dir=Path(root) / GENERATED_PACKAGE,
                include=("Item",),
                models={"Item": ModelOptions(prefix="/items")},  # the path the others use
            )
            apply_plan(plan_run(config).plan)
            yield models, importlib.import_module(GENERATED_PACKAGE)
        finally:
            if previous_url is None:
                os.environ.pop("DATABASE_URL", None)
            else:
                os.environ["DATABASE_URL"] = previous_url
            sys.path.remove(root)
            for name in [
                m for m in sys.modules if m.split(".")[0] in (MODELS_MODULE, GENERATED_PACKAGE)
            ]:
                del sys.modules[name]


@contextlib.asynccontextmanager
async def open_apps(url: str, app_names: Sequence[str]) -> AsyncIterator[list[App]]:
    """The apps, on fresh tables of the database at `url`, counting their statements."""
    with generated_package(url) as (models, package):
        generated_db = importlib.import_module(f"{GENERATED_PACKAGE}.db")
        generated = importlib.import_module(f"{GENERATED_PACKAGE}.app").app
        page = {"offset": 0, "limit": PAGE_SIZE}
        makers: dict[str, Callable[[], App]] = {
            # The generated app keeps its own engine: create_async_engine(DATABASE_URL).
            "generated": lambda: App(
                "generated",
                generated_db.engine,
                generated,
                models.Item.__table__,
                page,
                "/items/bulk",
            ),
            "fastcrud": lambda: _fastcrud(url, models.FastcrudItem),
            "guide": lambda: _guide(url, models.GuideItem, page),
            "limit": lambda: _limit(url, models.LimitItem, page),
        }
        apps = [makers[name]() for name in app_names]
        if apps[0].engine.dialect.name == "sqlite":
            for app in apps:
                event.listen(app.engine.sync_engine, "connect", sqlite_without_fsync_per_commit)
        async with apps[0].engine.begin() as connection:
            await connection.run_sync(models.Base.metadata.drop_all)
            await connection.run_sync(models.Base.metadata.create_all)
        for app in apps:
            app.count_statements()
        try:
            yield apps
        finally:
            async with apps[0].engine.begin() as connection:
                await connection.run_sync(models.Base.metadata.drop_all)
            for app in apps:
                await app.engine.dispose()


def sqlite_without_fsync_per_commit(dbapi_connection: Any, _record: Any) -> None:
    """WAL with synchronous=NORMAL, as SQLite is usually served: without it every commit
    waits for the disk, and that, not the API's code, is what a benchmark would time."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _fastcrud(url: str, model: Any) -> App:
    engine = create_async_engine(url)  # the same settings as the generated db module's
    page = {"page": 1, "itemsPerPage": PAGE_SIZE}
    return App("fastcrud", engine, fastcrud_app(engine, model), model.__table__, page, None)


def _limit(url: str, model: Any, page: dict[str, Any]) -> App:
    engine = create_async_engine(url)
    app = limit_app(engine, model.__table__)
    return App("limit", engine, app, model.__table__, page, "/items/bulk")


def _guide(url: str, model: Any, page: dict[str, Any]) -> App:
    engine = create_async_engine(url)
    return App("guide", engine, guide_app(engine, model), model.__table__, page, "/items/bulk")


# -- the operations ------------------------------------------------------------------------


def new_item(number: int) -> dict[str, Any]:
    return {"name": f"item {number}", "description": "benchmark row", "quantity": number}


def expect(response: httpx.Response, *statuses: int) -> httpx.Response:
    if response.status_code not in statuses:
        raise RuntimeError(
            f"{response.request.url.host}: {response.request.method} "
            f"{response.request.url.path} answered {response.status_code}: {response.text[:300]}"
        )
    return response


# Each operation is a list of requests, one step each: the apps' steps run interleaved,
# request by request, so a slower or faster minute of the machine weighs on every app
# alike (batch after batch, the ratios moved by 0.1 from run to run).
Step = Callable[[], Awaitable[None]]


def create_steps(app: App, client: httpx.AsyncClient, size: int) -> list[Step]:
    async def create(number: int) -> None:
        response = expect(await client.post("/items", json=new_item(number)), 200, 201)
        app.ids.append(response.json()["id"])

    return [partial(create, number) for number in range(size)]


def get_steps(app: App, client: httpx.AsyncClient, size: int) -> list[Step]:
    async def get(id: int) -> None:
        expect(await client.get(f"/items/{id}"), 200)

    return [partial(get, id) for id in app.ids[:size]]


def update_steps(app: App, client: httpx.AsyncClient, size: int) -> list[Step]:
    async def update(number: int, id: int) -> None:
        expect(await client.patch(f"/items/{id}", json={"quantity": number + 1}), 200)

    return [partial(update, n, id) for n, id in enumerate(app.ids[:size])]


def delete_steps(app: App, client: httpx.AsyncClient, size: int) -> list[Step]:
    async def delete(id: int) -> None:
        expect(await client.delete(f"/items/{id}"), 200, 204)
        app.ids.remove(id)

    return [partial(delete, id) for id in app.ids[:size]]


def list_steps(app: App, client: httpx.AsyncClient, size: int) -> list[Step]:
    async def page() -> None:
        found = expect(await client.get("/items", params=app.list_params), 200).json()
        total = found.get("total", found.get("total_count"))
        if not isinstance(total, int) or total < PAGE_SIZE:
            raise RuntimeError(f"{app.name}: a list page without its total: {str(found)[:300]}")

    return [page for _ in range(size)]


def bulk_steps(app: App, client: httpx.AsyncClient, size: int) -> list[Step]:
    """`size` times: 1,000 rows in one request (the app's bulk endpoint)."""
    assert app.bulk_path is not None
    path, rows = app.bulk_path, [new_item(number) for number in range(BULK_ROWS)]

    async def bulk() -> None:
        created = expect(await client.post(path, json=rows), 200, 201).json()
        if len(created) != BULK_ROWS:
            raise RuntimeError(f"{app.name}: bulk create returned {len(created)} rows")

    return [bulk for _ in range(size)]


def row_by_row_steps(app: App, client: httpx.AsyncClient, size: int) -> list[Step]:
    """`size` times: 1,000 rows, one POST each."""

    async def create(number: int) -> None:
        expect(await client.post("/items", json=new_item(number)), 200, 201)

    return [partial(create, n) for _ in range(size) for n in range(BULK_ROWS)]


Steps = Callable[[App, httpx.AsyncClient, int], list[Step]]
STEPS: dict[str, Steps] = {
    "create": create_steps,
    "get": get_steps,
    "update": update_steps,
    "list": list_steps,
    "delete": delete_steps,
    "bulk": bulk_steps,
    "row_by_row": row_by_row_steps,
}


@dataclass(frozen=True)
class Sizes:
    """Requests per batch: single-row operations, list pages, bulk requests of 1,000 rows."""

    single: int = 100
    list: int = 50
    # One request is too short to time alone, and five left the ratio to the garbage
    # collector: a collection walking the whole heap (four apps) is as long as a batch.
    bulk: int = 20
    row_by_row: int = 1  # each is 1,000 single POSTs

    def of(self, operation: str) -> int:
        if operation in SINGLE_ROW_OPERATIONS:
            return self.single
        return {"list": self.list, "bulk": self.bulk, "row_by_row": self.row_by_row}[operation]


@dataclass
class Measurement:
    seconds: list[float] = field(default_factory=list)  # one per round
    requests: int = 0
    statements: int = 0


# (app, operation) -> measurement
Results = dict[tuple[str, str], Measurement]


def operations_of(app: App) -> list[str]:
    # create first (it makes the rows get/update/delete use), delete last
    operations = ["create", "get", "update", "list", "delete"]
    operations += ["bulk"] if app.bulk_path else []
    # Rows one POST at a time: the generated app's bulk route is measured against it, and
    # FastCRUD's crud_router has no bulk create route, so this is its way to 1,000 rows.
    return operations + (["row_by_row"] if app.name in ("generated", "fastcrud") else [])


async def reset_rows(app: App) -> None:
    """Back to SEED_ROWS rows, between the timed batches (so not counted)."""
    async with app.engine.begin() as connection:
        await connection.execute(delete(app.table))
        await connection.execute(insert(app.table), [new_item(n) for n in range(SEED_ROWS)])
    app.ids.clear()


async def run_round(apps: list[App], sizes: Sizes, results: Results | None) -> None:
    clients = {
        app.name: httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app.asgi), base_url=f"http://{app.name}"
        )
        for app in apps
    }
    try:
        for app in apps:
            await reset_rows(app)
        operations = ["create", "get", "update", "list", "delete", "bulk", "row_by_row"]
        for operation in operations:
            size = sizes.of(operation)
            taking = [app for app in apps if operation in operations_of(app)]
            if size == 0 or not taking:
                continue
            before = {app.name: app.statements for app in taking}
            elapsed = await run_interleaved(
                {app.name: STEPS[operation](app, clients[app.name], size) for app in taking}
            )
            if results is None:
                continue
            for app in taking:
                measured = results.setdefault((app.name, operation), Measurement())
                measured.seconds.append(elapsed[app.name])
                measured.requests += size * (BULK_ROWS if operation == "row_by_row" else 1)
                measured.statements += app.statements - before[app.name]
    finally:
        for client in clients.values():
            await client.aclose()


async def run_interleaved(steps: dict[str, list[Step]]) -> dict[str, float]:
    """Each app's steps, taken in turn across the apps (their order turning from one
    step to the next): the seconds each app's steps took in all."""
    elapsed = dict.fromkeys(steps, 0.0)
    names = list(steps)
    for index in range(max(len(each) for each in steps.values())):
        turn = index % len(names)
        for name in names[turn:] + names[:turn]:
            if index < len(steps[name]):
                started = time.perf_counter()
                await steps[name][index]()
                elapsed[name] += time.perf_counter() - started
    return elapsed


async def run_benchmark(
    url: str, *, rounds: int, sizes: Sizes, app_names: Sequence[str], warmup: Sizes | None = None
) -> Results:
    results: Results = {}
    async with open_apps(url, app_names) as apps:
        await run_round(apps, warmup or Sizes(single=20, list=10, bulk=1, row_by_row=0), None)
        # A full garbage collection walks every object of the process: here the apps,
        # the libraries and what an earlier database's run left, not only what requests
        # made. Frozen, as a server may freeze its start-up heap, they are skipped: each
        # collection then costs what the requests allocated, whichever app it falls in
        # (one of 100 ms in a batch of 20 bulk requests moved their ratio by 0.3).
        gc.collect()
        gc.freeze()
        try:
            for number in range(rounds):
                shift = number % len(apps)  # no app always goes first
                await run_round(apps[shift:] + apps[:shift], sizes, results)
        finally:
            gc.unfreeze()
    return results


# -- the report ----------------------------------------------------------------------------


def per_second(measured: Measurement, sizes: Sizes, operation: str) -> float:
    """Requests per second (rows per second for bulk and row-by-row), median of the rounds."""
    units = sizes.of(operation) * (BULK_ROWS if operation in ("bulk", "row_by_row") else 1)
    return units / statistics.median(measured.seconds)


def statements_per_request(measured: Measurement, operation: str) -> float:
    """Per request; per 1,000 rows for the row-by-row batches."""
    per_request = measured.statements / measured.requests
    return per_request * BULK_ROWS if operation == "row_by_row" else per_request


@dataclass(frozen=True)
class Row:
    label: str
    unit: str
    rates: dict[str, float]  # app -> rate
    statements: dict[str, float]  # app -> statements per request (per 1,000 rows for bulk)


def report_rows(results: Results, sizes: Sizes, app_names: Sequence[str]) -> list[Row]:
    labels = {
        "create": ("create", "req/s"),
        "get": ("get", "req/s"),
        "update": ("update (PATCH)", "req/s"),
        "delete": ("delete", "req/s"),
        "list": (f"list page of {PAGE_SIZE} with total", "req/s"),
        "bulk": (f"bulk create {BULK_ROWS:,} rows, one request", "rows/s"),
        "row_by_row": (f"{BULK_ROWS:,} rows, one POST each", "rows/s"),
    }
    rows = []
    for operation, (label, unit) in labels.items():
        measured = {a: results[(a, operation)] for a in app_names if (a, operation) in results}
        if not measured:
            continue
        rows.append(
            Row(
                label,
                unit,
                {a: per_second(m, sizes, operation) for a, m in measured.items()},
                {a: statements_per_request(m, operation) for a, m in measured.items()},
            )
        )
    return rows


COMPARED_WITH = ("fastcrud", "limit")  # the generated app's ratio to each, in the table


def format_table(rows: list[Row], app_names: Sequence[str]) -> str:
    """A Markdown table: rates, the generated app's ratios to FastCRUD and to the limit,
    statements per request."""
    compared = [a for a in COMPARED_WITH if a in app_names and "generated" in app_names]
    header = ["operation", *(f"{a} /s" for a in app_names)]
    header += [f"generated / {a}" for a in compared]
    header += [f"{a} stmts" for a in app_names]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        cells = [f"{row.label} ({row.unit})"]
        cells += [f"{row.rates[a]:,.0f}" if a in row.rates else "—" for a in app_names]
        for other in compared:
            if "generated" in row.rates and other in row.rates:
                cells.append(f"{row.rates['generated'] / row.rates[other]:.2f}x")
            else:
                cells.append("—")
        cells += [f"{row.statements[a]:g}" if a in row.statements else "—" for a in app_names]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def goals(results: Results, sizes: Sizes, *, postgres: bool) -> list[tuple[str, bool]]:
    """The issue's goals, each with whether this run met it."""
    checks: list[tuple[str, bool]] = []
    for operation in SINGLE_ROW_OPERATIONS:
        measured = results[("generated", operation)]
        per_request = statements_per_request(measured, operation)
        checks.append(
            (
                f"generated {operation}: {per_request:g} statement(s) per request = 1",
                per_request == 1,
            )
        )
    listing = statements_per_request(results[("generated", "list")], "list")
    checks.append((f"generated list with total: {listing:g} statements <= 2", listing <= 2))
    bulk = statements_per_request(results[("generated", "bulk")], "bulk")
    checks.append(
        (f"generated bulk create of {BULK_ROWS:,} rows: {bulk:g} statement(s) = 1", bulk == 1)
    )
    generated_bulk = per_second(results[("generated", "bulk")], sizes, "bulk")
    if ("generated", "row_by_row") in results:
        one_by_one = per_second(results[("generated", "row_by_row")], sizes, "row_by_row")
        ratio = generated_bulk / one_by_one
        checks.append(
            (f"bulk create {ratio:.1f}x the generated app's 1,000 single POSTs, >= 5x", ratio >= 5)
        )
    if ("fastcrud", "row_by_row") in results:
        fastcrud_rows = per_second(results[("fastcrud", "row_by_row")], sizes, "row_by_row")
        ratio = generated_bulk / fastcrud_rows
        checks.append(
            (
                f"bulk create {ratio:.1f}x FastCRUD's 1,000 single POSTs "
                "(crud_router has no bulk create route), >= 5x",
                ratio >= 5,
            )
        )
    if postgres and ("fastcrud", "create") in results:
        for operation in OPERATIONS:
            ratio = per_second(results[("generated", operation)], sizes, operation) / per_second(
                results[("fastcrud", operation)], sizes, operation
            )
            checks.append(
                (
                    f"generated {operation} {ratio:.2f}x FastCRUD on PostgreSQL, >= 1.5x",
                    ratio >= 1.5,
                )
            )
    if postgres and ("limit", "create") in results:
        checks += _limit_goals(results, sizes)
    return checks


def _limit_goals(results: Results, sizes: Sizes) -> list[tuple[str, bool]]:
    """Issue 16: within 0.8x of the single-statement limit on PostgreSQL (0.9x for bulk)."""
    checks = []
    for operation in (*OPERATIONS, "bulk"):
        goal = 0.9 if operation == "bulk" else 0.8
        ratio = per_second(results[("generated", operation)], sizes, operation) / per_second(
            results[("limit", operation)], sizes, operation
        )
        checks.append(
            (
                f"generated {operation} {ratio:.2f}x the limit on PostgreSQL, >= {goal}x",
                ratio >= goal,
            )
        )
    return checks


def report(results: Results, sizes: Sizes, app_names: Sequence[str], *, postgres: bool) -> str:
    """The table, then the goals as a checklist."""
    checklist = [
        f"- [{'x' if met else ' '}] {goal}"
        for goal, met in goals(results, sizes, postgres=postgres)
    ]
    table = format_table(report_rows(results, sizes, app_names), app_names)
    return "\n".join([table, "", *checklist, ""])


def sqlite_url(directory: str) -> str:
    return f"sqlite+aiosqlite:///{Path(directory) / 'bench.db'}"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds (default 3)")
    parser.add_argument(
        "--requests", type=int, default=100, help="requests per single-row batch (default 100)"
    )
    parser.add_argument(
        "--list-requests", type=int, default=50, help="list requests per batch (default 50)"
    )
    parser.add_argument(
        "--bulk-requests", type=int, default=20, help="bulk requests of 1,000 rows per batch (20)"
    )
    parser.add_argument(
        "--row-by-row", type=int, default=1, help="1,000-single-POST batches per round (0: skip)"
    )
    parser.add_argument("--sqlite", action="store_true", help="run on a SQLite file in a temp dir")
    parser.add_argument(
        "--postgres",
        metavar="URL",
        nargs="?",
        const=os.environ.get("CRUDGEN_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL),
        help="run on PostgreSQL (default URL: $CRUDGEN_TEST_POSTGRES_URL or "
        f"{DEFAULT_POSTGRES_URL}); the default when --sqlite is not given",
    )
    parser.add_argument("--no-fastcrud", action="store_true", help="leave FastCRUD out")
    args = parser.parse_args(argv)
    if not args.sqlite and args.postgres is None:
        args.postgres = os.environ.get("CRUDGEN_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    app_names = ["generated", "guide", "limit"]
    if args.no_fastcrud:
        pass
    elif fastcrud_available():
        app_names.insert(1, "fastcrud")
    else:
        print("fastcrud is not installed (pip install -e '.[bench]'): leaving it out\n")
    sizes = Sizes(
        single=args.requests,
        list=args.list_requests,
        bulk=args.bulk_requests,
        row_by_row=args.row_by_row,
    )
    with tempfile.TemporaryDirectory() as directory:
        databases = ([("SQLite", sqlite_url(directory))] if args.sqlite else []) + (
            [("PostgreSQL", args.postgres)] if args.postgres else []
        )
        for title, url in databases:
            started = time.perf_counter()
            results = asyncio.run(
                run_benchmark(url, rounds=args.rounds, sizes=sizes, app_names=app_names)
            )
            seconds = time.perf_counter() - started
            print(f"### {title}: median of {args.rounds} rounds ({seconds:.0f} s)\n")
            print(report(results, sizes, app_names, postgres=title == "PostgreSQL"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
