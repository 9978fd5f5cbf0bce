"""Keyset (cursor) paging over HTTP: opaque cursors, stable when rows come and go."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.conftest import EXAMPLES, GeneratedPackage

BLOG = EXAMPLES / "blog"


@pytest.fixture
def blog(generate: Callable[..., GeneratedPackage]) -> Iterator[GeneratedPackage]:
    sys.path.insert(0, str(BLOG))
    yield generate(BLOG / "blog" / "models.py")
    sys.path.remove(str(BLOG))


async def make_tags(client: Any, count: int) -> list[int]:
    ids = []
    for number in range(count):
        created = await client.post("/tags", json={"name": f"tag-{number}"})
        ids.append(created.json()["id"])
    return ids


async def test_cursor_walks_every_row_once_even_when_rows_are_deleted(
    blog: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(blog) as client:
        ids = await make_tags(client, 7)
        first = (await client.get("/tags?limit=3")).json()
        assert [t["id"] for t in first["items"]] == ids[:3]
        assert first["next_cursor"] and first["total"] == 7
        # A row of the first page goes away: offset paging would now skip ids[3].
        assert (await client.delete(f"/tags/{ids[0]}")).status_code == 204
        second = (await client.get(f"/tags?limit=3&cursor={first['next_cursor']}")).json()
        assert [t["id"] for t in second["items"]] == ids[3:6]
        assert second["total"] == 6, "total still counts every match"
        third = (await client.get(f"/tags?limit=3&cursor={second['next_cursor']}")).json()
        assert [t["id"] for t in third["items"]] == ids[6:]
        assert third["next_cursor"] is None, "a short page is the last"


async def test_cursor_keeps_filters_and_works_with_uuid_keys(
    blog: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(blog) as client:
        await make_tags(client, 6)
        page = await client.get("/tags?limit=2&name__in=tag-1&name__in=tag-3&name__in=tag-5")
        after = (
            await client.get(
                f"/tags?limit=2&name__in=tag-5&name__in=tag-3&name__in=tag-1&cursor={page.json()['next_cursor']}"
            )
        ).json()
        assert [t["name"] for t in after["items"]] == ["tag-5"]

        author = (await client.post("/authors", json={"email": "c@x.org", "name": "C"})).json()
        post = (
            await client.post("/posts", json={"author_id": author["id"], "title": "t", "slug": "t"})
        ).json()
        for number in range(3):
            await client.post(
                "/comments", json={"post_id": post["id"], "author_name": "a", "body": str(number)}
            )
        every = [c["id"] for c in (await client.get("/comments")).json()["items"]]
        first = (await client.get("/comments?limit=2")).json()
        rest = (await client.get(f"/comments?limit=2&cursor={first['next_cursor']}")).json()
        assert [c["id"] for c in first["items"] + rest["items"]] == every


async def test_bad_cursors_are_422(blog: GeneratedPackage, app_client: Any) -> None:
    async with app_client(blog) as client:
        await make_tags(client, 3)
        cursor = (await client.get("/tags?limit=1")).json()["next_cursor"]
        for query in (
            "cursor=not-a-cursor",
            "cursor=WyJ4Il0=",  # ["x"]: not an integer key
            f"cursor={cursor}&sort=-name",
            f"cursor={cursor}&offset=1",
        ):
            response = await client.get(f"/tags?{query}")
            assert response.status_code == 422, (query, response.text)
        assert (await client.get("/tags?sort=name&limit=1")).json()["next_cursor"] is None
