"""The quality claims hold on the corpus of real shapes (tests/models/real_shapes/): the
generated packages pass the project's ruff rules (with E501 at the line length: long
names and paths make docstrings and comments wrap) and mypy --strict, including classic
`@as_declarative` bases and SQLModel tables, whose columns mypy does not know as class
attributes.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from crudgen.config import Config
from crudgen.pipeline import plan_run
from crudgen.write import apply_plan

# These tests start ruff and mypy: not in the fast tier.
pytestmark = pytest.mark.slow

MODELS = Path(__file__).resolve().parent.parent / "models"
SHAPES = MODELS / "real_shapes"
BIN = Path(sys.executable).parent

CHECKED = (
    "as_declarative_base",
    "composite_version",
    "inheritance_classic",
    "inheritance_joined",
    "inheritance_single",
    "legacy_column_names",
    "load_hooks",
    "loader_options",
    "long_names",
    "mutable_json",
    "mysql_types",
    "natural_keys",
    "parameter_names",
    "postgres_types",
    "secret_columns",
    "server_timestamps",
    "sqlmodel_tables",
    "type_decorators",
    "versioned_rows",
)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every checked shape, generated into `<root>/<shape>_api`; returns the root."""
    root = tmp_path_factory.mktemp("real_shapes_quality")
    for shape in CHECKED:
        # The emitted tests of a hierarchy have tests of their own (each class below, the
        # discriminator): checked with the package.
        config = Config(
            sources=(str(SHAPES / f"{shape}.py"),),
            out_dir=root / f"{shape}_api",
            with_tests=shape.startswith("inheritance_"),
        )
        apply_plan(plan_run(config).plan)
    return root


def test_ruff_passes_on_the_corpus(generated: Path) -> None:
    result = subprocess.run(
        [
            str(BIN / "ruff"), "check", "--isolated", "--no-cache",
            "--select", "E,F,I,UP,B", "--line-length", "88", "--target-version", "py310",
            "--config", 'lint.isort.known-first-party=["real_shapes"]',
            *(f"{shape}_api" for shape in CHECKED),
        ],
        cwd=generated,
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_passes_on_the_corpus(generated: Path) -> None:
    result = subprocess.run(
        [
            str(BIN / "mypy"), "--strict", "--hide-error-context", "--no-error-summary",
            "--no-incremental", *(f"{shape}_api" for shape in CHECKED),
        ],
        cwd=generated,
        env={"MYPYPATH": str(MODELS), "PATH": str(BIN)},
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert result.returncode in (0, 1), result.stdout + result.stderr  # 2: mypy crashed
    errors = (result.stdout + result.stderr).splitlines()
    assert not errors, "\n".join(errors)
