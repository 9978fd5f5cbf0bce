"""Inheritance (issue 13, item 6): joined-table and single-table hierarchies, in both code
styles (`Mapped[...]` in inheritance_joined and inheritance_single, classic `Column(...)` in
inheritance_classic), driven over HTTP on SQLite and PostgreSQL.

Every class gets its routes; a class's list and get answer the rows of its subclasses too,
each with its own fields and its discriminator (a `oneOf` in OpenAPI); the server writes
the discriminator; a row of a joined hierarchy is written to and deleted from every table
it spans, in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from crudgen.config import Config, ModelOptions
from crudgen.errors import ConfigError, SourceError
from crudgen.pipeline import plan_run
from tests.conftest import EXAMPLES, MODELS, GeneratedPackage, url_of

SHAPES = MODELS / "real_shapes"
# A SELECT missing a join between the tables of a hierarchy is a cartesian product.
pytestmark = pytest.mark.filterwarnings("error::sqlalchemy.exc.SAWarning")


@pytest.fixture(params=["sqlite", "postgres", "mysql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return url_of(request.param, tmp_path)


@pytest.fixture(scope="module", params=["functions", "inline"])
def style(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def shape(generate_once: Callable[..., GeneratedPackage], style: str) -> Callable[[str], Any]:
    packages: dict[str, GeneratedPackage] = {}

    def get(module: str) -> GeneratedPackage:
        if module not in packages:
            packages[module] = generate_once(SHAPES / f"{module}.py", style=style)
        return packages[module]

    return get


def deletes_from(sql: list[str], table: str) -> bool:
    return any(s.lstrip().upper().startswith(f"DELETE FROM {table.upper()}") for s in sql)


async def test_joined_hierarchy_over_http(
    shape: Callable[[str], GeneratedPackage], app_client: Any, executed_sql: list[str]
) -> None:
    async with app_client(shape("inheritance_joined")) as client:
        ada = {"name": "ada", "language": "py", "login": "ada"}
        created = await client.post("/engineers", json=ada)
        assert created.status_code == 201, created.text
        assert created.json() == {"id": 1, "type": "engineer", **ada}
        # The discriminator is the server's: a client naming it is refused.
        forged = await client.post("/engineers", json=ada | {"login": "x", "type": "manager"})
        assert forged.status_code == 422, forged.text
        manager = await client.post("/managers", json={"name": "bob", "reports": 3})
        assert manager.json() == {"id": 2, "name": "bob", "type": "manager", "reports": 3}
        plain = await client.post("/employees", json={"name": "cy"})
        assert plain.json() == {"id": 3, "name": "cy", "type": "employee"}

        # Both tables in one transaction: the subclass table refuses a second login
        # "ada", and the base row written before it is rolled back too.
        clash = await client.post("/engineers", json={**ada, "name": "eve"})
        assert clash.status_code == 409, clash.text
        everyone = (await client.get("/employees", params={"count": "true"})).json()
        assert everyone["total"] == 3
        assert everyone["items"] == [
            {"id": 1, "type": "engineer", **ada},
            {"id": 2, "name": "bob", "type": "manager", "reports": 3},
            {"id": 3, "name": "cy", "type": "employee"},
        ]
        assert (await client.get("/employees/2")).json()["reports"] == 3
        managers = await client.get("/employees", params={"type": "manager"})
        assert [row["id"] for row in managers.json()["items"]] == [2]
        assert [row["id"] for row in (await client.get("/engineers")).json()["items"]] == [1]
        assert (await client.get("/engineers/2")).status_code == 404

        # An update writes the fields of each table; the base's routes answer subclasses.
        changed = await client.patch("/engineers/1", json={"name": "ada l", "language": "rs"})
        assert changed.status_code == 200, changed.text
        assert changed.json() == {
            "id": 1,
            "type": "engineer",
            **ada,
            "name": "ada l",
            "language": "rs",
        }
        renamed = await client.patch("/employees/1", json={"name": "ada b"})
        assert renamed.json() == {
            "id": 1,
            "type": "engineer",
            **ada,
            "name": "ada b",
            "language": "rs",
        }
        replaced = await client.put("/managers/2", json={"name": "rob", "reports": 4})
        assert replaced.json() == {"id": 2, "name": "rob", "type": "manager", "reports": 4}
        assert (await client.get("/engineers/1")).json()["name"] == "ada b"

        bulk = await client.post(
            "/engineers/bulk",
            json=[
                {"name": "e1", "language": "go", "login": "e1"},
                {"name": "e2", "language": "c", "login": "e2"},
            ],
        )
        assert bulk.status_code == 201, bulk.text
        # (PostgreSQL's sequence moved on with the failed insert: ids are read back.)
        e1, e2 = (row["id"] for row in bulk.json())
        assert [row["type"] for row in bulk.json()] == ["engineer", "engineer"]
        moved = await client.patch(
            "/engineers", json={"ids": [e1, e2], "values": {"language": "zig"}}
        )
        assert [row["language"] for row in moved.json()] == ["zig", "zig"]

        # Deleting a row removes it from every table it spans, through any class's routes.
        executed_sql.clear()
        assert (await client.delete("/engineers/1")).status_code == 204
        assert deletes_from(executed_sql, "engineers") and deletes_from(executed_sql, "employees")
        assert (await client.delete("/employees/2")).status_code == 204
        assert deletes_from(executed_sql, "managers")
        gone = await client.request("DELETE", "/employees", json={"ids": [e1, 3]})
        assert gone.status_code == 204, gone.text
        left = (await client.get("/employees")).json()["items"]
        assert left == [
            {"id": e2, "name": "e2", "type": "engineer", "language": "zig", "login": "e2"}
        ]
        # The rows deleted left nothing behind in the subclass tables: their logins are free.
        again = await client.post("/engineers", json=ada)
        assert again.status_code == 201, again.text

        openapi = (await client.get("/openapi.json")).json()
        answer = openapi["paths"]["/employees/{id}"]["get"]["responses"]["200"]
        schema = answer["content"]["application/json"]["schema"]
        assert schema["discriminator"]["propertyName"] == "type"
        assert set(schema["discriminator"]["mapping"]) == {"employee", "engineer", "manager"}
        assert len(schema["oneOf"]) == 3
        engineer_create = openapi["components"]["schemas"]["EngineerCreate"]["properties"]
        assert "type" not in engineer_create and "language" in engineer_create


async def test_a_nested_read_of_a_hierarchy_returns_each_row_as_its_class(
    generate_once: Callable[..., GeneratedPackage], app_client: Any
) -> None:
    """Team.lead is an Employee of any class: nested, it comes with its own fields."""
    nested = {"Team": ModelOptions(nested_reads=("lead",))}
    package = generate_once(SHAPES / "inheritance_joined.py", models=nested)
    async with app_client(package) as client:
        ada = {"name": "ada", "language": "py", "login": "ada"}
        assert (await client.post("/engineers", json=ada)).status_code == 201
        team = await client.post("/teams", json={"name": "core", "lead_id": 1})
        assert team.status_code == 201, team.text
        lead = {"id": 1, "type": "engineer", **ada}
        assert team.json() == {"id": 1, "name": "core", "lead_id": 1, "lead": lead}
        teams = (await client.get("/teams")).json()["items"]
        assert teams == [team.json()]


async def test_a_row_read_through_its_parents_routes_nests_what_its_class_nests(
    generate_once: Callable[..., GeneratedPackage], style: str, app_client: Any
) -> None:
    """The library example: Book nests its authors, Item does not. A book read, listed or
    written through /items is returned as a Book (AnyItemRead), so with its authors."""
    nested = {"Book": ModelOptions(nested_reads=("authors",))}
    library = EXAMPLES / "library" / "library" / "models.py"
    package = generate_once(library, style=style, models=nested)
    async with app_client(package) as client:
        book = {"title": "Dune", "isbn": "9780441013593"}
        assert (await client.post("/books", json=book)).status_code == 201
        magazine = {"title": "Locus", "issn": "0047-4959", "issue": 1}
        assert (await client.post("/periodicals", json=magazine)).status_code == 201
        assert (await client.post("/authors", json={"name": "Herbert"})).status_code == 201
        link = await client.post("/book-authors", json={"book_id": 1, "author_id": 1})
        assert link.status_code == 201, link.text
        authors = [{"id": 1, "name": "Herbert", "born": None}]
        items = await client.get("/items")
        assert items.status_code == 200, items.text
        assert [item.get("authors") for item in items.json()["items"]] == [authors, None]
        assert (await client.get("/items/1")).json()["authors"] == authors
        renamed = await client.patch("/items/1", json={"title": "Dune I"})
        assert renamed.status_code == 200, renamed.text
        assert renamed.json()["authors"] == authors
        bulk = await client.patch("/items", json={"ids": [1, 2], "values": {"year": 1965}})
        assert bulk.status_code == 200, bulk.text
        assert [row.get("authors") for row in bulk.json()] == [authors, None]


def test_a_hierarchy_is_generated_whole(tmp_path: Path) -> None:
    """Employee's routes answer engineers: leaving Engineer out is refused."""
    source = str(SHAPES / "inheritance_joined.py")
    config = Config(sources=(source,), out_dir=tmp_path / "out", exclude=("Engineer",))
    with pytest.raises(ConfigError) as raised:
        plan_run(config)
    assert "Employee's routes answer rows of Engineer" in raised.value.message


async def test_single_table_hierarchy_over_http(
    shape: Callable[[str], GeneratedPackage], app_client: Any
) -> None:
    async with app_client(shape("inheritance_single")) as client:
        card = await client.post("/card-payments", json={"amount_cents": 5, "last_four": "1234"})
        assert card.status_code == 201, card.text
        assert card.json() == {"id": 1, "amount_cents": 5, "kind": "card", "last_four": "1234"}
        bank = await client.post("/bank-payments", json={"amount_cents": 7, "iban": "DE1"})
        assert bank.json() == {"id": 2, "amount_cents": 7, "kind": "bank", "iban": "DE1"}
        plain = await client.post("/payments", json={"amount_cents": 9})
        assert plain.json() == {"id": 3, "amount_cents": 9, "kind": "payment"}
        forged = await client.post("/payments", json={"amount_cents": 9, "kind": "card"})
        assert forged.status_code == 422

        payments = (await client.get("/payments")).json()["items"]
        assert [row["kind"] for row in payments] == ["card", "bank", "payment"]
        assert payments[0]["last_four"] == "1234" and payments[1]["iban"] == "DE1"
        cards = (await client.get("/card-payments", params={"count": "true"})).json()
        assert cards["total"] == 1 and [row["id"] for row in cards["items"]] == [1]
        # A class's routes never reach the rows of a sibling.
        assert (await client.get("/card-payments/2")).status_code == 404
        assert (await client.patch("/card-payments/2", json={"amount_cents": 1})).status_code == 404
        assert (await client.delete("/bank-payments/1")).status_code == 404

        changed = await client.patch("/payments/1", json={"amount_cents": 6})
        assert changed.status_code == 200, changed.text
        assert changed.json() == {"id": 1, "amount_cents": 6, "kind": "card", "last_four": "1234"}
        assert (await client.delete("/card-payments/1")).status_code == 204
        left = (await client.get("/payments")).json()["items"]
        assert [row["id"] for row in left] == [2, 3]


async def test_classic_hierarchies_with_versions_and_soft_delete(
    shape: Callable[[str], GeneratedPackage], app_client: Any, executed_sql: list[str]
) -> None:
    async with app_client(shape("inheritance_classic")) as client:
        truck = {"name": "big", "load_kg": 9000, "bed_m3": 12}
        created = await client.post("/dump-trucks", json=truck)
        assert created.status_code == 201, created.text
        assert created.json() == {
            "id": 1,
            "kind": "dump_truck",
            "version": 1,
            "is_deleted": False,
            **truck,
        }
        assert created.headers["etag"] == '"1"'
        car = await client.post("/cars", json={"name": "mini", "seats": 4})
        assert car.json()["kind"] == "car"
        # A class's routes answer the rows of every class below it, with their fields.
        trucks = (await client.get("/trucks")).json()["items"]
        assert trucks == [created.json()]
        vehicles = (await client.get("/vehicles")).json()["items"]
        assert [(v["kind"], v.get("seats"), v.get("bed_m3")) for v in vehicles] == [
            ("dump_truck", None, 12),
            ("car", 4, None),
        ]

        # A partial read through the base names fields of the base only.
        partial = await client.get("/vehicles", params={"fields": "kind"})
        assert partial.status_code == 200, partial.text
        assert partial.json()["items"] == [{"kind": "dump_truck"}, {"kind": "car"}]

        # The version on the base table moves on with a write of the subclass tables.
        stale = await client.patch("/vehicles/1", json={"name": "x"}, headers={"If-Match": '"7"'})
        assert stale.status_code == 409, stale.text
        renamed = await client.patch(
            "/trucks/1", json={"name": "bigger", "load_kg": 9500}, headers={"If-Match": '"1"'}
        )
        assert renamed.status_code == 200, renamed.text
        assert renamed.json() | {} == created.json() | {
            "name": "bigger",
            "load_kg": 9500,
            "version": 2,
        }
        assert renamed.headers["etag"] == '"2"'
        # Through the base, two levels above the row's class: the answer has every field.
        via_base = await client.patch(
            "/vehicles/1", json={"name": "biggest"}, headers={"If-Match": '"2"'}
        )
        assert via_base.status_code == 200, via_base.text
        assert via_base.json()["bed_m3"] == 12 and via_base.json()["version"] == 3

        # Soft delete through the base, restore, then a hard delete of every table.
        deleted = await client.delete("/vehicles/1", headers={"If-Match": '"3"'})
        assert deleted.status_code == 204, deleted.text
        assert (await client.get("/dump-trucks/1")).status_code == 404
        kept = await client.get("/trucks/1", params={"include_deleted": "true"})
        assert kept.json()["is_deleted"] is True and kept.json()["bed_m3"] == 12
        # Restored through the base too (a 500 until the re-read loaded rows afresh).
        restored = await client.post("/vehicles/1/restore")
        assert restored.status_code == 200, restored.text
        assert restored.json()["is_deleted"] is False and restored.json()["bed_m3"] == 12
        executed_sql.clear()
        etag = restored.headers.get("etag") or f'"{restored.json()["version"]}"'
        hard = await client.delete(
            "/dump-trucks/1", params={"hard": "true"}, headers={"If-Match": etag}
        )
        assert hard.status_code == 204, hard.text
        for table in ("dump_trucks", "trucks", "vehicles"):
            assert deletes_from(executed_sql, table), table
        ids = [row["id"] for row in (await client.get("/vehicles")).json()["items"]]
        assert ids == [2]

        # Single table, a base without an identity: no animal is created as such.
        assert (await client.post("/animals", json={"name": "x"})).status_code == 405
        dog = await client.post("/dogs", json={"name": "rex", "good": True})
        assert dog.json() == {"id": 1, "name": "rex", "species": "dog", "good": True}
        cat = await client.post("/cats", json={"name": "tom", "lives": 9})
        assert cat.json() == {"id": 2, "name": "tom", "species": "cat", "lives": 9}
        animals = (await client.get("/animals")).json()["items"]
        assert animals == [dog.json(), cat.json()]
        assert (await client.patch("/animals/2", json={"name": "tim"})).json()["lives"] == 9


async def test_joined_tables_without_a_discriminator(
    generate_once: Callable[..., GeneratedPackage], app_client: Any, executed_sql: list[str]
) -> None:
    """Invoice extends Document (joined, no polymorphic_on): each class's routes serve
    its own fields; an invoice is a document too, and deleting the document deletes the
    invoice's row with it. No upserts: one INSERT cannot write both tables."""
    package = generate_once(MODELS / "shapes_inheritance" / "models.py")
    async with app_client(package) as client:
        invoice = await client.post("/invoices", json={"title": "march", "total": 12})
        assert invoice.status_code == 201, invoice.text
        assert invoice.json() == {"id": 1, "title": "march", "total": 12}
        assert (await client.get("/documents/1")).json() == {"id": 1, "title": "march"}
        changed = await client.patch("/invoices/1", json={"title": "april", "total": 13})
        assert changed.json() == {"id": 1, "title": "april", "total": 13}
        upsert = await client.post("/invoices/upsert", json={"title": "x", "total": 1})
        assert upsert.status_code in (404, 405)
        executed_sql.clear()
        assert (await client.delete("/documents/1")).status_code == 204
        assert deletes_from(executed_sql, "invoices")
        assert (await client.get("/invoices/1")).status_code == 404
        # Beside it, a single-table hierarchy and a model whose key refers to a hierarchy.
        manager = await client.post("/managers", json={"name": "ann", "budget": 5})
        assert manager.json() == {"id": 1, "kind": "manager", "name": "ann", "budget": 5}
        car = await client.post("/cars", json={"doors": 3})
        garage = await client.post("/garages", json={"vehicle_id": car.json()["id"]})
        assert garage.status_code == 201, garage.text


def test_concrete_table_inheritance_is_refused_clearly(tmp_path: Path) -> None:
    models = tmp_path / "concrete_models.py"
    models.write_text(CONCRETE)
    with pytest.raises(SourceError) as raised:
        plan_run(Config(sources=(str(models),), out_dir=tmp_path / "out"))
    message = str(raised.value)
    assert "concrete-table inheritance" in message and "joined or single-table" in message
    assert not (tmp_path / "out").exists()


CONCRETE = """
from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Shop(Base):
    __tablename__ = "shops"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(20))


class Outlet(Shop):
    __tablename__ = "outlets"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(20))
    discount: Mapped[int]

    __mapper_args__ = {"concrete": True}
"""
