"""A created row is one the session holds, as if a SELECT had loaded it, whether the
INSERT went through the ORM or (a model of plain columns) through Core: hooks and code
calling the crud functions can change it, meet it again, and create it again."""

import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from tests.conftest import GeneratedPackage

SHAPES = Path(__file__).resolve().parent.parent / "models" / "real_shapes"


@pytest.fixture(scope="module")
def shapes(generate_once: Callable[..., GeneratedPackage]) -> GeneratedPackage:
    return generate_once(SHAPES / "natural_keys.py", SHAPES / "load_hooks.py")


@pytest.fixture
async def session(shapes: GeneratedPackage, database_url: str) -> AsyncIterator[AsyncSession]:
    engine = create_async_engine(database_url)
    await shapes.module("db").create_tables(bind=engine)
    async with async_sessionmaker(engine, expire_on_commit=False)() as opened:
        yield opened
    await engine.dispose()


async def test_a_created_row_is_held_by_the_session(
    shapes: GeneratedPackage, session: AsyncSession
) -> None:
    """Changed, it is written at the next commit; read, it is the same object; deleted and
    created again under its key, the session's object is brought up to date."""
    crud, schemas = shapes.module("crud.currency"), shapes.module("schemas.currency")
    assert crud.resource.own_columns is not None, "inserted through Core"
    euro = schemas.CurrencyCreate(code="EUR", name="Euro")
    created = await crud.create_currency(session, data=euro)
    assert inspect(created).persistent and created in session
    created.name = "Euro (EUR)"
    await session.commit()
    assert await crud.get_currency(session, code="EUR") is created
    session.expunge_all()
    assert (await crud.get_currency(session, code="EUR")).name == "Euro (EUR)"

    held = await crud.get_currency(session, code="EUR")
    await crud.delete_currency(session, code="EUR")
    again = schemas.CurrencyCreate(code="EUR", name="Euro again")
    assert await crud.create_currency(session, data=again) is held
    assert held.name == "Euro again" and not session.dirty


async def test_code_a_model_runs_on_load_runs_for_a_created_row(
    shapes: GeneratedPackage, session: AsyncSession
) -> None:
    """A reconstructor or a `load` listener runs for the row a create returns, as for a
    row read: such a model is inserted through the ORM."""
    gauges, gauge_schemas = shapes.module("crud.gauge"), shapes.module("schemas.gauge")
    assert gauges.resource.own_columns is None, "inserted through the ORM"
    gauge = await gauges.create_gauge(session, data=gauge_schemas.GaugeCreate(label="g"))
    assert gauge.readings == []

    sensors, sensor_schemas = shapes.module("crud.sensor"), shapes.module("schemas.sensor")
    loaded = sys.modules[sensors.Sensor.__module__].LOADED
    loaded.clear()
    await sensors.create_sensor(session, data=sensor_schemas.SensorCreate(label="s"))
    assert loaded == ["s"]


async def test_a_row_the_orm_versions_starts_at_its_first_version(
    shapes: GeneratedPackage, session: AsyncSession
) -> None:
    meters, schemas = shapes.module("crud.meter"), shapes.module("schemas.meter")
    created: Any = await meters.create_meter(session, data=schemas.MeterCreate(label="m"))
    assert created.revision == 1
    created.label = "moved"
    await session.commit()
    assert created.revision == 2


async def test_a_model_with_a_refresh_listener_is_read_through_the_orm(
    shapes: GeneratedPackage, session: AsyncSession
) -> None:
    """A row the session holds is refreshed by an update: a `refresh` listener hears it
    only from the ORM's own loading."""
    dials, schemas = shapes.module("crud.dial"), shapes.module("schemas.dial")
    assert dials.resource.own_columns is None, "read and written through the ORM"
    refreshed = sys.modules[dials.Dial.__module__].REFRESHED
    created = await dials.create_dial(session, data=schemas.DialCreate(label="d"))
    refreshed.clear()
    await dials.update_dial(session, id=created.id, data=schemas.DialUpdate(label="e"))
    assert refreshed == ["e"]
