"""Which hooks of a user's hooks module do something (crudgen/sources/hooks.py)."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest

from crudgen.sources.hooks import HOOKS, hooks_at_work
from tests.conftest import GeneratedPackage

# The bulk tests' models: a module with several models, one of them `Team`.
TEAM_MODELS = Path(__file__).resolve().parent.parent / "e2e" / "models" / "bulk_models.py"


def test_the_hooks_module_crudgen_writes_does_nothing(
    generate: Callable[..., GeneratedPackage],
) -> None:
    package = generate(TEAM_MODELS)
    hooks = package.path / "hooks" / "team.py"
    defined = {n.name for n in ast.parse(hooks.read_text()).body if hasattr(n, "name")}
    assert set(HOOKS) <= defined
    assert hooks_at_work(hooks) == frozenset()


def test_a_missing_module_is_the_default_one(tmp_path: Path) -> None:
    assert hooks_at_work(tmp_path / "absent.py") == frozenset()


@pytest.mark.parametrize(
    ("source", "working"),
    [
        ("def scope(principal):\n    return []\n", set()),
        ("def scope(principal):\n    '''Doc.'''\n    ...\n", set()),
        ("async def after_create(session, row):\n    pass\n", set()),
        ("async def before_update(session, key, values):\n    return values\n", set()),
        ("async def after_delete(session, key):\n    return None\n", set()),
        ("def scope(principal):\n    return [Post.owner == principal.id]\n", {"scope"}),
        (
            "async def before_create(session, values):\n    values['a'] = 1\n    return values\n",
            {"before_create"},
        ),
        ("async def after_create(session, row):\n    await audit(row)\n", {"after_create"}),
        ("from app.audit import after_update\n", {"after_update"}),
        ("before_delete = shared.before_delete\n", {"before_delete"}),
        ("@logged\nasync def after_delete(session, key):\n    pass\n", {"after_delete"}),
        ("def helper():\n    return 1\n", set()),  # not a hook
        ("def scope(principal:\n", set(HOOKS)),  # does not parse: assume the worst
    ],
)
def test_hooks_that_do_something(tmp_path: Path, source: str, working: set[str]) -> None:
    path = tmp_path / "hooks.py"
    path.write_text(source)
    assert hooks_at_work(path) == working
