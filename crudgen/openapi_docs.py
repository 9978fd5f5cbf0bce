"""The OpenAPI documents `diff --api` compares: of the package on disk, and of the package
`generate` would write from the current models.

Each is read by importing the package's app in a separate Python process, so the two
packages (and the models they import) never meet in one interpreter. The package to be
is the one on disk with the plan applied, in a temporary directory under another name.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from crudgen.errors import CrudgenError, Location
from crudgen.plan import Change, Plan

# Run in the child process: import <package>.app, print app.openapi() as JSON. A crud
# module that no longer imports (a column it names was removed from the model since) is
# replaced by an empty module: the document needs only the routers' signatures and schemas.
_READ_DOCUMENT = """
import importlib, json, pkgutil, sys, types
package = sys.argv[1]
try:
    crud = importlib.import_module(package + ".crud")
except ImportError:
    crud = None
for info in pkgutil.iter_modules(crud.__path__) if crud is not None else ():
    name = package + ".crud." + info.name
    try:
        importlib.import_module(name)
    except Exception:
        sys.modules[name] = types.ModuleType(name)
        setattr(crud, info.name, sys.modules[name])
app = importlib.import_module(package + ".app").app
print(json.dumps(app.openapi()))
"""
NEXT_PACKAGE = "crudgen_api_next"


def current_and_next(plan: Plan) -> tuple[dict[str, Any], dict[str, Any]]:
    """The OpenAPI document of the package on disk (empty when there is none) and of the
    package once the plan is applied."""
    out_dir = plan.out_dir.resolve()
    with tempfile.TemporaryDirectory(prefix="crudgen-api-") as scratch:
        work = Path(scratch)
        current: dict[str, Any] = {"paths": {}}
        if (out_dir / "app.py").is_file():
            root, package = _import_name(out_dir)
            current = _document(root, package, cwd=work)
            current = _renamed(current, package)
        target = work / NEXT_PACKAGE
        if out_dir.is_dir():
            shutil.copytree(out_dir, target, ignore=shutil.ignore_patterns("__pycache__"))
        _apply(plan, target)
        following = _renamed(_document(work, NEXT_PACKAGE, cwd=work), NEXT_PACKAGE)
    return current, following


def _import_name(directory: Path) -> tuple[Path, str]:
    """The directory sys.path needs and the dotted name a package directory imports as."""
    parts = [directory.name]
    parent = directory.parent
    while (parent / "__init__.py").is_file():
        parts.insert(0, parent.name)
        parent = parent.parent
    return parent, ".".join(parts)


def _apply(plan: Plan, target: Path) -> None:
    for change in plan.changes:
        path = target / change.path
        if change.change is Change.DELETE:
            path.unlink(missing_ok=True)
        elif change.new is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(change.new, encoding="utf-8")


def _document(root: Path, package: str, *, cwd: Path) -> dict[str, Any]:
    # The models import from where this process imported them (the sources' roots).
    search = os.pathsep.join([str(root), *(p for p in sys.path if p)])
    result = subprocess.run(
        [sys.executable, "-c", _READ_DOCUMENT, package],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": search},
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["(no output)"])[-1]
        shown = package if package != NEXT_PACKAGE else "the package `generate` would write"
        raise CrudgenError(
            f"cannot read the OpenAPI document of {shown}: {last}",
            location=Location(str(root)),
            hint="run `crudgen diff --api --debug`, or check that the package imports",
        )
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def _renamed(document: dict[str, Any], package: str) -> dict[str, Any]:
    """FastAPI names a schema after its module when two share a name: the two packages'
    module names must not tell their documents apart."""
    text = json.dumps(document).replace(package.replace(".", "__"), "PACKAGE")
    renamed: dict[str, Any] = json.loads(text)
    return renamed
