"""Database errors at flush time become 404/409/422 with a useful detail, never a 500."""

from __future__ import annotations

import contextlib
import textwrap
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from tests.conftest import GeneratedPackage, reset_database, url_of

MODELS = textwrap.dedent(
    """
    from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
    from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


    class Base(DeclarativeBase):
        pass


    class Warehouse(Base):
        __tablename__ = "warehouses"
        id: Mapped[int] = mapped_column(primary_key=True)
        code: Mapped[str] = mapped_column(String(10), unique=True)
        notes: Mapped[str | None] = mapped_column(Text)


    class Stock(Base):
        __tablename__ = "stocks"
        __table_args__ = (
            CheckConstraint("quantity >= 0", name="quantity_not_negative"),
            UniqueConstraint("warehouse_id", "sku"),
        )
        id: Mapped[int] = mapped_column(primary_key=True)
        warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
        sku: Mapped[str] = mapped_column(String(20))
        quantity: Mapped[int] = mapped_column(default=0)
    """
)


@pytest.fixture(params=["sqlite", "postgres", "mysql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """MariaDB too: its driver reports some violations (a CHECK) as operational errors."""
    return url_of(request.param, tmp_path)


@pytest.fixture
def package(tmp_path: Path, generate: Callable[..., GeneratedPackage]) -> GeneratedPackage:
    models = tmp_path / "error_models.py"
    models.write_text(MODELS)
    return generate(models)


async def test_constraint_violations(package: GeneratedPackage, app_client: Any) -> None:
    async with app_client(package) as client:
        warehouse = (await client.post("/warehouses", json={"code": "AMS"})).json()

        duplicate = await client.post("/warehouses", json={"code": "AMS"})
        assert duplicate.status_code == 409
        assert duplicate.json() == {"detail": "Another row already has this code", "field": "code"}

        other = (await client.post("/warehouses", json={"code": "BER"})).json()
        renamed = await client.patch(f"/warehouses/{other['id']}", json={"code": "AMS"})
        assert renamed.status_code == 409 and renamed.json()["field"] == "code"

        missing_parent = await client.post(
            "/stocks", json={"warehouse_id": 999, "sku": "X", "quantity": 1}
        )
        assert missing_parent.status_code == 422
        assert "refers to a row that does not exist" in missing_parent.json()["detail"]

        negative = await client.post(
            "/stocks", json={"warehouse_id": warehouse["id"], "sku": "X", "quantity": -1}
        )
        assert negative.status_code == 422 and "check constraint" in negative.json()["detail"]

        stock = await client.post("/stocks", json={"warehouse_id": warehouse["id"], "sku": "X"})
        assert stock.status_code == 201
        pair = await client.post("/stocks", json={"warehouse_id": warehouse["id"], "sku": "X"})
        assert pair.status_code == 409 and pair.json()["detail"].startswith("Another row")

        still_referenced = await client.delete(f"/warehouses/{warehouse['id']}")
        assert still_referenced.status_code == 409
        assert still_referenced.json()["detail"] == "Other rows still refer to this row"

        # Every failure rolled back: the data is exactly what succeeded, and the API works on.
        page = (await client.get("/stocks")).json()
        assert page["total"] == 1 and page["items"][0]["quantity"] == 0
        codes = [w["code"] for w in (await client.get("/warehouses")).json()["items"]]
        assert codes == ["AMS", "BER"]
        for response in (duplicate, missing_parent, negative, still_referenced):
            assert "SELECT" not in response.text and "INSERT" not in response.text


async def test_values_the_database_cannot_store_are_422(
    package: GeneratedPackage, app_client: Any, database_url: str
) -> None:
    async with app_client(package) as client:
        response = await client.post("/warehouses", json={"code": "nul\u0000"})
        if database_url.startswith("postgresql"):
            assert response.status_code == 422, "PostgreSQL text cannot hold NUL"
            assert response.json() == {"detail": "A value cannot be stored in its column"}
        else:
            assert response.status_code == 201
        assert (await client.post("/warehouses", json={"code": "OK"})).status_code == 201


@contextlib.asynccontextmanager
async def server_max_allowed_packet(url: str, size: int) -> AsyncIterator[None]:
    """Lower MariaDB's max_allowed_packet for the connections opened meanwhile (a session
    keeps the value it started with), then put the server's value back."""
    engine = create_async_engine(url)
    async with engine.connect() as connection:
        before = (await connection.exec_driver_sql("SELECT @@GLOBAL.max_allowed_packet")).scalar()
        await connection.exec_driver_sql(f"SET GLOBAL max_allowed_packet = {size}")
        try:
            yield
        finally:
            await connection.exec_driver_sql(f"SET GLOBAL max_allowed_packet = {before}")
    await engine.dispose()


async def test_a_statement_over_max_allowed_packet_is_413_and_the_app_goes_on(
    generate: Callable[..., GeneratedPackage], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """MariaDB refuses the statement and closes the connection; the generated engine drops
    that connection, so the next request gets a good one."""
    url = url_of("mysql", tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    models = tmp_path / "error_models.py"
    models.write_text(MODELS)
    package = generate(models)
    db = package.module("db")
    try:
        await reset_database(db.engine)
        await db.engine.dispose()
        async with server_max_allowed_packet(url, 16 * 1024):
            await db.create_tables()  # the pool's connection opens with the small limit
        transport = httpx.ASGITransport(app=package.module("app").app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            too_large = await client.post("/warehouses", json={"code": "A", "notes": "n" * 40_000})
            assert too_large.status_code == 413, too_large.text[:200]
            assert too_large.json() == {"detail": "The data is larger than the database accepts"}
            fits = await client.post("/warehouses", json={"code": "B", "notes": "n" * 1_000})
            assert fits.status_code == 201, fits.text
            codes = [w["code"] for w in (await client.get("/warehouses")).json()["items"]]
            assert codes == ["B"]
    finally:
        await db.engine.dispose()
