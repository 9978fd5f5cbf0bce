"""Where a class is defined: `inspect.getsourcelines(cls)[1]`, parsing each module once.

Before Python 3.13, inspect finds a class by parsing its whole module again for every class
asked about; for a few hundred models in a few modules that took seconds of every run.
"""

from __future__ import annotations

import ast
import functools
import inspect
import linecache
import sys


def class_line(cls: type) -> int:
    """The first line of the class statement (of its first decorator, if any), 1-based."""
    file = inspect.getsourcefile(cls)
    if file is not None:
        linecache.checkcache(file)
        module = sys.modules.get(cls.__module__)
        lines = linecache.getlines(file, module.__dict__ if module else None)
        line = _class_lines("".join(lines)).get(cls.__qualname__)
        if line is not None:
            return line
    return inspect.getsourcelines(cls)[1]  # raises OSError or TypeError as before


@functools.lru_cache(maxsize=16)
def _class_lines(source: str) -> dict[str, int]:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return {}
    finder = _ClassLines()
    finder.visit(tree)
    return finder.lines


class _ClassLines(ast.NodeVisitor):
    """Qualified name -> line of every class, the first of a name winning, as inspect's."""

    def __init__(self) -> None:
        self.stack: list[str] = []
        self.lines: dict[str, int] = {}

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.stack += [node.name, "<locals>"]
        self.generic_visit(node)
        del self.stack[-2:]

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.stack.append(node.name)
        first = node.decorator_list[0] if node.decorator_list else node
        self.lines.setdefault(".".join(self.stack), first.lineno)
        self.generic_visit(node)
        self.stack.pop()
