"""`crudgen diff` as a reviewer reads it and `git apply` takes it, and `check` on hand edits
(issue 14 item 3)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from crudgen.plan import MANIFEST
from tests.cli.support import GADGET, MODELS, SHOP_SETTINGS, crudgen, make_shop_project

# These tests start processes (the CLI, ruff, mypy, pre-commit) or fuzz: not in the fast tier.
pytestmark = pytest.mark.slow


def git(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository with a generated package committed."""
    make_shop_project(tmp_path, MODELS + GADGET, SHOP_SETTINGS)
    assert crudgen("generate", cwd=tmp_path).returncode == 0
    git("init", "-q", cwd=tmp_path)
    git("add", "-A", cwd=tmp_path)
    git("commit", "-qm", "generated", cwd=tmp_path)
    return tmp_path


def edit_models(repo: Path, old: str, new: str) -> None:
    models = repo / "shop" / "models.py"
    models.write_text(models.read_text().replace(old, new))


def test_diff_applies_with_git_apply(repo: Path) -> None:
    """Paths are relative to the current directory: `git apply` there takes the patch, and
    then the package is up to date (the manifest, left out of the diff, is bookkeeping)."""
    edit_models(repo, "String(40)", "String(60)")
    edit_models(repo, GADGET, "")
    inside = crudgen("diff", cwd=repo / "shop")
    assert "+++ b/api/schemas/widget.py" in inside.stdout, "relative to ./shop"
    diff = crudgen("diff", cwd=repo)
    assert diff.returncode == 1, diff.stderr
    assert MANIFEST not in diff.stdout, "the manifest's hashes are left out"
    assert diff.stdout.startswith("diff --git a/shop/api/__init__.py b/shop/api/__init__.py\n")
    assert "deleted file mode 100644\n--- a/shop/api/routers/gadget.py\n+++ /dev/null" in (
        diff.stdout
    )
    (repo / "p.diff").write_text(diff.stdout)
    git("apply", "p.diff", cwd=repo)
    check = crudgen("check", cwd=repo)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "up to date" in check.stdout


def test_diff_shows_a_renamed_model_as_a_rename_and_git_applies_it(repo: Path) -> None:
    edit_models(repo, "class Gadget(Base)", "class Gizmo(Base)")
    edit_models(repo, '"gadgets"', '"gizmos"')
    diff = crudgen("diff", cwd=repo)
    assert diff.returncode == 1
    for kind in ("crud", "routers", "schemas"):
        assert f"rename from shop/api/{kind}/gadget.py\n" in diff.stdout, kind
        assert f"rename to shop/api/{kind}/gizmo.py\n" in diff.stdout, kind
    assert "deleted file mode" not in diff.stdout
    summary = diff.stderr.strip().splitlines()[-1]
    assert summary.startswith("crudgen: ") and "3 renamed" in summary, summary
    (repo / "p.diff").write_text(diff.stdout)
    git("apply", "p.diff", cwd=repo)
    assert not (repo / "shop" / "api" / "routers" / "gadget.py").exists()
    check = crudgen("check", cwd=repo)
    assert check.returncode == 0, check.stdout + check.stderr


def test_summary_line_and_stat(repo: Path) -> None:
    edit_models(repo, "String(40)", "String(60)")
    edit_models(repo, GADGET, "")
    diff = crudgen("diff", cwd=repo)
    added = sum(
        line.startswith("+") and not line.startswith("+++") for line in diff.stdout.splitlines()
    )
    removed = sum(
        line.startswith("-") and not line.startswith("---") for line in diff.stdout.splitlines()
    )
    deleted = diff.stdout.count("deleted file mode")
    changed = diff.stdout.count("diff --git") - deleted
    assert deleted == 3 and changed >= 2
    assert diff.stderr.strip().splitlines()[-1] == (
        f"crudgen: {deleted + changed} file(s) out of date: 0 added, {changed} changed, "
        f"{deleted} deleted; +{added} -{removed} lines"
    )

    stat = crudgen("diff", "--stat", cwd=repo)
    assert stat.returncode == 1
    rows = stat.stdout.splitlines()
    assert len(rows) == deleted + changed and "diff --git" not in stat.stdout
    section = diff.stdout.split("+++ b/shop/api/schemas/widget.py\n")[1].split("diff --git")[0]
    counted = sum(line.startswith(("+", "-")) for line in section.splitlines())
    schema_row = next(row for row in rows if "shop/api/schemas/widget.py" in row)
    assert schema_row.split("|")[1].split()[0] == str(counted)
    assert stat.stderr == diff.stderr


def test_check_on_a_hand_edited_file_says_how_to_resolve_it(repo: Path) -> None:
    schemas = repo / "shop" / "api" / "schemas" / "widget.py"
    schemas.write_text(schemas.read_text() + "# mine\n")
    edit_models(repo, "String(40)", "String(60)")
    check = crudgen("check", cwd=repo)
    assert check.returncode == 1
    edited = f"conflict (generated, then edited by hand): {repo}/shop/api/schemas/widget.py"
    assert edited in check.stdout.splitlines()
    last = check.stdout.strip().splitlines()[-1]
    assert "edited by hand" in last and "hooks" in last and "--force" in last, last
    assert "run `crudgen generate`" not in last, "generate would refuse"
    assert crudgen("generate", cwd=repo).returncode == 2
    assert crudgen("generate", "--force", cwd=repo).returncode == 0
    assert crudgen("check", cwd=repo).returncode == 0
