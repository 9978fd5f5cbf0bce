"""The hooks' scope holds on every route, found by probing the documented owner pattern:
an upsert never takes over another user's row, no write moves a row out of its writer's
scope, nested reads apply the related model's scope and soft delete, and a role limit on
an operation also governs the routes that perform it (bulk, upsert, nested creates).
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from crudgen.config import ModelOptions
from tests.conftest import GeneratedPackage, url_of

MODELS = Path(__file__).resolve().parent / "models" / "owned_documents.py"
AUTH = "tests.e2e.models.notes_auth:get_current_user"
WRITERS = ("writer", "admin")
DOCUMENT = ModelOptions(roles=(("create", WRITERS), ("update", WRITERS)), upsert_key=("slug",))
FOLDER = ModelOptions(nested_reads=("documents",), nested_create=("documents",))
# ann: writer and admin; bob: writer; eve: reader.
ANN, BOB, EVE = ({"Authorization": f"Bearer token-{name}"} for name in ("ann", "bob", "eve"))

# The documented pattern: each user sees and changes only their rows, stamped on create.
HOOKS = textwrap.dedent(
    """
    from typing import Any

    from fastapi import APIRouter
    from sqlalchemy import ColumnElement
    from sqlalchemy.ext.asyncio import AsyncSession

    from tests.e2e.models.owned_documents import {model}

    from ..auth import current_principal

    router = APIRouter()


    def scope(principal: Any) -> list[ColumnElement[bool]]:
        return [{model}.owner == principal["name"]]


    async def before_create(session: AsyncSession, values: dict[str, Any]) -> dict[str, Any]:
        return {{**values, "owner": current_principal.get()["name"]}}


    async def after_create(session: AsyncSession, row: {model}) -> None:
        pass


    async def before_update(
        session: AsyncSession, key: dict[str, Any], values: dict[str, Any]
    ) -> dict[str, Any]:
        return values


    async def after_update(session: AsyncSession, row: {model}) -> None:
        pass


    async def before_delete(session: AsyncSession, key: dict[str, Any]) -> None:
        pass


    async def after_delete(session: AsyncSession, key: dict[str, Any]) -> None:
        pass
    """
)


@pytest.fixture(params=["sqlite", "postgres", "mysql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """MariaDB too: its upsert has no WHERE, so the scope is checked first there."""
    return url_of(request.param, tmp_path)


@pytest.fixture(scope="module", params=["functions", "inline"])
def documents(
    request: pytest.FixtureRequest, generate_once: Callable[..., GeneratedPackage]
) -> GeneratedPackage:
    package = generate_once(
        MODELS,
        auth=AUTH,
        style=request.param,
        models={"Document": DOCUMENT, "Folder": FOLDER},
    )
    package.write_hooks({m.lower(): HOOKS.format(model=m) for m in ("Document", "Folder")})
    return package


async def create(client: Any, user: dict[str, str], url: str, body: dict[str, Any]) -> Any:
    response = await client.post(url, json=body, headers=user)
    assert response.status_code == 201, response.text
    return response.json()


async def test_an_upsert_never_takes_over_another_users_row(
    documents: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(documents) as client:
        anns = await create(client, ANN, "/documents", {"slug": "a", "title": "Ann's"})
        taken = await client.post(
            "/documents/upsert", json={"slug": "a", "title": "Bob's now"}, headers=BOB
        )
        assert taken.status_code == 409, taken.text
        assert "a" in taken.json()["detail"]

        bulk = await client.post(
            "/documents/bulk/upsert",
            json=[{"slug": "b", "title": "new"}, {"slug": "a", "title": "Bob's now"}],
            headers=BOB,
        )
        assert bulk.status_code == 409, bulk.text

        still = (await client.get(f"/documents/{anns['id']}", headers=ANN)).json()
        assert (still["owner"], still["title"]) == ("ann", "Ann's")
        bobs = (await client.get("/documents", headers=BOB)).json()
        assert bobs["items"] == [], "all or nothing: the new row of the batch is gone too"

        own = await client.post("/documents/upsert", json={"slug": "b", "title": "1"}, headers=BOB)
        assert own.status_code == 200 and own.json()["owner"] == "bob", own.text
        again = await client.post(
            "/documents/upsert", json={"slug": "b", "title": "2"}, headers=BOB
        )
        assert again.status_code == 200 and again.json()["id"] == own.json()["id"], again.text
        assert again.json()["title"] == "2", "one's own row is still updated"


async def test_no_write_moves_a_row_out_of_its_writers_scope(
    documents: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(documents) as client:
        doc = await create(client, BOB, "/documents", {"slug": "b", "title": "Bob's"})
        url = f"/documents/{doc['id']}"

        patched = await client.patch(url, json={"owner": "ann"}, headers=BOB)
        assert patched.status_code == 403, patched.text
        replace_body = {"slug": "b", "title": "x", "owner": "ann"}
        replaced = await client.put(url, json=replace_body, headers=BOB)
        assert replaced.status_code == 403, replaced.text
        bulk = await client.patch(
            "/documents", json={"ids": [doc["id"]], "values": {"owner": "ann"}}, headers=BOB
        )
        assert bulk.status_code == 403, bulk.text

        after = await client.get(url, headers=BOB)
        assert after.status_code == 200 and after.json() == doc, "nothing changed"
        assert (await client.get("/documents", headers=ANN)).json()["items"] == []

        kept = await client.patch(url, json={"title": "renamed"}, headers=BOB)
        assert kept.status_code == 200 and kept.json()["title"] == "renamed", kept.text


async def test_a_scope_written_without_generating_again_never_lets_a_write_escape(
    generate: Callable[..., GeneratedPackage], app_client: Any, database_url: str
) -> None:
    """The routes were generated while the hooks did nothing (on PostgreSQL their writes
    commit themselves); the scope is written afterwards and `crudgen generate` forgotten.
    A write that would leave the scope is refused before it is made."""
    package = generate(MODELS, auth=AUTH, models={"Document": DOCUMENT, "Folder": FOLDER})
    for model in ("Document", "Folder"):  # no write_hooks: the package is not regenerated
        (package.path / "hooks" / f"{model.lower()}.py").write_text(HOOKS.format(model=model))
    async with app_client(package) as client:
        doc = await create(client, BOB, "/documents", {"slug": "b", "title": "Bob's"})
        url = f"/documents/{doc['id']}"
        patched = await client.patch(url, json={"owner": "ann"}, headers=BOB)
        if database_url.startswith("postgresql"):
            assert patched.status_code == 500, patched.text
            assert "crudgen generate" in patched.json()["detail"]
        else:  # the route holds a transaction: the write is undone
            assert patched.status_code == 403, patched.text
        after = await client.get(url, headers=BOB)
        assert after.status_code == 200 and after.json() == doc, "nothing changed"


async def test_nested_reads_hold_only_related_rows_the_user_may_see(
    documents: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(documents) as client:
        folder = await create(client, ANN, "/folders", {"name": "Ann's folder"})
        mine = await create(
            client, ANN, "/documents", {"slug": "a", "title": "mine", "folder_id": folder["id"]}
        )
        gone = await create(
            client, ANN, "/documents", {"slug": "g", "title": "gone", "folder_id": folder["id"]}
        )
        await create(
            client, BOB, "/documents", {"slug": "b", "title": "Bob's", "folder_id": folder["id"]}
        )
        deleted = await client.delete(f"/documents/{gone['id']}", headers=ANN)
        assert deleted.status_code == 204, deleted.text

        read = (await client.get(f"/folders/{folder['id']}", headers=ANN)).json()
        assert [d["slug"] for d in read["documents"]] == ["a"], read
        assert read["documents"][0]["id"] == mine["id"]
        listed = (await client.get("/folders", headers=ANN)).json()["items"]
        assert [d["slug"] for d in listed[0]["documents"]] == ["a"], listed


async def test_a_role_limit_governs_every_route_that_performs_the_operation(
    documents: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(documents) as client:
        doc = await create(client, BOB, "/documents", {"slug": "b", "title": "Bob's"})
        one = {"slug": "e", "title": "Eve's"}
        for method, url, body in (
            ("POST", "/documents", one),
            ("POST", "/documents/bulk", [one]),
            ("POST", "/documents/upsert", one),
            ("POST", "/documents/bulk/upsert", [one]),
            ("PATCH", "/documents", {"ids": [doc["id"]], "values": {"title": "x"}}),
            ("POST", "/folders", {"name": "f", "documents": [one]}),
        ):
            refused = await client.request(method, url, json=body, headers=EVE)
            assert refused.status_code == 403, (method, url, refused.text)
        assert (await client.get("/documents", headers=EVE)).json()["items"] == []
        folder = await client.post("/folders", json={"name": "f", "documents": [one]}, headers=BOB)
        assert folder.status_code == 201, folder.text
        assert [d["slug"] for d in folder.json()["documents"]] == ["e"]
