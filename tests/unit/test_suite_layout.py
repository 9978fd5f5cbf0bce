"""The test suite's own shape: the fast tier stays apart from the end-to-end modules."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

TESTS = REPO / "tests"
E2E = TESTS / "e2e"


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            # `from tests import e2e` and `from .. import e2e` name the module in an alias
            base = "." * node.level + (node.module or "")
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _is_test_code(path: Path) -> bool:
    """Test modules and their helpers, not the model files they read (some broken on
    purpose)."""
    return path.name.startswith("test_") or path.name in {"conftest.py", "support.py"}


def test_no_test_outside_e2e_imports_an_e2e_module() -> None:
    """Importing an end-to-end module would run its module-level setup in the fast tier,
    and tie a unit test to a module written for another purpose."""
    offenders = {
        str(path.relative_to(REPO)): sorted(m for m in _imported_modules(path) if "e2e" in m)
        for path in TESTS.rglob("*.py")
        if E2E not in path.parents and _is_test_code(path)
    }
    assert {path: modules for path, modules in offenders.items() if modules} == {}
