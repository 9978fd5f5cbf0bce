"""Concurrent requests on PostgreSQL: no lost update, no partial batch.

The requests run at once through the ASGI app, each on its own pooled connection, so the
database decides the races: one conditional UPDATE wins, the others find a stale version.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.conftest import GeneratedPackage
from tests.e2e.conftest import BLOG_MODELS, BLOG_ROOT
from tests.e2e.test_bulk_and_upsert import MODELS_PATH
from tests.e2e.test_relationships import POST_OPTIONS

WRITERS = 20
only_postgres = pytest.mark.parametrize("database_url", ["postgres"], indirect=True)


@pytest.fixture(scope="module")
def players(generate_once: Callable[..., GeneratedPackage]) -> GeneratedPackage:
    return generate_once(MODELS_PATH)


@pytest.fixture(scope="module")
def nested_blog(generate_once: Callable[..., GeneratedPackage]) -> Iterator[GeneratedPackage]:
    sys.path.insert(0, str(BLOG_ROOT))
    try:
        yield generate_once(BLOG_MODELS, models={"Post": POST_OPTIONS})
    finally:
        sys.path.remove(str(BLOG_ROOT))


@only_postgres
async def test_concurrent_patches_with_one_version_have_exactly_one_winner(
    players: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(players) as client:
        created = await client.post("/players", json={"handle": "ann"})
        player = f"/players/{created.json()['id']}"

        async def patch(writer: int) -> Any:
            return await client.patch(player, json={"score": writer, "version": 1})

        responses = await asyncio.gather(*(patch(writer) for writer in range(WRITERS)))
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [200] + [409] * (WRITERS - 1), statuses
        (winner,) = [r.json() for r in responses if r.status_code == 200]
        assert all(r.json()["current_version"] == 2 for r in responses if r.status_code == 409)
        stored = (await client.get(player)).json()
        assert stored == winner, "the stored row is the winner's, nothing else"
        assert stored["version"] == 2


@only_postgres
async def test_concurrent_batches_sharing_a_key_leave_no_partial_rows(
    players: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(players) as client:

        async def batch(writer: int) -> Any:
            items = [{"handle": f"own-{writer}-{i}"} for i in range(3)] + [{"handle": "shared"}]
            return await client.post("/players/bulk", json=items)

        responses = await asyncio.gather(*(batch(writer) for writer in range(WRITERS)))
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [201] + [409] * (WRITERS - 1), statuses
        listing = (await client.get("/players", params={"limit": 100})).json()
        assert listing["total"] == 4, "only the winning batch's rows exist"
        winner = next(r for r in responses if r.status_code == 201).json()
        assert {p["handle"] for p in listing["items"]} == {p["handle"] for p in winner}


@only_postgres
async def test_concurrent_nested_creates_that_fail_halfway_leave_nothing(
    nested_blog: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(nested_blog) as client:
        author = await client.post("/authors", json={"email": "a@example.com", "name": "A"})

        async def create(writer: int) -> Any:
            comments = [{"author_name": "ok", "body": "fine"}] * 3
            if writer % 2:  # every other post has a child that breaks a foreign key
                missing = "00000000-0000-0000-0000-000000000000"
                comments = [*comments, {"author_name": "x", "body": "x", "parent_id": missing}]
            body = {
                "author_id": author.json()["id"],
                "title": f"post {writer}",
                "slug": f"post-{writer}",
                "comments": comments,
            }
            return await client.post("/posts", json=body)

        responses = await asyncio.gather(*(create(writer) for writer in range(WRITERS)))
        for writer, response in enumerate(responses):
            assert response.status_code == (422 if writer % 2 else 201), response.text
        posts = (await client.get("/posts", params={"limit": 100})).json()
        assert sorted(p["slug"] for p in posts["items"]) == sorted(
            f"post-{writer}" for writer in range(0, WRITERS, 2)
        )
        comments = (await client.get("/comments", params={"limit": 100})).json()
        assert comments["total"] == 3 * (WRITERS // 2), "no child of a failed post remains"
