"""A hook the user writes changes the generated routes (writes of one statement commit
themselves only while no hook is at work), so `check` must see the edit: the run cache
included."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.support import crudgen

pytestmark = pytest.mark.slow  # the CLI in a process of its own

WORKING_HOOK = '    return values | {"name": values["name"].strip()}\n'


def test_a_hook_written_later_makes_check_report_the_package_out_of_date(project: Path) -> None:
    arguments = ("shop/models.py", "--out", "shop/api")
    assert crudgen("generate", *arguments, cwd=project).returncode == 0
    router = project / "shop" / "api" / "routers" / "widget.py"
    assert "session: AutocommitSessionDep" in router.read_text()
    assert crudgen("check", *arguments, cwd=project).returncode == 0  # recorded in sync

    hooks = project / "shop" / "api" / "hooks" / "widget.py"
    hooks.write_text(hooks.read_text().replace("    return values\n", WORKING_HOOK, 1))
    stale = crudgen("check", *arguments, cwd=project)
    assert stale.returncode == 1, stale.stdout + stale.stderr
    assert "routers/widget.py" in stale.stdout + stale.stderr

    assert crudgen("generate", *arguments, cwd=project).returncode == 0
    assert "session: AutocommitSessionDep" not in router.read_text()
    assert crudgen("check", *arguments, cwd=project).returncode == 0
