"""hooks_dir and tests_dir in a project laid out as users lay theirs out: the generated
package in `app/generated`, the hooks beside it in `app/hooks`, the emitted tests in the
project's `tests/api`. Driven through the CLI, the emitted tests run by pytest from the
project root, the app served in-process with a hook the user wrote."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from crudgen.files import GENERATED_MARKER

pytestmark = pytest.mark.slow  # processes: the CLI and pytest

MODELS = """
from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Post(Base):
    __tablename__ = "post"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(80))
"""
SETTINGS = """
[tool.crudgen]
sources = ["app/models.py"]
out = "app/generated"
hooks_dir = "app/hooks"
tests_dir = "{tests_dir}"
with_tests = true
"""
# A hook of the user's: titles are stored in capitals.
SHOUTING_HOOK = """

async def before_create(session: AsyncSession, values: dict[str, Any]) -> dict[str, Any]:
    return values | {"title": values["title"].upper()}
"""
CREATE_A_POST = """
import asyncio, httpx
from app.generated.app import app

async def main():
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            answer = await client.post("/posts", json={"title": "quiet"})
            print(answer.status_code, answer.json()["title"])

asyncio.run(main())
"""


def _run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(project)}
    env.pop("DATABASE_URL", None)  # the generated default: SQLite in the project
    return subprocess.run(
        [sys.executable, *args], cwd=project, env=env, capture_output=True, text=True, timeout=600
    )


def _crudgen(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    ran = _run(project, "-m", "crudgen", *args)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    return ran


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "models.py").write_text(MODELS)
    _set_tests_dir(tmp_path, "tests/api")
    return tmp_path


def _set_tests_dir(project: Path, tests_dir: str) -> None:
    (project / "pyproject.toml").write_text(SETTINGS.format(tests_dir=tests_dir))


def test_hooks_and_tests_live_where_the_settings_say(project: Path) -> None:
    _crudgen(project, "generate")
    generated = project / "app" / "generated"
    assert not (generated / "hooks").exists() and not (generated / "tests").exists()
    hooks = project / "app" / "hooks"
    assert (hooks / "post.py").is_file()
    assert not (hooks / "__init__.py").read_text().startswith(GENERATED_MARKER)  # the user's
    assert (project / "tests" / "api" / "test_post.py").read_text().startswith(GENERATED_MARKER)
    assert "from app.generated.app import app" in (project / "tests/api/conftest.py").read_text()

    emitted = _run(project, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/api")
    assert emitted.returncode == 0, emitted.stdout + emitted.stderr
    assert " passed" in emitted.stdout and "failed" not in emitted.stdout
    _crudgen(project, "check")


def test_the_package_calls_the_users_hooks_and_removing_it_keeps_them(project: Path) -> None:
    _crudgen(project, "generate")
    hooks = project / "app" / "hooks" / "post.py"
    hooks.write_text(hooks.read_text() + SHOUTING_HOOK)
    created = _run(project, "-c", CREATE_A_POST)
    assert created.stdout.split() == ["201", "QUIET"], created.stdout + created.stderr

    shutil.rmtree(project / "app" / "generated")  # what `rm -rf app/generated` does
    _crudgen(project, "generate")
    assert SHOUTING_HOOK in hooks.read_text()
    created = _run(project, "-c", CREATE_A_POST)
    assert created.stdout.split() == ["201", "QUIET"], created.stdout + created.stderr


def test_moving_the_tests_removes_what_crudgen_wrote_and_keeps_what_was_edited(
    project: Path,
) -> None:
    _crudgen(project, "generate")
    old = project / "tests" / "api"
    support = old / "support.py"
    support.write_text(support.read_text() + "\n# mine\n")

    _set_tests_dir(project, "tests/generated_api")
    _crudgen(project, "generate")
    assert (project / "tests" / "generated_api" / "test_post.py").is_file()
    assert not (old / "test_post.py").exists() and not (old / "conftest.py").exists()
    assert support.read_text().endswith("# mine\n")  # edited: not crudgen's to delete


def test_a_file_of_the_users_in_the_tests_dir_is_never_overwritten(project: Path) -> None:
    conftest = project / "tests" / "api" / "conftest.py"
    conftest.parent.mkdir(parents=True)
    conftest.write_text("# my fixtures\n")
    refused = _run(project, "-m", "crudgen", "generate")
    assert refused.returncode == 2
    assert "conftest.py" in refused.stdout + refused.stderr
    assert conftest.read_text() == "# my fixtures\n"
    assert not (project / "app" / "generated").exists()  # all or nothing


def test_hooks_outside_the_package_are_refused_before_anything_is_written(
    project: Path,
) -> None:
    settings = project / "pyproject.toml"
    settings.write_text(settings.read_text().replace('"app/hooks"', '"hooks"'))
    refused = _run(project, "-m", "crudgen", "generate")
    output = refused.stdout + refused.stderr
    assert refused.returncode == 2
    assert "pyproject.toml:5" in output and "hooks_dir" in output
    assert not (project / "app" / "generated").exists() and not (project / "hooks").exists()


def test_a_renamed_model_leaves_its_hooks_and_is_told_where_they_go(project: Path) -> None:
    _crudgen(project, "generate")
    old_hooks = project / "app" / "hooks" / "post.py"
    old_hooks.write_text(old_hooks.read_text() + SHOUTING_HOOK)
    models = project / "app" / "models.py"
    models.write_text(models.read_text().replace("class Post", "class Article"))

    renamed = _crudgen(project, "generate")
    output = "".join((renamed.stdout + renamed.stderr).split())  # however it was wrapped
    new_hooks = project / "app" / "hooks" / "article.py"
    assert f"{old_hooks}belongstonomodelanymore" in output
    assert f"moveyourcodeto{new_hooks}" in output
    assert SHOUTING_HOOK in old_hooks.read_text()  # the user's: kept as it is
    # The orphan does not break the package: the renamed model (same table, same URL) is
    # served without the old hooks.
    created = _run(project, "-c", CREATE_A_POST)
    assert created.stdout.split() == ["201", "quiet"], created.stdout + created.stderr


def test_the_settings_are_documented_in_the_starter_configuration() -> None:
    from crudgen.config import STARTER

    assert "tests_dir" in STARTER and "hooks_dir" in STARTER
    assert textwrap.dedent(STARTER)  # the starter stays a TOML block
