"""Every mix of routes, code style and features renders code that ruff finds clean:
no unused or undefined name when some routes are switched off."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

import pytest

from crudgen.config import Config, ModelOptions
from crudgen.pipeline import plan_run
from crudgen.write import apply_plan
from tests.e2e.test_auth import AUTH
from tests.e2e.test_bulk_and_upsert import MODELS_PATH as BULK_MODELS
from tests.e2e.test_versioning_soft_delete import MODELS

# These tests start processes (the CLI, ruff, mypy, pre-commit) or fuzz: not in the fast tier.
pytestmark = pytest.mark.slow

ROUTE_SETS = [
    ("create",),
    ("get",),
    ("list",),
    ("update",),
    ("replace",),
    ("delete",),
    ("create", "list"),
    ("get", "delete"),
    ("bulk_create",),
    ("bulk_update",),
    ("bulk_delete",),
    ("upsert",),
    ("bulk_upsert",),
    ("get", "bulk_delete", "upsert"),
]


def test_route_subsets_render_clean_code(tmp_path: Path) -> None:
    models = tmp_path / "combo_models.py"
    models.write_text(MODELS)
    combinations = itertools.product(ROUTE_SETS, ("functions", "inline"), (True, False))
    for number, (routes, style, hard_delete) in enumerate(combinations):
        # Open routes, authenticated ones with roles on some operations, or without roles.
        auth = (None, AUTH, AUTH)[number % 3]
        roles = tuple((op, ("admin",)) for op in routes[::2]) if number % 3 == 1 else ()
        options = ModelOptions(routes=routes, style=style, hard_delete=hard_delete, roles=roles)
        config = Config(
            sources=(str(models), str(BULK_MODELS)),  # keys for upserts, composite too
            out_dir=tmp_path / f"combo_{number}",
            models={name: options for name in ("Document", "Note", "Player", "Seat", "Team")},
            auth=auth,
        )
        apply_plan(plan_run(config).plan)
    ruff = Path(sys.executable).parent / "ruff"
    result = subprocess.run(
        [
            str(ruff),
            "check",
            "--isolated",
            "--no-cache",
            "--select",
            "F",
            "--target-version",
            "py310",
            *sorted(str(p) for p in tmp_path.glob("combo_*")),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:]
