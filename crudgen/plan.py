"""Compare rendered files with the output directory: what `generate` would change.

`generate` applies the plan, `diff` shows it and `check` counts it, so all three agree.

Ownership: a file is crudgen's when it begins with crudgen's header. The manifest
(`.crudgen-manifest.json`, content hashes of what crudgen last wrote) tells a generated file
someone edited by hand (refused without --force) from one that is merely stale (replaced or
deleted). User-owned files (the hooks modules) are created once and never touched again.
"""

from __future__ import annotations

import ast
import enum
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from crudgen.errors import Location, OutputConflictError
from crudgen.files import GENERATED_MARKER, RenderedFile, content_hash, located

MANIFEST = ".crudgen-manifest.json"


class Change(str, enum.Enum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    DELETE = "delete"  # a file crudgen generated earlier that no model produces any more
    CONFLICT = "conflict"  # a file crudgen did not generate is in the way
    EDITED = "edited"  # a generated file that was changed by hand since crudgen wrote it


BLOCKING = (Change.CONFLICT, Change.EDITED)


@dataclass(frozen=True)
class FileChange:
    path: str  # relative to the output directory
    change: Change
    new: str | None = None
    old: str | None = None


@dataclass(frozen=True)
class Plan:
    out_dir: Path
    changes: tuple[FileChange, ...]

    def location(self, path: str) -> Path:
        """Where the file at `path` (as a change names it) lives."""
        return located(self.out_dir, path)

    @property
    def blocked(self) -> tuple[FileChange, ...]:
        """Changes that need --force: they would lose work crudgen did not write."""
        return tuple(c for c in self.changes if c.change in BLOCKING)

    @property
    def pending(self) -> tuple[FileChange, ...]:
        """The changes that would touch the disk."""
        return tuple(c for c in self.changes if c.change is not Change.UNCHANGED)

    @property
    def out_of_date(self) -> tuple[FileChange, ...]:
        """What `check` and `diff` report: the pending changes but the manifest's, whose
        hashes only follow the files (`generate` refreshes it whenever it differs)."""
        return tuple(c for c in self.pending if c.path != MANIFEST)

    @property
    def counts(self) -> Counter[Change]:
        return Counter(c.change for c in self.changes)


def is_generated(text: str) -> bool:
    return text.startswith(GENERATED_MARKER)


def build_plan(out_dir: Path, files: list[RenderedFile], *, force: bool = False) -> Plan:
    """force: overwrite or delete files crudgen did not write, or that were edited by hand."""
    written = _read_manifest(out_dir)
    changes = [_change_for(out_dir, f, written, force) for f in files]
    rendered = {f.path for f in files}
    changes.extend(
        _stale(path, text, written, force)
        for path, text in _previously_generated(out_dir, written)
        if path not in rendered
    )
    changes.append(_manifest_change(out_dir, [f for f in files if not f.user_owned]))
    return Plan(out_dir, tuple(sorted(changes, key=lambda c: c.path)))


def _change_for(
    out_dir: Path, file: RenderedFile, written: dict[str, str] | None, force: bool
) -> FileChange:
    target = located(out_dir, file.path)
    if not target.exists():
        return FileChange(file.path, Change.CREATE, new=file.source)
    old = target.read_text(encoding="utf-8", errors="replace")
    if file.user_owned:
        _check_hooks_complete(target, old, file.source)
        return FileChange(file.path, Change.UNCHANGED, new=old, old=old)
    if old == file.source:
        return FileChange(file.path, Change.UNCHANGED, new=old, old=old)
    if not force and not is_generated(old):
        return FileChange(file.path, Change.CONFLICT, new=file.source, old=old)
    if not force and _edited(file.path, old, written):
        return FileChange(file.path, Change.EDITED, new=file.source, old=old)
    return FileChange(file.path, Change.UPDATE, new=file.source, old=old)


def orphaned_hooks(plan: Plan, files: list[RenderedFile], hooks_dir: str) -> list[str]:
    """Warnings for hooks modules no model has any more (renamed or removed): they are the
    user's, so they stay, but their code no longer runs."""
    directory = plan.location(hooks_dir)
    if not directory.is_dir():
        return []
    rendered = {plan.location(f.path) for f in files}
    orphans = sorted(
        p for p in directory.glob("*.py") if p.name != "__init__.py" and p not in rendered
    )
    created = [
        plan.location(c.path)
        for c in plan.changes
        if c.change is Change.CREATE and any(f.path == c.path and f.user_owned for f in files)
    ]
    created = [p for p in created if p.parent == directory and p.name != "__init__.py"]
    return [_orphan_warning(orphan, created) for orphan in orphans]


def _orphan_warning(orphan: Path, created: list[Path]) -> str:
    warning = (
        f"{orphan} belongs to no model any more (renamed or removed?): it is yours, so it "
        "stays, but no generated code calls it"
    )
    if len(created) == 1:
        return f"{warning}; if the model was renamed, move your code to {created[0]}"
    if created:
        return f"{warning}; if its model was renamed, move your code to the new hooks module: " + (
            ", ".join(map(str, created))
        )
    return f"{warning}; delete it once its code is no longer needed"


def _check_hooks_complete(target: Path, existing: str, default: str) -> None:
    """A hooks module is the user's, but the generated code calls every hook it defines:
    one written for an older crudgen may lack a hook added since."""
    missing = sorted(_top_level_names(default, imports=False) - _top_level_names(existing))
    if missing:
        raise OutputConflictError(
            f"{target.name} lacks {', '.join(missing)}, which the generated code now calls",
            location=Location(str(target)),
            hint="add them; their default versions are in templates/hooks.py.j2 "
            "(or move the file away and crudgen will create a fresh one)",
        )
    wanted, found = _positional_parameters(default), _positional_parameters(existing)
    too_few = sorted(name for name, count in wanted.items() if found.get(name, count) < count)
    if too_few:
        raise OutputConflictError(
            f"{target.name}: {', '.join(too_few)} takes fewer arguments than the generated "
            "code now passes",
            location=Location(str(target)),
            hint="scope() now receives the current user: def scope(principal: Any); the "
            "default versions are in templates/hooks.py.j2",
        )


def _positional_parameters(source: str) -> dict[str, float]:
    """How many positional arguments each top-level function accepts (*args: any number)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    return {
        node.name: float("inf") if node.args.vararg else len(node.args.posonlyargs + node.args.args)
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    }


def _top_level_names(source: str, *, imports: bool = True) -> set[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()  # the user's file does not parse: Python will say where, on import
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif imports and isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def _stale(path: str, old: str, written: dict[str, str] | None, force: bool) -> FileChange:
    if not force and _edited(path, old, written):
        return FileChange(path, Change.EDITED, old=old)
    return FileChange(path, Change.DELETE, old=old)


def _edited(path: str, text: str, written: dict[str, str] | None) -> bool:
    """Only the manifest can tell; without one (or without this file in it) trust the header."""
    return written is not None and path in written and written[path] != content_hash(text)


def _manifest_change(out_dir: Path, files: list[RenderedFile]) -> FileChange:
    hashes = {f.path: content_hash(f.source) for f in sorted(files, key=lambda f: f.path)}
    new = json.dumps({"generated_by": "crudgen", "files": hashes}, indent=2) + "\n"
    target = out_dir / MANIFEST
    if not target.exists():
        return FileChange(MANIFEST, Change.CREATE, new=new)
    old = target.read_text(encoding="utf-8", errors="replace")
    return FileChange(MANIFEST, Change.UNCHANGED if old == new else Change.UPDATE, new=new, old=old)


def _read_manifest(out_dir: Path) -> dict[str, str] | None:
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        files = data["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else None


def _previously_generated(out_dir: Path, written: dict[str, str] | None) -> list[tuple[str, str]]:
    """Files an earlier run wrote: those the manifest lists, or (no manifest yet) any file
    under the output directory that carries crudgen's header."""
    if not out_dir.is_dir():
        return []
    if written is None:
        paths = [p.relative_to(out_dir).as_posix() for p in sorted(out_dir.rglob("*.py"))]
    else:
        paths = sorted(written)
    found = []
    for path in paths:
        file = located(out_dir, path)
        if file.is_file():
            text = file.read_text(encoding="utf-8", errors="replace")
            if is_generated(text) and _owned(out_dir, path, text, written):
                found.append((path, text))
    return found


def _owned(out_dir: Path, path: str, text: str, written: dict[str, str] | None) -> bool:
    """Outside the output directory (tests_dir) a file is crudgen's only as it wrote it:
    the manifest alone never makes crudgen delete a file elsewhere."""
    if located(out_dir, path).resolve().is_relative_to(out_dir.resolve()):
        return True
    return written is not None and written.get(path) == content_hash(text)
