"""Authentication, roles and row scoping over HTTP.

`auth` names the application's own dependency (tests/e2e/models/notes_auth.py: bearer
tokens); roles are checked per operation; the hooks' scope() gets the current user and
limits every read and write to that user's rows.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from crudgen.config import ModelOptions
from tests.conftest import GeneratedPackage

MODELS = Path(__file__).resolve().parent / "models" / "owned_notes.py"
AUTH = "tests.e2e.models.notes_auth:get_current_user"
ROLES = (("create", ("writer", "admin")), ("delete", ("admin",)), ("bulk_delete", ("admin",)))
ANN, BOB, EVE = ({"Authorization": f"Bearer token-{name}"} for name in ("ann", "bob", "eve"))

# The user's hooks: each user sees and changes only their own notes, stamped on create.
HOOKS = textwrap.dedent(
    """
    from typing import Any

    from fastapi import APIRouter
    from sqlalchemy import ColumnElement
    from sqlalchemy.ext.asyncio import AsyncSession

    from tests.e2e.models.owned_notes import Note

    from ..auth import current_principal

    router = APIRouter()


    @router.get("/whoami")
    async def whoami() -> dict[str, Any]:
        return {"name": current_principal.get()["name"]}


    def scope(principal: Any) -> list[ColumnElement[bool]]:
        return [Note.owner == principal["name"]]


    async def before_create(session: AsyncSession, values: dict[str, Any]) -> dict[str, Any]:
        return {**values, "owner": current_principal.get()["name"]}


    async def after_create(session: AsyncSession, row: Note) -> None:
        pass


    async def before_update(
        session: AsyncSession, key: dict[str, Any], values: dict[str, Any]
    ) -> dict[str, Any]:
        return values


    async def after_update(session: AsyncSession, row: Note) -> None:
        pass


    async def before_delete(session: AsyncSession, key: dict[str, Any]) -> None:
        pass


    async def after_delete(session: AsyncSession, key: dict[str, Any]) -> None:
        pass
    """
)


@pytest.fixture(scope="module")
def notes(generate_once: Callable[..., GeneratedPackage]) -> GeneratedPackage:
    package = generate_once(
        MODELS, auth=AUTH, models={"Note": ModelOptions(read_only=("owner",), roles=ROLES)}
    )
    package.write_hooks({"note": HOOKS})
    return package


async def test_routes_need_a_user_and_the_operations_role(
    notes: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(notes) as client:
        for method, url in (("GET", "/notes"), ("POST", "/notes"), ("GET", "/notes/1")):
            anonymous = await client.request(method, url, json={"text": "x"})
            assert anonymous.status_code == 401, (method, url, anonymous.text)
        assert (await client.get("/notes/whoami")).status_code == 401, "the hooks' routes too"
        assert (await client.get("/notes/whoami", headers=BOB)).json() == {"name": "bob"}

        reader = await client.post("/notes", json={"text": "x"}, headers=EVE)
        assert reader.status_code == 403, "create needs writer or admin"
        assert (await client.get("/notes", headers=EVE)).status_code == 200, "list is open"

        created = await client.post("/notes", json={"text": "bob's"}, headers=BOB)
        assert created.status_code == 201 and created.json()["owner"] == "bob"
        note = f"/notes/{created.json()['id']}"
        assert (await client.delete(note, headers=BOB)).status_code == 403, "admins only"
        assert (await client.get(note, headers=BOB)).status_code == 200

        ann_note = (await client.post("/notes", json={"text": "ann's"}, headers=ANN)).json()
        assert (await client.delete(f"/notes/{ann_note['id']}", headers=ANN)).status_code == 204
        bulk = await client.request("DELETE", "/notes", json={"ids": [1]}, headers=BOB)
        assert bulk.status_code == 403


async def test_each_user_reads_and_writes_only_their_rows(
    notes: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(notes) as client:
        ann = [(await client.post("/notes", json={"text": t}, headers=ANN)).json() for t in "ab"]
        bob = (await client.post("/notes", json={"text": "c"}, headers=BOB)).json()

        ann_list = (await client.get("/notes", headers=ANN)).json()
        assert ann_list["total"] == 2 and [n["text"] for n in ann_list["items"]] == ["a", "b"]
        counted = await client.get("/notes", params={"offset": 1, "limit": 1}, headers=BOB)
        assert counted.json()["total"] == 1, "the count is scoped too"

        ann_note = f"/notes/{ann[0]['id']}"
        assert (await client.get(ann_note, headers=BOB)).status_code == 404
        assert (await client.patch(ann_note, json={"text": "z"}, headers=BOB)).status_code == 404
        bulk = await client.patch(
            "/notes", json={"ids": [ann[0]["id"]], "values": {"text": "z"}}, headers=BOB
        )
        assert bulk.status_code == 404
        assert (await client.get(ann_note, headers=ANN)).json()["text"] == "a", "unchanged"
        admin_delete = await client.delete(f"/notes/{bob['id']}", headers=ANN)
        assert admin_delete.status_code == 404, "an admin's role does not widen the scope"
        assert (await client.get(f"/notes/{bob['id']}", headers=BOB)).status_code == 200
