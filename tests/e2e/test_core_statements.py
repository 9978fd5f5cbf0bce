"""A model whose fields are all columns of its own table is read and written with Core
statements, its rows turned into entities as a SELECT would load them. Over HTTP it
answers as through the ORM, whatever its columns are named; called by code whose
session holds changes, it meets them as the ORM would (which flushes them first)."""

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import ORMExecuteState, selectinload, with_loader_criteria

from tests.conftest import GeneratedPackage, url_of

SHAPES = Path(__file__).resolve().parent.parent / "models" / "real_shapes"


@pytest.fixture(params=["sqlite", "postgres", "mysql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return url_of(request.param, tmp_path)


@pytest.fixture(scope="module")
def legacy(generate_once: Callable[..., GeneratedPackage]) -> GeneratedPackage:
    return generate_once(SHAPES / "legacy_column_names.py")


@pytest.fixture
async def session(legacy: GeneratedPackage, database_url: str) -> AsyncIterator[AsyncSession]:
    engine = create_async_engine(database_url)
    async with engine.begin() as connection:
        await connection.run_sync(legacy.module("crud.supplier").Supplier.metadata.drop_all)
    await legacy.module("db").create_tables(bind=engine)
    async with async_sessionmaker(engine, expire_on_commit=False)() as opened:
        yield opened
    await engine.dispose()


def test_a_model_of_plain_columns_takes_the_core_statements(legacy: GeneratedPackage) -> None:
    resource = legacy.module("crud.supplier").resource
    assert resource.own_columns is not None and resource.table_columns is not None
    names = {name: column.name for name, column in resource.table_columns.items()}
    assert names == {"id": "SupplierID", "name": "SupplierName", "kind": "type", "rating": "Rating"}


async def test_columns_named_otherwise_than_their_fields_answer_every_operation(
    legacy: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(legacy) as client:
        for name, kind, rating in [
            ("acme", "retail", 3),
            ("bolt", "trade", 5),
            ("cogs", "trade", None),
        ]:
            created = await client.post(
                "/tblsuppliers", json={"name": name, "kind": kind, "rating": rating}
            )
            assert created.status_code == 201, created.text
        assert created.json() == {"id": 3, "name": "cogs", "kind": "trade", "rating": None}
        assert (await client.get("/tblsuppliers/2")).json() == {
            "id": 2,
            "name": "bolt",
            "kind": "trade",
            "rating": 5,
        }

        page = await client.get(
            "/tblsuppliers", params={"kind": "trade", "sort": "-name", "count": "true"}
        )
        assert page.status_code == 200, page.text
        assert [row["name"] for row in page.json()["items"]] == ["cogs", "bolt"]
        assert page.json()["total"] == 2
        trimmed = await client.get(
            "/tblsuppliers", params={"fields": "name,rating", "rating__gte": 3}
        )
        assert trimmed.json()["items"] == [
            {"name": "acme", "rating": 3},
            {"name": "bolt", "rating": 5},
        ]
        first = await client.get("/tblsuppliers", params={"limit": 2})
        assert [row["id"] for row in first.json()["items"]] == [1, 2]
        cursor = first.json()["next_cursor"]
        rest = await client.get("/tblsuppliers", params={"limit": 2, "cursor": cursor})
        assert [row["id"] for row in rest.json()["items"]] == [3]

        patched = await client.patch("/tblsuppliers/1", json={"kind": "trade", "rating": None})
        assert patched.json() == {"id": 1, "name": "acme", "kind": "trade", "rating": None}
        replaced = await client.put("/tblsuppliers/1", json={"name": "acme ltd", "kind": "retail"})
        assert replaced.json() == {"id": 1, "name": "acme ltd", "kind": "retail", "rating": None}
        assert (await client.patch("/tblsuppliers/9", json={"rating": 1})).status_code == 404
        assert (await client.delete("/tblsuppliers/1")).status_code == 204
        assert (await client.get("/tblsuppliers/1")).status_code == 404
        assert (await client.delete("/tblsuppliers/1")).status_code == 404
        assert (await client.get("/tblsuppliers", params={"count": "true"})).json()["total"] == 2


async def test_a_read_meets_the_change_the_session_holds(
    legacy: GeneratedPackage, session: AsyncSession
) -> None:
    """The held change is flushed first (a Core SELECT autoflushes as the ORM's does)."""
    crud, schemas = legacy.module("crud.supplier"), legacy.module("schemas.supplier")
    held = await crud.create_supplier(session, data=schemas.SupplierCreate(name="acme"))
    held.name = "acme ltd"
    assert await crud.get_supplier(session, id=held.id) is held
    assert held.name == "acme ltd" and not session.dirty


async def test_a_read_leaves_a_change_not_flushed_alone(
    legacy: GeneratedPackage, session: AsyncSession
) -> None:
    """With autoflush off, the ORM's SELECT returns the held row as it is: so must the
    Core one, though the database still has the row unchanged."""
    crud, schemas = legacy.module("crud.supplier"), legacy.module("schemas.supplier")
    held = await crud.create_supplier(session, data=schemas.SupplierCreate(name="acme"))
    with session.no_autoflush:
        held.name = "acme (unsaved)"
        assert await crud.get_supplier(session, id=held.id) is held
    assert held.name == "acme (unsaved)" and held in session.dirty


async def test_a_read_fills_in_the_fields_the_session_expired(
    legacy: GeneratedPackage, session: AsyncSession
) -> None:
    """An expired row (a commit of a session that expires on commit) is loaded again by
    the read: its fields are there to read without another query."""
    crud, schemas = legacy.module("crud.supplier"), legacy.module("schemas.supplier")
    held = await crud.create_supplier(session, data=schemas.SupplierCreate(name="acme"))
    key = held.id
    session.expire(held)
    assert await crud.get_supplier(session, id=key) is held
    assert (held.name, held.kind, held.rating) == ("acme", "retail", None)


async def test_a_write_keeps_the_change_the_session_holds(
    legacy: GeneratedPackage, session: AsyncSession
) -> None:
    """The ORM flushes the held change before its UPDATE: a Core UPDATE returning the
    row unchanged must not write over it."""
    crud, schemas = legacy.module("crud.supplier"), legacy.module("schemas.supplier")
    held = await crud.create_supplier(session, data=schemas.SupplierCreate(name="acme"))
    held.name = "acme ltd"
    updated = await crud.update_supplier(session, id=held.id, data=schemas.SupplierUpdate(rating=4))
    assert updated is held and (held.name, held.rating) == ("acme ltd", 4)
    session.expunge_all()
    stored = await crud.get_supplier(session, id=held.id)
    assert (stored.name, stored.rating) == ("acme ltd", 4)


async def test_a_changed_row_can_be_deleted(
    legacy: GeneratedPackage, session: AsyncSession
) -> None:
    """Its change is flushed before the DELETE, as the ORM does, not after it (an UPDATE
    of a row already gone fails the commit)."""
    crud, schemas = legacy.module("crud.supplier"), legacy.module("schemas.supplier")
    held = await crud.create_supplier(session, data=schemas.SupplierCreate(name="acme"))
    held.rating = 2
    await crud.delete_supplier(session, id=held.id)
    supplier = crud.Supplier
    assert (await session.execute(select(supplier.id))).all() == []


async def test_an_update_brings_the_held_row_up_to_date(
    legacy: GeneratedPackage, session: AsyncSession
) -> None:
    crud, schemas = legacy.module("crud.supplier"), legacy.module("schemas.supplier")
    held = await crud.create_supplier(session, data=schemas.SupplierCreate(name="acme"))
    await session.commit()
    updated = await crud.update_supplier(
        session, id=held.id, data=schemas.SupplierUpdate(kind="trade")
    )
    assert updated is held and held.kind == "trade" and not session.dirty
    replaced = await crud.replace_supplier(
        session, id=held.id, data=schemas.SupplierReplace(name="bolt")
    )
    assert replaced is held and (held.name, held.kind, held.rating) == ("bolt", "retail", None)


async def test_a_column_named_as_the_keys_parameter_is_written_as_itself(
    legacy: GeneratedPackage, app_client: Any
) -> None:
    """The statements built once bind the key as `key_<field>`, unless a column has
    that name: then the key's parameters take another."""
    statements = legacy.module("crud.ledger").resource.row_statements
    assert statements.key_parameters == ["_key_id"]
    async with app_client(legacy) as client:
        for code in ("a-1", "b-2"):
            assert (await client.post("/ledgers", json={"key_id": code})).status_code == 201
        patched = await client.patch("/ledgers/2", json={"key_id": "b-3"})
        assert patched.json() == {"id": 2, "key_id": "b-3"}
        assert (await client.get("/ledgers/1")).json() == {"id": 1, "key_id": "a-1"}
        assert (await client.delete("/ledgers/1")).status_code == 204
        rows = (await client.get("/ledgers")).json()["items"]
        assert rows == [{"id": 2, "key_id": "b-3"}]


async def test_a_hook_writing_an_sql_expression_gets_a_statement_of_its_own(
    legacy: GeneratedPackage, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A value no parameter can hold (`func.upper(...)`, a column) is written into the
    statement."""
    crud, schemas = legacy.module("crud.supplier"), legacy.module("schemas.supplier")

    async def shouting(_session: Any, values: dict[str, Any]) -> dict[str, Any]:
        return values | {"name": func.upper(values["name"])}

    async def shouting_update(_session: Any, _key: Any, values: dict[str, Any]) -> dict[str, Any]:
        return values | {"rating": crud.Supplier.id}  # a column, not a value

    monkeypatch.setattr(crud.resource.hooks, "before_create", shouting)
    monkeypatch.setattr(crud.resource.hooks, "before_update", shouting_update)
    created = await crud.create_supplier(session, data=schemas.SupplierCreate(name="acme"))
    assert created.name == "ACME"
    updated = await crud.update_supplier(
        session, id=created.id, data=schemas.SupplierUpdate(rating=1)
    )
    assert (updated.kind, updated.rating) == ("retail", created.id)


async def test_a_sessions_global_filter_applies_to_every_operation(
    legacy: GeneratedPackage, session: AsyncSession
) -> None:
    """A `do_orm_execute` listener adding `with_loader_criteria` (one tenant's rows, the
    documented recipe) changes ORM statements only: such a session gets them."""
    crud, schemas = legacy.module("crud.supplier"), legacy.module("schemas.supplier")
    supplier = crud.Supplier
    for name, rating in [("ours", 5), ("theirs", 1)]:
        data = schemas.SupplierCreate(name=name, rating=rating)
        await crud.create_supplier(session, data=data)
    session.expunge_all()

    def ours_only(state: ORMExecuteState) -> None:
        criteria = with_loader_criteria(supplier, supplier.rating > 2)
        state.statement = state.statement.options(criteria)

    event.listen(session.sync_session, "do_orm_execute", ours_only)
    query = schemas.SupplierListQuery(count=True)
    rows, total, _ = await crud.list_suppliers(session, query=query)
    assert [row["name"] for row in rows] == ["ours"] and total == 1
    missing = legacy.module("errors").NotFoundError
    with pytest.raises(missing):
        await crud.get_supplier(session, id=2)
    with pytest.raises(missing):
        await crud.update_supplier(session, id=2, data=schemas.SupplierUpdate(name="x"))
    with pytest.raises(missing):
        await crud.delete_supplier(session, id=2)
    assert (await crud.get_supplier(session, id=1)).name == "ours"


async def test_an_update_leaves_no_stale_related_row(
    legacy: GeneratedPackage, session: AsyncSession
) -> None:
    """The held row's loaded relationship is expired by the update, as populate_existing
    does: it no longer names the supplier the row stopped referring to."""
    crud, schemas = legacy.module("crud.product"), legacy.module("schemas.product")
    suppliers = legacy.module("crud.supplier")
    for name in ("acme", "bolt"):
        data = legacy.module("schemas.supplier").SupplierCreate(name=name)
        await suppliers.create_supplier(session, data=data)
    await crud.create_product(session, data=schemas.ProductCreate(supplier_id=1))
    loading = select(crud.Product).options(selectinload(crud.Product.supplier))
    product = (await session.scalars(loading)).one()
    assert product.supplier.name == "acme"
    await crud.update_product(session, id=product.id, data=schemas.ProductUpdate(supplier_id=2))
    assert product.supplier_id == 2 and "supplier" in inspect(product).unloaded


# -- bulk create: rows as mappings where no hook needs objects ------------------------------


async def test_a_bulk_create_answers_each_field_in_the_order_of_the_items(
    legacy: GeneratedPackage, app_client: Any
) -> None:
    """Items giving different fields go in one INSERT per run of alike items; the rows
    come back in the order of the items, each field under its own name."""
    items = [
        {"name": "acme", "rating": 3},
        {"name": "bolt", "kind": "trade"},
        {"name": "cogs", "kind": "trade"},
        {"name": "dyne"},
    ]
    async with app_client(legacy) as client:
        created = await client.post("/tblsuppliers/bulk", json=items)
        assert created.status_code == 201, created.text
        assert created.json() == [
            {"id": 1, "name": "acme", "kind": "retail", "rating": 3},
            {"id": 2, "name": "bolt", "kind": "trade", "rating": None},
            {"id": 3, "name": "cogs", "kind": "trade", "rating": None},
            {"id": 4, "name": "dyne", "kind": "retail", "rating": None},
        ]
        listed = await client.get("/tblsuppliers", params={"sort": "id"})
        assert listed.json()["items"] == created.json()


async def test_a_bulk_create_gives_mappings_unless_a_hook_needs_objects(
    legacy: GeneratedPackage, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    crud, schemas = legacy.module("crud.supplier"), legacy.module("schemas.supplier")
    items = [schemas.SupplierCreate(name=name) for name in ("acme", "bolt")]
    rows = await crud.bulk_create_suppliers(session, items=items)
    assert [dict(row) for row in rows] == [
        {"id": 1, "name": "acme", "kind": "retail", "rating": None},
        {"id": 2, "name": "bolt", "kind": "retail", "rating": None},
    ]
    assert not session.identity_map, "no object was loaded"

    seen: list[Any] = []

    async def recording(_session: Any, row: Any) -> None:
        seen.append(row)

    monkeypatch.setattr(crud.resource.hooks, "after_create", recording)
    items = [schemas.SupplierCreate(name=name) for name in ("cogs", "dyne")]
    rows = await crud.bulk_create_suppliers(session, items=items)
    assert all(isinstance(row, crud.Supplier) for row in rows)
    assert seen == rows and [row.id for row in rows] == [3, 4]


async def test_a_bulk_create_runs_a_before_create_hook_at_work_on_each_item(
    legacy: GeneratedPackage, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hook that changes the values is run on each item; one writing SQL sends the
    batch down the ORM's statements."""
    crud, schemas = legacy.module("crud.supplier"), legacy.module("schemas.supplier")

    async def titled(_session: Any, values: dict[str, Any]) -> dict[str, Any]:
        return values | {"name": values["name"].title()}

    async def shouting(_session: Any, values: dict[str, Any]) -> dict[str, Any]:
        return values | {"name": func.upper(values["name"])}

    monkeypatch.setattr(crud.resource.hooks, "before_create", titled)
    items = [schemas.SupplierCreate(name=name) for name in ("acme", "bolt")]
    rows = await crud.bulk_create_suppliers(session, items=items)
    assert [row["name"] for row in rows] == ["Acme", "Bolt"]  # mappings: no hook needs objects

    monkeypatch.setattr(crud.resource.hooks, "before_create", shouting)
    items = [schemas.SupplierCreate(name=name) for name in ("cogs", "dyne")]
    rows = await crud.bulk_create_suppliers(session, items=items)
    assert all(isinstance(row, crud.Supplier) for row in rows)  # a statement each
    assert [row.name for row in rows] == ["COGS", "DYNE"]
    stored = await session.scalars(select(crud.Supplier.name).order_by(crud.Supplier.id))
    assert list(stored) == ["Acme", "Bolt", "COGS", "DYNE"]


def test_a_hook_is_untouched_while_its_code_is_crudgens(legacy: GeneratedPackage) -> None:
    """Untouched hooks let a batch skip their calls; any code in them counts."""
    resource, hooks = legacy.module("resource"), legacy.module("hooks.supplier")
    assert resource.is_untouched(hooks.after_create, resource.doing_nothing)
    assert resource.is_untouched(hooks.before_create, resource.passing_values_on)

    async def documented(session: Any, row: Any) -> None:
        """Another docstring, and no code: still nothing done."""

    async def logging(session: Any, row: Any) -> None:
        print(row)

    async def returning(session: Any, row: Any) -> Any:
        return 1

    async def stamping(session: Any, values: dict[str, Any]) -> dict[str, Any]:
        return values | {"kind": "trade"}

    async def handing_back_the_session(session: Any, values: dict[str, Any]) -> Any:
        return session

    def plain(session: Any, row: Any) -> None:
        """Not a coroutine function."""

    assert resource.is_untouched(documented, resource.doing_nothing)
    for changed in (logging, returning, plain, print):
        assert not resource.is_untouched(changed, resource.doing_nothing), changed
    for changed in (stamping, handing_back_the_session):
        assert not resource.is_untouched(changed, resource.passing_values_on), changed
