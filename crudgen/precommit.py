"""`crudgen-pre-commit`: the entry of the `crudgen` pre-commit hook.

It runs `crudgen generate --quiet` with the hook's arguments and, when that rewrote files,
names them, says what to do, and exits 1, so the commit stops with a reason. pre-commit
would stop it anyway on modified files, but it shows only "files were modified by this
hook", and a model's new files (untracked) would not stop it at all.

The files the run wrote are told by git: pre-commit runs hooks at the root of a work tree,
with the changes it is not committing stashed, so what differs after the run is the
run's. Outside a git work tree the run is reported by crudgen alone.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

FIX = "look them over, `git add` them and commit again"


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    before = _work_tree_state()
    status = _generate(arguments)
    if status != 0 or before is None:
        return status
    after = _work_tree_state() or {}
    written = sorted(path for path, state in after.items() if before.get(path) != state)
    if not written:
        return 0
    print(
        f"crudgen: the generated code was out of date with the models; "
        f"`crudgen generate` rewrote {len(written)} file(s):"
    )
    for path in written:
        print(f"  {path}")
    print(f"crudgen: {FIX} (this hook ran `crudgen generate` for you).")
    return 1


def _generate(arguments: list[str]) -> int:
    """`crudgen generate --quiet ARGS`, in this process: its exit status."""
    from crudgen.cli import app

    try:
        app(args=["generate", "--quiet", *arguments], prog_name="crudgen")
    except SystemExit as stop:
        code = stop.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    return 0


def _work_tree_state() -> dict[str, str] | None:
    """Each changed or untracked file of the work tree with a hash of its content (or
    "deleted"); None outside a git work tree."""
    try:
        listed = subprocess.run(
            ["git", "status", "--porcelain=v1", "-z", "--untracked-files=all"],
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    state: dict[str, str] = {}
    entries = iter(listed.decode("utf-8", "surrogateescape").split("\0"))
    for entry in entries:
        if not entry:
            continue
        code, path = entry[:2], entry[3:]
        if "R" in code or "C" in code:
            next(entries, None)  # a rename's or copy's second field: its old path
        state[path] = _content_hash(Path(path))
    return state


def _content_hash(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "deleted"


if __name__ == "__main__":
    sys.exit(main())
