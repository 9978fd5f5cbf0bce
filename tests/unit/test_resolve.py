"""The resolve stage: option layers (a YAML spec, then [tool.crudgen], then flags) applied to
the models, and every problem placed at the key of the layer that set it."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from crudgen.config import OPERATIONS, ModelOptions, Operation, build_config, layered
from crudgen.errors import ConfigError, OptionsError
from crudgen.pipeline import plan_run

SPEC = """\
models:
  Item:
    fields:
      id: {type: integer, primary_key: true}
      name: {type: string, length: 20}
      size: {type: integer, nullable: true}
    read_only: [nope]
    page_size: 7
"""


def project(tmp_path: Path, settings: str, spec: str = SPEC) -> Path:
    (tmp_path / "api.yaml").write_text(spec)
    header = '[tool.crudgen]\nsources = ["api.yaml"]\nout = "api"\n'
    (tmp_path / "pyproject.toml").write_text(header + textwrap.dedent(settings))
    return tmp_path


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_operations_are_listed_once() -> None:
    from typing import get_args

    assert OPERATIONS == get_args(Operation)
    assert ModelOptions().routes == OPERATIONS


def test_problems_of_every_layer_come_at_once_each_at_its_own_key(tmp_path: Path) -> None:
    root = project(tmp_path, '[tool.crudgen.models.Item]\nsort_fields = ["missing"]\n')
    with pytest.raises(OptionsError) as raised:
        plan_run(build_config(root))
    by_path = {problem.path: problem for problem in raised.value.problems}
    assert set(by_path) == {"models.Item.read_only", "models.Item.sort_fields"}
    spec_problem, pyproject_problem = by_path.values()
    assert spec_problem.location.file.endswith("api.yaml")
    assert spec_problem.location.line == line_of(root / "api.yaml", "read_only")
    assert "no field nope" in spec_problem.message
    assert pyproject_problem.location.file.endswith("pyproject.toml")
    assert pyproject_problem.location.line == line_of(root / "pyproject.toml", "sort_fields")
    assert "2 problems in the options" in str(raised.value)
    assert not (root / "api").exists()


def test_a_key_set_in_both_layers_is_placed_where_it_wins(tmp_path: Path) -> None:
    root = project(tmp_path, '[tool.crudgen.models.Item]\nread_only = ["gone"]\n')
    with pytest.raises(OptionsError) as raised:
        plan_run(build_config(root))
    (problem,) = raised.value.problems
    assert problem.location.file.endswith("pyproject.toml") and "no field gone" in problem.message


def test_pyproject_wins_key_by_key_over_the_spec(tmp_path: Path) -> None:
    spec = SPEC.replace("    read_only: [nope]\n", "")
    root = project(tmp_path, "[tool.crudgen.models.Item]\nmax_page_size = 9\n", spec)
    (item,) = plan_run(build_config(root)).config.models.values()  # type: ignore[union-attr]
    assert item.max_page_size == 9
    options = layered(ModelOptions(page_size=7), item)
    assert (options.page_size, options.max_page_size) == (7, 9)


def test_every_settings_problem_is_reported_at_its_line_with_a_suggestion(
    tmp_path: Path,
) -> None:
    root = project(
        tmp_path,
        """\
        page_sise = 10
        title = "x"

        [tool.crudgen.models.Item]
        hard_delete = "maybe"
        nested_read = ["x"]
        """,
    )
    pyproject = root / "pyproject.toml"
    with pytest.raises(ConfigError) as raised:
        build_config(root)
    problems = raised.value.problems  # type: ignore[attr-defined]
    assert [p.location.line for p in problems] == [
        line_of(pyproject, "page_sise"),
        line_of(pyproject, "hard_delete"),
        line_of(pyproject, "nested_read"),
    ]
    assert "did you mean 'page_size'" in problems[0].message
    assert "tool.crudgen.models.Item.hard_delete" in problems[1].message
    assert "did you mean 'nested_reads'" in problems[2].message


def test_an_inline_table_places_its_keys_on_its_line(tmp_path: Path) -> None:
    root = project(tmp_path, "[tool.crudgen.models]\nItem = { page_size = 0 }\n")
    with pytest.raises(ConfigError) as raised:
        build_config(root)
    assert raised.value.location is not None
    assert raised.value.location.line == line_of(root / "pyproject.toml", "Item = {")
