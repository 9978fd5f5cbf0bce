"""The committed example trees are exactly what crudgen generates, and they run.

Regenerate them deliberately with `CRUDGEN_UPDATE_GOLDEN=1 python -m pytest tests/golden`.
"""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crudgen.config import build_config
from crudgen.pipeline import plan_run
from crudgen.plan import Change
from crudgen.write import apply_plan
from tests.conftest import EXAMPLES, GeneratedPackage

# (example root put on sys.path, models file, generated package) relative to examples/
GOLDEN_TREES = [
    ("blog", "blog/models.py", "blog/generated"),
    ("shop", "api.yaml", "shop_api"),
    ("tasks", "tasks/models.py", "tasks/api"),
    ("library", "library/models.py", "library/api"),
]


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
    config = build_config(base)  # the example's own [tool.crudgen]
    assert config.sources == (str(base / models),) and config.out_dir == base / generated
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


ADA = {"Authorization": "Bearer ada-token"}  # examples/blog/blog/auth.py: a writer
GRACE = {"Authorization": "Bearer grace-token"}  # a writer and an editor


async def test_committed_blog_tree_serves_requests(on_path: None, app_client: Any) -> None:
    """The blog as configured in its pyproject.toml: signed-in users only, the author of a
    post stamped by its hook, drafts seen by their author alone, deletes for editors."""
    package = GeneratedPackage(EXAMPLES / "blog", "blog.generated")
    async with app_client(package) as client:
        assert (await client.get("/posts")).status_code == 401
        for name, user in (("ada", ADA), ("grace", GRACE)):
            author = {"email": f"{name}@example.com", "name": name}
            assert (await client.post("/authors", json=author, headers=user)).status_code == 201
        post = {"title": "Golden", "slug": "golden"}
        named = await client.post("/posts", json=post | {"author_id": 2}, headers=ADA)
        assert named.status_code == 422, "no request names a post's author"
        created = await client.post("/posts", json=post, headers=ADA)
        assert created.status_code == 201 and created.json()["author_id"] == 1
        url = f"/posts/{created.json()['id']}"
        assert (await client.get("/posts", headers=ADA)).json()["total"] == 1
        assert (await client.get("/posts", headers=GRACE)).json()["total"] == 0, "a draft"
        assert (await client.get(url, headers=GRACE)).status_code == 404
        published = await client.patch(url, json={"status": "published"}, headers=ADA)
        assert published.status_code == 200
        assert (await client.get(url, headers=GRACE)).status_code == 200
        assert (await client.delete(url, headers=ADA)).status_code == 403, "editors only"
        assert (await client.delete("/authors/1", headers=GRACE)).status_code == 409
        assert (await client.delete(url, headers=GRACE)).status_code == 204


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


async def test_committed_tasks_tree_keeps_the_sqlmodel_constraints(
    on_path: None, app_client: Any
) -> None:
    """The SQLModel example: its fields' pydantic bounds hold in every body, a bounded
    integer's included (its column type's own limits must not override them)."""
    package = GeneratedPackage(EXAMPLES / "tasks", "tasks.api")
    async with app_client(package) as client:
        assert (await client.post("/projects", json={"name": ""})).status_code == 422
        project = await client.post("/projects", json={"name": "Garden"})
        assert project.status_code == 201
        task = {"project_id": project.json()["id"], "title": "Sow peas"}
        for priority in (0, 6, 2**40):
            refused = await client.post("/tasks", json=task | {"priority": priority})
            assert refused.status_code == 422, (priority, refused.text)
        created = await client.post("/tasks", json=task)
        assert created.status_code == 201 and created.json()["priority"] == 3
        task_url = f"/tasks/{created.json()['id']}"
        assert (await client.patch(task_url, json={"priority": 9})).status_code == 422
        assert (await client.put(task_url, json=task | {"priority": 5})).status_code == 200
        assert (await client.get("/tasks?priority__gte=5")).json()["total"] == 1


async def test_committed_library_tree_serves_every_class(on_path: None, app_client: Any) -> None:
    """The library: a joined hierarchy whose base has no identity, a composite key, a
    self-reference, and a many-to-many written through its association class. A book read
    through the base's routes comes with the authors Book nests."""
    package = GeneratedPackage(EXAMPLES / "library", "library.api")
    async with app_client(package) as client:
        fiction = (await client.post("/categories", json={"name": "Fiction"})).json()
        crime = await client.post("/categories", json={"name": "Crime", "parent_id": 1})
        assert crime.status_code == 201 and crime.json()["parent_id"] == fiction["id"]
        assert (
            await client.post("/categories", json={"name": "X", "parent_id": 9})
        ).status_code == 422
        book = {"title": "Dune", "isbn": "9780441013593", "category_id": 2}
        created = await client.post("/books", json=book)
        assert created.status_code == 201, created.text
        assert created.json()["kind"] == "book" and created.json()["authors"] == []
        magazine = {"title": "Locus", "issn": "0047-4959", "issue": 742}
        assert (await client.post("/periodicals", json=magazine)).status_code == 201
        assert (await client.post("/items", json={"title": "x"})).status_code == 405
        assert (await client.post("/books", json=book | {"kind": "book"})).status_code == 422
        author = await client.post("/authors", json={"name": "Frank Herbert"})
        link = {"book_id": 1, "author_id": author.json()["id"]}
        assert (await client.post("/book-authors", json=link)).status_code == 201
        assert (await client.post("/book-authors", json=link)).status_code == 409
        herbert = {"id": 1, "name": "Frank Herbert", "born": None}
        items = (await client.get("/items", params={"sort": "title"})).json()["items"]
        assert [(i["kind"], i["title"]) for i in items] == [
            ("book", "Dune"),
            ("periodical", "Locus"),
        ]
        assert items[0]["authors"] == [herbert] and "authors" not in items[1]
        renamed = await client.patch("/items/1", json={"title": "Dune I"})
        assert renamed.status_code == 200 and renamed.json()["authors"] == [herbert]
        assert (await client.get("/periodicals/1")).status_code == 404
        for number in (1, 2):
            copy = {"item_id": 2, "copy_number": number, "shelf": "P1"}
            assert (await client.post("/copies", json=copy)).status_code == 201
        worn = await client.patch("/copies/2/2", json={"condition": "worn"})
        assert worn.json() == {"item_id": 2, "copy_number": 2, "shelf": "P1", "condition": "worn"}
        assert (await client.delete("/items/2")).status_code == 204
        assert (await client.get("/copies")).json()["total"] == 0  # on delete cascade
        assert (await client.delete("/categories/1")).status_code == 409  # Crime is below


def test_every_example_is_a_golden_tree() -> None:
    examples = {p.name for p in EXAMPLES.iterdir() if (p / "pyproject.toml").is_file()}
    assert examples == {root for root, _, _ in GOLDEN_TREES}


@pytest.mark.slow  # runs the CLI, as CI and a contributor would
@pytest.mark.parametrize("root", [root for root, _, _ in GOLDEN_TREES])
def test_crudgen_check_passes_in_every_example(root: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "crudgen", "check", "--no-cache"],
        cwd=EXAMPLES / root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "is up to date" in result.stdout


@pytest.mark.slow  # runs each example's demo script, as its README says
@pytest.mark.parametrize("root", ["blog", "tasks", "library"])
def test_example_demos_run(root: str, tmp_path: Path) -> None:
    env = os.environ | {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}"}
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / root / "demo.py")],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    statuses = [
        line.split("->")[1].split()[0] for line in result.stdout.splitlines() if "->" in line
    ]
    assert "201" in statuses and {"409", "422"} & set(statuses), result.stdout
    assert not [status for status in statuses if status.startswith("5")], result.stdout
