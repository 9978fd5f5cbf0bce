"""Lay out a generated module's imports the way isort/ruff would: grouped, merged, sorted."""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from crudgen.ir import Import

THIRD_PARTY = frozenset({"fastapi", "pydantic", "sqlalchemy", "starlette"})


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


def format_block(*items: Any, line_length: int = 88) -> str:
    """One import block: stdlib, third party, the user's models, then relative imports.

    Items are Import objects, statements (`"from a import b"`), or lists of them, nested.
    A `from` import longer than line_length is split one name a line, as black does.
    """
    imports: set[Import] = set()
    for item in _flatten(items):
        imports.update(parse(item) if isinstance(item, str) else [item])
    groups: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for imp in imports:
        groups[_group(imp.module)][imp.module].add(imp.name)
    return "\n\n".join(
        "\n".join(_fit(line, line_length) for line in _statements(modules))
        for _, modules in sorted(groups.items())
    )


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


def _fit(statement: str, line_length: int) -> str:
    if len(statement) <= line_length or not statement.startswith("from "):
        return statement
    head, names = statement.split(" import ")
    listed = "".join(f"    {name},\n" for name in names.split(", "))
    return f"{head} import (\n{listed})"


def _relative_last(module: str) -> tuple[int, str]:
    # isort puts `from ..x` before `from .x`: more dots first.
    dots = len(module) - len(module.lstrip("."))
    return (-dots, module.lstrip("."))


def _isort_name_key(name: str) -> tuple[int, str]:
    # isort's default "force_sort_within_sections=False, case_sensitive" order:
    # CONSTANTS, then Classes, then functions.
    if name.isupper():
        return (0, name)
    if name[:1].isupper():
        return (1, name)
    return (2, name)
