"""What crudgen prints (issue 14 items 2 and 9): bracketed text shown as written, no hard
wrapping or colours in a pipe, NO_COLOR, the command list, shell completion."""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from crudgen.cli import SUMMARIES, app
from crudgen.report import StageProgress
from tests.cli.support import MODELS
from tests.conftest import REPO

# These tests start processes (the CLI, ruff, mypy, pre-commit) or fuzz: not in the fast tier.
pytestmark = pytest.mark.slow

ANSI = re.compile(r"\x1b\[[0-9;]*m")
LONG_OUT = "shop/" + "a_directory_name_long_enough_to_pass_eighty_columns/" * 2 + "api"


def piped(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """crudgen with stdout and stderr pipes, as pre-commit and CI run it (no COLUMNS)."""
    base = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "NO_COLOR", "LINES")}
    return subprocess.run(
        [sys.executable, "-m", "crudgen", *args],
        cwd=cwd,
        env={**base, "PYTHONPATH": str(REPO), **env},
        capture_output=True,
        text=True,
    )


def on_a_terminal(*args: str, cwd: Path, **env: str) -> str:
    """What crudgen writes to a terminal (a pseudo-terminal), stdout and stderr together."""
    base = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "NO_COLOR", "TERM")}
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "crudgen", *args],
        cwd=cwd,
        env={**base, "PYTHONPATH": str(REPO), "TERM": "xterm-256color", **env},
        stdin=follower,
        stdout=follower,
        stderr=follower,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other end closed: the process has ended
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=300)
    os.close(leader)
    return b"".join(chunks).decode()


def test_init_and_help_show_bracketed_text(tmp_path: Path) -> None:
    init = piped("init", cwd=tmp_path)
    assert init.returncode == 0, init.stderr
    assert f"crudgen: wrote [tool.crudgen] to {tmp_path / 'pyproject.toml'}" in init.stdout

    runner = CliRunner()
    top = runner.invoke(app, ["--help"], prog_name="crudgen", env={"COLUMNS": "200"})
    assert "Add a commented [tool.crudgen] section to pyproject.toml." in top.output
    for command in ("generate", "check", "diff"):
        shown = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"}).output
        assert "(default: sources in [tool.crudgen])" in shown, command


def test_help_lists_each_command_with_its_one_line_summary() -> None:
    shown = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"}).output
    listed = dict(
        re.findall(r"^│ (\w+) +(.+?) *│$", shown.split("Commands")[1], flags=re.MULTILINE)
    )
    assert listed == SUMMARIES
    # docs/cli.md lists the same lines (the README's command list takes them from there).
    reference = (REPO / "docs" / "cli.md").read_text()
    for command, summary in SUMMARIES.items():
        assert f"| `crudgen {command}` | {summary} |" in reference, command


def test_piped_output_is_neither_wrapped_nor_coloured(project: Path) -> None:
    check = piped("check", "shop/models.py", "--out", LONG_OUT, cwd=project)
    assert check.returncode == 1, check.stderr
    line = f"would create: {LONG_OUT}/routers/widget.py"
    assert line in check.stdout.splitlines(), "one path, one line"
    assert not ANSI.search(check.stdout + check.stderr)

    broken = piped("check", "shop/nope.py", "--out", LONG_OUT, cwd=project)
    assert broken.returncode == 2
    assert broken.stderr.splitlines()[0] == "error: no such file: shop/nope.py"
    assert not ANSI.search(broken.stderr)

    diff = piped("diff", "shop/models.py", "--out", "api", cwd=project)
    assert diff.returncode == 1 and "+++ b/api/routers/widget.py" in diff.stdout
    assert not ANSI.search(diff.stdout)


def test_no_color_turns_colours_off_on_a_terminal(project: Path) -> None:
    coloured = on_a_terminal("diff", "shop/models.py", "--out", "api", cwd=project)
    assert "\x1b[32m+" in coloured, "a terminal gets colours"
    plain = on_a_terminal("diff", "shop/models.py", "--out", "api", cwd=project, NO_COLOR="1")
    assert "+++ b/api/routers/widget.py" in plain
    colours = [code for code in ANSI.findall(plain) if re.search(r"\[(3|4|9)\d", code)]
    assert colours == [], "NO_COLOR: no colours"


def test_shell_completion_installs_and_completes(tmp_path: Path) -> None:
    """`--install-completion bash` writes a script that a real bash runs to complete."""
    home = tmp_path / "home"
    home.mkdir()
    install = piped(
        "--install-completion",
        "bash",
        cwd=tmp_path,
        HOME=str(home),
        _TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION="1",
    )
    assert install.returncode == 0, install.stderr
    assert "bash completion installed" in install.stdout
    assert "crudgen.sh" in (home / ".bashrc").read_text()

    # The script runs `crudgen`: the console script beside this Python.
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    completed = subprocess.run(
        [
            "bash",
            "-c",
            "source ~/.bashrc; COMP_WORDS=(crudgen gen); COMP_CWORD=1; "
            '_crudgen_completion crudgen; echo "${COMPREPLY[@]}"; '
            "COMP_WORDS=(crudgen generate --no-cr); COMP_CWORD=2; "
            '_crudgen_completion crudgen; echo "${COMPREPLY[@]}"',
        ],
        cwd=tmp_path,
        env={**os.environ, "HOME": str(home), "PATH": path, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
    )
    assert completed.stdout.splitlines() == ["generate", "--no-create-tables"], completed.stderr


MANY_MODELS = MODELS + "".join(
    f"""

class Thing{number}(Base):
    __tablename__ = "things{number}"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
"""
    for number in range(12)
)


# A stage of the run, as the progress bar names it.
STAGE = re.compile(r"crudgen: (reading|rendering|formatting|importing)")


def test_a_long_run_shows_progress_on_a_terminal_only(project: Path) -> None:
    """12 models take seconds (imports, black over 60 files): a terminal sees the stage
    under way once a second has passed (which stages, the timing decides: formatting and
    importing overlap); a pipe (pre-commit, CI) and --quiet see no progress at all."""
    (project / "shop" / "models.py").write_text(MANY_MODELS)
    args = ("check", "shop/models.py", "--out", "api", "--no-cache")
    shown = on_a_terminal(*args, cwd=project)
    assert STAGE.search(shown) and "out of date" in shown
    piped_run = piped(*args, cwd=project)
    assert piped_run.returncode == 1 and not STAGE.search(piped_run.stderr)
    assert not STAGE.search(on_a_terminal(*args, "--quiet", cwd=project))


def test_progress_waits_before_showing_and_leaves_nothing_behind() -> None:
    def terminal() -> tuple[Console, io.StringIO]:
        screen = io.StringIO()
        return Console(file=screen, force_terminal=True, width=100), screen

    console, screen = terminal()
    with StageProgress(console, stages=2, after=5.0) as progress:
        progress.step("reading the models")
    assert screen.getvalue() == "", "a quick run prints nothing"

    console, screen = terminal()
    with StageProgress(console, stages=2, after=0.0) as progress:
        progress.step("reading the models")
        time.sleep(0.3)
        progress.step("formatting 3 files")
        time.sleep(0.3)
    drawn = screen.getvalue()
    assert "crudgen: reading the models" in drawn and "crudgen: formatting 3 files" in drawn

    console, screen = terminal()
    with StageProgress(console, stages=2, after=0.0, shown=False) as progress:
        progress.step("reading the models")
        time.sleep(0.3)
    assert screen.getvalue() == ""
