"""Compare rendered files with the output directory: what `generate` would change.

`generate` applies the plan, `diff` shows it and `check` counts it, so all three agree.
"""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from crudgen.render import GENERATED_MARKER, RenderedFile


class Change(str, enum.Enum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    DELETE = "delete"  # a file crudgen generated earlier that no model produces any more
    CONFLICT = "conflict"  # a file crudgen did not generate is in the way


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

    @property
    def conflicts(self) -> tuple[FileChange, ...]:
        return tuple(c for c in self.changes if c.change is Change.CONFLICT)

    @property
    def pending(self) -> tuple[FileChange, ...]:
        """The changes that would touch the disk."""
        return tuple(c for c in self.changes if c.change is not Change.UNCHANGED)

    @property
    def counts(self) -> Counter[Change]:
        return Counter(c.change for c in self.changes)


def is_generated(text: str) -> bool:
    return text.startswith(GENERATED_MARKER)


def build_plan(out_dir: Path, files: list[RenderedFile], *, force: bool = False) -> Plan:
    """force: overwrite files crudgen did not generate instead of reporting a conflict."""
    changes = [_change_for(out_dir, f, force) for f in files]
    rendered = {f.path for f in files}
    changes.extend(
        FileChange(path, Change.DELETE, old=text)
        for path, text in _generated_files(out_dir)
        if path not in rendered
    )
    return Plan(out_dir, tuple(sorted(changes, key=lambda c: c.path)))


def _change_for(out_dir: Path, file: RenderedFile, force: bool) -> FileChange:
    target = out_dir / file.path
    if not target.exists():
        return FileChange(file.path, Change.CREATE, new=file.source)
    old = target.read_text(encoding="utf-8", errors="replace")
    if old == file.source:
        return FileChange(file.path, Change.UNCHANGED, new=file.source, old=old)
    if not is_generated(old) and not force:
        return FileChange(file.path, Change.CONFLICT, new=file.source, old=old)
    return FileChange(file.path, Change.UPDATE, new=file.source, old=old)


def _generated_files(out_dir: Path) -> list[tuple[str, str]]:
    if not out_dir.is_dir():
        return []
    found = []
    for path in sorted(out_dir.rglob("*.py")):
        text = path.read_text(encoding="utf-8", errors="replace")
        if is_generated(text):
            found.append((path.relative_to(out_dir).as_posix(), text))
    return found
