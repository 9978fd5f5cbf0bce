"""Hostile or broken input to `crudgen generate`, one test per case.

Each case must end the same way: exit code 2, a short error (no traceback) naming the file
and, where there is one, the line, a hint saying what to do, and nothing written.
"""

from __future__ import annotations

import subprocess
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.cli.support import crudgen, snapshot
from tests.conftest import GeneratedPackage

# These tests start processes (the CLI, ruff, mypy, pre-commit) or fuzz: not in the fast tier.
pytestmark = pytest.mark.slow


HEADER = textwrap.dedent(
    """
    from sqlalchemy import String
    from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


    class Base(DeclarativeBase):
        pass
    """
)


def write_models(project: Path, name: str, text: str) -> str:
    """A models module in the project; returns its path relative to the project."""
    (project / "shop" / name).write_text(text)
    return f"shop/{name}"


def line_of(path: Path, marker: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if marker in line)


def assert_refused(result: subprocess.CompletedProcess[str], where: str, *phrases: str) -> None:
    """Exit code 2 and a short error naming `where` (file or file:line) and what to do."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    error = result.stderr
    assert error.startswith("error: ") and where in error.splitlines()[0], error
    assert "Traceback" not in error
    assert "\n  hint: " in error, "says what to do"
    assert len(error.splitlines()) <= 12, f"short, not a dump:\n{error}"
    for phrase in phrases:
        assert phrase in error, (phrase, error)


def test_models_file_with_a_syntax_error(project: Path) -> None:
    source = write_models(project, "broken.py", "from sqlalchemy import String\nclass X(:\n")
    result = crudgen("generate", source, "--out", "api", cwd=project)
    assert_refused(result, f"{source}:2", "syntax error", "fix the syntax error")
    assert not (project / "api").exists()


def test_models_file_that_does_not_exist(project: Path) -> None:
    result = crudgen("generate", "shop/nope.py", "--out", "api", cwd=project)
    assert_refused(result, "no such file: shop/nope.py", "check the path")
    assert not (project / "api").exists()


def test_models_file_raising_on_import(project: Path) -> None:
    source = write_models(
        project,
        "settings_first.py",
        HEADER
        + textwrap.dedent(
            """
            def database_url() -> str:
                raise RuntimeError("DATABASE_URL is not set")  # RAISES


            URL = database_url()
            """
        ),
    )
    line = line_of(project / source, "# RAISES")
    result = crudgen("generate", source, "--out", "api", cwd=project)
    assert_refused(result, f"{source}:{line}", "RuntimeError: DATABASE_URL is not set")
    assert not (project / "api").exists()


def test_models_file_without_models(project: Path) -> None:
    source = write_models(project, "empty.py", HEADER + "\n\nclass Plain:\n    id = 1\n")
    line = line_of(project / source, "class Base(")
    result = crudgen("generate", source, "--out", "api", cwd=project)
    assert_refused(result, f"{source}:{line}", "no models", "Base is a declarative base")
    assert not (project / "api").exists()


RANGE_MODELS = HEADER.replace(
    "String\n", "String\nfrom sqlalchemy.dialects.postgresql import INT4RANGE\n"
) + textwrap.dedent(
    """

    class Host(Base):
        __tablename__ = "hosts"
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str] = mapped_column(String(50))
        nights: Mapped[str] = mapped_column(INT4RANGE)  # UNSUPPORTED
    """
)


def test_unsupported_column_type_shows_the_type_map_line_to_add(project: Path) -> None:
    source = write_models(project, "hosts.py", RANGE_MODELS)
    line = line_of(project / source, "# UNSUPPORTED")
    result = crudgen("generate", source, "--out", "api", cwd=project)
    assert_refused(
        result,
        f"{source}:{line}",
        "column Host.nights has type INT4RANGE()",
        "[tool.crudgen.type_map]",
        'INT4RANGE = "<kind>"',
        "kinds: integer, big_integer",
    )
    assert not (project / "api").exists()

    # Adding the line it shows is the way out.
    (project / "pyproject.toml").write_text('[tool.crudgen.type_map]\nINT4RANGE = "string"\n')
    mapped = crudgen("generate", source, "--out", "api", cwd=project)
    assert mapped.returncode == 0, mapped.stderr
    assert "    nights: str\n" in (project / "api" / "schemas" / "host.py").read_text()


def test_type_map_with_an_unknown_kind(project: Path) -> None:
    source = write_models(project, "hosts.py", RANGE_MODELS)
    (project / "pyproject.toml").write_text('[tool.crudgen.type_map]\nINT4RANGE = "address"\n')
    result = crudgen("generate", source, "--out", "api", cwd=project)
    assert_refused(
        result, "/pyproject.toml:2", "tool.crudgen.type_map.INT4RANGE", "'string'", "'json'"
    )
    assert not (project / "api").exists()


def test_yaml_spec_that_is_not_yaml(project: Path) -> None:
    spec = project / "api.yaml"
    spec.write_text("models:\n  Order:\n    fields: {id: [integer\n")
    result = crudgen("generate", "api.yaml", "--out", "api", cwd=project)
    assert_refused(result, "api.yaml:4:1", "invalid YAML")  # where the parser gave up
    assert not (project / "api").exists()


def test_yaml_spec_with_wrong_keys_and_types(project: Path) -> None:
    spec = project / "api.yaml"
    spec.write_text(
        textwrap.dedent(
            """
            models:
              Order:
                fields:
                  id: {type: integer, primary_key: true}
                  total: money
                colour: red
            """
        ).lstrip()
    )
    result = crudgen("generate", "api.yaml", "--out", "api", cwd=project)
    assert_refused(result, "api.yaml:", "models.Order.fields.total", "money", "colour")
    assert f"api.yaml:{line_of(spec, 'total')}:" in result.stderr, "each problem at its line"
    assert not (project / "api").exists()


def test_unwritable_output_directory(project: Path) -> None:
    """A regular file where a directory must go: even root cannot write below it."""
    (project / "blocker").write_text("a file\n")
    result = crudgen("generate", "shop/models.py", "--out", "blocker/api", cwd=project)
    assert_refused(result, "blocker/api is inside blocker, which is a file", "does not exist yet")
    assert sorted(p.name for p in project.iterdir()) == ["blocker", "shop"]
    assert (project / "blocker").read_text() == "a file\n"


def test_output_file_crudgen_did_not_write(project: Path) -> None:
    (project / "api").mkdir()
    hand_written = project / "api" / "db.py"
    hand_written.write_text("# mine\n")
    result = crudgen("generate", "shop/models.py", "--out", "api", cwd=project)
    assert_refused(result, "api/db.py", "did not generate", "--force")
    assert "+++" not in result.stderr, "names the file; no diff of a file crudgen never wrote"
    assert hand_written.read_text() == "# mine\n"
    assert sorted(p.name for p in (project / "api").iterdir()) == ["db.py"], "wrote nothing"

    forced = crudgen("generate", "shop/models.py", "--out", "api", "--force", cwd=project)
    assert forced.returncode == 0
    assert hand_written.read_text().startswith("# Generated by crudgen")


def test_template_override_rendering_invalid_python(project: Path) -> None:
    assert crudgen("generate", "shop/models.py", "--out", "api", cwd=project).returncode == 0
    overrides = project / "bad_templates"
    overrides.mkdir()
    (overrides / "crud.py.j2").write_text(
        '{% import "_macros.j2" as macros -%}\n{{ macros.header(project) }}\ndef broken(:\n'
    )
    before = snapshot(project / "api")
    result = crudgen(
        "generate", "shop/models.py", "--out", "api", "--templates", "bad_templates", cwd=project
    )
    assert_refused(
        result, "bad_templates/crud.py.j2", "crud/widget.py", "3: def broken(:", "fix the template"
    )
    assert snapshot(project / "api") == before


# -- the way out of an unsupported type, over HTTP ------------------------------------------

USER_TYPE_MODELS = textwrap.dedent(
    """
    from sqlalchemy import types
    from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


    class Money(types.UserDefinedType[str]):
        \"\"\"A column type of the project's own, unknown to crudgen.\"\"\"

        cache_ok = True

        def get_col_spec(self, **kw: object) -> str:
            return "VARCHAR(32)"


    class PriceBase(DeclarativeBase):
        pass


    class Price(PriceBase):
        __tablename__ = "prices"
        id: Mapped[int] = mapped_column(primary_key=True)
        amount: Mapped[str] = mapped_column(Money())
    """
)


async def test_type_mapped_in_config_round_trips_over_http(
    tmp_path: Path, generate: Callable[..., GeneratedPackage], app_client: Any
) -> None:
    models = tmp_path / "money_models.py"
    models.write_text(USER_TYPE_MODELS)
    # By the name of a base class: every UserDefinedType holds text in this project.
    package = generate(models, type_map={"UserDefinedType": "string"})
    assert "amount: str" in package.files()["schemas/price.py"]
    async with app_client(package) as client:
        created = await client.post("/prices", json={"amount": "12.50 EUR"})
        assert created.status_code == 201, created.text
        fetched = await client.get(f"/prices/{created.json()['id']}")
        assert fetched.json() == {"id": created.json()["id"], "amount": "12.50 EUR"}
        assert (await client.post("/prices", json={"amount": 12})).status_code == 422
