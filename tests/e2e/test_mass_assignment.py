"""No mass assignment: a request body cannot set what the server owns.

Primary keys (a natural key is named once, on create), the version column, soft-delete
columns, server timestamps and fields the configuration marks read-only or excludes are not
part of any input schema, and input schemas forbid unknown fields: a body carrying one of
them is a 422 that names the field, on every write (POST, PATCH, PUT, bulk create and
update, upserts), and the row stays exactly as it was. (The version in a PATCH or PUT body is
the version the client read, a precondition: it is never written.)
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import Any

import pytest

from crudgen.config import ModelOptions
from tests.conftest import GeneratedPackage

MODELS = textwrap.dedent(
    """
    import datetime
    import uuid

    from sqlalchemy import DateTime, String, func
    from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


    class Base(DeclarativeBase):
        pass


    class Account(Base):
        __tablename__ = "accounts"
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str] = mapped_column(String(50))
        role: Mapped[str] = mapped_column(String(20), default="member")
        api_key: Mapped[str | None] = mapped_column(String(64))
        version: Mapped[int] = mapped_column(default=1)
        is_deleted: Mapped[bool] = mapped_column(default=False)
        deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True))
        created_at: Mapped[datetime.datetime] = mapped_column(
            DateTime(timezone=True), server_default=func.now()
        )
        updated_at: Mapped[datetime.datetime | None] = mapped_column(
            DateTime(timezone=True), onupdate=func.now()
        )


    class Token(Base):
        __tablename__ = "tokens"
        id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
        label: Mapped[str] = mapped_column(String(50))


    class Region(Base):
        __tablename__ = "regions"
        code: Mapped[str] = mapped_column(String(8), primary_key=True)
        name: Mapped[str] = mapped_column(String(50))
        created_at: Mapped[datetime.datetime] = mapped_column(
            DateTime(timezone=True), server_default=func.now()
        )
    """
)
OPTIONS = {"Account": ModelOptions(read_only=("role",), exclude_fields=("api_key",))}

# What each category would try to smuggle in, with a value that would be valid for the column.
ACCOUNT_FIELDS = {
    "id": 4242,  # autoincrement primary key
    "is_deleted": True,  # soft-delete flag
    "deleted_at": "2020-01-01T00:00:00Z",  # soft-delete timestamp
    "created_at": "2020-01-01T00:00:00Z",  # server_default timestamp
    "updated_at": "2020-01-01T00:00:00Z",  # onupdate timestamp
    "role": "admin",  # read_only in the configuration
    "api_key": "stolen",  # exclude_fields in the configuration
}


@pytest.fixture(scope="module", params=["functions", "inline"])
def package(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    generate_once: Callable[..., GeneratedPackage],
) -> GeneratedPackage:
    models = tmp_path_factory.mktemp("mass_assignment") / f"accounts_{request.param}.py"
    models.write_text(MODELS)
    return generate_once(models, models=OPTIONS, style=request.param)


async def assert_refused(
    client: Any, method: str, url: str, body: Any, field: str, *, at: tuple[Any, ...] = ()
) -> None:
    """A 422 naming the field (`at`: where the item sits in a bulk body)."""
    response = await client.request(method, url, json=body)
    assert response.status_code == 422, (method, url, field, response.text)
    problems = response.json()["detail"]
    expected = {"type": "extra_forbidden", "loc": ["body", *at, field]}
    assert expected.items() <= problems[0].items(), problems


def account_writes(url: str, key: int, version: int, extra: dict[str, Any]) -> list[Any]:
    """Every write endpoint of Account: (method, url, body, where the body's fields sit)."""
    item = {"name": "bob"} | extra
    return [
        ("POST", "/accounts", item, ()),
        ("PATCH", url, item | {"version": version}, ()),
        ("PUT", url, item | {"version": version}, ()),
        ("POST", "/accounts/bulk", [item], (0,)),
        ("PATCH", "/accounts", {"ids": [key], "values": item}, ("values",)),
    ]


@pytest.mark.parametrize("field", sorted(ACCOUNT_FIELDS))
async def test_server_owned_account_field_is_refused_on_every_write(
    field: str, package: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(package) as client:
        created = await client.post("/accounts", json={"name": "ann"})
        assert created.status_code == 201, created.text
        before = created.json()
        url = f"/accounts/{before['id']}"
        smuggled = {field: ACCOUNT_FIELDS[field]}
        for method, target, body, at in account_writes(url, before["id"], 1, smuggled):
            await assert_refused(client, method, target, body, field, at=at)

        assert (await client.get(url)).json() == before, "the row did not change"
        page = (await client.get("/accounts?include_deleted=true")).json()
        assert page["total"] == 1, "no row was created"
        # The same writes without the field go through: the field alone was the problem.
        for index in range(5):
            version = (await client.get(url)).json()["version"]
            method, target, body, _ = account_writes(url, before["id"], version, {})[index]
            response = await client.request(method, target, json=body)
            assert response.status_code in (200, 201), (method, target, response.text)
        final = (await client.get(url)).json()
        assert final["role"] == "member" and final["is_deleted"] is False
        assert final["deleted_at"] is None and final["created_at"] == before["created_at"]
        assert "api_key" not in final


async def test_version_in_a_body_is_a_precondition_never_a_value(
    package: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(package) as client:
        before = (await client.post("/accounts", json={"name": "ann"})).json()
        url = f"/accounts/{before['id']}"
        await assert_refused(client, "POST", "/accounts", {"name": "x", "version": 9}, "version")
        await assert_refused(
            client, "POST", "/accounts/bulk", [{"name": "x", "version": 9}], "version", at=(0,)
        )
        bulk = await client.patch(
            "/accounts", json={"ids": [before["id"]], "values": {"version": 9}}
        )
        assert bulk.status_code == 422, "a bulk update checks no version, so it takes none"
        for method in ("PATCH", "PUT"):
            stale = await client.request(method, url, json={"name": "eve", "version": 99})
            assert stale.status_code == 409 and stale.json()["current_version"] == 1
        assert (await client.get(url)).json() == before
        assert (await client.get("/accounts")).json()["total"] == 1
        moved = await client.patch(url, json={"name": "ann", "version": 1})
        assert moved.status_code == 200 and moved.json()["version"] == 2, "bumped, not assigned"


@pytest.mark.parametrize("method", ["POST", "PATCH", "PUT"])
async def test_generated_uuid_primary_key_is_refused(
    method: str, package: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(package) as client:
        before = (await client.post("/tokens", json={"label": "mine"})).json()
        url = "/tokens" if method == "POST" else f"/tokens/{before['id']}"
        other = "00000000-0000-4000-8000-000000000001"
        await assert_refused(client, method, url, {"label": "x", "id": other}, "id")
        assert (await client.get(f"/tokens/{before['id']}")).json() == before
        assert (await client.get(f"/tokens/{other}")).status_code == 404
        assert (await client.get("/tokens")).json()["total"] == 1


@pytest.mark.parametrize("method", ["PATCH", "PUT"])
async def test_natural_primary_key_is_named_on_create_only(
    method: str, package: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(package) as client:
        before = (await client.post("/regions", json={"code": "eu", "name": "Europe"})).json()
        body = {"name": "Elsewhere", "code": "us"}
        await assert_refused(client, method, "/regions/eu", body, "code")
        assert (await client.get("/regions/eu")).json() == before
        assert (await client.get("/regions/us")).status_code == 404


@pytest.mark.parametrize(
    ("url", "body", "at"),
    [
        ("/regions/upsert", {"code": "eu", "name": "Europa"}, ()),
        ("/regions/bulk/upsert", [{"code": "eu", "name": "Europa"}], (0,)),
    ],
)
async def test_upserts_refuse_server_owned_fields_too(
    url: str, body: Any, at: tuple[Any, ...], package: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(package) as client:
        before = (await client.post("/regions", json={"code": "eu", "name": "Europe"})).json()
        stamp = "2020-01-01T00:00:00Z"
        smuggled = [b | {"created_at": stamp} for b in body] if at else body | {"created_at": stamp}
        await assert_refused(client, "POST", url, smuggled, "created_at", at=at)
        assert (await client.get("/regions/eu")).json() == before
        updated = await client.post(url, json=body)
        assert updated.status_code in (200, 201), updated.text
        after = (await client.get("/regions/eu")).json()
        assert after["name"] == "Europa" and after["created_at"] == before["created_at"]


async def test_input_schemas_leave_server_owned_fields_out(
    package: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(package) as client:
        schemas = (await client.get("/openapi.json")).json()["components"]["schemas"]
    for schema in (
        "AccountCreate",
        "AccountUpdate",
        "AccountReplace",
        "TokenCreate",
        "RegionCreate",
    ):
        accepted = set(schemas[schema]["properties"])
        owned = {
            "Account": set(ACCOUNT_FIELDS),
            "Token": {"id"},
            "Region": {"created_at"},
        }[schema.removesuffix("Create").removesuffix("Update").removesuffix("Replace")]
        assert accepted and not accepted & owned, (schema, accepted & owned)
        assert schemas[schema]["additionalProperties"] is False
    assert "version" not in schemas["AccountCreate"]["properties"]
    assert "api_key" not in schemas["AccountRead"]["properties"], "excluded: never returned"
    assert "role" in schemas["AccountRead"]["properties"], "read-only: still returned"
