"""Bulk create, update and delete, and upserts (single and bulk), over HTTP.

Every batch is all or nothing: a failing item rolls the whole batch back and the error
names its index. Bulk create and bulk upsert are one multi-row INSERT each.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from crudgen.config import Config, ModelOptions
from crudgen.errors import ConfigError
from crudgen.resolve import resolve
from crudgen.sources.sqlalchemy import load_project
from tests.conftest import GeneratedPackage, url_of

MODELS_PATH = Path(__file__).resolve().parent / "models" / "bulk_models.py"
MODELS = MODELS_PATH.read_text()
MAX_BATCH = 5


@pytest.fixture(params=["sqlite", "postgres", "mysql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """MariaDB too: it has no UPDATE ... RETURNING, so updates take the fallback path."""
    return url_of(request.param, tmp_path)


@pytest.fixture(scope="module", params=["functions", "inline"])
def code_style(request: pytest.FixtureRequest) -> str:
    """The behaviour must not depend on the code style: every test here runs on both."""
    return str(request.param)


@pytest.fixture(scope="module")
def bulk_package(
    tmp_path_factory: pytest.TempPathFactory,
    generate_once: Callable[..., GeneratedPackage],
    code_style: str,
) -> GeneratedPackage:
    return generate_once(MODELS_PATH, max_batch_size=MAX_BATCH, style=code_style)


def inserts(statements: list[str]) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith("INSERT")]


async def names(client: httpx.AsyncClient, collection: str, **params: Any) -> list[Any]:
    listing = await client.get(f"/{collection}", params={"sort": "id", **params})
    assert listing.status_code == 200, listing.text
    return [item.get("handle", item.get("name")) for item in listing.json()["items"]]


# -- bulk create ----------------------------------------------------------------------------


async def test_bulk_create_is_one_insert_returning_rows_in_order(
    bulk_package: GeneratedPackage,
    app_client: Any,
    executed_sql: list[str],
    database_url: str,
) -> None:
    async with app_client(bulk_package) as client:
        executed_sql.clear()
        items = [{"name": name} for name in ("zebra", "apple", "mango", "kiwi")]
        created = await client.post("/teams/bulk", json=items)
        assert created.status_code == 201, created.text
        assert [team["name"] for team in created.json()] == [
            "zebra",
            "apple",
            "mango",
            "kiwi",
        ]
        if not database_url.startswith("sqlite"):
            # SQLite cannot tie RETURNING rows to an autoincrement key's inputs, so SQLAlchemy
            # inserts row by row there: in-process calls, not network round trips.
            assert len(inserts(executed_sql)) == 1, executed_sql
        ids = [team["id"] for team in created.json()]
        assert ids == sorted(ids) and len(set(ids)) == 4
        assert await names(client, "teams") == ["zebra", "apple", "mango", "kiwi"]


async def test_bulk_create_rolls_back_everything_and_names_the_item(
    bulk_package: GeneratedPackage, app_client: Any, database_url: str
) -> None:
    async with app_client(bulk_package) as client:
        team = (await client.post("/teams", json={"name": "reds"})).json()
        duplicate = [{"handle": "ann"}, {"handle": "bob"}, {"handle": "ann"}]
        response = await client.post("/players/bulk", json=duplicate)
        assert response.status_code == 409, response.text
        assert response.json()["index"] == 2 and response.json()["field"] == "handle"
        assert response.json()["detail"].startswith("Item 2 of the batch")
        assert await names(client, "players") == [], "nothing of the batch stays"

        dangling = [
            {"handle": "ann", "team_id": team["id"]},
            {"handle": "cy", "team_id": 999},
        ]
        response = await client.post("/players/bulk", json=dangling)
        assert response.status_code == 422, response.text
        assert response.json()["index"] == 1
        if database_url.startswith("postgresql"):  # SQLite and MariaDB do not name it
            assert response.json()["field"] == "team_id"
        assert await names(client, "players") == []

        await client.post("/players", json={"handle": "dee"})
        clash = [{"handle": "eve"}, {"handle": "dee"}]
        response = await client.post("/players/bulk", json=clash)
        assert response.status_code == 409 and response.json()["index"] == 1
        assert await names(client, "players") == ["dee"]


async def test_a_bulk_create_in_several_inserts_is_still_all_or_nothing(
    bulk_package: GeneratedPackage, app_client: Any
) -> None:
    """Items giving different fields go in one INSERT per run of alike items: a later
    run failing undoes the earlier ones (the batch keeps its transaction)."""
    async with app_client(bulk_package) as client:
        batch = [{"handle": "ann", "score": 3}, {"handle": "bob"}, {"handle": "ann"}]
        response = await client.post("/players/bulk", json=batch)
        assert response.status_code == 409, response.text
        assert response.json()["index"] == 2
        assert await names(client, "players") == [], "nothing of the batch stays"
        created = await client.post("/players/bulk", json=batch[:2])
        assert created.status_code == 201, created.text
        assert [(row["handle"], row["score"]) for row in created.json()] == [
            ("ann", 3),
            ("bob", 0),
        ]


async def test_bulk_requests_are_bounded_and_validated_per_item(
    bulk_package: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(bulk_package) as client:
        assert (await client.post("/teams/bulk", json=[])).status_code == 422
        too_many = [{"name": f"t{i}"} for i in range(MAX_BATCH + 1)]
        assert (await client.post("/teams/bulk", json=too_many)).status_code == 422
        bad_item = [{"handle": "ok"}, {"handle": "x" * 31}]
        response = await client.post("/players/bulk", json=bad_item)
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", 1, "handle"]
        with_id = [{"handle": "ok", "id": 5}]
        assert (await client.post("/players/bulk", json=with_id)).status_code == 422
        too_many_ids = {"ids": list(range(1, MAX_BATCH + 2)), "values": {"score": 1}}
        assert (await client.patch("/players", json=too_many_ids)).status_code == 422
        assert await names(client, "players") == []


# -- bulk update ----------------------------------------------------------------------------


async def test_bulk_update_writes_every_named_row_or_none(
    bulk_package: GeneratedPackage, app_client: Any, executed_sql: list[str], database_url: str
) -> None:
    async with app_client(bulk_package) as client:
        created = await client.post(
            "/players/bulk", json=[{"handle": h} for h in ("ann", "bob", "cy")]
        )
        ann, bob, cy = (player["id"] for player in created.json())

        executed_sql.clear()
        body = {"ids": [cy, ann], "values": {"score": 10}}
        updated = await client.patch("/players", json=body)
        assert updated.status_code == 200, updated.text
        assert [p["handle"] for p in updated.json()] == [
            "cy",
            "ann",
        ], "in the order of ids"
        assert all(p["score"] == 10 and p["version"] == 2 for p in updated.json())
        assert [s for s in executed_sql if s.lstrip().upper().startswith("UPDATE")] != []
        if database_url.startswith("mysql"):  # no UPDATE ... RETURNING: the rows re-read
            assert len(executed_sql) == 2 and executed_sql[1].lstrip().startswith("SELECT")
        else:
            assert len(executed_sql) == 1, "one UPDATE ... RETURNING"
        bob_now = (await client.get(f"/players/{bob}")).json()
        assert bob_now["score"] == 0 and bob_now["version"] == 1

        missing = await client.patch("/players", json={"ids": [ann, 999], "values": {"score": 1}})
        assert missing.status_code == 404 and "999" in missing.json()["detail"]
        assert (await client.get(f"/players/{ann}")).json()["score"] == 10, "rolled back"

        clash = await client.patch("/players", json={"ids": [ann, bob], "values": {"handle": "x"}})
        assert clash.status_code == 409, clash.text
        assert clash.json()["index"] == 1 and clash.json()["field"] == "handle"
        assert await names(client, "players") == ["ann", "bob", "cy"]

        nothing = await client.patch("/players", json={"ids": [ann], "values": {}})
        assert nothing.status_code == 422
        versioned = {"ids": [ann], "values": {"score": 1, "version": 2}}
        assert (await client.patch("/players", json=versioned)).status_code == 422

        await client.delete(f"/players/{cy}", headers={"If-Match": '"2"'})
        deleted = await client.patch("/players", json={"ids": [cy], "values": {"score": 5}})
        assert deleted.status_code == 404, "a soft-deleted row is not there to update"


# -- bulk delete ----------------------------------------------------------------------------


async def test_bulk_delete_soft_deletes_hard_deletes_or_refuses(
    bulk_package: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(bulk_package) as client:
        created = await client.post(
            "/players/bulk", json=[{"handle": h} for h in ("ann", "bob", "cy")]
        )
        ann, bob, cy = (player["id"] for player in created.json())

        missing = await client.request("DELETE", "/players", json={"ids": [ann, 999]})
        assert missing.status_code == 404 and "999" in missing.json()["detail"]
        assert await names(client, "players") == ["ann", "bob", "cy"]

        gone = await client.request("DELETE", "/players", json={"ids": [ann, bob, ann]})
        assert gone.status_code == 204, gone.text
        assert await names(client, "players") == ["cy"]
        assert await names(client, "players", include_deleted="true") == [
            "ann",
            "bob",
            "cy",
        ]
        again = await client.request("DELETE", "/players", json={"ids": [ann]})
        assert again.status_code == 404, "already deleted"

        hard = await client.request(
            "DELETE", "/players", params={"hard": "true"}, json={"ids": [ann, cy]}
        )
        assert hard.status_code == 204
        assert await names(client, "players", include_deleted="true") == ["bob"]


async def test_bulk_delete_of_referenced_rows_is_409_naming_the_item(
    bulk_package: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(bulk_package) as client:
        teams = (await client.post("/teams/bulk", json=[{"name": "a"}, {"name": "b"}])).json()
        await client.post("/players", json={"handle": "ann", "team_id": teams[1]["id"]})
        ids = [team["id"] for team in teams]
        refused = await client.request("DELETE", "/teams", json={"ids": ids})
        assert refused.status_code == 409, refused.text
        assert refused.json()["index"] == 1
        assert await names(client, "teams") == ["a", "b"]


async def test_bulk_writes_by_composite_key(
    bulk_package: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(bulk_package) as client:
        seats = [{"aisle": "A", "number": n} for n in (1, 2, 3)]
        assert (await client.post("/seats/bulk", json=seats)).status_code == 201
        keys = [{"aisle": "A", "number": 3}, {"aisle": "A", "number": 1}]
        updated = await client.patch("/seats", json={"ids": keys, "values": {"holder": "kim"}})
        assert updated.status_code == 200, updated.text
        assert [(s["number"], s["holder"]) for s in updated.json()] == [
            (3, "kim"),
            (1, "kim"),
        ]
        assert (await client.get("/seats/A/2")).json()["holder"] is None

        missing = await client.request(
            "DELETE", "/seats", json={"ids": [*keys, {"aisle": "B", "number": 1}]}
        )
        assert missing.status_code == 404 and "'B', 1" in missing.json()["detail"]
        deleted = await client.request("DELETE", "/seats", json={"ids": keys})
        assert deleted.status_code == 204
        listing = (await client.get("/seats")).json()
        assert [(s["aisle"], s["number"]) for s in listing["items"]] == [("A", 2)]


# -- upsert ---------------------------------------------------------------------------------


async def test_upsert_creates_then_updates_on_the_unique_key(
    bulk_package: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(bulk_package) as client:
        team = (await client.post("/teams", json={"name": "reds"})).json()
        created = await client.post(
            "/players/upsert", json={"handle": "ann", "score": 3, "team_id": team["id"]}
        )
        assert created.status_code == 200, created.text
        assert created.json()["version"] == 1 and created.headers["etag"] == '"1"'

        updated = await client.post("/players/upsert", json={"handle": "ann", "score": 7})
        assert updated.status_code == 200, updated.text
        body = updated.json()
        assert body["id"] == created.json()["id"] and body["score"] == 7
        assert body["team_id"] == team["id"], "a field left out keeps its stored value"
        assert body["version"] == 2, "an upsert that updates moves the version on"
        assert await names(client, "players") == ["ann"]

        await client.delete(f"/players/{body['id']}", headers={"If-Match": '"2"'})
        revived = await client.post("/players/upsert", json={"handle": "ann"})
        assert revived.status_code == 200 and revived.json()["is_deleted"] is False
        assert await names(client, "players") == ["ann"]

        dangling = await client.post("/players/upsert", json={"handle": "bob", "team_id": 999})
        assert dangling.status_code == 422, dangling.text
        same = await client.post("/teams/upsert", json={"name": "reds"})
        assert same.status_code == 200 and same.json()["id"] == team["id"]


async def test_bulk_upsert_mixes_new_and_existing_rows_in_request_order(
    bulk_package: GeneratedPackage, app_client: Any, executed_sql: list[str]
) -> None:
    async with app_client(bulk_package) as client:
        await client.post("/players/bulk", json=[{"handle": "bob", "score": 1}, {"handle": "ann"}])
        executed_sql.clear()
        batch = [
            {"handle": "cy", "score": 5},
            {"handle": "bob", "score": 9},
            {"handle": "dee", "score": 2},
        ]
        response = await client.post("/players/bulk/upsert", json=batch)
        assert response.status_code == 200, response.text
        result = [(p["handle"], p["score"], p["version"]) for p in response.json()]
        assert result == [("cy", 5, 1), ("bob", 9, 2), ("dee", 2, 1)]
        assert len(inserts(executed_sql)) == 1, executed_sql
        assert await names(client, "players") == ["bob", "ann", "cy", "dee"]

        repeated = [{"handle": "eve"}, {"handle": "eve"}]
        response = await client.post("/players/bulk/upsert", json=repeated)
        assert response.status_code == 422 and "item 1" in response.text

        dangling = [{"handle": "fay"}, {"handle": "gus", "team_id": 999}]
        response = await client.post("/players/bulk/upsert", json=dangling)
        assert response.status_code == 422 and response.json()["index"] == 1
        assert await names(client, "players") == ["bob", "ann", "cy", "dee"]


async def test_upsert_on_a_composite_natural_key(
    bulk_package: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(bulk_package) as client:
        await client.post("/seats", json={"aisle": "A", "number": 1, "holder": "kim"})
        batch = [
            {"aisle": "A", "number": 2, "holder": "lee"},
            {"aisle": "A", "number": 1, "holder": "max"},
        ]
        response = await client.post("/seats/bulk/upsert", json=batch)
        assert response.status_code == 200, response.text
        assert [(s["number"], s["holder"]) for s in response.json()] == [
            (2, "lee"),
            (1, "max"),
        ]
        single = await client.post("/seats/upsert", json={"aisle": "A", "number": 2})
        assert single.status_code == 200 and single.json()["holder"] == "lee"


def test_upsert_key_is_configurable_and_checked(tmp_path: Path) -> None:
    def keys(options: ModelOptions) -> dict[str, tuple[str, ...]]:
        config = Config(sources=(str(MODELS_PATH),), out_dir=tmp_path, models={"Player": options})
        resolved = resolve(load_project(config.sources).project, config)
        if resolved.problems:
            raise ConfigError("; ".join(problem.message for problem in resolved.problems))
        return {m.name: m.upsert_key for m in resolved.project.models}

    assert keys(ModelOptions()) == {
        "Team": ("name",),
        "Player": ("handle",),
        "Seat": ("aisle", "number"),
    }
    assert keys(ModelOptions(upsert_key=()))["Player"] == (), "upsert_key = [] turns upserts off"
    for wrong, problem in (
        (("score",), "neither primary key nor unique"),
        (("id",), "must be a required input"),
    ):
        with pytest.raises(ConfigError, match=problem):
            keys(ModelOptions(upsert_key=wrong))
