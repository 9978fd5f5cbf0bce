"""[tool.crudgen] in pyproject.toml, CLI flags on top, and what each option changes."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from crudgen.config import build_config
from crudgen.errors import ConfigError
from tests.cli.support import GADGET, MODELS, crudgen, make_shop_project, snapshot
from tests.conftest import GeneratedPackage

# These tests start processes (the CLI, ruff, mypy, pre-commit) or fuzz: not in the fast tier.
pytestmark = pytest.mark.slow


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Widget with a note field, and Gadget: per-model options need a field and a model to name."""
    return make_shop_project(
        tmp_path,
        MODELS.replace(
            "String(40))", "String(40))\n    note: Mapped[str] = mapped_column(default='')"
        )
        + GADGET,
    )


def write_settings(project: Path, body: str) -> None:
    (project / "pyproject.toml").write_text(
        '[project]\nname = "shop"\n\n[tool.crudgen]\n' + textwrap.dedent(body)
    )


def test_settings_are_found_from_a_subdirectory_and_flags_override(project: Path) -> None:
    write_settings(project, 'sources = ["shop/models.py"]\nout = "shop/api"\ntitle = "Shop"\n')
    (project / "shop" / "sub").mkdir()
    config = build_config(project / "shop" / "sub")
    assert config.out_dir == project / "shop" / "api"
    assert config.title == "Shop"
    assert config.pyproject == project / "pyproject.toml"
    overridden = build_config(project, out=Path("elsewhere"), title="Other")
    assert overridden.out_dir == Path("elsewhere") and overridden.title == "Other"

    result = crudgen("generate", cwd=project)
    assert result.returncode == 0, result.stderr
    assert '"Shop"' in (project / "shop" / "api" / "app.py").read_text()


def test_unknown_key_names_the_key_the_line_and_the_allowed_keys(project: Path) -> None:
    write_settings(project, 'sources = ["shop/models.py"]\nout = "api"\ncolour = "red"\n')
    with pytest.raises(ConfigError) as raised:
        build_config(project)
    message = str(raised.value)
    assert "tool.crudgen.colour" in message and "sources" in message and "max_page_size" in message
    assert raised.value.location is not None and raised.value.location.line == 7

    result = crudgen("generate", cwd=project)
    assert result.returncode == 2 and "pyproject.toml:7" in result.stderr
    assert not (project / "api").exists()


def test_unknown_per_model_key_and_unknown_model(project: Path) -> None:
    write_settings(
        project,
        'sources = ["shop/models.py"]\nout = "api"\n[tool.crudgen.models.Widget]\nsize = 3\n',
    )
    with pytest.raises(ConfigError, match=r"models\.Widget\.size'; did you mean 'page_size'"):
        build_config(project)
    write_settings(
        project, 'sources = ["shop/models.py"]\nout = "api"\n[tool.crudgen.models.Nope]\n'
    )
    result = crudgen("generate", cwd=project)
    assert result.returncode == 2 and "no model named Nope" in result.stderr


def test_init_writes_a_starter_section_once(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert crudgen("init", cwd=tmp_path).returncode == 0
    text = (tmp_path / "pyproject.toml").read_text()
    assert text.startswith('[project]\nname = "x"\n') and "[tool.crudgen]" in text
    build_config(tmp_path)  # the starter section is valid as written
    again = crudgen("init", cwd=tmp_path)
    assert again.returncode == 2 and "already has" in again.stderr


def test_include_and_exclude_models(project: Path) -> None:
    write_settings(project, 'sources = ["shop/models.py"]\nout = "api"\nexclude = ["Gadget"]\n')
    assert crudgen("generate", cwd=project).returncode == 0
    files = snapshot(project / "api")
    assert "routers/widget.py" in files and "routers/gadget.py" not in files


async def test_per_model_options_change_the_generated_api(
    project: Path, generate: Callable[..., GeneratedPackage], app_client: Any
) -> None:
    write_settings(
        project,
        """
        sources = ["shop/models.py"]
        out = "api"
        [tool.crudgen.models.Widget]
        read_only = ["note"]
        page_size = 2
        max_page_size = 3
        prefix = "/things"
        tags = ["things"]
        routes = ["create", "get", "list"]
        """,
    )
    config = build_config(project)
    package = generate(*config.sources, models=config.models)
    async with app_client(package) as client:
        sent_note = await client.post("/things", json={"name": "a", "note": "x"})
        assert sent_note.status_code == 422, "read-only fields are refused in bodies"
        for name in "abc":
            assert (await client.post("/things", json={"name": name})).status_code == 201
        page = await client.get("/things")
        assert page.json()["limit"] == 2 and len(page.json()["items"]) == 2
        assert (await client.get("/things?limit=4")).status_code == 422
        assert (await client.get("/things?limit=3")).status_code == 200
        assert (await client.delete("/things/1")).status_code == 405
        assert (await client.patch("/things/1", json={"name": "b"})).status_code == 405
        document = (await client.get("/openapi.json")).json()
        assert set(document["paths"]) >= {"/things", "/things/{id}"}
        assert set(document["paths"]["/things/{id}"]) == {"get"}
        assert document["paths"]["/things"]["post"]["tags"] == ["things"]
        assert "note" in document["components"]["schemas"]["WidgetRead"]["properties"]
        assert "note" not in document["components"]["schemas"]["WidgetCreate"]["properties"]


def test_options_that_would_break_creates_are_refused(project: Path) -> None:
    write_settings(
        project,
        'sources = ["shop/models.py"]\nout = "api"\n'
        '[tool.crudgen.models.Widget]\nexclude_fields = ["name"]\n',
    )
    result = crudgen("generate", cwd=project)
    assert result.returncode == 2 and "name cannot be excluded" in result.stderr
    write_settings(
        project,
        'sources = ["shop/models.py"]\nout = "api"\n'
        '[tool.crudgen.models.Widget]\nexclude_fields = ["colour"]\n',
    )
    result = crudgen("generate", cwd=project)
    assert result.returncode == 2 and "has no field colour" in result.stderr


def test_code_style_is_chosen_per_model(project: Path) -> None:
    write_settings(
        project,
        'sources = ["shop/models.py"]\nout = "api"\nstyle = "inline"\n'
        '[tool.crudgen.models.Gadget]\nstyle = "functions"\n',
    )
    assert crudgen("generate", cwd=project).returncode == 0
    files = snapshot(project / "api")
    assert "crud/widget.py" not in files and b"resource = Resource(" in files["routers/widget.py"]
    assert "crud/gadget.py" in files and b"from ..crud import gadget" in files["routers/gadget.py"]
    write_settings(project, 'sources = ["shop/models.py"]\nout = "api"\nstyle = "mixed"\n')
    refused = crudgen("generate", cwd=project)
    assert refused.returncode == 2 and "style" in refused.stderr


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ('soft_delete_timestamp = "note"', "note is string: a soft-delete timestamp"),
        ('version_column = "name"', "name is string: a version column"),
        ("optimistic_locking = true", "optimistic_locking needs a version column"),
        ("soft_delete = true", "soft_delete needs soft_delete_flag"),
    ],
)
def test_feature_columns_are_validated(project: Path, options: str, message: str) -> None:
    write_settings(
        project,
        f'sources = ["shop/models.py"]\nout = "api"\n[tool.crudgen.models.Widget]\n{options}\n',
    )
    result = crudgen("generate", cwd=project)
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert not (project / "api").exists()
