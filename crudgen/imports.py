"""Lay out a generated module's imports the way isort/ruff would: grouped, merged, sorted."""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from crudgen.files import RenderedFile
from crudgen.ir import Import

THIRD_PARTY = frozenset(
    {"fastapi", "pydantic", "sqlalchemy", "starlette", "httpx", "pytest", "pytest_asyncio"}
)


def parse(statement: str) -> list[Import]:
    """`from a import b, c` -> [Import(a, b), Import(a, c)]; `import a` -> [Import(a)]."""
    words = statement.split()
    if words[0] == "import":
        return [Import(words[1])]
    module, names = statement[len("from ") :].split(" import ")
    return [Import(module.strip(), name.strip()) for name in names.split(",")]


def _group(module: str) -> int:
    if module.startswith("."):
        return 3
    top = module.split(".")[0]
    if top in sys.stdlib_module_names:
        return 0
    if top in THIRD_PARTY:
        return 1
    return 2


def format_block(*items: Any) -> str:
    """One import block: stdlib, third party, the user's models, then relative imports.

    Items are Import objects, statements (`"from a import b"`, one or more lines), or
    lists of them, nested.
    """
    imports: set[Import] = set()
    for item in _flatten(items):
        if isinstance(item, str):
            for statement in filter(None, map(str.strip, item.splitlines())):
                imports.update(parse(statement))
        else:
            imports.add(item)
    groups: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for imp in imports:
        groups[_group(imp.module)][imp.module].add(imp.name)
    return "\n\n".join("\n".join(_statements(modules)) for _, modules in sorted(groups.items()))


def _flatten(items: Iterable[Any]) -> Iterator[Import | str]:
    for item in items:
        if isinstance(item, (str, Import)):
            yield item
        else:
            yield from _flatten(item)


def _statements(modules: dict[str, set[str]]) -> list[str]:
    plain = sorted(m for m, names in modules.items() if "" in names)
    lines = [f"import {m}" for m in plain]
    for module in sorted(modules, key=_relative_last):
        names = sorted((n for n in modules[module] if n), key=_isort_name_key)
        plain_names = [n for n in names if " as " not in n]
        if plain_names:
            lines.append(f"from {module} import {', '.join(plain_names)}")
        # isort keeps each aliased import on a line of its own.
        lines += [f"from {module} import {n}" for n in sorted(set(names) - set(plain_names))]
    return lines


def _relative_last(module: str) -> tuple[int, str]:
    # isort puts `from ..x` before `from .x`: more dots first.
    dots = len(module) - len(module.lstrip("."))
    return (-dots, module.lstrip("."))


def _isort_name_key(name: str) -> tuple[int, str, str]:
    # isort's and ruff's default order of the names one `from` imports: CONSTANTS, then
    # Classes, then functions, each group regardless of case (`DataError, DBAPIError`).
    group = 0 if name.isupper() else 1 if name[:1].isupper() else 2
    return (group, name.lower(), name)


def settled(files: list[RenderedFile]) -> list[RenderedFile]:
    """The files as black is given them (see settle)."""
    return [replace(f, source=settle(f.source, f.user_owned)) for f in files]


def settle(source: str, user_owned: bool) -> str:
    """A file as black is given it: a generated module's unused imports pruned, a user's
    file as the user wrote it."""
    return source if user_owned else prune_unused(source)


def prune_unused(source: str) -> str:
    """The module with the names its import block brings in but its code never uses left
    out, so a template can import what its module may need and the rendered code decides.

    Only the imports at the top of the module (after its docstring) are considered.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source  # the formatting stage reports it, with the template's name
    block = _leading_imports(tree)
    if not block:
        return source
    # `a.b.c` reads the name `a`: its root is a Name node too.
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    kept = [imp for node in block for imp in _imports_of(node) if _bound_name(imp) in used]
    if len(kept) == sum(len(node.names) for node in block):
        return source
    lines = source.splitlines(keepends=True)
    first, last = block[0].lineno - 1, block[-1].end_lineno or block[-1].lineno
    replacement = format_block(kept) + "\n" if kept else ""
    return "".join([*lines[:first], replacement, *lines[last:]])


def _leading_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    body = tree.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    while body and isinstance(body[0], ast.ImportFrom) and _is_future(body[0]):
        body = body[1:]  # `from __future__` stays, first
    block: list[ast.Import | ast.ImportFrom] = []
    for node in body:
        if not isinstance(node, (ast.Import, ast.ImportFrom)) or _is_future(node):
            break
        block.append(node)
    return block


def _is_future(node: ast.Import | ast.ImportFrom) -> bool:
    return isinstance(node, ast.ImportFrom) and node.module == "__future__"


def _imports_of(node: ast.Import | ast.ImportFrom) -> list[Import]:
    if isinstance(node, ast.Import):
        return [Import(alias.name) for alias in node.names]
    module = "." * node.level + (node.module or "")
    return [Import(module, f"{a.name} as {a.asname}" if a.asname else a.name) for a in node.names]


def _bound_name(imp: Import) -> str:
    """The name an import binds in the module: its alias, its name, or the top package."""
    if not imp.name:
        return imp.module.split(".")[0]
    return imp.name.split(" as ")[-1]
