"""Read the user's hooks modules: which hooks do something.

A model whose hooks all do nothing (the module crudgen created, untouched, or not written
yet) has writes of one statement that need no transaction of their own: the generated
routes let that statement commit itself (one round trip on PostgreSQL). Adding code to a
hook changes the generated routes, so `crudgen check` reports the package out of date.
"""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

from crudgen.files import located
from crudgen.ir import Model, Project
from crudgen.placement import Placement

# The hooks the generated code calls (templates/hooks.py.j2 writes each one, doing nothing).
HOOKS = (
    "scope",
    "before_create",
    "after_create",
    "before_update",
    "after_update",
    "before_delete",
    "after_delete",
)


def read_hooks(project: Project, placement: Placement) -> Project:
    """The project, each model knowing which of its hooks do something."""
    models = tuple(
        dataclasses.replace(model, hooks_at_work=hooks_at_work(_hooks_file(placement, model)))
        for model in project.models
    )
    return dataclasses.replace(project, models=models)


def _hooks_file(placement: Placement, model: Model) -> Path:
    return located(placement.out_dir, placement.path(placement.hooks, f"{model.module_name}.py"))


def hooks_at_work(path: Path) -> frozenset[str]:
    """The hooks the module at `path` defines to do something. A module that is not there
    yet is crudgen's default: none. One that does not parse counts as all of them."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return frozenset()
    except (OSError, SyntaxError, ValueError):
        return frozenset(HOOKS)
    working = set()
    for node in tree.body:
        for name in _bound_names(node):
            if name in HOOKS and not _does_nothing(node):
                working.add(name)
    return frozenset(working)


def _bound_names(node: ast.stmt) -> list[str]:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return [(alias.asname or alias.name).split(".")[0] for alias in node.names]
    if isinstance(node, ast.Assign):
        targets = [name for target in node.targets for name in ast.walk(target)]
        return [name.id for name in targets if isinstance(name, ast.Name)]
    if isinstance(node, (ast.AnnAssign, ast.AugAssign)) and isinstance(node.target, ast.Name):
        return [node.target.id]
    return []


def _does_nothing(node: ast.stmt) -> bool:
    """A function whose body, past its docstring, is empty, `pass`, `...`, a bare or None
    return, `return []`, or returns unchanged the argument it was given (`return values`)."""
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or node.decorator_list:
        return False
    body = node.body[1:] if node.body and _is_constant(node.body[0]) else node.body
    if not body:
        return True
    if len(body) != 1:
        return False
    [statement] = body
    if isinstance(statement, ast.Pass) or _is_constant(statement):
        return True
    if not isinstance(statement, ast.Return):
        return False
    value = statement.value
    parameters = {a.arg for a in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs)}
    return (
        value is None
        or (isinstance(value, ast.Constant) and value.value is None)
        or (isinstance(value, (ast.List, ast.Tuple)) and not value.elts)
        or (isinstance(value, ast.Name) and value.id in parameters)
    )


def _is_constant(statement: ast.stmt) -> bool:
    """A docstring, or a bare `...`."""
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)
