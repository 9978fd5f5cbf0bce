"""The hooks of .pre-commit-hooks.yaml, run by the real pre-commit in a throwaway git repository.

`pre-commit try-repo REPO [HOOK]` installs crudgen from this repository as pre-commit would from
GitHub: it clones the committed HEAD or, when the work tree differs from HEAD, a temporary
commit of the staged files and the changes to tracked files. Untracked files are left out:
stage a new module or template before running these tests (a failure lists them). try-repo
always builds the hook environment in a throwaway store of its own, whatever PRE_COMMIT_HOME
says, so each try-repo call below is one virtualenv with crudgen pip-installed in it (about
15 s with a warm pip cache); there are four. Whether the tree is up to date is always judged by
the hook's own crudgen, never by this virtualenv's, which may differ from it while the work
tree is being edited. The `repo: local` test uses this virtualenv's crudgen and builds nothing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

# These tests start processes (the CLI, git, pre-commit): not in the fast tier.
pytestmark = pytest.mark.slow

pytest.importorskip("pre_commit", reason="the pre-commit tests need the pre-commit package")
if shutil.which("git") is None:
    pytest.skip("the pre-commit tests need git on PATH", allow_module_level=True)

REPO = Path(__file__).resolve().parents[2]
MANIFEST = REPO / ".pre-commit-hooks.yaml"
TIMEOUT = 600  # seconds for one command; an environment build needs PyPI

PYPROJECT = """\
[project]
name = "shop"
version = "0.1.0"

[tool.crudgen]
sources = ["shop/models.py"]
out = "shop/generated"
"""

MODELS = """\
from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Item(Base):
    __tablename__ = "items"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
"""

NEW_COLUMN = "    price: Mapped[int] = mapped_column(default=0)\n"
OUT = "shop/generated"
SCHEMA = f"{OUT}/schemas/item.py"


# -- helpers --------------------------------------------------------------------------------


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run a command, stdout and stderr together in .stdout."""
    return subprocess.run(
        args,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


class Project:
    """A user's repository: models, [tool.crudgen], the generated package, all committed."""

    def __init__(self, root: Path, env: dict[str, str]) -> None:
        self.root = root
        self.env = env

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return _run(list(args), self.root, self.env)

    def git(self, *args: str) -> subprocess.CompletedProcess[str]:
        identity = ["-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]
        return self.run("git", *identity, *args)

    def ok(self, result: subprocess.CompletedProcess[str]) -> str:
        assert result.returncode == 0, f"{result.args} exited {result.returncode}:\n{result.stdout}"
        return result.stdout

    def crudgen(self, *args: str) -> subprocess.CompletedProcess[str]:
        """The crudgen of this virtualenv (the work tree), not the hook's."""
        return self.run(sys.executable, "-m", "crudgen", *args)

    def pre_commit(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.run(sys.executable, "-m", "pre_commit", *args)

    def try_repo(self, hook: str, *args: str) -> subprocess.CompletedProcess[str]:
        """`pre-commit try-repo` this repository: one hook, or every hook when hook is ""."""
        hooks = [hook] if hook else []
        return self.pre_commit("try-repo", str(REPO), *hooks, "--color=never", *args)

    def head(self) -> str:
        return self.ok(self.git("rev-parse", "HEAD")).strip()

    def status(self) -> str:
        return self.ok(self.git("status", "--porcelain"))

    def files(self) -> dict[str, bytes]:
        """Every file but git's and crudgen's cache (which its own .gitignore hides from git)."""
        return {
            p.relative_to(self.root).as_posix(): p.read_bytes()
            for p in sorted(self.root.rglob("*"))
            if p.is_file() and not {".git", ".crudgen-cache"} & set(p.relative_to(self.root).parts)
        }

    def edit_models(self) -> None:
        models = self.root / "shop" / "models.py"
        models.write_text(models.read_text() + NEW_COLUMN)


def expect(result: subprocess.CompletedProcess[str], returncode: int, *texts: str) -> None:
    """Assert a try-repo result; on failure, also name what try-repo left out of the hook."""
    if result.returncode == returncode and all(text in result.stdout for text in texts):
        return
    untracked = subprocess.run(
        ["git", "ls-files", "--others", "--exclude-standard", "--", "crudgen", "templates"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    ).stdout.split()
    note = (
        f"\n(try-repo leaves these untracked files of {REPO} out of the hook: {untracked})"
        if untracked
        else ""
    )
    raise AssertionError(
        f"expected exit {returncode} and {texts}, got exit {result.returncode}:\n"
        f"{result.stdout}{note}"
    )


@pytest.fixture(scope="module")
def precommit_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The environment of every command: one PRE_COMMIT_HOME for the module, no GIT_* leaks.

    GIT_DIR, GIT_INDEX_FILE and friends are dropped so that running these tests from a git
    hook of this repository does not aim the commands at it. This virtualenv's bin comes first
    on PATH, for `language: system` hooks.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["PRE_COMMIT_HOME"] = str(tmp_path_factory.mktemp("pre-commit-home"))
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.pop("PRE_COMMIT", None)
    env.pop("SKIP", None)
    yield env


@pytest.fixture
def project(tmp_path: Path, precommit_env: dict[str, str]) -> Project:
    root = tmp_path / "shop-repo"
    (root / "shop").mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT)
    (root / "shop" / "__init__.py").write_text("")
    (root / "shop" / "models.py").write_text(MODELS)
    (root / "README.md").write_text("shop\n")
    project = Project(root, precommit_env)
    project.ok(project.git("init", "-q"))
    project.ok(project.crudgen("generate", "--quiet"))
    assert (root / SCHEMA).is_file()
    project.ok(project.git("add", "-A"))
    project.ok(project.git("commit", "-q", "-m", "models and generated package"))
    return project


def _readme_yaml_blocks() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## pre-commit\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```yaml\n(.*?)```", section, flags=re.S)


# -- the manifest and README, no environment needed --------------------------------------


def test_manifest_is_valid_and_declares_both_hooks(precommit_env: dict[str, str]) -> None:
    result = _run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", str(MANIFEST)],
        REPO,
        precommit_env,
    )
    assert result.returncode == 0, result.stdout
    hooks = {hook["id"]: hook for hook in yaml.safe_load(MANIFEST.read_text())}
    assert hooks["crudgen"]["entry"] == "crudgen-pre-commit"
    assert hooks["crudgen-check"]["entry"] == "crudgen check"
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["pass_filenames"] is False
        assert hook["require_serial"] is True
        assert hook["always_run"] is False
    assert hooks["crudgen"]["files"] == hooks["crudgen-check"]["files"]


def test_readme_snippets_are_valid_configs(tmp_path: Path, precommit_env: dict[str, str]) -> None:
    blocks = _readme_yaml_blocks()
    assert len(blocks) == 2, "README's pre-commit section shows the repo URL and local forms"
    manifest_files = yaml.safe_load(MANIFEST.read_text())[0]["files"]
    for number, block in enumerate(blocks):
        config = tmp_path / f"config{number}.yaml"
        config.write_text(block)
        result = _run(
            [sys.executable, "-m", "pre_commit", "validate-config", str(config)],
            tmp_path,
            precommit_env,
        )
        assert result.returncode == 0, f"{block}\n{result.stdout}"
    local_hook = yaml.safe_load(blocks[1])["repos"][0]["hooks"][0]
    assert local_hook["entry"] == "crudgen-pre-commit"
    assert local_hook["files"] == manifest_files


def test_readme_rev_is_the_release_tag_of_this_version() -> None:
    """Releases are tagged `v<version>` (docs/releasing.md): the rev README shows is the
    tag of the version this repository is at."""
    version = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    assert re.fullmatch(r"0\.\d+\.\d+", version)
    revs = re.findall(r"^\s*rev: (\S+)", "".join(_readme_yaml_blocks()), flags=re.M)
    assert revs == [f"v{version}"]


# -- the published hooks, through try-repo --------------------------------------------------


@pytest.mark.slow
def test_crudgen_hook_regenerates_and_stops_the_commit(project: Project) -> None:
    project.edit_models()
    project.ok(project.git("add", "shop/models.py"))
    models_before = (project.root / "shop" / "models.py").read_bytes()

    # what `git commit` runs: the hook on the staged files
    stopped = project.try_repo("crudgen")
    expect(stopped, 1, "crudgen (regenerate", "Failed", "files were modified by this hook")
    # the hook's own report: which files, and what to do
    report = stopped.stdout.split("`crudgen generate` rewrote ", 1)[1]
    assert f"file(s):\n  {OUT}/.crudgen-manifest.json\n" in report
    assert f"\n  {SCHEMA}\n" in report
    assert "`git add` them and commit again" in stopped.stdout
    assert "price" in (project.root / SCHEMA).read_text()
    assert (project.root / "shop" / "models.py").read_bytes() == models_before
    assert f" M {SCHEMA}" in project.status()  # changed in the work tree, left unstaged

    project.ok(project.git("add", "-A"))
    files = project.files()
    passed = project.try_repo("crudgen")
    expect(passed, 0, "Passed")
    assert project.files() == files
    project.ok(project.git("commit", "-q", "-m", "price"))


@pytest.mark.slow
def test_crudgen_check_hook_fails_without_writing_then_passes(project: Project) -> None:
    project.edit_models()
    project.ok(project.git("add", "shop/models.py"))
    files, status = project.files(), project.status()

    failed = project.try_repo("crudgen-check", "--all-files")
    expect(failed, 1, "crudgen-check", "Failed", "schemas/item.py", "out of date")
    assert "files were modified by this hook" not in failed.stdout
    assert project.files() == files
    assert project.status() == status

    # every hook of the manifest, in one environment and in id order: crudgen regenerates,
    # then crudgen-check passes on the tree it left
    both = project.try_repo("")
    expect(both, 1, "files were modified by this hook")
    hook_results = re.findall(r"^(crudgen\S*) .*?\.+(Passed|Failed)$", both.stdout, flags=re.M)
    assert hook_results == [("crudgen", "Failed"), ("crudgen-check", "Passed")], both.stdout
    assert "price" in (project.root / SCHEMA).read_text()


ASYNC_MODELS = MODELS.replace(
    "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column\n",
    "from sqlalchemy.ext.asyncio import AsyncAttrs\n"
    "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column\n",
).replace("class Base(DeclarativeBase):", "class Base(AsyncAttrs, DeclarativeBase):")


@pytest.mark.slow
def test_published_hook_imports_models_written_for_asyncio(project: Project) -> None:
    """Models of an async project import sqlalchemy.ext.asyncio, which needs greenlet: the
    hook's own environment has it (crudgen depends on sqlalchemy[asyncio]), so the hook
    works with no additional_dependencies."""
    assert ASYNC_MODELS != MODELS
    (project.root / "shop" / "models.py").write_text(ASYNC_MODELS + NEW_COLUMN)
    project.ok(project.git("add", "shop/models.py"))
    stopped = project.try_repo("crudgen")
    expect(stopped, 1, "files were modified by this hook", f"  {SCHEMA}\n")
    assert "greenlet" not in stopped.stdout and "error:" not in stopped.stdout
    assert "price" in (project.root / SCHEMA).read_text()
    project.ok(project.git("add", "-A"))
    expect(project.try_repo("crudgen-check"), 0, "Passed")


# -- README's `repo: local` form, installed as the git hook ---------------------------------


@pytest.mark.slow
def test_local_hook_stops_git_commit_until_regenerated(project: Project) -> None:
    (project.root / ".pre-commit-config.yaml").write_text(_readme_yaml_blocks()[1])
    project.ok(project.pre_commit("install"))
    project.ok(project.git("add", ".pre-commit-config.yaml"))
    project.ok(project.git("commit", "-q", "-m", "pre-commit"))  # no Python staged: skipped

    # a model change committed without regenerating: stopped, the package regenerated
    project.edit_models()
    project.ok(project.git("add", "shop/models.py"))
    head = project.head()
    stopped = project.git("commit", "-m", "price, forgot to regenerate")
    assert stopped.returncode != 0, stopped.stdout
    assert "files were modified by this hook" in stopped.stdout
    assert f"  {SCHEMA}\n" in stopped.stdout and "`git add` them" in stopped.stdout
    assert project.head() == head
    assert "price" in (project.root / SCHEMA).read_text()

    project.ok(project.git("add", "-A"))
    project.ok(project.git("commit", "-q", "-m", "price"))
    assert project.head() != head
    assert project.status() == ""

    # [tool.crudgen] matches `files:` too: a new title alone regenerates app.py
    pyproject = project.root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + 'title = "Shop API"\n')
    project.ok(project.git("add", "pyproject.toml"))
    stopped = project.git("commit", "-m", "title")
    assert stopped.returncode != 0, stopped.stdout
    assert "Shop API" in (project.root / "shop" / "generated" / "app.py").read_text()
    project.ok(project.git("add", "-A"))
    project.ok(project.git("commit", "-q", "-m", "title"))

    # a commit touching no matching file does not run crudgen at all
    (project.root / "README.md").write_text("shop, with prices\n")
    project.ok(project.git("add", "README.md"))
    skipped = project.ok(project.git("commit", "-m", "readme"))
    assert "(no files to check)Skipped" in skipped
