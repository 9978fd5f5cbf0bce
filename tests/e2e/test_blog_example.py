"""Generate the blog example, import it and drive every endpoint over HTTP."""

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


async def test_author_lifecycle(blog: GeneratedPackage, app_client: Any) -> None:
    async with app_client(blog) as client:
        created = await client.post("/authors", json={"email": "ann@example.com", "name": "Ann"})
        assert created.status_code == 201, created.text
        author = created.json()
        assert author["is_active"] is True and author["bio"] is None
        assert author["created_at"]

        fetched = await client.get(f"/authors/{author['id']}")
        assert fetched.status_code == 200
        assert fetched.json() == author

        patched = await client.patch(f"/authors/{author['id']}", json={"bio": "Writes."})
        assert patched.status_code == 200
        assert patched.json()["bio"] == "Writes." and patched.json()["name"] == "Ann"

        replaced = await client.put(
            f"/authors/{author['id']}", json={"email": "ann@example.org", "name": "Ann B"}
        )
        assert replaced.status_code == 200
        assert replaced.json()["bio"] is None, "PUT resets fields left out to their default"
        assert replaced.json()["is_active"] is True

        deleted = await client.delete(f"/authors/{author['id']}")
        assert deleted.status_code == 204
        assert (await client.get(f"/authors/{author['id']}")).status_code == 404
