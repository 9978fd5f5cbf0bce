"""`generate --with-tests`: the emitted tests pass out of the box, on SQLite and PostgreSQL,
for every model of the test corpus (tests/e2e/models, tests/models) and of each example.

By default the corpus run takes a fixed part of the corpus on each database (PINNED on
both, a third of the rest on each: see runs_on); `CRUDGEN_FULL_CORPUS=1 python -m pytest
tests/e2e/test_generated_tests.py` runs every package on both. The packages are generated
into one directory and their tests run by one pytest process per database, as a user would
run them (`python -m pytest`, `DATABASE_URL` set or not). The examples' own emitted tests
are committed with them (with_tests = true in their pyproject.toml) and run in place.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

import pytest

from crudgen.config import Config, ModelOptions
from crudgen.errors import CrudgenError
from crudgen.pipeline import plan_run
from crudgen.write import apply_plan
from tests.conftest import EXAMPLES, MODELS, formatting_remembered, url_of

REPO = Path(__file__).resolve().parent.parent.parent
E2E_MODELS = Path(__file__).resolve().parent / "models"
AUTH = "notes_auth"  # an auth dependency, not models
MULTI = MODELS / "shapes_multi"
# Every model source of the corpus, by the name of its generated package.
CORPUS: dict[str, tuple[Path, ...]] = {
    **{f"e2e_{p.stem}": (p,) for p in sorted(E2E_MODELS.glob("[!_]*.py")) if p.stem != AUTH},
    **{f"shape_{p.stem}": (p,) for p in sorted((MODELS / "real_shapes").glob("[!_]*.py"))},
    **{p.name: (p,) for p in sorted(MODELS.glob("shapes_*")) if p.name != "shapes_multi"},
    # shapes_multi holds two projects: customers with orders, and a zoo.
    "shapes_multi_orders": (MULTI / "customers.py", MULTI / "orders.py"),
    "shapes_multi_zoo": (MULTI / "zoo.py",),
    "shop_handwritten": (MODELS / "shop_handwritten",),
    "spec_shapes": (REPO / "tests" / "specs" / "shapes.yaml",),
    "e2e_owned_notes_auth": (E2E_MODELS / "owned_notes.py",),
}
# Packages generated with options: (sources, Config keywords).
WITH_OPTIONS: dict[str, dict[str, Any]] = {
    # Every route behind the application's auth dependency, some limited to roles.
    "e2e_owned_notes_auth": {
        "auth": "tests.e2e.models.notes_auth:get_current_user",
        "models": {
            "Note": ModelOptions(
                roles=(
                    ("create", ("writer",)),
                    ("delete", ("admin",)),
                    ("list", ("reader", "admin")),
                )
            )
        },
    },
}
# Shapes crudgen refuses to generate (the error cases of unknown types and of one table
# under two bases): they have no API to test.
REFUSED = {"shape_same_table_two_bases", "shape_unknown_types"}
# Types only one database has: their tests run there alone.
ONLY_ON = {"shape_postgres_types": "postgres", "shape_mysql_types": "mysql"}
# The corpus run is the slowest part of the suite (each package's tests on two databases).
# The packages named here run on both always: those of the lists above, every column type,
# the YAML spec and the inheritance hierarchies. Of the others, a fixed third runs on SQLite
# and another third on PostgreSQL, picked by a hash of the name (a new shape moves no other
# one). CRUDGEN_FULL_CORPUS=1 runs every package on both. The examples' tests always run.
PINNED = {
    *WITH_OPTIONS,
    *REFUSED,
    *ONLY_ON,
    "e2e_all_types",
    "spec_shapes",
    "shapes_inheritance",
    *(name for name in CORPUS if name.startswith("shape_inheritance_")),
}
_SHARE = {"sqlite": 0, "postgres": 1}  # which third of the unpinned packages runs where


def runs_on(name: str, database: str) -> bool:
    """Whether the corpus run on `database` takes the package `name`."""
    if name in PINNED or os.environ.get("CRUDGEN_FULL_CORPUS") == "1":
        return True
    return zlib.crc32(name.encode()) % 3 == _SHARE.get(database)


GENERATED = {name for name in CORPUS if any(runs_on(name, db) for db in _SHARE)}
EXAMPLE_TESTS = {
    "blog": EXAMPLES / "blog" / "blog" / "generated" / "tests",
    "shop": EXAMPLES / "shop" / "shop_api" / "tests",
    "tasks": EXAMPLES / "tasks" / "tasks" / "api" / "tests",
    "library": EXAMPLES / "library" / "library" / "api" / "tests",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every corpus package generated with its tests, side by side in one directory."""
    root = tmp_path_factory.mktemp("with_tests")
    refused = set()
    for name, sources in CORPUS.items():
        if name not in GENERATED:
            continue
        out = root / f"api_{name}"  # not the name of a models package
        options = WITH_OPTIONS.get(name, {})
        config = Config(sources=tuple(map(str, sources)), out_dir=out, with_tests=True, **options)
        try:
            apply_plan(plan_run(config, start_formatting=formatting_remembered).plan)
        except CrudgenError:
            refused.add(name)
    assert refused == REFUSED
    return root


def run_pytest(
    paths: list[Path], *, cwd: Path, database_url: str | None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(MODELS), str(cwd)])}
    env.pop("DATABASE_URL", None)
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *map(str, paths)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def passed_count(output: str) -> int:
    found = re.search(r"(\d+) passed", output)
    return int(found.group(1)) if found else 0


async def _empty_schema(url: str) -> None:
    """The emitted tests create missing tables: start from none (other test modules leave
    tables of the same names, with other columns)."""
    from sqlalchemy.ext.asyncio import create_async_engine

    from tests.conftest import reset_database

    engine = create_async_engine(url)
    try:
        await reset_database(engine)
    finally:
        await engine.dispose()


@pytest.mark.slow
@pytest.mark.parametrize("database", ["sqlite", "postgres", "mysql"])
async def test_emitted_tests_pass_on_every_corpus_model(
    corpus: Path, database: str, tmp_path: Path
) -> None:
    url = None if database == "sqlite" else url_of(database, tmp_path)
    if url is not None:
        await _empty_schema(url)
    packages = [
        corpus / f"api_{name}" / "tests"
        for name in CORPUS
        if runs_on(name, database)
        and name not in REFUSED
        and ONLY_ON.get(name, database) == database
        # MariaDB/MySQL: the types only it has (the rest is required on SQLite and PostgreSQL).
        and (database != "mysql" or name in ONLY_ON)
    ]
    result = run_pytest(packages, cwd=corpus, database_url=url)
    assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-5000:]
    # Every module ran its tests: none was skipped or left uncollected.
    assert "skipped" not in result.stdout.splitlines()[-1]
    modules = sum(len(list(p.glob("test_*.py"))) for p in packages)
    assert passed_count(result.stdout) >= 3 * modules


@pytest.mark.slow
@pytest.mark.parametrize("database", ["sqlite", "postgres"])
@pytest.mark.parametrize("example", sorted(EXAMPLE_TESTS))
async def test_each_example_ships_passing_tests(
    example: str, database: str, tmp_path: Path
) -> None:
    tests = EXAMPLE_TESTS[example]
    assert sorted(p.name for p in tests.glob("test_*.py")), f"{example} commits no tests"
    url = None if database == "sqlite" else url_of(database, tmp_path)
    if url is not None:
        await _empty_schema(url)
    result = run_pytest([tests], cwd=EXAMPLES / example, database_url=url)
    assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-5000:]
    assert passed_count(result.stdout) >= 3 * len(list(tests.glob("test_*.py")))
