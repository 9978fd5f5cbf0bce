"""The committed example trees are exactly what crudgen generates, and they run.

Regenerate them deliberately with `CRUDGEN_UPDATE_GOLDEN=1 python -m pytest tests/golden`.
"""

from __future__ import annotations

import difflib
import os
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from crudgen.config import Config
from crudgen.pipeline import plan_run
from crudgen.plan import Change
from crudgen.write import apply_plan
from tests.conftest import EXAMPLES, GeneratedPackage

# (example root put on sys.path, models file, generated package) relative to examples/
GOLDEN_TREES = [("blog", "blog/models.py", "blog/generated"), ("shop", "api.yaml", "shop_api")]


@pytest.fixture
def on_path() -> Iterator[None]:
    roots = [str(EXAMPLES / root) for root, _, _ in GOLDEN_TREES]
    sys.path[:0] = roots
    yield
    for root in roots:
        sys.path.remove(root)


@pytest.mark.parametrize(("root", "models", "generated"), GOLDEN_TREES)
def test_committed_tree_is_up_to_date(
    root: str, models: str, generated: str, on_path: None
) -> None:
    base = EXAMPLES / root
    config = Config(sources=(str(base / models),), out_dir=base / generated)
    plan = plan_run(config).plan
    if os.environ.get("CRUDGEN_UPDATE_GOLDEN"):
        apply_plan(plan)
        return
    stale = [c for c in plan.changes if c.change is not Change.UNCHANGED]
    assert not stale, "generated tree is out of date:\n" + "".join(_diff(c) for c in stale)


def _diff(change: Any) -> str:
    return "".join(
        difflib.unified_diff(
            (change.old or "").splitlines(keepends=True),
            (change.new or "").splitlines(keepends=True),
            f"committed/{change.path}",
            f"generated/{change.path}",
        )
    )


async def test_committed_blog_tree_serves_requests(on_path: None, app_client: Any) -> None:
    package = GeneratedPackage(EXAMPLES / "blog", "blog.generated")
    async with app_client(package) as client:
        author = await client.post("/authors", json={"email": "g@example.com", "name": "G"})
        assert author.status_code == 201
        post = await client.post(
            "/posts",
            json={
                "author_id": author.json()["id"],
                "title": "Golden",
                "slug": "golden",
            },
        )
        assert post.status_code == 201
        page = await client.get("/posts")
        assert page.json()["total"] == 1
        assert page.json()["items"][0]["title"] == "Golden"
        assert (await client.delete(f"/authors/{author.json()['id']}")).status_code == 409


async def test_committed_shop_tree_serves_requests(on_path: None, app_client: Any) -> None:
    """The YAML example's package, its own models.py included."""
    package = GeneratedPackage(EXAMPLES / "shop", "shop_api")
    async with app_client(package) as client:
        customer = await client.post("/customers", json={"email": "g@example.com", "name": "G"})
        assert customer.status_code == 201
        order = await client.post("/orders", json={"customer_id": customer.json()["id"]})
        assert order.status_code == 201 and order.headers["etag"] == '"1"'
        assert (await client.get("/orders")).json()["total"] == 1
        assert (await client.delete(f"/customers/{customer.json()['id']}")).status_code == 204
        assert (await client.get("/orders")).json()["total"] == 0  # on_delete: cascade
