"""Errors that finish the job (issue 14 item 8): every [tool.crudgen] problem at once, each at
its own line; --out naming a file; a module the models import that is not installed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from crudgen.config import build_config
from crudgen.errors import ConfigError, WriteError, install_hint
from crudgen.files import RenderedFile
from crudgen.plan import build_plan
from crudgen.write import apply_plan
from tests.cli.test_generate_command import MODELS, crudgen
from tests.conftest import REPO

# These tests start processes (the CLI, ruff, mypy, pre-commit) or fuzz: not in the fast tier.
pytestmark = pytest.mark.slow

# Each line the error must name ends with `# L<line>`.
SETTINGS = """\
[project]
name = "shop"

[tool.crudgen]
sources = ["shop/models.py"]
out = "api"
colour = "red"  # L7
models.Other.pag_size = 3  # L8
"max page size" = 4  # L9
type_map = { INET = "nope" }  # L10
crate_tables = false  # L11

[tool.crudgen.models.Widget]
routes = [
    "create",
    "fly",  # L16
]
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "__init__.py").write_text("")
    (tmp_path / "shop" / "models.py").write_text(MODELS)
    return tmp_path


def test_every_settings_problem_at_once_each_at_its_line(project: Path) -> None:
    (project / "pyproject.toml").write_text(SETTINGS)
    result = crudgen("generate", cwd=project)
    assert result.returncode == 2
    problems = [p for p in result.stderr.splitlines() if re.search(r"toml:\d+:", p)]
    lines = [int(re.findall(r"pyproject\.toml:(\d+):", p)[0]) for p in problems]
    assert lines == [7, 8, 9, 10, 11, 16], result.stderr
    by_line = dict(zip(lines, problems, strict=True))
    assert "did you mean 'page_size'" in by_line[8]
    assert "did you mean 'max_page_size'" in by_line[9]
    assert "did you mean 'create_tables'" in by_line[11]
    assert "allowed keys: " in by_line[7]
    assert "routes.1" in by_line[16]
    assert not (project / "api").exists()


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('[tool.crudgen]\nsources = ["a" "b"]\nout = "api"\n', 2),
        ('[tool.crudgen]\nout = "api"\nsources = [\n', 3),
    ],
)
def test_invalid_toml_is_reported_at_its_line(project: Path, text: str, line: int) -> None:
    (project / "pyproject.toml").write_text(text)
    with pytest.raises(ConfigError) as raised:
        build_config(project)
    assert raised.value.location is not None and raised.value.location.line == line
    result = crudgen("check", cwd=project)
    assert result.returncode == 2 and f"pyproject.toml:{line}: invalid TOML" in result.stderr


def test_out_naming_a_file_says_so(project: Path) -> None:
    (project / "afile").write_text("mine\n")
    for out, what in (("afile", "is a file"), ("afile/api", "is inside afile, which is a file")):
        for command in ("generate", "check", "diff"):
            result = crudgen(command, "shop/models.py", "--out", out, cwd=project)
            assert result.returncode == 2, (command, result.stderr)
            assert f"error: the output directory {out} {what}" in result.stderr, result.stderr
            assert "crudgen-tmp" not in result.stderr and "Not a directory" not in result.stderr
    (project / "pyproject.toml").write_text(
        '[tool.crudgen]\nsources = ["shop/models.py"]\n\nout = "afile"\n'
    )
    result = crudgen("generate", cwd=project)
    assert result.returncode == 2 and "pyproject.toml:4: the output directory" in result.stderr
    assert (project / "afile").read_text() == "mine\n"


def test_a_missing_import_names_the_package_to_install(project: Path) -> None:
    models = project / "shop" / "models.py"
    models.write_text("import yaml_is_not_here.sub\nimport dateutil_x\n" + MODELS)
    result = crudgen("check", "shop/models.py", "--out", "api", cwd=project)
    assert result.returncode == 2
    assert "shop/models.py:1: importing shop.models raised ModuleNotFoundError" in result.stderr
    assert "hint: install it where crudgen runs: pip install yaml-is-not-here" in result.stderr

    models.write_text("import yaml\nimport jwt_not_installed\n" + MODELS)
    under_pre_commit = subprocess.run(
        [sys.executable, "-m", "crudgen", "check", "shop/models.py", "--out", "api"],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "200", "PRE_COMMIT": "1"},
        capture_output=True,
        text=True,
    )
    assert under_pre_commit.returncode == 2
    assert "'jwt-not-installed' to the hook's additional_dependencies" in under_pre_commit.stderr


def test_install_hint_names_the_distribution(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PRE_COMMIT", raising=False)
    assert install_hint("yaml") == "install it where crudgen runs: pip install PyYAML"
    assert install_hint("greenlet").endswith("pip install sqlalchemy[asyncio]")
    monkeypatch.setenv("PRE_COMMIT", "1")
    assert "add 'python-dateutil' to the hook's additional_dependencies" in install_hint(
        "dateutil.parser"
    )


def test_a_write_error_names_the_file_not_its_temporary_name(tmp_path: Path) -> None:
    out = tmp_path / "out"
    plan = build_plan(out, [RenderedFile("a/b.py", "t.j2", "# Generated by crudgen\n")])
    out.mkdir()
    (out / "a").write_text("")  # since planned: a file where a directory must go
    with pytest.raises(WriteError) as raised:
        apply_plan(plan)
    assert raised.value.location is not None
    assert raised.value.location.file == str(out / "a" / "b.py")
    assert "crudgen-tmp" not in str(raised.value)
