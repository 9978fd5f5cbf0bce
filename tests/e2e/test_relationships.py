"""Relationships over HTTP: nested reads loaded without N+1 queries, and children created
with their parent in one transaction (a failing child rolls the parent back too)."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from crudgen.config import Config, ModelOptions
from crudgen.errors import ConfigError
from crudgen.pipeline import plan_run
from tests.conftest import GeneratedPackage
from tests.e2e.conftest import BLOG_MODELS, BLOG_ROOT


@pytest.fixture(scope="module", params=["functions", "inline"])
def code_style(request: pytest.FixtureRequest) -> str:
    """The behaviour must not depend on the code style: every test here runs on both."""
    return str(request.param)


POST_OPTIONS = ModelOptions(
    nested_reads=("author", "tags", "comments"), nested_create=("comments",)
)


@pytest.fixture(scope="module")
def nested_blog(
    generate_once: Callable[..., GeneratedPackage], code_style: str
) -> Iterator[GeneratedPackage]:
    sys.path.insert(0, str(BLOG_ROOT))
    try:
        yield generate_once(BLOG_MODELS, models={"Post": POST_OPTIONS}, style=code_style)
    finally:
        sys.path.remove(str(BLOG_ROOT))


async def new_author(client: Any) -> dict[str, Any]:
    response = await client.post("/authors", json={"email": "ann@example.com", "name": "Ann"})
    assert response.status_code == 201, response.text
    return dict(response.json())


async def test_post_with_comments_is_created_in_one_go(
    nested_blog: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(nested_blog) as client:
        author = await new_author(client)
        body = {
            "author_id": author["id"],
            "title": "Hello",
            "slug": "hello",
            "comments": [
                {"author_name": "Bo", "body": "first"},
                {"author_name": "Cy", "body": "second"},
            ],
        }
        created = await client.post("/posts", json=body)
        assert created.status_code == 201, created.text
        post = created.json()
        assert post["author_id"] == author["id"], "many-to-one ids stay in the row"
        assert post["author"]["email"] == "ann@example.com"
        assert [c["body"] for c in post["comments"]] == ["first", "second"]
        assert {c["post_id"] for c in post["comments"]} == {post["id"]}
        assert post["tags"] == []

        listed = await client.get("/comments", params={"post_id": post["id"]})
        assert listed.json()["total"] == 2
        fetched = (await client.get(f"/posts/{post['id']}")).json()
        assert fetched["author"]["id"] == author["id"] and len(fetched["comments"]) == 2
        patched = await client.patch(f"/posts/{post['id']}", json={"title": "Hi"})
        assert patched.status_code == 200 and len(patched.json()["comments"]) == 2

        plain = await client.post(
            "/posts", json={"author_id": author["id"], "title": "t", "slug": "t"}
        )
        assert plain.status_code == 201 and plain.json()["comments"] == []


async def test_a_failing_child_rolls_back_the_parent(
    nested_blog: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(nested_blog) as client:
        author = await new_author(client)
        missing_parent = str(uuid.uuid4())
        body = {
            "author_id": author["id"],
            "title": "Doomed",
            "slug": "doomed",
            "comments": [
                {"author_name": "Bo", "body": "fine"},
                {"author_name": "Cy", "body": "replies to nothing", "parent_id": missing_parent},
            ],
        }
        refused = await client.post("/posts", json=body)
        assert refused.status_code == 422, refused.text
        assert (await client.get("/posts")).json()["total"] == 0, "the parent is rolled back"
        assert (await client.get("/comments")).json()["total"] == 0

        invalid_child = {**body, "comments": [{"author_name": "x" * 101, "body": "too long"}]}
        response = await client.post("/posts", json=invalid_child)
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "comments", 0, "author_name"]
        with_key = {**body, "comments": [{"author_name": "Bo", "body": "b", "post_id": 1}]}
        assert (await client.post("/posts", json=with_key)).status_code == 422, (
            "the parent fills in the foreign key; a child may not name it"
        )
        assert (await client.get("/posts")).json()["total"] == 0


async def test_nested_reads_cost_one_query_per_relationship(
    nested_blog: GeneratedPackage, app_client: Any, executed_sql: list[str]
) -> None:
    async with app_client(nested_blog) as client:
        author = await new_author(client)
        for number in range(6):
            comments = [{"author_name": "Bo", "body": f"c{i}"} for i in range(2)]
            body = {
                "author_id": author["id"],
                "title": f"t{number}",
                "slug": f"s{number}",
                "comments": comments,
            }
            assert (await client.post("/posts", json=body)).status_code == 201
        executed_sql.clear()
        page = await client.get("/posts", params={"limit": 10})
        assert page.status_code == 200
        items = page.json()["items"]
        assert len(items) == 6 and all(len(post["comments"]) == 2 for post in items)
        assert all(post["author"]["name"] == "Ann" for post in items)
        # The rows, then one SELECT ... IN per relationship (author, tags, comments).
        assert len(executed_sql) == 4, executed_sql


def config_error(tmp_path: Any, exclude: tuple[str, ...] = (), **models: ModelOptions) -> str:
    config = Config(
        sources=(str(BLOG_MODELS),), out_dir=tmp_path / "out", models=models, exclude=exclude
    )
    sys.path.insert(0, str(BLOG_ROOT))
    try:
        with pytest.raises(ConfigError) as raised:
            plan_run(config)
    finally:
        sys.path.remove(str(BLOG_ROOT))
    return str(raised.value)


def test_nested_relationship_mistakes_are_config_errors(tmp_path: Any) -> None:
    cycle = config_error(
        tmp_path,
        Post=ModelOptions(nested_reads=("author",)),
        Author=ModelOptions(nested_reads=("posts",)),
    )
    assert "cycle" in cycle and "Author -> Post -> Author" in cycle
    itself = config_error(tmp_path, Comment=ModelOptions(nested_reads=("replies",)))
    assert "cycle" in itself
    unknown = config_error(tmp_path, Post=ModelOptions(nested_reads=("editor",)))
    assert "no relationship editor" in unknown and "author, comments, tags" in unknown
    many_to_one = config_error(tmp_path, Post=ModelOptions(nested_create=("author",)))
    assert "not a one-to-many" in many_to_one
    not_generated = config_error(
        tmp_path, exclude=("Author",), Post=ModelOptions(nested_reads=("author",))
    )
    assert "Author, which is not generated" in not_generated
