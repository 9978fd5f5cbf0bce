"""Check the generated package before anything is written.

Every generated module must compile, read only names it imports or defines, and declare no
field that hides a name its class goes on to use (a column called `Field`); the modules a
run creates or changes must import, in a namespace of their own. A failure is reported with
the file, the model and the name, and stops the run: crudgen never writes a package that
does not import.
"""

from __future__ import annotations

import builtins
import importlib
import logging
import os
import posixpath
import shutil
import symtable
import sys
import tempfile
import uuid
import warnings
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from crudgen.errors import GeneratedCodeError, Location
from crudgen.files import RenderedFile, located
from crudgen.ir import Model
from crudgen.plan import Change, Plan

_BUILTINS = frozenset(dir(builtins))
_REPORT = "a crudgen bug: please report it with the model"


@dataclass(frozen=True)
class Verified:
    """What a check before black did: the modules it imported, and the warnings it gave."""

    modules: frozenset[str] = frozenset()
    warnings: tuple[str, ...] = ()


def verify_new_modules(
    settled: list[RenderedFile], out_dir: Path, models: Mapping[str, Model]
) -> Verified:
    """Check every generated file, and import the modules no earlier run wrote (theirs is a
    CREATE whatever black makes of them), while black formats: settled files are black's
    input, imports pruned, the same code as what it gives back. models: by module name."""
    _check_sources(settled, models)
    new = {f.path for f in _importable(settled) if not located(out_dir, f.path).exists()}
    return Verified(frozenset(new), tuple(_check_imports(settled, out_dir, new, models)))


def verify_package(
    files: list[RenderedFile],
    plan: Plan,
    models: Mapping[str, Model],
    done: Verified | None = None,
) -> list[str]:
    """Raise GeneratedCodeError when the package would not work; return warnings the
    import gave (pydantic's, say). models: each model, by its module name. done: what
    verify_new_modules checked of the same package already."""
    changed = {c.path for c in plan.changes if c.change in (Change.CREATE, Change.UPDATE)}
    if done is None:  # a file on disk as rendered was checked by the run that wrote it
        _check_sources([f for f in files if f.path in changed], models)
    modules = {f.path for f in _importable(files) if f.path in changed}
    done = done or Verified()
    found = _check_imports(files, plan.out_dir, modules - done.modules, models)
    return sorted({*done.warnings, *found})


def _importable(files: list[RenderedFile]) -> list[RenderedFile]:
    """The package's own modules: not the user's, nor the emitted tests (--with-tests),
    which are pytest's to import, with its plugins installed."""
    return [f for f in files if not f.user_owned and not f.test]


def _check_sources(files: list[RenderedFile], models: Mapping[str, Model]) -> None:
    for file in files:
        if not file.user_owned:
            _check_source(file, models)


def _check_source(file: RenderedFile, models: Mapping[str, Model]) -> None:
    model = _model_of(file.path, models)
    try:
        table = symtable.symtable(file.source, file.path, "exec")
    except SyntaxError as error:
        raise GeneratedCodeError(
            f"the generated {file.path}{model} does not compile: {error.msg}",
            location=Location(file.path, error.lineno),
            hint=_REPORT,
        ) from None
    undefined = sorted(_undefined_names(table))
    if undefined:
        raise GeneratedCodeError(
            f"the generated {file.path}{model} uses {', '.join(undefined)} without importing it",
            location=Location(file.path),
            hint=_REPORT,
        )
    for scope, name in _hidden_names(table):
        owner = models.get(Path(file.path).stem)
        raise GeneratedCodeError(
            f"{owner.name if owner else file.path}: a field named `{name}` would hide the "
            f"name `{name}` that the generated {scope} goes on to use",
            location=(owner.location if owner else None) or Location(file.path),
            hint=f"rename the attribute (keeping the column: `{name.lower()}_: Mapped[...] = "
            f'mapped_column("{name}", ...)`) or leave the field out (exclude_fields)',
        )


def _undefined_names(table: symtable.SymbolTable) -> set[str]:
    """Names read that nothing binds: not imported, defined at module level or builtin."""
    bound = {s.get_name() for s in table.get_symbols() if s.is_assigned() or s.is_imported()}
    read = {name for scope in _scopes(table) for name in _globals_read(scope, table)}
    return read - bound - _BUILTINS


def _globals_read(scope: symtable.SymbolTable, module: symtable.SymbolTable) -> Iterator[str]:
    for symbol in scope.get_symbols():
        if (scope is module and symbol.is_referenced()) or symbol.is_global():
            yield symbol.get_name()


def _hidden_names(table: symtable.SymbolTable) -> Iterator[tuple[str, str]]:
    """(class, name) where a class body binds a module-level name it also reads."""
    module_names = {s.get_name() for s in table.get_symbols() if s.is_imported() or s.is_assigned()}
    for scope in _scopes(table):
        if scope.get_type() != "class":
            continue
        for symbol in scope.get_symbols():
            name = symbol.get_name()
            if name in module_names and symbol.is_assigned() and symbol.is_referenced():
                yield f"class {scope.get_name()}", name


def _scopes(table: symtable.SymbolTable) -> Iterator[symtable.SymbolTable]:
    pending = [table]
    while pending:
        scope = pending.pop()
        yield scope
        pending += scope.get_children()


def _check_imports(
    files: list[RenderedFile], out_dir: Path, modules: set[str], models: Mapping[str, Model]
) -> list[str]:
    """Import `modules` (paths of files) from a copy of the package under a name of its own
    (the user's hooks as they are on disk)."""
    if not modules:
        return []
    package_files = [f for f in files if not f.test]
    layout = _CopyLayout.of(package_files, out_dir)
    with _package_copy(package_files, out_dir, layout) as package, _quiet() as caught:
        for path in sorted(modules):
            try:
                module = _dotted(layout.place(path))
                importlib.import_module(".".join(filter(None, (package, module))))
            except ModuleNotFoundError as error:
                if error.name and not error.name.startswith(package):
                    # What the package needs at run time is not installed here (pre-commit's
                    # own environment, say): it compiled, it cannot be imported.
                    return [
                        f"the generated package was not imported before writing: {error.name} "
                        f"is not installed here ({_runtime_hint()})"
                    ]
                raise _import_failure(path, models, error) from error
            except Exception as error:  # noqa: BLE001 - whatever the generated code raised
                raise _import_failure(path, models, error) from error
    return sorted({str(w.message).replace(f"{package}.", "") for w in caught})


def _runtime_hint() -> str:
    """What the generated package needs is the runtime extra; pre-commit (PRE_COMMIT=1)
    installs only what the hook's configuration lists."""
    if os.environ.get("PRE_COMMIT"):
        return "add crudgen[runtime] to the hook's additional_dependencies"
    return 'pip install "crudgen[runtime]"'


def _import_failure(path: str, models: Mapping[str, Model], error: Exception) -> GeneratedCodeError:
    return GeneratedCodeError(
        f"the generated {path}{_model_of(path, models)} does not import: "
        f"{type(error).__name__}: {error}",
        location=Location(path),
        hint=_REPORT,
    )


@dataclass(frozen=True)
class _CopyLayout:
    """Where the copy puts each file. A hooks package outside the output directory (in the
    package that holds it: `app/hooks` for `app/generated`) is imported relatively, so the
    copy starts from the directory holding both, under a name of its own."""

    out_parts: tuple[str, ...]  # out_dir's own path below the copy's top

    @classmethod
    def of(cls, files: Iterable[RenderedFile], out_dir: Path) -> _CopyLayout:
        ups = max((_leading_ups(f.path) for f in files), default=0)
        return cls(out_dir.resolve().parts[len(out_dir.resolve().parts) - ups :] if ups else ())

    def place(self, path: str) -> str:
        return posixpath.normpath(posixpath.join(*self.out_parts, path))


def _leading_ups(path: str) -> int:
    parts = PurePosixPath(path).parts
    return next((n for n, part in enumerate(parts) if part != ".."), len(parts))


@contextmanager
def _package_copy(
    files: Iterable[RenderedFile], out_dir: Path, layout: _CopyLayout
) -> Iterator[str]:
    root = Path(tempfile.mkdtemp(prefix="crudgen-verify-"))
    name = f"_crudgen_verify_{uuid.uuid4().hex[:12]}"
    for file in files:
        target = root / name / layout.place(file.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        existing = located(out_dir, file.path)
        text = existing.read_text() if file.user_owned and existing.is_file() else file.source
        target.write_text(text)
    sys.path.insert(0, str(root))
    # The copy is deleted after the import: its bytecode would be written for nothing.
    writes_bytecode, sys.dont_write_bytecode = sys.dont_write_bytecode, True
    try:
        yield name
    finally:
        sys.dont_write_bytecode = writes_bytecode
        sys.path.remove(str(root))
        for module in [m for m in sys.modules if m == name or m.startswith(f"{name}.")]:
            del sys.modules[module]
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def _quiet() -> Iterator[list[warnings.WarningMessage]]:
    """Importing runs the package's module-level code: its log lines (the default database
    URL) are not the run's, its warnings (pydantic's) are kept for the report."""
    logging.disable(logging.WARNING)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield caught
    finally:
        logging.disable(logging.NOTSET)


def _dotted(path: str) -> str:
    """`crud/post.py` -> `crud.post`; a package's `__init__.py` -> the package."""
    module = path.removesuffix(".py").replace("/", ".")
    return "" if module == "__init__" else module.removesuffix(".__init__")


def _model_of(path: str, models: Mapping[str, Model]) -> str:
    stem = Path(path).stem
    return f" (model {models[stem].name})" if "/" in path and stem in models else ""
