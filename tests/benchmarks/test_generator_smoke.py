"""benchmarks/generator.py's cold-run stages run end to end on a small synthetic project."""

import runpy
import subprocess
import sys
from pathlib import Path

import pytest

# These tests start processes (the CLI, ruff, mypy, pre-commit) or fuzz: not in the fast tier.
pytestmark = pytest.mark.slow

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def test_the_cold_stages_are_timed_and_the_files_counted(tmp_path: Path) -> None:
    synthetic = runpy.run_path(str(BENCHMARKS / "synthetic.py"))
    synthetic["write_project"](tmp_path, models=4, long_names=True)
    finished = subprocess.run(
        [sys.executable, str(BENCHMARKS / "generator.py"), "--cold-stages", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    render, black, imported, files, size, lines = finished.stdout.split()
    assert float(render) > 0 and float(black) > 0 and float(imported) > 0
    # Four models' schemas, crud, router and hooks, beside the shared modules.
    assert int(files) > 4 * 4 and int(size) > 0 and int(lines) > 1000
    assert not (tmp_path / "shop" / "api").exists(), "the stages write nothing"
