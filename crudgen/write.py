"""Apply a plan to disk: all files or none, never over a file crudgen did not write."""

from __future__ import annotations

import os
from pathlib import Path

from crudgen.errors import Location, OutputConflictError, WriteError
from crudgen.plan import Change, Plan

# Per process, so two runs at once never write each other's temp files.
_TEMP_SUFFIX = f".crudgen-tmp-{os.getpid()}"


def apply_plan(plan: Plan) -> None:
    if plan.blocked:
        raise _refusal(plan)
    writes = [c for c in plan.changes if c.change in (Change.CREATE, Change.UPDATE)]
    created_dirs: list[Path] = []
    staged: list[tuple[Path, Path]] = []
    try:
        for change in writes:
            assert change.new is not None
            target = plan.location(change.path)
            _make_parents(target.parent, created_dirs)
            temp = target.with_name(target.name + _TEMP_SUFFIX)
            staged.append((temp, target))  # before writing: a half-written temp is removed too
            temp.write_text(change.new, encoding="utf-8")
    except OSError as error:
        _discard(staged, created_dirs)
        raise WriteError(
            f"cannot write the output: {error.strerror or error}",
            # The file crudgen was writing, not the temporary name it wrote it under.
            location=Location(str(error.filename or plan.out_dir).removesuffix(_TEMP_SUFFIX)),
            hint="check that the output directory is writable; nothing was written",
        ) from error
    for temp, target in staged:
        os.replace(temp, target)
    for change in plan.changes:
        if change.change is Change.DELETE:
            plan.location(change.path).unlink(missing_ok=True)


def _refusal(plan: Plan) -> OutputConflictError:
    foreign = [c.path for c in plan.blocked if c.change is Change.CONFLICT]
    edited = [c.path for c in plan.blocked if c.change is Change.EDITED]
    reasons = []
    if foreign:
        reasons.append(f"files crudgen did not generate are in the way: {', '.join(foreign)}")
    if edited:
        reasons.append(f"generated files were edited by hand: {', '.join(edited)}")
    return OutputConflictError(
        "refusing to write; " + "; ".join(reasons),
        location=Location(str(plan.location(plan.blocked[0].path))),
        hint="move your changes into the hooks modules (see README), choose another --out, "
        "or pass --force to overwrite; `crudgen diff` shows what would be lost",
    )


def _make_parents(directory: Path, created: list[Path]) -> None:
    """Create a directory and its missing parents, recording each one as it is made."""
    missing = []
    while not directory.exists():
        missing.append(directory)
        directory = directory.parent
    for path in reversed(missing):
        path.mkdir()
        created.append(path)


def _discard(staged: list[tuple[Path, Path]], created_dirs: list[Path]) -> None:
    for temp, _ in staged:
        try:
            temp.unlink(missing_ok=True)
        except OSError:
            pass  # it was never created: a parent is not a directory
    for directory in reversed(created_dirs):
        try:
            directory.rmdir()
        except OSError:
            pass
