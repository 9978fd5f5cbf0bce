"""benchmarks/load.py runs end to end: a few clients against uvicorn on SQLite, no errors."""

import subprocess
import sys
from pathlib import Path

import pytest

# These tests start processes (the CLI, ruff, mypy, pre-commit) or fuzz: not in the fast tier.
pytestmark = pytest.mark.slow

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "load.py"


def test_a_small_load_passes_with_every_status_as_expected(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'load.db'}"
    command = [sys.executable, str(SCRIPT), "--url", url, "--clients", "4", "--requests", "40"]
    finished = subprocess.run(
        [*command, "--warmup", "5"], capture_output=True, text=True, timeout=300
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    report = finished.stdout
    assert "errors: 0" in report and report.rstrip().endswith("PASS"), report
    mix = next(line for line in report.splitlines() if line.strip().startswith("mix:"))
    for operation in ("create", "read", "list", "update", "delete"):
        assert f"{operation} " in mix, mix
