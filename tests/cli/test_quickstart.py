"""README's Install and Quickstart, followed word for word as a new user would.

A fresh virtualenv gets the wheel built from this checkout (a non-editable install) by
README's own `pip install "crudgen[runtime]"`; then the quickstart's commands run as they
are written: the models file, `crudgen generate`, `uvicorn ...` serving the app, and the
`curl` request, whose answer must be the one README shows.

No network is needed. pip is pointed at the built wheel (PIP_NO_INDEX, PIP_FIND_LINKS) and
finds crudgen's dependencies already installed: the fresh virtualenv sees those of the
environment running the tests (every package but crudgen itself) through a .pth file. pip
therefore installs no console script for them, so the virtualenv gets a `uvicorn` script
like the one pip would write. The server listens on a free port (UVICORN_PORT) rather than
8000, which something else on the machine may hold; the request is sent to that port.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow  # builds a wheel, creates a virtualenv, starts a server

README = (REPO / "README.md").read_text(encoding="utf-8")
TIMEOUT = 300  # seconds for one command


def section(title: str) -> str:
    return README.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def shell_blocks(text: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)```", text, flags=re.S)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def run(script: str, cwd: Path, env: dict[str, str]) -> str:
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, f"{script}\nexited {result.returncode}:\n{result.stdout}"
    return result.stdout


@pytest.fixture
def fresh_venv(tmp_path: Path) -> Path:
    """A new virtualenv that sees this environment's packages, crudgen left out."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=TIMEOUT)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    dependencies = tmp_path / "dependencies"
    dependencies.mkdir()
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        if "crudgen" in entry.name or entry.suffix == ".pth" or entry.name.startswith("pip"):
            continue
        (dependencies / entry.name).symlink_to(entry)
    (Path(site) / "installed_dependencies.pth").write_text(f"{dependencies}\n")
    uvicorn = venv / "bin" / "uvicorn"
    uvicorn.write_text(f"#!{python}\nimport sys\nfrom uvicorn.main import main\nsys.exit(main())\n")
    uvicorn.chmod(0o755)
    return venv


@pytest.fixture
def wheels(tmp_path: Path) -> Path:
    directory = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps", "-q"]
        + ["-w", str(directory), str(REPO)],
        check=True,
        timeout=TIMEOUT,
    )
    return directory


@pytest.fixture
def serving() -> Iterator[list[subprocess.Popen[str]]]:
    """The servers a test starts, stopped (with their children) at its end."""
    servers: list[subprocess.Popen[str]] = []
    yield servers
    for server in servers:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


def wait_for(port: int, server: subprocess.Popen[str], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            output = server.stdout.read() if server.stdout else ""
            raise AssertionError(f"the server stopped ({server.returncode}):\n{output}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"nothing listened on port {port} within {seconds} s")


@pytest.mark.skipif(shutil.which("curl") is None, reason="README's request uses curl")
def test_the_readme_quickstart_serves_a_generated_api(
    tmp_path: Path,
    fresh_venv: Path,
    wheels: Path,
    serving: list[subprocess.Popen[str]],
) -> None:
    (install,) = shell_blocks(section("Install"))
    assert install.strip() == 'pip install "crudgen[runtime]"'
    setup, request = shell_blocks(section("Quickstart"))
    *steps, serve = setup.strip().splitlines()
    assert serve.startswith("uvicorn "), "the quickstart's first block ends by serving"

    project = tmp_path / "project"
    project.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONPATH", "VIRTUAL_ENV", "DATABASE_URL"}
    }
    env |= {
        "PATH": os.pathsep.join([str(fresh_venv / "bin"), env.get("PATH", "")]),
        "VIRTUAL_ENV": str(fresh_venv),
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(wheels),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }

    run(install, project, env)
    installed = run('python -c "import crudgen; print(crudgen.__file__)"', project, env)
    assert Path(installed.strip()).is_relative_to(fresh_venv), "a non-editable install"
    assert (fresh_venv / "bin" / "crudgen").is_file()

    run("\n".join(steps), project, env)
    assert (project / "app" / "generated" / "app.py").is_file()

    port = free_port()
    server = subprocess.Popen(
        ["bash", "-c", serve],
        cwd=project,
        env=env | {"UVICORN_PORT": str(port)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    serving.append(server)
    wait_for(port, server)

    assert request.count("127.0.0.1:8000") == 1
    answer = run(request.replace("127.0.0.1:8000", f"127.0.0.1:{port}"), project, env)
    shown = re.search(r"It answers `201` with `(\{.*?\})`", README)
    assert shown is not None
    assert json.loads(answer) == json.loads(shown.group(1))
    assert answer.strip() == shown.group(1)
