"""The settings behind the OpenAPI document: the title's default, the operation id
pattern, plural collection names (issue 14, item 6); and `crudgen -V`."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from crudgen import __version__
from crudgen.cli import app
from crudgen.config import Config, build_config
from crudgen.errors import CrudgenError
from crudgen.naming import plural_table_name

SETTINGS = """
[tool.crudgen]
sources = ["models.py"]
out = "generated"
"""


def config_of(tmp_path: Path, text: str) -> Config:
    (tmp_path / "pyproject.toml").write_text(text)
    return build_config(tmp_path)


def test_the_title_defaults_to_the_project_name(tmp_path: Path) -> None:
    named = config_of(tmp_path, '[project]\nname = "bookshop"\n' + SETTINGS)
    assert named.title == "bookshop"


def test_a_configured_title_wins_over_the_project_name(tmp_path: Path) -> None:
    text = '[project]\nname = "bookshop"\n' + SETTINGS + 'title = "Books API"\n'
    assert config_of(tmp_path, text).title == "Books API"


def test_without_a_project_name_the_title_is_crudgen_api(tmp_path: Path) -> None:
    assert config_of(tmp_path, SETTINGS).title == "crudgen API"


def test_the_operation_id_pattern_is_read(tmp_path: Path) -> None:
    config = config_of(tmp_path, SETTINGS + 'operation_ids = "{Model}_{verb}"\n')
    assert config.operation_ids == "{Model}_{verb}"


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("{verb}", "one of {noun}"),
        ("{noun}_items", "use {verb}"),
        ("{verb}_{thing}", "unknown placeholder {thing}"),
        ("{verb} {noun}", "letters, digits"),
    ],
)
def test_an_operation_id_pattern_that_cannot_be_unique_is_refused(
    tmp_path: Path, pattern: str, message: str
) -> None:
    with pytest.raises(CrudgenError) as error:
        config_of(tmp_path, SETTINGS + f'operation_ids = "{pattern}"\n')
    assert message in str(error.value)


@pytest.mark.parametrize(
    ("table", "collection"),
    [
        ("user", "users"),
        ("users", "users"),
        ("blog_post", "blog_posts"),
        ("category", "categories"),
        ("status", "statuses"),
        ("address", "addresses"),
        ("person", "people"),
        ("people", "people"),
        ("order_item", "order_items"),
        ("news", "news"),
    ],
)
def test_collection_names_are_plural(table: str, collection: str) -> None:
    assert plural_table_name(table) == collection


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_short_and_long_version_flags_print_the_version(flag: str) -> None:
    result = CliRunner().invoke(app, [flag])
    assert result.exit_code == 0
    assert result.output.strip() == f"crudgen {__version__}"
