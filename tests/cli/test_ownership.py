"""Hand-written code survives regeneration: hooks modules, manifest, template overrides."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.cli.support import MODELS, crudgen, make_shop_project, snapshot
from tests.conftest import GeneratedPackage

# These tests start processes (the CLI, ruff, mypy, pre-commit) or fuzz: not in the fast tier.
pytestmark = pytest.mark.slow


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Generated into api/ already: each test edits what crudgen wrote."""
    make_shop_project(tmp_path)
    assert crudgen("generate", "shop/models.py", "--out", "api", cwd=tmp_path).returncode == 0
    return tmp_path


def test_hooks_module_is_created_once_and_never_overwritten(project: Path) -> None:
    hooks = project / "api" / "hooks" / "widget.py"
    hooks.write_text(hooks.read_text() + "\n# my change\n")
    models = project / "shop" / "models.py"
    models.write_text(models.read_text().replace("String(40)", "String(80)"))
    result = crudgen("generate", "shop/models.py", "--out", "api", cwd=project)
    assert result.returncode == 0, result.stderr
    assert hooks.read_text().endswith("# my change\n")
    assert "max_length=80" in (project / "api" / "schemas" / "widget.py").read_text()

    hooks.unlink()
    assert crudgen("generate", "shop/models.py", "--out", "api", cwd=project).returncode == 0
    assert hooks.exists(), "a missing hooks module is created again, since crud imports it"


def test_hand_edited_generated_file_is_refused_shown_and_forced(project: Path) -> None:
    crud = project / "api" / "crud" / "widget.py"
    crud.write_text(crud.read_text().replace("resource.get(", "resource.fetch(", 1))
    before = snapshot(project / "api")

    assert crudgen("check", "shop/models.py", "--out", "api", cwd=project).returncode == 1
    refused = crudgen("generate", "shop/models.py", "--out", "api", cwd=project)
    assert refused.returncode == 2
    assert "edited by hand: crud/widget.py" in refused.stderr
    lost = "-    return await resource.fetch(session"
    assert lost in refused.stderr, "the diff shows what would be lost"
    assert snapshot(project / "api") == before

    forced = crudgen("generate", "shop/models.py", "--out", "api", "--force", cwd=project)
    assert forced.returncode == 0
    assert "resource.fetch(" not in crud.read_text()


def test_stale_file_edited_by_hand_is_not_deleted(project: Path) -> None:
    models = project / "shop" / "models.py"
    models.write_text(
        models.read_text()
        + "\n\nclass Gadget(Base):\n    __tablename__ = 'gadgets'\n"
        + "    id: Mapped[int] = mapped_column(primary_key=True)\n"
    )
    crudgen("generate", "shop/models.py", "--out", "api", cwd=project)
    gadget_router = project / "api" / "routers" / "gadget.py"
    gadget_router.write_text(gadget_router.read_text() + "\n# keep me\n")
    models.write_text(MODELS)
    refused = crudgen("generate", "shop/models.py", "--out", "api", cwd=project)
    assert refused.returncode == 2 and "routers/gadget.py" in refused.stderr
    assert gadget_router.exists()


async def test_hooks_change_behaviour_over_http(
    tmp_path: Path, generate: Callable[..., GeneratedPackage], app_client: Any
) -> None:
    models = tmp_path / "hooked_models.py"
    models.write_text(MODELS)
    package = generate(models)
    package.write_hooks(
        {
            "widget": textwrap.dedent(
                """
                from typing import Any

                from fastapi import APIRouter, HTTPException
                from sqlalchemy import ColumnElement, func, select
                from sqlalchemy.ext.asyncio import AsyncSession

                from hooked_models import Widget

                router = APIRouter()


                @router.get("/count-hidden")
                async def count_hidden() -> dict[str, str]:
                    return {"hidden": "names starting with _"}


                def scope(principal: Any) -> list[ColumnElement[bool]]:
                    return [Widget.name.not_like("\\\\_%", escape="\\\\")]


                async def before_create(session: AsyncSession, values: dict[str, Any]) -> Any:
                    if values["name"] == "forbidden":
                        raise HTTPException(status_code=400, detail="not that name")
                    return {**values, "name": values["name"].strip()}


                async def after_create(session: AsyncSession, row: Widget) -> None:
                    pass


                async def before_update(session, key, values):
                    return values


                async def after_update(session, row):
                    pass


                async def before_delete(session, key):
                    pass


                async def after_delete(session, key):
                    pass
                """
            )
        }
    )
    async with app_client(package) as client:
        created = await client.post("/widgets", json={"name": "  spaced  "})
        assert created.json()["name"] == "spaced"
        assert (await client.post("/widgets", json={"name": "forbidden"})).status_code == 400
        hidden = await client.post("/widgets", json={"name": "_hidden"})
        assert hidden.status_code == 201
        hidden_id = hidden.json()["id"]
        assert (await client.get(f"/widgets/{hidden_id}")).status_code == 404
        assert (await client.patch(f"/widgets/{hidden_id}", json={"name": "x"})).status_code == 404
        assert (await client.delete(f"/widgets/{hidden_id}")).status_code == 404
        page = (await client.get("/widgets")).json()
        assert page["total"] == 1 and [w["name"] for w in page["items"]] == ["spaced"]
        custom = await client.get("/widgets/count-hidden")
        assert custom.status_code == 200 and custom.json() == {"hidden": "names starting with _"}


def test_template_override_replaces_a_builtin(project: Path) -> None:
    overrides = project / "my_templates"
    overrides.mkdir()
    builtin = (Path(__file__).resolve().parents[2] / "templates" / "schemas.py.j2").read_text()
    (overrides / "schemas.py.j2").write_text(
        builtin.replace("One {{ m }} as the API returns it.", "Custom read.")
    )
    result = crudgen(
        "generate", "shop/models.py", "--out", "api", "--templates", "my_templates", cwd=project
    )
    assert result.returncode == 0, result.stderr
    schemas = (project / "api" / "schemas" / "widget.py").read_text()
    assert '"""Custom read."""' in schemas
    assert '"""Custom read."""' not in (project / "api" / "crud" / "widget.py").read_text()


def test_only_files_the_manifest_lists_are_deleted(project: Path) -> None:
    copy = project / "api" / "crud" / "widget_custom.py"
    copy.write_text((project / "api" / "crud" / "widget.py").read_text() + "\n# mine\n")
    nested = project / "api" / "admin" / "db.py"
    nested.parent.mkdir()
    nested.write_text((project / "api" / "db.py").read_text())
    result = crudgen("generate", "shop/models.py", "--out", "api", cwd=project)
    assert result.returncode == 0, result.stderr
    assert copy.exists() and nested.exists(), "crudgen deletes only what it wrote"


def test_a_hooks_module_missing_a_hook_is_an_error(project: Path) -> None:
    hooks = project / "api" / "hooks" / "widget.py"
    text = hooks.read_text()
    start = text.index("def scope(")
    end = text.index("async def before_create")
    hooks.write_text(text[:start] + text[end:])
    before = snapshot(project / "api")
    for command in ("generate", "check"):
        result = crudgen(command, "shop/models.py", "--out", "api", cwd=project)
        assert result.returncode == 2
        assert "widget.py lacks scope" in result.stderr
    assert snapshot(project / "api") == before


def test_a_hooks_module_with_an_old_signature_is_an_error(project: Path) -> None:
    """scope() used to take no argument; now it receives the current user."""
    hooks = project / "api" / "hooks" / "widget.py"
    hooks.write_text(hooks.read_text().replace("def scope(principal: Any)", "def scope()"))
    before = snapshot(project / "api")
    result = crudgen("generate", "shop/models.py", "--out", "api", cwd=project)
    assert result.returncode == 2
    assert "widget.py: scope takes fewer arguments" in result.stderr
    assert "def scope(principal: Any)" in result.stderr, "the hint shows the new signature"
    assert snapshot(project / "api") == before
