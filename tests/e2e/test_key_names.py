"""A primary key named like a word the generated code also uses works end to end; one that
would shadow a name of the generated functions is refused before anything is written."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from crudgen.errors import SourceError
from tests.conftest import GeneratedPackage

SETTINGS = textwrap.dedent(
    """
    from sqlalchemy import String
    from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


    class Base(DeclarativeBase):
        pass


    class Setting(Base):
        __tablename__ = "settings"
        key: Mapped[str] = mapped_column(String(50), primary_key=True)
        value: Mapped[str] = mapped_column(String(200))
    """
)


@pytest.fixture
def settings(tmp_path: Path, generate: Callable[..., GeneratedPackage]) -> GeneratedPackage:
    models = tmp_path / "settings_models.py"
    models.write_text(SETTINGS)
    return generate(models)


async def test_a_key_named_key_is_read_changed_and_deleted(
    settings: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(settings) as client:
        for key in ("theme", "language", "timezone"):
            created = await client.post("/settings", json={"key": key, "value": "x"})
            assert created.status_code == 201, created.text
        assert (await client.get("/settings/theme")).json() == {"key": "theme", "value": "x"}
        changed = await client.patch("/settings/theme", json={"value": "dark"})
        assert changed.status_code == 200 and changed.json()["value"] == "dark"
        assert (await client.delete("/settings/theme")).status_code == 204
        assert (await client.get("/settings/theme")).status_code == 404
        removed = await client.request("DELETE", "/settings", json={"ids": ["language"]})
        assert removed.status_code == 204, removed.text
        remaining = (await client.get("/settings")).json()
        assert [row["key"] for row in remaining["items"]] == ["timezone"]


def test_a_key_that_would_shadow_the_generated_code_is_refused(
    tmp_path: Path, generate: Callable[..., GeneratedPackage]
) -> None:
    models = tmp_path / "shadow_models.py"
    models.write_text(SETTINGS.replace("key: Mapped[str]", "data: Mapped[str]"))
    with pytest.raises(SourceError) as refused:
        generate(models)
    assert "Setting.data: a primary key attribute named 'data'" in str(refused.value)
    assert refused.value.location is not None and refused.value.location.line == 12
    assert 'mapped_column("data", primary_key=True)' in (refused.value.hint or "")


FLAGS = textwrap.dedent(
    """
    from sqlalchemy import String
    from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


    class Base(DeclarativeBase):
        pass


    class Flag(Base):
        __tablename__ = "flags"
        code: Mapped[str] = mapped_column(String(20), primary_key=True, default="")
        region: Mapped[str] = mapped_column(String(20), primary_key=True)
        enabled: Mapped[bool] = mapped_column(default=False)
    """
)


async def test_a_text_key_is_always_reachable_by_its_path(
    tmp_path: Path, generate: Callable[..., GeneratedPackage], app_client: Any
) -> None:
    """A key value that is empty or holds `/` could never be read, changed or deleted by
    its path: refused at create, and a default of "" is no default."""
    models = tmp_path / "flag_models.py"
    models.write_text(FLAGS)
    package = generate(models)
    async with app_client(package) as client:
        for body in (
            {"region": "eu"},  # the "" default would make a row no path reaches
            {"code": "", "region": "eu"},
            {"code": "a/b", "region": "eu"},
            {"code": "a", "region": "x/y"},
        ):
            refused = await client.post("/flags", json=body)
            assert refused.status_code == 422, (body, refused.text)
        for body in ({"code": "a/b", "region": "eu"},):
            upsert = await client.post("/flags/bulk", json=[body])
            assert upsert.status_code == 422, upsert.text
        assert (await client.get("/flags")).json()["total"] == 0
        created = await client.post("/flags", json={"code": "beta", "region": "eu"})
        assert created.status_code == 201, created.text
        assert (await client.get("/flags/beta/eu")).json()["code"] == "beta"
        assert (await client.delete("/flags/beta/eu")).status_code == 204
