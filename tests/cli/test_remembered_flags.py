"""Flags that change the output are remembered (issue 14 item 4): `generate` saves them to
[tool.crudgen], so `check`, `diff` and the next `generate` (the pre-commit hook runs it without
flags) produce the same output; `init` proposes create_tables = false beside alembic.ini."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from crudgen.config import build_config

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib
from tests.cli.support import MODELS, crudgen, make_shop_project, snapshot

# These tests start processes (the CLI, ruff, mypy, pre-commit) or fuzz: not in the fast tier.
pytestmark = pytest.mark.slow

PYPROJECT = """\
[project]
name = "shop"

[tool.crudgen]
sources = ["shop/models.py"]
out = "shop/api"
create_tables = true  # the default, written out
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Settings in pyproject.toml, for `generate` to save flags to."""
    return make_shop_project(tmp_path, settings=PYPROJECT)


def creates_tables(project: Path) -> bool:
    return "create_tables_on_first_use" in (project / "shop" / "api" / "app.py").read_text()


def settings(project: Path) -> dict[str, object]:
    return tomllib.loads((project / "pyproject.toml").read_text())["tool"]["crudgen"]  # type: ignore[no-any-return]


def test_generate_saves_no_create_tables_and_check_agrees(project: Path) -> None:
    first = crudgen("generate", "--no-create-tables", "--title", 'Shop "one"', cwd=project)
    assert first.returncode == 0, first.stderr
    assert (
        f'crudgen: saved create_tables = false, title = "Shop \\"one\\"" to [tool.crudgen] in '
        f"{project / 'pyproject.toml'}" in first.stdout
    )
    assert settings(project) == {
        "sources": ["shop/models.py"],
        "out": "shop/api",
        "create_tables": False,
        "title": 'Shop "one"',
    }
    assert "create_tables = false\n" in (project / "pyproject.toml").read_text()
    assert not creates_tables(project)
    generated = snapshot(project / "shop" / "api")

    check = crudgen("check", cwd=project)
    assert check.returncode == 0, check.stdout + check.stderr
    diff = crudgen("diff", cwd=project)
    assert diff.returncode == 0 and diff.stdout == ""
    again = crudgen("generate", "--quiet", cwd=project)  # as the pre-commit hook runs it
    assert again.returncode == 0 and again.stdout == ""
    assert snapshot(project / "shop" / "api") == generated, "table creation stays off"

    # The flag again, or one that matches the settings: nothing to save.
    same = crudgen("generate", "--no-create-tables", cwd=project)
    assert "saved" not in same.stdout
    back = crudgen("generate", "--create-tables", cwd=project)
    assert "saved create_tables = true" in back.stdout and creates_tables(project)
    assert crudgen("check", cwd=project).returncode == 0


def test_check_and_generate_check_do_not_save(project: Path) -> None:
    before = (project / "pyproject.toml").read_text()
    crudgen("check", "--no-create-tables", cwd=project)
    crudgen("generate", "--check", "--no-create-tables", cwd=project)
    crudgen("diff", "--with-tests", cwd=project)
    assert (project / "pyproject.toml").read_text() == before


def test_templates_and_with_tests_are_saved_relative_to_pyproject(project: Path) -> None:
    (project / "templates").mkdir()
    result = crudgen(
        "generate", "--templates", "../templates", "--with-tests", cwd=project / "shop"
    )
    assert result.returncode == 0, result.stderr
    assert settings(project)["templates"] == "templates"
    assert settings(project)["with_tests"] is True
    config = build_config(project / "shop")
    assert config.templates_dir == project / "templates" and config.with_tests
    assert crudgen("check", cwd=project).returncode == 0


def test_without_a_pyproject_the_flag_is_not_remembered_and_it_says_so(tmp_path: Path) -> None:
    (tmp_path / "models.py").write_text(MODELS)
    result = crudgen("generate", "models.py", "--out", "api", "--no-create-tables", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "warning: not remembered: create_tables = false" in result.stderr
    assert "no pyproject.toml" in result.stderr
    assert not (tmp_path / "pyproject.toml").exists()


def test_a_table_crudgen_cannot_edit_is_left_alone_with_a_warning(project: Path) -> None:
    dotted = '[tool]\ncrudgen.sources = ["shop/models.py"]\ncrudgen.out = "shop/api"\n'
    (project / "pyproject.toml").write_text(dotted)
    result = crudgen("generate", "--no-create-tables", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "warning: not remembered: create_tables = false: could not edit" in result.stderr
    assert (project / "pyproject.toml").read_text() == dotted


def test_init_proposes_create_tables_false_beside_alembic(tmp_path: Path) -> None:
    (tmp_path / "alembic.ini").write_text("[alembic]\nscript_location = migrations\n")
    result = crudgen("init", cwd=tmp_path)
    assert result.returncode == 0
    assert "alembic.ini found" in result.stdout and "create_tables = false" in result.stdout
    assert settings(tmp_path)["create_tables"] is False

    without = tmp_path / "plain"
    without.mkdir()
    assert crudgen("init", cwd=without).returncode == 0
    assert "create_tables" not in settings(without)
