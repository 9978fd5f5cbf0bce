"""The run cache (.crudgen-cache/): a no-op answered without the pipeline, never a stale answer.

Each test runs crudgen as a user does, in a separate process. A cache hit is told from a
full run by what the process imported: a hit imports neither SQLAlchemy nor the models.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from crudgen.cache import CACHE_DIR, KEEP_RUNS, SETTLE_SECONDS, RunCache
from tests.cli.support import (
    MODELS,
    SHOP_SETTINGS,
    cli_environment,
    crudgen,
    make_shop_project,
    snapshot,
)
from tests.conftest import REPO

# These tests start processes (the CLI, ruff, mypy, pre-commit) or fuzz: not in the fast tier.
pytestmark = pytest.mark.slow

HEAVY = ("sqlalchemy", "jinja2", "black", "fastapi", "shop")

# Runs crudgen's console entry point, then reports the top-level packages it had imported.
IMPORTS_PROBE = textwrap.dedent(
    """
    import json, sys
    report, *args = sys.argv[1:]
    sys.argv = ["crudgen", *args]
    from crudgen.cli import main
    code = 0
    try:
        main()
    except SystemExit as exit:
        code = exit.code or 0
    loaded = sorted({name.split(".")[0] for name in sys.modules} & set(json.loads(report)))
    print(json.dumps({"code": code, "loaded": loaded}), file=sys.stderr)
    """
)


def crudgen_imports(*args: str, cwd: Path) -> tuple[int, list[str], str]:
    """(exit code, which of HEAVY the run imported, stdout) of `crudgen *args`."""
    result = subprocess.run(
        [sys.executable, "-c", IMPORTS_PROBE, json.dumps(HEAVY), *args],
        cwd=cwd,
        env=cli_environment(),
        capture_output=True,
        text=True,
    )
    report = json.loads(result.stderr.strip().splitlines()[-1])
    return report["code"], report["loaded"], result.stdout


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project configured in pyproject.toml, generated once."""
    make_shop_project(tmp_path, settings=SHOP_SETTINGS)
    first = crudgen("generate", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    return tmp_path


def test_unchanged_project_is_answered_without_the_pipeline(project: Path) -> None:
    full = crudgen("check", "--no-cache", cwd=project)
    assert full.returncode == 0, full.stderr
    for args in (("check",), ("generate", "--quiet"), ("diff",)):
        code, loaded, _ = crudgen_imports(*args, cwd=project)
        assert code == 0 and loaded == [], f"{args} imported {loaded}"
    # Other options are another invocation: recorded by its first run, a hit from then on.
    explicit = ("check", "shop/models.py", "--out", "shop/api", "--title", "crudgen API")
    assert crudgen_imports(*explicit, cwd=project)[:2] == (
        0,
        ["black", "jinja2", "shop", "sqlalchemy"],
    )
    assert crudgen_imports(*explicit, cwd=project)[:2] == (0, [])
    code, loaded, out = crudgen_imports("check", cwd=project)
    assert out == full.stdout, "a hit reports exactly what the full run reports"
    assert (
        crudgen("generate", cwd=project).stdout
        == crudgen("generate", "--no-cache", cwd=project).stdout
    )


def test_help_imports_nothing_heavy(tmp_path: Path) -> None:
    code, loaded, out = crudgen_imports("--help", cwd=tmp_path)
    assert code == 0 and "generate" in out
    assert loaded == []


def test_a_changed_model_is_a_miss(project: Path) -> None:
    models = project / "shop" / "models.py"
    models.write_text(models.read_text().replace("String(40)", "String(60)"))  # same size
    code, loaded, out = crudgen_imports("check", cwd=project)
    assert code == 1 and "sqlalchemy" in loaded
    assert "would update" in out and "schemas/widget.py" in out


def test_a_changed_module_the_models_import_is_a_miss(tmp_path: Path) -> None:
    make_shop_project(
        tmp_path,
        "from shop.base import NAME_LENGTH, Base, Mapped, String, mapped_column\n\n\n"
        + "class Widget(Base):\n"
        + "    __tablename__ = 'widgets'\n"
        + "    id: Mapped[int] = mapped_column(primary_key=True)\n"
        + "    name: Mapped[str] = mapped_column(String(NAME_LENGTH))\n",
        SHOP_SETTINGS,
    )
    (tmp_path / "shop" / "base.py").write_text(
        MODELS.split("class Widget")[0] + "\nNAME_LENGTH = 40\n"
    )
    assert crudgen("generate", cwd=tmp_path).returncode == 0
    assert crudgen_imports("check", cwd=tmp_path)[:2] == (0, [])
    base = tmp_path / "shop" / "base.py"
    base.write_text(base.read_text().replace("NAME_LENGTH = 40", "NAME_LENGTH = 80"))
    code, _, out = crudgen_imports("check", cwd=tmp_path)
    assert code == 1 and "schemas/widget.py" in out


def test_a_new_module_in_a_models_package_is_a_miss(tmp_path: Path) -> None:
    package = tmp_path / "shop" / "models"
    package.mkdir(parents=True)
    (tmp_path / "shop" / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "widget.py").write_text(MODELS)
    (tmp_path / "pyproject.toml").write_text(SHOP_SETTINGS.replace("shop/models.py", "shop/models"))
    assert crudgen("generate", cwd=tmp_path).returncode == 0
    assert crudgen_imports("check", cwd=tmp_path)[:2] == (0, [])
    (package / "gadget.py").write_text(
        "from sqlalchemy.orm import Mapped, mapped_column\n\n"
        "from shop.models.widget import Base\n\n\n"
        "class Gadget(Base):\n"
        "    __tablename__ = 'gadgets'\n"
        "    id: Mapped[int] = mapped_column(primary_key=True)\n"
    )
    code, _, out = crudgen_imports("check", cwd=tmp_path)
    assert code == 1 and "would create" in out and "routers/gadget.py" in out


def test_a_changed_or_added_template_override_is_a_miss(project: Path) -> None:
    overrides = project / "overrides"
    overrides.mkdir()
    builtin = REPO / "templates"
    shutil.copy(builtin / "router.py.j2", overrides / "router.py.j2")
    (project / "pyproject.toml").write_text(SHOP_SETTINGS + 'templates = "overrides"\n')
    assert crudgen("generate", cwd=project).returncode == 0
    assert crudgen_imports("check", cwd=project)[:2] == (0, [])

    router = overrides / "router.py.j2"
    router.write_text(router.read_text() + "\n# one more line\n")
    code, _, out = crudgen_imports("check", cwd=project)
    assert code == 1 and "routers/widget.py" in out
    assert crudgen("generate", cwd=project).returncode == 0

    shutil.copy(builtin / "db.py.j2", overrides / "db.py.j2")
    (overrides / "db.py.j2").write_text((builtin / "db.py.j2").read_text() + "\n# mine\n")
    code, _, out = crudgen_imports("check", cwd=project)
    assert code == 1 and "would update" in out and "db.py" in out


def test_changed_settings_are_a_miss(project: Path) -> None:
    (project / "pyproject.toml").write_text(SHOP_SETTINGS + "line_length = 60\n")
    code, loaded, out = crudgen_imports("check", cwd=project)
    assert code == 1 and "sqlalchemy" in loaded and "would update" in out
    assert crudgen("generate", cwd=project).returncode == 0
    assert crudgen_imports("check", cwd=project)[:2] == (0, [])
    # An option on the command line is another invocation, with an entry of its own.
    code, _, out = crudgen_imports("check", "--title", "Other", cwd=project)
    assert code == 1 and "app.py" in out


def test_hand_edited_or_deleted_generated_files_are_reported(project: Path) -> None:
    crud = project / "shop" / "api" / "crud" / "widget.py"
    text = crud.read_text()
    crud.write_text(text.replace("resource.get(", "resource.got(", 1))  # same size
    code, _, out = crudgen_imports("check", cwd=project)
    assert code == 1 and "conflict (generated, then edited by hand)" in out
    crud.write_text(text)
    assert crudgen_imports("check", cwd=project)[:2] == (0, [])

    (project / "shop" / "api" / "routers" / "widget.py").unlink()
    code, _, out = crudgen_imports("check", cwd=project)
    assert code == 1 and "would create" in out and "routers/widget.py" in out


def test_files_left_alone_are_compared_by_stat_and_still_caught(project: Path) -> None:
    """Once files have settled, a hit reads only their stat: an edit that keeps the size and
    puts the modification time back is still seen (the change time cannot be put back)."""
    time.sleep(SETTLE_SECONDS + 0.2)
    assert crudgen_imports("check", cwd=project)[:2] == (0, [])  # records the stats
    entry = json.loads(next((project / CACHE_DIR).glob("run-*.json")).read_text())
    assert all(p["stat"] is not None for p in entry["outputs"].values())
    assert crudgen_imports("check", cwd=project)[:2] == (0, [])

    models = project / "shop" / "models.py"
    status = models.stat()
    models.write_text(models.read_text().replace("String(40)", "String(41)"))
    os.utime(models, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert models.stat().st_size == status.st_size
    code, _, out = crudgen_imports("check", cwd=project)
    assert code == 1 and "schemas/widget.py" in out


def test_corrupt_cache_files_are_ignored(project: Path) -> None:
    cache = project / CACHE_DIR
    (entry,) = cache.glob("run-*.json")
    (memo,) = cache.glob("format-*.json")
    for garbage in ("{not json", "[]", '{"key": 1}', json.dumps({"texts": {"a": 1}})):
        entry.write_text(garbage)
        memo.write_text(garbage)
        code, loaded, out = crudgen_imports("check", cwd=project)
        assert code == 0 and "sqlalchemy" in loaded and "up to date" in out
    assert crudgen_imports("check", cwd=project)[:2] == (0, []), "the entry was written anew"

    memo.write_text(memo.read_text()[:1000])  # cut short
    (project / "shop" / "models.py").write_text(MODELS + "\n# touched\n")
    assert crudgen("generate", cwd=project).returncode == 0
    assert crudgen("check", "--no-cache", cwd=project).returncode == 0


def test_formatting_memo_gives_the_bytes_black_gives(project: Path) -> None:
    models = project / "shop" / "models.py"
    models.write_text(models.read_text().replace("String(40)", "String(70)"))
    assert crudgen("generate", cwd=project).returncode == 0
    fresh = project / "fresh"
    result = crudgen("generate", "--no-cache", "shop/models.py", "--out", "fresh", cwd=project)
    assert result.returncode == 0, result.stderr
    assert snapshot(project / "shop" / "api") == snapshot(fresh)


def test_warnings_are_repeated_on_a_hit(tmp_path: Path) -> None:
    # A concrete-table subclass is skipped with a warning.
    (tmp_path / "concrete_models.py").write_text(CONCRETE_MODELS)
    args = ("concrete_models.py", "--out", "api")
    first = crudgen("generate", *args, cwd=tmp_path)
    assert first.returncode == 0 and "skipped Outlet" in first.stderr
    hit = crudgen("check", *args, cwd=tmp_path)
    assert hit.returncode == 0 and hit.stderr == first.stderr


def test_no_cache_reads_and_writes_no_cache(tmp_path: Path) -> None:
    make_shop_project(tmp_path)
    result = crudgen("generate", "--no-cache", "shop/models.py", "--out", "api", cwd=tmp_path)
    assert result.returncode == 0
    assert not (tmp_path / CACHE_DIR).exists()
    crudgen("generate", "shop/models.py", "--out", "api", cwd=tmp_path)
    ignore = (tmp_path / CACHE_DIR / ".gitignore").read_text()
    assert ignore.splitlines()[-1] == "*", "git never sees the cache"


def test_old_entries_are_pruned(tmp_path: Path) -> None:
    for number in range(KEEP_RUNS + 3):
        cache = RunCache(tmp_path / CACHE_DIR, {"invocation": number})
        cache._write_entry({"key": cache.key})
        os.utime(cache.entry_path, ns=(number * 10**9, number * 10**9))
    kept = sorted(
        json.loads(p.read_text())["key"]["invocation"] for p in cache.directory.glob("run-*")
    )
    assert kept == list(range(3, KEEP_RUNS + 3)), "the newest entries stay"


def test_a_run_during_which_an_input_changed_is_not_recorded(tmp_path: Path) -> None:
    """As if the user saved a module while crudgen ran: the run may have read the old text."""
    make_shop_project(
        tmp_path,
        "import pathlib\n\nimport shop.notes\n\n"
        "pathlib.Path(shop.notes.__file__).write_text('NOTE = 2\\n')\n" + MODELS,
        SHOP_SETTINGS,
    )
    (tmp_path / "shop" / "notes.py").write_text("NOTE = 1\n")
    assert crudgen("generate", cwd=tmp_path).returncode == 0
    assert not list((tmp_path / CACHE_DIR).glob("run-*.json"))
    code, loaded, _ = crudgen_imports("check", cwd=tmp_path)
    assert code == 0 and "sqlalchemy" in loaded


def test_an_output_changed_after_planning_is_not_recorded(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crudgen.config import build_config
    from crudgen.pipeline import plan_run

    monkeypatch.chdir(project)
    monkeypatch.setattr(sys, "path", list(sys.path))  # the source puts the project first
    try:
        for edit in (False, True):
            shutil.rmtree(project / CACHE_DIR)
            cache = RunCache.for_invocation(project, {})
            assert cache is not None
            config = build_config(project)
            run = plan_run(config, start_formatting=cache.memoized(config.out_dir))
            assert not run.plan.pending
            if edit:
                app = project / "shop" / "api" / "app.py"
                app.write_text(app.read_text() + "# edited meanwhile\n")
            cache.remember(build_config(project), run.plan, run.warnings)
            assert cache.entry_path.exists() is not edit
    finally:
        for name in [m for m in sys.modules if m == "shop" or m.startswith("shop.")]:
            del sys.modules[name]


def test_a_changed_yaml_spec_is_a_miss(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    shutil.copy(REPO / "examples" / "shop" / "api.yaml", spec)
    args = ("api.yaml", "--out", "shop_api")
    assert crudgen("generate", *args, cwd=tmp_path).returncode == 0
    code, loaded, _ = crudgen_imports("check", *args, cwd=tmp_path)
    assert code == 0 and "jinja2" not in loaded
    spec.write_text(spec.read_text().replace("length: 255", "length: 254", 1))
    code, _, out = crudgen_imports("check", *args, cwd=tmp_path)
    assert code == 1 and "schemas/customer.py" in out


CONCRETE_MODELS = """
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Shop(Base):
    __tablename__ = "shops"
    id: Mapped[int] = mapped_column(primary_key=True)


class Outlet(Shop):
    __tablename__ = "outlets"
    __mapper_args__ = {"concrete": True}
    id: Mapped[int] = mapped_column(primary_key=True)


class Plain(Base):
    __tablename__ = "plains"
    id: Mapped[int] = mapped_column(primary_key=True)
"""
