"""The documented owner pattern end to end: `auth` names the user, `owner` is read_only (and
required: it has no default), the before_create hook stamps it from the user, and scope()
keeps each user to their rows. A hook that forgets to stamp is a clear server error naming
the hook, not a database error."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from crudgen.config import ModelOptions
from tests.conftest import GeneratedPackage

MODELS = Path(__file__).resolve().parent / "models" / "stamped_memos.py"
AUTH = "tests.e2e.models.notes_auth:get_current_user"
ANN, BOB = ({"Authorization": f"Bearer token-{name}"} for name in ("ann", "bob"))

HOOKS = textwrap.dedent(
    """
    from typing import Any

    from fastapi import APIRouter
    from sqlalchemy import ColumnElement
    from sqlalchemy.ext.asyncio import AsyncSession

    from tests.e2e.models.stamped_memos import Memo

    from ..auth import current_principal

    router = APIRouter()


    def scope(principal: Any) -> list[ColumnElement[bool]]:
        return [Memo.owner == principal["name"]]


    async def before_create(session: AsyncSession, values: dict[str, Any]) -> dict[str, Any]:
        return {STAMP}


    async def after_create(session: AsyncSession, row: Memo) -> None:
        pass


    async def before_update(
        session: AsyncSession, key: dict[str, Any], values: dict[str, Any]
    ) -> dict[str, Any]:
        return values


    async def after_update(session: AsyncSession, row: Memo) -> None:
        pass


    async def before_delete(session: AsyncSession, key: dict[str, Any]) -> None:
        pass


    async def after_delete(session: AsyncSession, key: dict[str, Any]) -> None:
        pass
    """
)
STAMPS = '**values, "owner": current_principal.get()["name"]'
FORGETS = "**values"


def memos(generate: Callable[..., GeneratedPackage], stamp: str) -> GeneratedPackage:
    package = generate(MODELS, auth=AUTH, models={"Memo": ModelOptions(read_only=("owner",))})
    hooks = HOOKS.replace("{STAMP}", "{" + stamp + "}")
    package.write_hooks({"memo": hooks})
    return package


async def test_the_hook_stamps_the_owner_no_request_may_give(
    generate: Callable[..., GeneratedPackage], app_client: Any
) -> None:
    async with app_client(memos(generate, STAMPS)) as client:
        created = await client.post("/memos", json={"text": "ann's"}, headers=ANN)
        assert created.status_code == 201, created.text
        assert created.json()["owner"] == "ann"
        forged = await client.post("/memos", json={"text": "x", "owner": "bob"}, headers=ANN)
        assert forged.status_code == 422, "read_only: no request sets the owner"
        bulk = await client.post("/memos/bulk", json=[{"text": "b1"}], headers=BOB)
        assert bulk.status_code == 201 and bulk.json()[0]["owner"] == "bob", bulk.text
        memo = f"/memos/{created.json()['id']}"
        assert (await client.get(memo, headers=BOB)).status_code == 404, "scoped to its owner"
        assert (await client.get(memo, headers=ANN)).status_code == 200


@pytest.mark.parametrize("url, body", [("/memos", {"text": "x"}), ("/memos/bulk", [{"text": "x"}])])
async def test_a_hook_that_forgets_the_owner_is_named(
    generate: Callable[..., GeneratedPackage], app_client: Any, url: str, body: Any
) -> None:
    async with app_client(memos(generate, FORGETS)) as client:
        response = await client.post(url, json=body, headers=ANN)
        assert response.status_code == 500
        assert "hooks.memo.before_create must set owner" in response.json()["detail"]
        assert (await client.get("/memos", headers=ANN)).json()["total"] == 0, "nothing written"
