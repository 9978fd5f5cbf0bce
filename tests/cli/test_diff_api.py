"""`crudgen diff --api` and `check --api-breaking` on real model changes: each kind of
change, made to the models of a generated package, is listed as breaking or compatible,
and the exit code says whether anything breaks."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli import support
from tests.cli.support import GADGET, SHOP_SETTINGS, crudgen, make_shop_project

# These tests start processes (the CLI and the packages it imports): not in the fast tier.
pytestmark = pytest.mark.slow

# support.MODELS with optional, defaulted and unique fields, whose changes the diff tells apart.
MODELS = support.MODELS + (
    "    colour: Mapped[str | None] = mapped_column(String(20))\n"
    "    size: Mapped[int] = mapped_column(default=1)\n"
    "    code: Mapped[str] = mapped_column(String(12), unique=True)\n"
)
EVERY_ROUTE_BUT_DELETE = (
    '[tool.crudgen.models.Widget]\nroutes = ["create", "get", "list", "update", "replace", '
    '"bulk_create", "bulk_update", "bulk_delete", "upsert", "bulk_upsert"]\n'
)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project whose package was generated from MODELS; each test edits the models."""
    root = make_shop_project(tmp_path_factory.mktemp("api_diff"), MODELS, SHOP_SETTINGS)
    result = crudgen("generate", cwd=root)
    assert result.returncode == 0, result.stderr
    return root


def api_diff(project: Path, models: str, settings: str = "") -> tuple[int, list[str]]:
    (project / "shop" / "models.py").write_text(models)
    (project / "pyproject.toml").write_text(SHOP_SETTINGS + settings)
    result = crudgen("diff", "--api", cwd=project)
    assert result.returncode in (0, 1), result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1].startswith("crudgen: API changes: ")
    return result.returncode, [" ".join(line.split()) for line in lines[:-1]]


def test_unchanged_models_change_nothing(project: Path) -> None:
    assert api_diff(project, MODELS) == (0, [])


def test_a_removed_field_breaks_requests_and_responses(project: Path) -> None:
    code, lines = api_diff(
        project, MODELS.replace("    colour: Mapped[str | None] = mapped_column(String(20))\n", "")
    )
    assert code == 1
    assert "breaking POST /widgets request body: colour: field removed" in lines
    assert "breaking GET /widgets/{id} response 200: colour: field removed" in lines
    assert "breaking GET /widgets query parameter colour: removed" in lines
    assert all(line.startswith("breaking") for line in lines), lines


def test_a_removed_upsert_key_is_reported_though_the_old_package_names_it(
    project: Path,
) -> None:
    """The package on disk names `Widget.code` when imported (the conflict target of its
    upserts): the document is still read from its routers and schemas."""
    removed = MODELS.replace("    code: Mapped[str] = mapped_column(String(12), unique=True)\n", "")
    code, lines = api_diff(project, removed)
    assert code == 1
    assert "breaking POST /widgets/upsert: route removed" in lines
    assert "breaking POST /widgets request body: code: field removed" in lines


def test_a_field_made_required_breaks_creating(project: Path) -> None:
    code, lines = api_diff(project, MODELS.replace("mapped_column(default=1)", "mapped_column()"))
    assert code == 1
    assert "breaking POST /widgets request body: size: now required" in lines
    assert "breaking PUT /widgets/{id} request body: size: now required" in lines
    # PATCH leaves out what it does not change: still optional there.
    assert not any(
        line.startswith("breaking PATCH /widgets/{id} request body: size") for line in lines
    )


def test_a_narrowed_length_breaks_requests_only(project: Path) -> None:
    code, lines = api_diff(project, MODELS.replace("String(40)", "String(10)"))
    assert code == 1
    assert "breaking POST /widgets request body: name: maxLength 40 -> 10" in lines
    assert "breaking PATCH /widgets/{id} request body: name: maxLength 40 -> 10" in lines
    widened_code, widened = api_diff(project, MODELS.replace("String(40)", "String(80)"))
    assert widened_code == 0
    assert "compatible POST /widgets request body: name: maxLength 40 -> 80" in widened


def test_a_removed_route_breaks(project: Path) -> None:
    code, lines = api_diff(project, MODELS, EVERY_ROUTE_BUT_DELETE)
    assert code == 1
    assert lines == ["breaking DELETE /widgets/{id}: route removed"]
    result = crudgen("check", "--api-breaking", cwd=project)
    assert result.returncode == 1 and "DELETE /widgets/{id}: route removed" in result.stdout


def test_an_added_optional_field_is_compatible(project: Path) -> None:
    grown = MODELS + "    note: Mapped[str | None] = mapped_column(String(100))\n"
    code, lines = api_diff(project, grown)
    assert code == 0
    assert "compatible POST /widgets request body: note: field added" in lines
    assert "compatible GET /widgets/{id} response 200: note: field added" in lines
    assert lines and all(line.startswith("compatible") for line in lines)
    # CI lets it through; plain `check` still says the package is out of date.
    assert crudgen("check", "--api-breaking", cwd=project).returncode == 0
    assert crudgen("check", cwd=project).returncode == 1


def test_added_routes_are_compatible(project: Path) -> None:
    code, lines = api_diff(project, MODELS + GADGET)
    assert code == 0
    assert "compatible POST /gadgets: route added" in lines
    assert "compatible GET /gadgets/{id}: route added" in lines
    assert all(line.startswith("compatible") for line in lines), lines
