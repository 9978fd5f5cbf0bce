"""List endpoints over HTTP: paging bounds, whitelisted filters and sorting, count=false."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from tests.conftest import EXAMPLES, GeneratedPackage


@pytest.fixture(scope="module", params=["functions", "inline"])
def code_style(request: pytest.FixtureRequest) -> str:
    """The behaviour must not depend on the code style: every test here runs on both."""
    return str(request.param)


BLOG = EXAMPLES / "blog"
TITLES = ["Banana", "apple", "Cherry 100%", "date", "Elder_berry"]


@pytest.fixture
def blog(generate: Callable[..., GeneratedPackage]) -> Iterator[GeneratedPackage]:
    sys.path.insert(0, str(BLOG))
    yield generate(BLOG / "blog" / "models.py")
    sys.path.remove(str(BLOG))


async def seed(client: Any) -> None:
    author = await client.post("/authors", json={"email": "a@example.com", "name": "A"})
    for number, title in enumerate(TITLES):
        created = await client.post(
            "/posts",
            json={
                "author_id": author.json()["id"],
                "title": title,
                "slug": f"post-{number}",
                "views": number * 10,
                "rating": "4.5" if number % 2 else None,
                "status": "published" if number < 2 else "draft",
                "published_at": f"2026-01-0{number + 1}T12:00:00+00:00",
            },
        )
        assert created.status_code == 201, created.text


async def titles(client: Any, query: str) -> list[str]:
    response = await client.get(f"/posts?{query}")
    assert response.status_code == 200, response.text
    return [post["title"] for post in response.json()["items"]]


async def test_paging_envelope_and_bounds(blog: GeneratedPackage, app_client: Any) -> None:
    async with app_client(blog) as client:
        await seed(client)
        page = (await client.get("/posts?offset=1&limit=2")).json()
        assert page["total"] == 5 and page["offset"] == 1 and page["limit"] == 2
        assert [p["title"] for p in page["items"]] == ["apple", "Cherry 100%"]
        assert (await client.get("/posts?offset=9")).json() == {
            "items": [],
            "total": 5,
            "offset": 9,
            "limit": 50,
            "next_cursor": None,
        }
        for bad in ("offset=-1", "limit=0", "limit=101", "offset=99999999999999999999"):
            assert (await client.get(f"/posts?{bad}")).status_code == 422, bad
        uncounted = (await client.get("/posts?count=false&limit=2")).json()
        assert uncounted["total"] is None and len(uncounted["items"]) == 2


async def test_a_page_and_its_total_are_one_statement(
    blog: GeneratedPackage, app_client: Any, executed_sql: list[str]
) -> None:
    async with app_client(blog) as client:
        await seed(client)
        executed_sql.clear()
        page = (await client.get("/posts?status=draft&limit=2")).json()
        assert page["total"] == 3 and len(page["items"]) == 2
        assert len(executed_sql) == 1, executed_sql
        executed_sql.clear()
        past_the_end = (await client.get("/posts?status=draft&offset=5")).json()
        assert past_the_end["total"] == 3 and past_the_end["items"] == []
        assert len(executed_sql) == 2, "an empty page carries no total: counted on its own"
        executed_sql.clear()
        assert (await client.get("/posts?count=false")).json()["total"] is None
        assert "count(" not in executed_sql[0].lower()


async def test_filters_by_type(blog: GeneratedPackage, app_client: Any) -> None:
    async with app_client(blog) as client:
        await seed(client)
        assert await titles(client, "title=apple") == ["apple"]
        assert await titles(client, "title__contains=AN") == ["Banana"]
        assert await titles(client, "title__contains=%25") == ["Cherry 100%"], "% is literal"
        assert await titles(client, "title__contains=_") == ["Elder_berry"], "_ is literal"
        assert await titles(client, "views__gte=10&views__lte=30") == [
            "apple",
            "Cherry 100%",
            "date",
        ]
        assert await titles(client, "id__in=1&id__in=3") == ["Banana", "Cherry 100%"]
        assert await titles(client, "rating__is_null=false") == ["apple", "date"]
        assert await titles(client, "status=published") == ["Banana", "apple"]
        assert await titles(client, "status__in=draft&views__gte=30") == ["date", "Elder_berry"]
        assert await titles(client, "published_at__gte=2026-01-04T00:00:00%2B00:00") == [
            "date",
            "Elder_berry",
        ]
        filtered = (await client.get("/posts?status=draft&limit=1")).json()
        assert filtered["total"] == 3, "total counts the matches, not the table"


async def test_bad_filters_are_422_not_500(blog: GeneratedPackage, app_client: Any) -> None:
    async with app_client(blog) as client:
        await seed(client)
        for query in (
            "bogus=1",  # not a column: whitelisted by construction
            "extra=1",  # JSON columns cannot be filtered
            "views=abc",
            "views__gte=99999999999",
            "status=unknown",
            "published_at__gte=2026-01-01T00:00:00",  # naive datetime, aware column
            "&".join(f"id__in={n}" for n in range(101)),  # capped list
        ):
            response = await client.get(f"/posts?{query}")
            assert response.status_code == 422, (query, response.text)


async def test_sorting(blog: GeneratedPackage, app_client: Any) -> None:
    async with app_client(blog) as client:
        await seed(client)
        assert await titles(client, "sort=-views") == list(reversed(TITLES))
        by_status = await titles(client, "sort=status,-views")
        assert by_status == ["Elder_berry", "date", "Cherry 100%", "apple", "Banana"]
        # Equal sort keys fall back to the primary key, so pages never overlap.
        first = await titles(client, "sort=status&limit=2")
        second = await titles(client, "sort=status&limit=2&offset=2")
        third = await titles(client, "sort=status&limit=2&offset=4")
        assert sorted(first + second + third) == sorted(TITLES)
        refused = await client.get("/posts?sort=-secret")
        assert refused.status_code == 422
        assert "sortable fields: id, author_id" in refused.text
        assert (await client.get("/posts?sort=extra")).status_code == 422


async def test_the_list_operation_documents_what_sort_and_fields_may_name(
    blog: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(blog) as client:
        document = (await client.get("/openapi.json")).json()
    described = {}
    for path in ("/posts", "/tags"):
        parameters = document["paths"][path]["get"]["parameters"]
        described[path] = {p["name"]: p.get("description", "") for p in parameters}
    assert described["/posts"]["sort"].endswith("descending: id, author_id, title, slug, body, "
        "status, rating, views, published_at, updated_at, created_at")  # fmt: skip
    assert described["/posts"]["fields"].endswith(", extra, updated_at, created_at")
    assert described["/tags"]["sort"].endswith("descending: id, name")
    assert described["/tags"]["fields"].endswith("(default: all): id, name")


async def test_fields_selection_returns_only_the_named_columns(
    blog: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(blog) as client:
        await seed(client)
        page = (await client.get("/posts?fields=id,title&sort=-views&limit=2")).json()
        assert page["total"] == 5 and page["limit"] == 2
        assert [set(item) for item in page["items"]] == [{"id", "title"}, {"id", "title"}]
        assert [item["title"] for item in page["items"]] == ["Elder_berry", "date"]

        # Values keep the API's formats (timestamps, decimals, enums), nulls included.
        trimmed = await client.get("/posts", params={"fields": "rating, published_at,status"})
        first = trimmed.json()["items"][0]
        assert set(first) == {"rating", "published_at", "status"}
        assert first["rating"] is None and first["status"] == "published"
        assert first["published_at"].startswith("2026-01-01T12:00:00")

        full = (await client.get("/posts?limit=1")).json()["items"][0]
        assert {"id", "title", "slug", "created_at", "author_id"} <= set(full)

        for bad in ("secret", "id,nope", "", " , "):
            refused = await client.get("/posts", params={"fields": bad})
            assert refused.status_code == 422, (bad, refused.text)
            assert "fields:" in refused.text, "the error lists the fields there are"


def test_the_filter_table_declares_one_parameter_per_operator(blog: GeneratedPackage) -> None:
    """PostListQuery writes its filters as a table; each entry becomes the query fields
    the endpoint documents and validates, after the class's own fields and typed by
    operator."""
    query = blog.module("schemas.post").PostListQuery
    rating = {name: field for name, field in query.model_fields.items() if "rating" in name}
    assert list(rating) == ["rating", "rating__in", "rating__gte", "rating__lte", "rating__is_null"]
    assert rating["rating__is_null"].annotation == bool | None
    assert query.model_fields["title__contains"].annotation == str | None
    assert "title__gte" not in query.model_fields  # not in the table: no such parameter
    assert list(query.model_fields)[-1] == "created_at__lte"  # the table's last entry
    assert query.model_validate({"rating__in": ["1.5", "2"]}).rating__in == [
        Decimal("1.5"),
        Decimal("2"),
    ]
    with pytest.raises(ValidationError):
        query.model_validate({"views__gte": 2**40})  # Int32: the column's bounds
