"""Where hooks and emitted tests go (hooks_dir, tests_dir), and how files import each other."""

from __future__ import annotations

from pathlib import Path

import pytest

from crudgen.config import build_config
from crudgen.errors import ConfigError
from crudgen.placement import Placement, placement_of


def _placement(tmp_path: Path, settings: str) -> Placement:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.crudgen]\nsources = ["app/models.py"]\nout = "app/generated"\n' + settings
    )
    return placement_of(build_config(tmp_path))


def test_by_default_hooks_and_tests_live_in_the_package(tmp_path: Path) -> None:
    placement = _placement(tmp_path, "")
    assert (placement.hooks, placement.tests) == ("hooks", "tests")
    crud = placement.importer("crud/post.py")
    assert crud.module("hooks") == "..hooks"
    assert crud.models("..models") == "..models"
    conftest = placement.importer("tests/conftest.py")
    assert (conftest.module(""), conftest.module("app")) == ("..", "..app")
    assert placement.importer("hooks/post.py").models("app.models") == "app.models"


def test_hooks_beside_the_package_are_imported_relatively(tmp_path: Path) -> None:
    placement = _placement(tmp_path, 'hooks_dir = "app/hooks"\n')
    assert placement.hooks == "../hooks"
    assert placement.path(placement.hooks, "post.py") == "../hooks/post.py"
    assert placement.importer("crud/post.py").module("hooks") == "...hooks"
    assert placement.importer("routers/post.py").module("hooks") == "...hooks"
    # A YAML spec's models are a module of the generated package.
    assert placement.importer("../hooks/post.py").models("..models") == "..generated.models"


def test_tests_in_the_project_tree_import_the_package_by_name(tmp_path: Path) -> None:
    placement = _placement(tmp_path, 'tests_dir = "tests/api"\n')
    assert placement.tests == "../../tests/api"
    conftest = placement.importer("../../tests/api/conftest.py")
    assert conftest.module("") == "app.generated"
    assert conftest.module("app") == "app.generated.app"
    assert conftest.models(".models") == "app.generated.models"
    assert conftest.models("app.models") == "app.models"


def test_tests_inside_the_package_stay_relative(tmp_path: Path) -> None:
    placement = _placement(tmp_path, 'tests_dir = "app/generated/checks/api"\n')
    assert placement.importer("checks/api/conftest.py").module("app") == "...app"


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ('hooks_dir = "hooks"', "hooks_dir"),  # beside `app`, not inside its package
        ('hooks_dir = "app/generated"', "directory of its own"),
        ('hooks_dir = "app/generated/crud"', "directory of its own"),
        ('tests_dir = "tests/my-api"', "'my-api' is not a Python name"),
        ('tests_dir = "../elsewhere"', "outside the project"),
    ],
)
def test_a_directory_that_cannot_work_is_refused_at_its_line(
    tmp_path: Path, settings: str, message: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        _placement(tmp_path, f"title = 'x'\n{settings}\n")
    assert message in raised.value.message
    assert raised.value.location is not None
    assert raised.value.location.line == 5
    assert raised.value.hint
