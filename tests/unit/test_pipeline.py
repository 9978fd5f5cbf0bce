"""The pipeline end to end, before writing: while black formats in worker processes, the
package is checked and its new modules imported beside it; the plan is the same either way,
and a template's invalid Python is still reported as such first."""

from __future__ import annotations

import dataclasses
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import crudgen.formatting
from crudgen.config import Config
from crudgen.errors import TemplateError
from crudgen.pipeline import plan_run

pytestmark = pytest.mark.slow  # black over the blog package, in worker processes

BLOG = Path(__file__).resolve().parents[2] / "examples" / "blog"
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.fixture
def blog_config(tmp_path: Path) -> Iterator[Config]:
    sys.path.insert(0, str(BLOG))
    yield Config(sources=(str(BLOG / "blog" / "models.py"),), out_dir=tmp_path / "api")
    sys.path.remove(str(BLOG))


@pytest.fixture
def in_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any package is big enough to format in worker processes."""
    monkeypatch.setattr(crudgen.formatting, "PARALLEL_MIN_CHARS", 0)


@pytest.mark.parametrize("layout", ["default", "hooks and tests placed, inline style"])
def test_formatting_in_workers_plans_what_formatting_here_plans(
    blog_config: Config, layout: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = blog_config
    if layout != "default":  # the hooks beside the output, in the package holding both
        monkeypatch.chdir(tmp_path)
        Path("app").mkdir()
        Path("app", "__init__.py").write_text("")
        config = dataclasses.replace(
            config,
            out_dir=Path("app", "generated"),
            hooks_dir=Path("app", "hooks"),
            tests_dir=Path("tests", "api"),
            with_tests=True,
            style="inline",
        )
    here = plan_run(config)
    monkeypatch.setattr(crudgen.formatting, "PARALLEL_MIN_CHARS", 0)
    in_workers = plan_run(config)
    assert in_workers.plan == here.plan and in_workers.warnings == here.warnings
    assert len(here.plan.changes) > 20


@pytest.mark.usefixtures("in_workers")
def test_invalid_python_from_a_template_is_told_as_such_while_black_runs_beside(
    blog_config: Config, tmp_path: Path
) -> None:
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    shutil.copy(TEMPLATES / "crud.py.j2", overrides / "crud.py.j2")
    with (overrides / "crud.py.j2").open("a") as template:
        template.write("\nbroken = (\n")
    config = dataclasses.replace(blog_config, templates_dir=overrides)
    with pytest.raises(TemplateError, match=r"crud\.py\.j2 produced invalid Python in crud/"):
        plan_run(config)
