"""Optimistic locking (version column, ETag / If-Match) and soft delete, over HTTP."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import GeneratedPackage, url_of

MODELS = textwrap.dedent(
    """
    import datetime

    from sqlalchemy import DateTime, String
    from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


    class Base(DeclarativeBase):
        pass


    class Document(Base):
        __tablename__ = "documents"
        id: Mapped[int] = mapped_column(primary_key=True)
        title: Mapped[str] = mapped_column(String(100))
        version: Mapped[int] = mapped_column(default=1)
        deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True))


    class Note(Base):
        __tablename__ = "notes"
        id: Mapped[int] = mapped_column(primary_key=True)
        text: Mapped[str] = mapped_column(String(100))
        revision: Mapped[int] = mapped_column()
        is_deleted: Mapped[bool] = mapped_column(default=False)
        __mapper_args__ = {"version_id_col": revision}
    """
)


@pytest.fixture(params=["sqlite", "postgres", "mysql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """MariaDB too: it has no UPDATE ... RETURNING, so updates take the fallback path."""
    return url_of(request.param, tmp_path)


@pytest.fixture
def package(
    tmp_path: Path, generate: Callable[..., GeneratedPackage], code_style: str
) -> GeneratedPackage:
    models = tmp_path / "versioned_models.py"
    models.write_text(MODELS)
    return generate(models, style=code_style)


async def test_stale_version_gets_409_and_changes_nothing(
    package: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(package) as client:
        created = await client.post("/documents", json={"title": "draft"})
        assert created.status_code == 201 and created.json()["version"] == 1
        assert created.headers["etag"] == '"1"'
        doc = f"/documents/{created.json()['id']}"
        assert (await client.get(doc)).headers["etag"] == '"1"'

        first = await client.patch(doc, json={"title": "first", "version": 1})
        assert first.status_code == 200
        assert first.json()["version"] == 2 and first.headers["etag"] == '"2"'

        stale = await client.patch(doc, json={"title": "lost update", "version": 1})
        assert stale.status_code == 409
        assert stale.json()["current_version"] == 2
        assert (await client.get(doc)).json()["title"] == "first"

        by_header = await client.put(doc, json={"title": "put"}, headers={"If-Match": '"2"'})
        assert by_header.status_code == 200 and by_header.json()["version"] == 3
        stale_header = await client.patch(doc, json={"title": "x"}, headers={"If-Match": '"2"'})
        assert stale_header.status_code == 409

        unversioned = await client.patch(doc, json={"title": "no version"})
        assert unversioned.status_code == 428
        missing = await client.patch("/documents/999", json={"title": "x", "version": 1})
        assert missing.status_code == 404, "a missing row is not a version conflict"

        assert (await client.delete(f"{doc}?version=1")).status_code == 409
        assert (await client.delete(doc)).status_code == 428
        assert (await client.delete(doc, headers={"If-Match": '"3"'})).status_code == 204


async def test_version_and_flags_are_not_writable(
    package: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(package) as client:
        for body in ({"title": "t", "deleted_at": None}, {"title": "t", "version": 7}):
            assert (await client.post("/documents", json=body)).status_code == 422
        created = (await client.post("/documents", json={"title": "t"})).json()
        patched = await client.patch(
            f"/documents/{created['id']}", json={"title": "u", "version": 1}
        )
        assert patched.json()["version"] == 2, "the body's version is a precondition, not a value"
        sneaky = await client.patch(
            f"/documents/{created['id']}", json={"deleted_at": "2026-01-01T00:00:00Z"}
        )
        assert sneaky.status_code == 422


async def test_soft_delete_hides_restores_and_hard_deletes(
    package: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(package) as client:
        kept = (await client.post("/documents", json={"title": "kept"})).json()
        gone = (await client.post("/documents", json={"title": "gone"})).json()
        url = f"/documents/{gone['id']}"

        assert (await client.delete(f"{url}?version=1")).status_code == 204
        assert (await client.get(url)).status_code == 404
        shown = await client.get(f"{url}?include_deleted=true")
        assert shown.status_code == 200 and shown.json()["version"] == 2
        stamp = datetime.fromisoformat(shown.json()["deleted_at"].replace("Z", "+00:00"))
        assert stamp.year >= 2026
        listed = (await client.get("/documents")).json()
        assert [d["title"] for d in listed["items"]] == ["kept"] and listed["total"] == 1
        everything = (await client.get("/documents?include_deleted=true")).json()
        assert everything["total"] == 2
        assert (await client.patch(url, json={"title": "x", "version": 2})).status_code == 404
        assert (await client.delete(f"{url}?version=2")).status_code == 404, "already deleted"

        restored = await client.post(f"{url}/restore")
        assert restored.status_code == 200 and restored.json()["deleted_at"] is None
        assert (await client.get(url)).status_code == 200

        assert (await client.delete(f"{url}?version=2&hard=true")).status_code == 204
        assert (await client.get(f"{url}?include_deleted=true")).status_code == 404
        assert (await client.post(f"{url}/restore")).status_code == 404
        assert (await client.get(f"/documents/{kept['id']}")).status_code == 200


async def test_version_id_col_and_flag_are_recognised(
    package: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(package) as client:
        created = await client.post("/notes", json={"text": "hello"})
        assert created.status_code == 201
        note = created.json()
        assert note["revision"] == 1 and note["is_deleted"] is False
        url = f"/notes/{note['id']}"
        updated = await client.patch(url, json={"text": "hi", "revision": 1})
        assert updated.status_code == 200 and updated.json()["revision"] == 2
        assert (await client.patch(url, json={"text": "x", "revision": 1})).status_code == 409
        assert (await client.delete(f"{url}?revision=2")).status_code == 204
        deleted = (await client.get(f"{url}?include_deleted=true")).json()
        assert deleted["is_deleted"] is True and deleted["revision"] == 3


async def test_hard_delete_can_be_switched_off(
    tmp_path: Path, generate: Callable[..., GeneratedPackage], app_client: Any
) -> None:
    from crudgen.config import ModelOptions

    models = tmp_path / "soft_only_models.py"
    models.write_text(MODELS)
    package = generate(models, models={"Document": ModelOptions(hard_delete=False)})
    async with app_client(package) as client:
        created = (await client.post("/documents", json={"title": "kept"})).json()
        url = f"/documents/{created['id']}"
        assert (await client.delete(f"{url}?version=1&hard=true")).status_code == 204
        still_there = await client.get(f"{url}?include_deleted=true")
        assert still_there.status_code == 200, "without hard delete, DELETE only marks the row"
        assert still_there.json()["deleted_at"] is not None
        document = (await client.get("/openapi.json")).json()
        parameters = document["paths"]["/documents/{id}"]["delete"]["parameters"]
        assert "hard" not in {p["name"] for p in parameters}
