"""Keys the database compares its own way (issue 17, item 6).

MariaDB's default collation, and a nondeterministic collation on PostgreSQL, hold `Ann`,
`ann` and `Ånn` to be the same handle. Whatever the database calls equal, the generated
code must too: an upsert by `ANN` updates ann's row (answered in request order), and a batch
that names one handle twice, in any spelling, is a 422 naming both items, with nothing
written. Never a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import GeneratedPackage, url_of

MODELS = Path(__file__).resolve().parent / "models" / "collation_models.py"


@pytest.fixture(params=["postgres", "mysql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return url_of(request.param, tmp_path)


@pytest.fixture(scope="module")
def package(generate_once: Callable[..., GeneratedPackage]) -> GeneratedPackage:
    return generate_once(MODELS)


async def handles(client: Any) -> list[tuple[str, int]]:
    listing = await client.get("/members", params={"sort": "id"})
    assert listing.status_code == 200, listing.text
    return [(m["handle"], m["score"]) for m in listing.json()["items"]]


async def test_upserts_find_the_row_the_database_calls_equal(
    package: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(package) as client:
        created = await client.post("/members/bulk", json=[{"handle": "ann"}, {"handle": "bob"}])
        assert created.status_code == 201, created.text

        single = await client.post("/members/upsert", json={"handle": "ANN", "score": 1})
        assert single.status_code == 200, single.text
        assert single.json()["id"] == created.json()[0]["id"]

        batch = [{"handle": "cy", "score": 5}, {"handle": "Bob", "score": 7}, {"handle": "ÅNN"}]
        upserted = await client.post("/members/bulk/upsert", json=batch)
        assert upserted.status_code == 200, upserted.text
        body = upserted.json()
        assert [m["score"] for m in body] == [5, 7, 1], "answered in the order of the items"
        assert [m["id"] for m in body[1:]] == [created.json()[1]["id"], created.json()[0]["id"]]
        assert await handles(client) == [("ann", 1), ("bob", 7), ("cy", 5)], "spellings kept"


async def test_a_batch_naming_one_key_twice_in_two_spellings_is_a_422(
    package: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(package) as client:
        await client.post("/members", json={"handle": "dee"})
        for batch in (
            [{"handle": "eve"}, {"handle": "x"}, {"handle": "EVE"}],
            [{"handle": "Dee", "score": 1}, {"handle": "dée", "score": 2}],
        ):
            response = await client.post("/members/bulk/upsert", json=batch)
            assert response.status_code == 422, response.text
            body = response.json()
            assert body["index"] == len(batch) - 1, body
            assert f"same row as item {0}" in body["detail"], body
            assert await handles(client) == [("dee", 0)], "nothing written"


async def test_bulk_create_of_two_spellings_is_a_conflict_naming_the_item(
    package: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(package) as client:
        response = await client.post("/members/bulk", json=[{"handle": "fay"}, {"handle": "FAY"}])
        assert response.status_code in (409, 422), response.text
        assert response.json().get("index") == 1, response.text
        assert await handles(client) == []


async def test_bulk_writes_by_key_reach_the_rows_the_database_calls_equal(
    package: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(package) as client:
        created = await client.post("/badges/bulk", json=[{"code": "abc"}, {"code": "xyz"}])
        assert created.status_code == 201, created.text

        patched = await client.patch(
            "/badges", json={"ids": ["XYZ", "ABC"], "values": {"label": "shiny"}}
        )
        assert patched.status_code == 200, patched.text
        assert [(b["code"], b["label"]) for b in patched.json()] == [
            ("xyz", "shiny"),
            ("abc", "shiny"),
        ], "in the order of ids"

        body = {"ids": ["ABC", "nope"], "values": {"label": "x"}}
        missing = await client.patch("/badges", json=body)
        assert missing.status_code == 404 and "nope" in missing.text, missing.text

        body = {"ids": ["abc", "ÂBC"], "values": {"label": "x"}}
        twice = await client.patch("/badges", json=body)
        assert twice.status_code == 422 and twice.json()["index"] == 1, twice.text

        deleted = await client.request("DELETE", "/badges", json={"ids": ["abc", "ABC"]})
        assert deleted.status_code == 422 and deleted.json()["index"] == 1, deleted.text
        deleted = await client.request("DELETE", "/badges", json={"ids": ["ABC"]})
        assert deleted.status_code == 204, deleted.text
        listing = await client.get("/badges")
        assert [b["code"] for b in listing.json()["items"]] == ["xyz"]
