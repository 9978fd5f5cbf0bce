"""Model shapes real projects use (tests/models/real_shapes/), generated and driven over HTTP.

Each shape's values either round-trip or get a 422: never a 500, never a changed value.
PostgreSQL-only and MySQL-only types run on their database alone.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import GeneratedPackage

SHAPES = Path(__file__).resolve().parent.parent / "models" / "real_shapes"


@pytest.fixture(scope="module")
def shape(generate_once: Callable[..., GeneratedPackage]) -> Callable[[str], GeneratedPackage]:
    """shape(module) -> the package generated from tests/models/real_shapes/<module>.py."""
    packages: dict[str, GeneratedPackage] = {}

    def get(module: str) -> GeneratedPackage:
        if module not in packages:
            packages[module] = generate_once(SHAPES / f"{module}.py")
        return packages[module]

    return get


async def test_type_decorators_round_trip_what_they_hold(
    shape: Callable[[str], GeneratedPackage], app_client: Any
) -> None:
    package = shape("type_decorators")
    async with app_client(package) as client:
        first = await client.post("/accounts", json={"name": "ann", "tags": ["a", "b c"]})
        assert first.status_code == 201, first.text
        account = first.json()
        assert uuid.UUID(account["id"]) and account["tags"] == ["a", "b c"]
        referred = await client.post(
            "/accounts", json={"name": "bob", "referrer_id": account["id"]}
        )
        assert referred.status_code == 201, referred.text
        assert referred.json()["tags"] == [] and referred.json()["referrer_id"] == account["id"]
        # The key travels as a UUID in paths and filters, whatever the column stores.
        fetched = await client.get(f"/accounts/{account['id']}")
        assert fetched.status_code == 200 and fetched.json() == account
        assert (await client.get("/accounts/not-a-uuid")).status_code == 422
        by_referrer = await client.get("/accounts", params={"referrer_id": account["id"]})
        assert [row["name"] for row in by_referrer.json()["items"]] == ["bob"]
        changed = await client.patch(f"/accounts/{account['id']}", json={"tags": ["z"]})
        assert changed.status_code == 200 and changed.json()["tags"] == ["z"]
        for bad in ({"name": "x", "tags": "a,b"}, {"name": "x", "referrer_id": "nope"}):
            assert (await client.post("/accounts", json=bad)).status_code == 422, bad

        serial = str(uuid.uuid4())
        device = await client.post("/devices", json={"serial": serial, "labels": ["x"]})
        assert device.status_code == 201, device.text
        assert device.json() == {"id": 1, "serial": serial, "labels": ["x"]}
        cleared = await client.patch("/devices/1", json={"labels": None})
        assert cleared.status_code == 200 and cleared.json()["labels"] is None
        duplicate = await client.post("/devices", json={"serial": serial.upper()})
        assert duplicate.status_code == 409, "the same UUID, however it is written"


SERVER = {
    "name": "edge one",
    "address": "192.168.0.10/24",
    "network": "10.0.0.0/8",
    "mac": "08:00:2b:01:02:03",
    "ports": [80, 443],
    "aliases": ["edge", "e1"],
    "settings": {"tls": {"versions": [1.2, 1.3]}, "debug": False},
    "labels": {"rack": "r7", "spare": None},
    "tier": "pro",
    "uptime": "P3DT4H",
}


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_postgres_types_round_trip(
    shape: Callable[[str], GeneratedPackage], app_client: Any
) -> None:
    package = shape("postgres_types")
    async with app_client(package) as client:
        created = await client.post("/servers", json=SERVER | {"monthly_cost": "1234.5"})
        assert created.status_code == 201, created.text
        server = created.json()
        assert {k: server[k] for k in SERVER} == SERVER
        assert server["monthly_cost"] == "$1,234.50"  # PostgreSQL's own text for money
        assert server["search"] == "'edg':1 'one':2", "computed by the database"
        second = await client.post(
            "/servers", json={"name": "two", "address": "2001:db8::1", "ports": []}
        )
        assert second.status_code == 201, second.text
        assert second.json()["labels"] is None and second.json()["tier"] == "free"

        ordered = await client.get("/servers", params={"sort": "address"})
        assert [row["name"] for row in ordered.json()["items"]] == ["edge one", "two"]
        no_mac = await client.get("/servers", params={"mac__is_null": "true"})
        assert [row["name"] for row in no_mac.json()["items"]] == ["two"]
        patched = await client.patch(
            f"/servers/{server['id']}", json={"ports": [22], "labels": {}, "mac": "0800.2b01.0204"}
        )
        assert patched.status_code == 200, patched.text
        assert (patched.json()["ports"], patched.json()["labels"]) == ([22], {})
        assert patched.json()["mac"] == "08:00:2b:01:02:04"

        for field, value in [
            ("address", "10.0.0.300"),
            ("network", "10.0.0.1/8"),  # host bits set: an address, not a network
            ("mac", "08:00:2b"),
            ("ports", [2**31]),
            ("ports", ["http"]),
            ("labels", {"rack": 7}),
            ("monthly_cost", "lots"),
            ("search", "'a':1"),  # the database's: never accepted
        ]:
            refused = await client.post(
                "/servers", json={"name": "x", "address": "::1", field: value}
            )
            assert refused.status_code == 422, (field, value, refused.text)


@pytest.mark.parametrize("database_url", ["mysql"], indirect=True)
async def test_mysql_types_round_trip(
    shape: Callable[[str], GeneratedPackage], app_client: Any
) -> None:
    package = shape("mysql_types")
    async with app_client(package) as client:
        created = await client.post(
            "/albums",
            json={"title": "Blue", "rating": 9, "released": 1971, "formats": ["vinyl", "cd"]},
        )
        assert created.status_code == 201, created.text
        album = created.json()
        assert (album["rating"], album["released"]) == (9, 1971)
        assert sorted(album["formats"]) == ["cd", "vinyl"]
        plain = await client.post("/albums", json={"title": "Demo"})
        assert plain.status_code == 201 and plain.json()["formats"] == []
        seventies = await client.get("/albums", params={"released__lte": 1979})
        assert [row["title"] for row in seventies.json()["items"]] == ["Blue"]
        emptied = await client.patch(f"/albums/{album['id']}", json={"formats": []})
        assert emptied.status_code == 200 and emptied.json()["formats"] == []
        for field, value in [("formats", ["mp3"]), ("formats", "cd"), ("rating", 300)]:
            refused = await client.post("/albums", json={"title": "x", field: value})
            assert refused.status_code == 422, (field, value, refused.text)


async def test_mutable_json_takes_only_its_container(
    shape: Callable[[str], GeneratedPackage], app_client: Any
) -> None:
    package = shape("mutable_json")
    async with app_client(package) as client:
        for bad in (
            {"handle": "a", "preferences": [1, 2]},
            {"handle": "a", "preferences": "dark"},
            {"handle": "a", "history": {"page": 1}},
        ):
            assert (await client.post("/profiles", json=bad)).status_code == 422, bad
        created = await client.post(
            "/profiles", json={"handle": "a", "preferences": {"theme": "dark"}, "history": [1, "x"]}
        )
        assert created.status_code == 201, created.text
        assert created.json()["preferences"] == {"theme": "dark"}
        assert created.json()["history"] == [1, "x"]
        defaulted = await client.post("/profiles", json={"handle": "b"})
        assert defaulted.status_code == 201 and defaulted.json()["preferences"] == {}
        replaced = await client.patch("/profiles/1", json={"preferences": {"n": [1.5]}})
        assert replaced.status_code == 200 and replaced.json()["preferences"] == {"n": [1.5]}
        assert (await client.patch("/profiles/1", json={"preferences": [1]})).status_code == 422


async def test_sqlmodel_tables_keep_their_pydantic_constraints(
    shape: Callable[[str], GeneratedPackage], app_client: Any
) -> None:
    package = shape("sqlmodel_tables")
    async with app_client(package) as client:
        team = await client.post("/teams", json={"name": "avengers"})
        assert team.status_code == 201, team.text
        hero = {"name": "Thor", "secret_name": "Odinson", "team_id": team.json()["id"]}
        created = await client.post("/heroes", json=hero | {"age": 40, "fee": "12.50"})
        assert created.status_code == 201, created.text
        # secret_name is written but never returned: its name says it holds a secret.
        assert created.json() | {"id": 0} == {
            "name": "Thor", "team_id": team.json()["id"], "id": 0, "age": 40, "power": 1.0,
            "fee": "12.50",
        }  # fmt: skip
        for field, value in [
            ("name", "T"),  # min_length=2
            ("name", "T" * 41),  # max_length=40
            ("secret_name", "odinson"),  # pattern
            ("age", -1),  # ge=0
            ("age", 151),  # le=150
            ("power", 0),  # gt=0
            ("power", 100),  # lt=100
            ("fee", "-0.01"),  # ge=0
            ("fee", "1.005"),  # decimal_places=2
        ]:
            refused = await client.post("/heroes", json=hero | {field: value})
            assert refused.status_code == 422, (field, value, refused.text)
            patched = await client.patch(f"/heroes/{created.json()['id']}", json={field: value})
            assert patched.status_code == 422, (field, value, patched.text)


async def test_a_key_column_named_version_is_a_key_not_a_lock(
    shape: Callable[[str], GeneratedPackage], app_client: Any
) -> None:
    """Revisions kept side by side: (document_id, version) names a row. It used to turn
    optimistic locking on, and the router then took `version` twice (a SyntaxError)."""
    package = shape("composite_version")
    async with app_client(package) as client:
        for version in (1, 2):
            revision = {"document_id": 7, "version": version, "title": f"v{version}", "body": "b"}
            created = await client.post("/document-revisions", json=revision)
            assert created.status_code == 201, created.text
            assert "etag" not in created.headers
        changed = await client.patch("/document-revisions/7/1", json={"title": "first"})
        assert changed.status_code == 200, "no If-Match needed: nothing is versioned"
        assert changed.json() == {"document_id": 7, "version": 1, "title": "first", "body": "b"}
        second = await client.get("/document-revisions", params={"version": 2})
        assert [row["title"] for row in second.json()["items"]] == ["v2"]
        assert (await client.delete("/document-revisions/7/1")).status_code == 204
        assert (await client.get("/document-revisions/7/1")).status_code == 404
        assert (await client.get("/document-revisions/7/2")).status_code == 200


async def test_natural_string_keys_name_rows_in_every_route(
    shape: Callable[[str], GeneratedPackage], app_client: Any
) -> None:
    package = shape("natural_keys")
    async with app_client(package) as client:
        assert (
            await client.post("/currencies", json={"code": "EUR", "name": "Euro"})
        ).status_code == 201
        france = {"iso_code": "FR", "name": "France", "currency_code": "EUR"}
        assert (await client.post("/countries", json=france)).status_code == 201
        assert (await client.post("/countries", json=france)).status_code == 409
        assert (await client.get("/countries/FR")).json() == france
        assert (
            await client.post("/countries", json=france | {"iso_code": "FRA"})
        ).status_code == 422
        missing = france | {"iso_code": "DE", "name": "Germany", "currency_code": "XXX"}
        assert (await client.post("/countries", json=missing)).status_code == 422
        renamed = await client.patch("/countries/FR", json={"name": "République française"})
        assert renamed.status_code == 200 and renamed.json()["name"] == "République française"
        upserted = await client.post("/countries/upsert", json=france)
        assert upserted.status_code == 200 and upserted.json() == france
        page = await client.get("/countries", params={"limit": 1})
        following = await client.get("/countries", params={"cursor": page.json()["next_cursor"]})
        assert following.status_code == 200 and following.json()["items"] == []
        assert (await client.delete("/currencies/EUR")).status_code == 409, "still referred to"
        bulk_delete = await client.request("DELETE", "/countries", json={"ids": ["FR"]})
        assert bulk_delete.status_code == 204
        assert (await client.delete("/currencies/EUR")).status_code == 204


async def test_classic_as_declarative_base(
    shape: Callable[[str], GeneratedPackage], app_client: Any
) -> None:
    package = shape("as_declarative_base")
    # its `recipe` table is served as a collection, plural
    async with app_client(package) as client:
        created = await client.post("/recipes", json={"title": "soup"})
        assert created.status_code == 201, created.text
        assert created.json() == {"id": 1, "title": "soup", "description": None}
        assert (await client.post("/recipes", json={"description": "no title"})).status_code == 422
        found = await client.get("/recipes", params={"title__contains": "OU"})
        assert [row["id"] for row in found.json()["items"]] == [1]
        assert (await client.delete("/recipes/1")).status_code == 204


@pytest.mark.parametrize("database_url", ["sqlite", "postgres", "mysql"], indirect=True)
async def test_long_model_table_and_column_names(
    shape: Callable[[str], GeneratedPackage], app_client: Any
) -> None:
    package = shape("long_names")
    prefix = "/customer-subscription-billing-agreement-amendments"
    body = {
        "amendment_reference_identifier_supplied_by_partner": "P-1",
        "effective_from_date_in_customer_local_timezone": "2024-02-29",
    }
    async with app_client(package) as client:
        first = await client.post(prefix, json=body)
        assert first.status_code == 201, first.text
        second = await client.post(
            prefix, json=body | {"previous_amendment_in_the_same_agreement_id": first.json()["id"]}
        )
        assert second.status_code == 201, second.text
        linked = await client.get(
            prefix, params={"previous_amendment_in_the_same_agreement_id__is_null": "false"}
        )
        assert [row["id"] for row in linked.json()["items"]] == [second.json()["id"]]
