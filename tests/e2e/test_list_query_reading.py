"""A list endpoint reads its query in one call (`ListQuery.from_request`), not field by
field as FastAPI reads `Annotated[<model>, Query()]`: the same values, the same 422s and
the same OpenAPI document, checked here against FastAPI's own reading."""

from collections.abc import Iterator
from typing import Annotated, Any
from urllib.parse import urlencode

import httpx
import pytest
from fastapi import Depends, FastAPI, Query
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import GeneratedPackage

# Query strings of every kind a client sends: repeated keys, empty values, unknown
# names, lists split or not, values of the wrong type, cursors with paging.
HAND_WRITTEN = [
    "",
    "limit=20&offset=3",
    "limit=0",
    "limit=abc&offset=-1",
    "sort=-id,title&fields=id,title",
    "sort=nope",
    "fields=id,nope",
    "count=false",
    "count=maybe",
    "id=1&id=2",
    "id__in=1&id__in=2&id__in=3",
    "id__in=1,2,3",
    "id__in=",
    "id__in=x",
    "title=a&title=",
    "title__contains=%25_",
    "status=published&status__in=draft&status__in=published",
    "status=unknown",
    "views__gte=10&views__lte=5",
    "published_at__gte=2026-01-01T00:00:00Z",
    "published_at__gte=yesterday",
    "rating=4.5&rating__gte=abc",
    "unknown=1",
    "unknown=1&unknown=2&other=",
    "cursor=abc",
    "cursor=abc&sort=id",
    "cursor=abc&offset=2",
    "limit=5&limit=7",
    "include_deleted=true",
]


def both_readings(query: type[Any]) -> FastAPI:
    """An app reading `query` FastAPI's way at /fastapi and in one call at /one-call."""
    app = FastAPI()

    def answer(read: Any) -> dict[str, Any]:
        return {"values": read.model_dump(mode="json"), "set": sorted(read.model_fields_set)}

    @app.get("/fastapi")
    async def by_fastapi(read: Annotated[query, Query()]) -> dict[str, Any]:  # type: ignore[valid-type]
        return answer(read)

    @app.get("/one-call")
    async def in_one_call(
        read: Annotated[query, Depends(query.from_request)],  # type: ignore[valid-type]
    ) -> dict[str, Any]:
        return answer(read)

    return app


@pytest.fixture(scope="module")
def post_query(blog: GeneratedPackage) -> Iterator[type[Any]]:
    yield blog.module("schemas.post").PostListQuery


async def same_answer(app: FastAPI, query_string: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        expected = await client.get(f"/fastapi?{query_string}")
        answered = await client.get(f"/one-call?{query_string}")
    assert answered.status_code == expected.status_code, query_string
    assert answered.json() == expected.json(), query_string
    return answered


async def test_both_readings_read_values(post_query: type[Any]) -> None:
    """The comparison compares readings, not two failures alike."""
    app = both_readings(post_query)
    read = await same_answer(app, "limit=5&limit=7&id__in=1&id__in=2&title=a")
    assert read.status_code == 200
    assert read.json()["set"] == ["id__in", "limit", "title"]
    assert read.json()["values"]["limit"] == 7 and read.json()["values"]["id__in"] == [1, 2]
    refused = await same_answer(app, "limit=0&unknown=1")
    assert [error["loc"] for error in refused.json()["detail"]] == [
        ["query", "limit"],
        ["query", "unknown"],
    ]


@pytest.mark.parametrize("query_string", HAND_WRITTEN)
async def test_a_query_reads_as_fastapi_reads_it(post_query: type[Any], query_string: str) -> None:
    await same_answer(both_readings(post_query), query_string)


VALUES = st.sampled_from(
    ["", "1", "-1", "0", "2.5", "abc", "1,2", "true", "false", "draft", "published",
     "2026-01-01", "2026-01-01T00:00:00Z", "%", "é", "x" * 30, "9" * 25]
)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
async def test_any_query_reads_as_fastapi_reads_it(
    post_query: type[Any], data: st.DataObject
) -> None:
    names = st.sampled_from([*post_query.model_fields, "unknown", "id__nope"])
    pairs = data.draw(st.lists(st.tuples(names, VALUES), max_size=6))
    await same_answer(both_readings(post_query), urlencode(pairs))


async def test_the_list_route_reads_in_one_call_and_documents_as_fastapi(
    blog: GeneratedPackage,
) -> None:
    """The route answering GET /posts reads no query field itself; the document lists
    the parameters exactly as FastAPI lists those of the query model."""
    routes = [
        route
        for route in blog.module("routers.post").router.routes
        if getattr(route, "path", None) == "/posts" and "GET" in route.methods
    ]
    answering, documenting = routes
    assert not answering.include_in_schema and answering.dependant.query_params == []
    assert documenting.include_in_schema and documenting.dependant.query_params

    post_query = blog.module("schemas.post").PostListQuery
    reference = FastAPI()

    @reference.get("/posts")
    async def list_posts(query: Annotated[post_query, Query()]) -> None:  # type: ignore[valid-type]
        """Unused: documents the query model."""

    expected = reference.openapi()["paths"]["/posts"]["get"]["parameters"]
    documented = blog.module("app").app.openapi()["paths"]["/posts"]["get"]
    assert documented["parameters"] == expected
    assert len(expected) == len(post_query.model_fields)
