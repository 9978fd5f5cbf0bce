"""On PostgreSQL a bulk create that no hook joins commits itself, saving BEGIN and
COMMIT, only where SQLAlchemy sends it as one INSERT: a statement stands or falls whole,
several in autocommit would not. Anything else keeps the batch's transaction, so a failing
item still leaves nothing behind."""

import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import (
    BigInteger,
    Column,
    Identity,
    Integer,
    MetaData,
    Sequence,
    String,
    Table,
    Uuid,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

from tests.conftest import GeneratedPackage, url_of

# Keys on PostgreSQL: one the server fills in with `gen_random_uuid()` (no number to match
# a multi-row INSERT's rows to their items by), and one it counts up. PostgreSQL's only, so
# not in tests/e2e/models/, whose every model the corpus suites run on each database.
MODELS = """\
import uuid

from sqlalchemy import String, Uuid, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Badge(Base):
    __tablename__ = "badges"

    id: Mapped[uuid.UUID] = mapped_column(
        Uuid, primary_key=True, server_default=text("gen_random_uuid()")
    )
    handle: Mapped[str] = mapped_column(String(30), unique=True)


class Counter(Base):
    __tablename__ = "counters"

    id: Mapped[int] = mapped_column(primary_key=True)
    handle: Mapped[str] = mapped_column(String(30), unique=True)
    score: Mapped[int] = mapped_column(default=0)
"""


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return url_of("postgres", tmp_path)


@pytest.fixture(scope="module")
def keys(
    generate_once: Callable[..., GeneratedPackage], tmp_path_factory: pytest.TempPathFactory
) -> GeneratedPackage:
    models = tmp_path_factory.mktemp("server_keys") / "server_keys.py"
    models.write_text(MODELS)
    return generate_once(models)


def key_shapes() -> dict[str, Table]:
    metadata = MetaData()

    def table(name: str, *key: Column[Any]) -> Table:
        return Table(name, metadata, *key, Column("handle", String(30)))

    return {
        "integer": table("a", Column("id", Integer, primary_key=True)),
        "big integer": table("b", Column("id", BigInteger, primary_key=True)),
        "identity": table("c", Column("id", Integer, Identity(), primary_key=True)),
        "identity counting down": table(
            "d", Column("id", Integer, Identity(increment=-1), primary_key=True)
        ),
        "sequence": table("e", Column("id", Integer, Sequence("e_id"), primary_key=True)),
        "nextval": table(
            "f", Column("id", Integer, server_default=text("nextval('f')"), primary_key=True)
        ),
        "server uuid": table(
            "g", Column("id", Uuid, server_default=text("gen_random_uuid()"), primary_key=True)
        ),
        "client uuid": table("h", Column("id", Uuid, default=uuid.uuid4, primary_key=True)),
        "integer with a default": table("i", Column("id", Integer, primary_key=True, default=5)),
        "integer not counted": table(
            "j", Column("id", Integer, primary_key=True, autoincrement=False)
        ),
        "composite": table(
            "k",
            Column("x", Integer, primary_key=True),
            Column("y", Integer, primary_key=True),
        ),
    }


# Compiling for keys no row gives warns that they would be null: not the point here.
@pytest.mark.filterwarnings("ignore:Column .* is marked as a member of the primary key")
def test_a_key_the_server_numbers_is_what_sqlalchemy_orders_a_batch_by(
    keys: GeneratedPackage,
) -> None:
    """`numbered_by_the_server` says yes only where SQLAlchemy's own compiler finds a
    column to match the rows of one multi-row INSERT ... RETURNING to their items."""
    numbered_by_the_server = keys.module("resource").numbered_by_the_server
    dialect = postgresql.asyncpg.dialect()  # type: ignore[attr-defined]
    said = {}
    for name, table in key_shapes().items():
        statement = insert(table).returning(*table.c, sort_by_parameter_order=True)
        compiled: Any = statement.compile(
            dialect=dialect, column_keys=["handle"], for_executemany=True
        )
        ordered_by_a_column = compiled._insertmanyvalues.sentinel_columns is not None
        said[name] = numbered_by_the_server(table)
        assert ordered_by_a_column or not said[name], name
    numbered = [name for name, yes in said.items() if yes]
    assert numbered == ["integer", "big integer", "identity", "sequence"]


async def rows_of(engine: AsyncEngine, model: Any) -> int:
    async with engine.connect() as connection:
        return int((await connection.scalar(select(func.count()).select_from(model))) or 0)


async def test_a_batch_the_server_keys_one_row_at_a_time_keeps_its_transaction(
    keys: GeneratedPackage, app_client: Any, executed_sql: list[str], database_url: str
) -> None:
    """A `gen_random_uuid()` key gives SQLAlchemy nothing to order a multi-row INSERT's
    rows by: it inserts them one by one, so the batch needs its transaction."""
    async with app_client(keys) as client:
        executed_sql.clear()
        batch = [{"handle": "ann"}, {"handle": "bob"}, {"handle": "ann"}]
        response = await client.post("/badges/bulk", json=batch)
        assert response.status_code == 409, response.text
        assert response.json()["index"] == 2
        inserts = [sql for sql in executed_sql if sql.lstrip().upper().startswith("INSERT")]
        assert len(inserts) > 1, "one INSERT a row (else this test tests nothing)"
        assert (await client.get("/badges", params={"count": "true"})).json()["total"] == 0
        created = await client.post("/badges/bulk", json=batch[:2])
        assert [row["handle"] for row in created.json()] == ["ann", "bob"]


@pytest.fixture
async def split_engine(keys: GeneratedPackage, database_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine sending at most two rows an INSERT (`insertmanyvalues_page_size`)."""
    engine = create_async_engine(database_url, insertmanyvalues_page_size=2)
    counter = keys.module("crud.counter").Counter
    async with engine.begin() as connection:
        await connection.run_sync(counter.metadata.drop_all)
    await keys.module("db").create_tables(bind=engine)
    yield engine
    await engine.dispose()


@pytest.mark.parametrize("limit", ["rows", "parameters"])
async def test_a_batch_sent_in_several_inserts_keeps_its_transaction(
    keys: GeneratedPackage, split_engine: AsyncEngine, limit: str
) -> None:
    """More rows, or parameters, than one INSERT takes: SQLAlchemy sends several, and
    the last one failing undoes the first."""
    if limit == "parameters":  # a handle and a score a row: three rows take six
        split_engine.dialect.insertmanyvalues_page_size = 1000
        split_engine.dialect.insertmanyvalues_max_parameters = 5
    crud, schemas = keys.module("crud.counter"), keys.module("schemas.counter")
    items = [schemas.CounterCreate(handle=handle) for handle in ("ann", "bob", "ann")]
    async with async_sessionmaker(split_engine)() as session:
        with pytest.raises(keys.module("errors").BatchItemError) as raised:
            await crud.bulk_create_counters(session, items=items)
    assert raised.value.index == 2
    assert await rows_of(split_engine, crud.Counter) == 0
    async with async_sessionmaker(split_engine)() as session:
        rows = await crud.bulk_create_counters(session, items=items[:2])
    assert [row["handle"] for row in rows] == ["ann", "bob"]
    assert await rows_of(split_engine, crud.Counter) == 2
