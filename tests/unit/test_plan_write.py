"""The plan (create / update / unchanged / delete / conflict) and applying it atomically."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from crudgen.errors import CrudgenError, OutputConflictError, WriteError
from crudgen.files import GENERATED_MARKER, RenderedFile
from crudgen.plan import (
    MANIFEST,
    Change,
    FileChange,
    Plan,
    build_plan,
    content_hash,
    is_generated,
    orphaned_hooks,
)
from crudgen.write import apply_plan

HEADER = f"{GENERATED_MARKER} from blog.models. Do not edit.\n"


def rendered(path: str, body: str = "") -> RenderedFile:
    return RenderedFile(path=path, template="test.py.j2", source=f"{HEADER}{body or path}\n")


def files(*paths: str) -> list[RenderedFile]:
    return [rendered(p) for p in paths]


def snapshot(root: Path) -> dict[str, str]:
    """Every file under root (any name, temp files included) with its text."""
    if not root.exists():
        return {}
    return {
        p.relative_to(root).as_posix(): p.read_text()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def all_paths(root: Path) -> set[str]:
    """Every file and directory under root."""
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def changes(plan: Plan) -> dict[str, Change]:
    """What happens to each file, the manifest aside (it has tests of its own)."""
    return {c.path: c.change for c in plan.changes if c.path != MANIFEST}


def file_changes(plan: Plan) -> tuple[FileChange, ...]:
    return tuple(c for c in plan.changes if c.path != MANIFEST)


def manifest_change(plan: Plan) -> FileChange:
    (found,) = [c for c in plan.changes if c.path == MANIFEST]
    return found


def write_manifest(root: Path, hashes: dict[str, str]) -> None:
    write(root, MANIFEST, json.dumps({"generated_by": "crudgen", "files": hashes}))


# -- is_generated ------------------------------------------------------------------------------


def test_is_generated_needs_the_header_first() -> None:
    assert is_generated(HEADER + "x = 1\n")
    assert is_generated(GENERATED_MARKER)
    assert not is_generated("x = 1\n")
    assert not is_generated("\n" + HEADER)  # anything before it: a hand-written file
    assert not is_generated("")
    assert not is_generated(f"# {GENERATED_MARKER}\n")


# -- build_plan ------------------------------------------------------------------------------


def test_everything_is_created_in_a_missing_directory(tmp_path: Path) -> None:
    out = tmp_path / "out"
    plan = build_plan(out, files("schemas/post.py", "app.py", "__init__.py"))
    assert changes(plan) == {
        "__init__.py": Change.CREATE,
        "app.py": Change.CREATE,
        "schemas/post.py": Change.CREATE,
    }
    assert all(c.old is None and c.new is not None for c in plan.changes)
    assert manifest_change(plan).change is Change.CREATE
    assert plan.counts == {Change.CREATE: 4}
    assert len(plan.pending) == 4
    assert plan.blocked == ()
    assert plan.out_dir == out
    assert not out.exists(), "planning writes nothing"


def test_identical_files_are_unchanged(tmp_path: Path) -> None:
    rendering = files("app.py", "crud/post.py")
    for f in rendering:
        write(tmp_path, f.path, f.source)
    write_manifest(tmp_path, {f.path: content_hash(f.source) for f in rendering})
    plan = build_plan(tmp_path, rendering)
    assert changes(plan) == {"app.py": Change.UNCHANGED, "crud/post.py": Change.UNCHANGED}
    assert all(c.change is Change.UNCHANGED for c in file_changes(plan))


def test_a_changed_generated_file_is_updated(tmp_path: Path) -> None:
    write(tmp_path, "app.py", HEADER + "old = True\n")
    new = rendered("app.py", "new = True")
    plan = build_plan(tmp_path, [new])
    assert file_changes(plan) == (
        FileChange("app.py", Change.UPDATE, new=new.source, old=HEADER + "old = True\n"),
    )
    assert file_changes(plan)[0] in plan.pending


def test_a_changed_generated_file_matching_the_manifest_is_updated(tmp_path: Path) -> None:
    old = HEADER + "old = True\n"
    write(tmp_path, "app.py", old)
    write_manifest(tmp_path, {"app.py": content_hash(old)})
    assert changes(build_plan(tmp_path, [rendered("app.py", "new")])) == {"app.py": Change.UPDATE}


def test_a_generated_file_edited_by_hand_is_refused_unless_forced(tmp_path: Path) -> None:
    written = HEADER + "as generated\n"
    write(tmp_path, "app.py", HEADER + "as generated\nplus my edit\n")
    write_manifest(tmp_path, {"app.py": content_hash(written)})
    new = [rendered("app.py", "new")]
    plan = build_plan(tmp_path, new)
    assert changes(plan) == {"app.py": Change.EDITED}
    assert [c.path for c in plan.blocked] == ["app.py"]
    assert changes(build_plan(tmp_path, new, force=True)) == {"app.py": Change.UPDATE}


def test_a_stale_generated_file_is_deleted(tmp_path: Path) -> None:
    write(tmp_path, "schemas/post.py", rendered("schemas/post.py").source)
    write(tmp_path, "schemas/gadget.py", HEADER + "class GadgetRead: ...\n")
    plan = build_plan(tmp_path, files("schemas/post.py"))
    assert changes(plan) == {
        "schemas/gadget.py": Change.DELETE,
        "schemas/post.py": Change.UNCHANGED,
    }
    (deleted,) = [c for c in plan.changes if c.change is Change.DELETE]
    assert (deleted.old, deleted.new) == (HEADER + "class GadgetRead: ...\n", None)
    assert plan.blocked == ()


def test_a_stale_generated_file_edited_by_hand_is_not_deleted_unless_forced(
    tmp_path: Path,
) -> None:
    write(tmp_path, "schemas/gadget.py", HEADER + "edited\n")
    write_manifest(tmp_path, {"schemas/gadget.py": content_hash(HEADER + "as written\n")})
    assert changes(build_plan(tmp_path, [])) == {"schemas/gadget.py": Change.EDITED}
    forced = build_plan(tmp_path, [], force=True)
    assert changes(forced) == {"schemas/gadget.py": Change.DELETE}


def test_hand_written_files_that_nothing_renders_are_left_alone(tmp_path: Path) -> None:
    write(tmp_path, "custom.py", "def mine(): ...\n")
    write(tmp_path, "notes/README.md", HEADER)  # not a .py file, even with the header
    write(tmp_path, "sub/extra.py", "\n" + HEADER)
    plan = build_plan(tmp_path, files("app.py"))
    assert changes(plan) == {"app.py": Change.CREATE}


def test_a_hand_written_file_in_the_way_is_a_conflict(tmp_path: Path) -> None:
    write(tmp_path, "app.py", "app = 'mine'\n")
    plan = build_plan(tmp_path, files("app.py", "db.py"))
    assert changes(plan) == {"app.py": Change.CONFLICT, "db.py": Change.CREATE}
    assert [c.path for c in plan.blocked] == ["app.py"]
    assert plan.blocked[0].old == "app = 'mine'\n"
    assert plan.counts[Change.CONFLICT] == 1


def test_an_identical_hand_written_file_is_no_conflict(tmp_path: Path) -> None:
    # Same bytes: nothing would change, so nothing is in the way.
    same = RenderedFile("app.py", "t.j2", "app = 1\n")
    write(tmp_path, "app.py", same.source)
    assert changes(build_plan(tmp_path, [same])) == {"app.py": Change.UNCHANGED}


def test_force_turns_a_conflict_into_an_update(tmp_path: Path) -> None:
    write(tmp_path, "app.py", "app = 'mine'\n")
    plan = build_plan(tmp_path, files("app.py"), force=True)
    assert changes(plan) == {"app.py": Change.UPDATE}
    assert plan.blocked == ()


def test_user_owned_files_are_created_once_and_never_touched(tmp_path: Path) -> None:
    hooks = RenderedFile("hooks/post.py", "hooks.py.j2", "# yours\n", user_owned=True)
    assert changes(build_plan(tmp_path, [hooks])) == {"hooks/post.py": Change.CREATE}
    write(tmp_path, "hooks/post.py", "# yours, and edited\n")
    for force in (False, True):
        plan = build_plan(tmp_path, [hooks], force=force)
        assert changes(plan) == {"hooks/post.py": Change.UNCHANGED}
        assert plan.pending == (manifest_change(plan),)
    # Not crudgen's: the manifest does not list it.
    files_in_manifest = json.loads(manifest_change(plan).new or "")["files"]
    assert "hooks/post.py" not in files_in_manifest


def test_manifest_lists_the_hash_of_every_generated_file(tmp_path: Path) -> None:
    rendering = files("app.py", "schemas/post.py")
    manifest = manifest_change(build_plan(tmp_path, rendering))
    assert manifest.new is not None
    data = json.loads(manifest.new)
    assert data == {
        "generated_by": "crudgen",
        "files": {f.path: content_hash(f.source) for f in rendering},
    }
    assert list(data["files"]) == sorted(data["files"])


def test_a_corrupt_manifest_is_ignored(tmp_path: Path) -> None:
    write(tmp_path, MANIFEST, "{not json")
    write(tmp_path, "app.py", HEADER + "old\n")
    plan = build_plan(tmp_path, [rendered("app.py", "new")])
    assert changes(plan) == {"app.py": Change.UPDATE}  # trusts the header
    assert manifest_change(plan).change is Change.UPDATE


def test_plan_is_sorted_and_deterministic(tmp_path: Path) -> None:
    write(tmp_path, "routers/zeta.py", HEADER)
    write(tmp_path, "crud/alpha.py", HEADER)
    rendering = files("schemas/b.py", "app.py", "schemas/a.py")
    first = build_plan(tmp_path, rendering)
    second = build_plan(tmp_path, list(reversed(rendering)))
    assert first == second
    paths = [c.path for c in first.changes]
    assert paths == sorted(paths)
    assert [p for p in paths if p != MANIFEST] == [
        "app.py",
        "crud/alpha.py",
        "routers/zeta.py",
        "schemas/a.py",
        "schemas/b.py",
    ]


# -- apply_plan ------------------------------------------------------------------------------


def test_apply_creates_files_and_directories(tmp_path: Path) -> None:
    out = tmp_path / "pkg" / "generated"
    rendering = files("__init__.py", "schemas/__init__.py", "schemas/post.py", "app.py")
    apply_plan(build_plan(out, rendering))
    on_disk = snapshot(out)
    assert MANIFEST in on_disk
    del on_disk[MANIFEST]
    assert on_disk == {f.path: f.source for f in rendering}
    # Applied, the same rendering plans no change at all.
    assert build_plan(out, rendering).pending == ()


def test_apply_updates_and_deletes(tmp_path: Path) -> None:
    write(tmp_path, "app.py", HEADER + "old\n")
    write(tmp_path, "schemas/gadget.py", HEADER + "stale\n")
    write(tmp_path, "custom.py", "mine\n")
    rendering = [rendered("app.py", "new"), rendered("schemas/post.py")]
    apply_plan(build_plan(tmp_path, rendering))
    on_disk = snapshot(tmp_path)
    on_disk.pop(MANIFEST)
    assert on_disk == {
        "app.py": rendering[0].source,
        "custom.py": "mine\n",
        "schemas/post.py": rendering[1].source,
    }


def test_apply_then_edit_by_hand_then_regenerate_is_refused(tmp_path: Path) -> None:
    rendering = files("app.py")
    apply_plan(build_plan(tmp_path, rendering))
    (tmp_path / "app.py").write_text(rendering[0].source + "my_edit = 1\n")
    plan = build_plan(tmp_path, [rendered("app.py", "a new rendering")])
    assert changes(plan) == {"app.py": Change.EDITED}
    with pytest.raises(OutputConflictError) as caught:
        apply_plan(plan)
    assert "edited by hand" in caught.value.message
    assert "app.py" in caught.value.message
    assert (tmp_path / "app.py").read_text().endswith("my_edit = 1\n")


def test_apply_leaves_unchanged_files_untouched(tmp_path: Path) -> None:
    same = rendered("app.py")
    path = write(tmp_path, "app.py", same.source)
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    apply_plan(build_plan(tmp_path, [same, rendered("db.py")]))
    assert path.stat().st_mtime_ns == 1_000_000_000
    assert (tmp_path / "db.py").exists()


def test_apply_never_overwrites_a_user_owned_file(tmp_path: Path) -> None:
    hooks = RenderedFile("hooks/post.py", "hooks.py.j2", "# yours\n", user_owned=True)
    apply_plan(build_plan(tmp_path, [hooks]))
    assert (tmp_path / "hooks/post.py").read_text() == "# yours\n"
    (tmp_path / "hooks/post.py").write_text("# mine now\n")
    apply_plan(build_plan(tmp_path, [hooks], force=True))
    assert (tmp_path / "hooks/post.py").read_text() == "# mine now\n"


def test_conflict_raises_and_writes_nothing(tmp_path: Path) -> None:
    write(tmp_path, "app.py", "app = 'mine'\n")
    write(tmp_path, "schemas/gadget.py", HEADER + "stale\n")
    write(tmp_path, "db.py", HEADER + "old\n")
    before = snapshot(tmp_path)
    plan = build_plan(tmp_path, [*files("app.py", "schemas/post.py"), rendered("db.py", "new")])
    with pytest.raises(OutputConflictError) as caught:
        apply_plan(plan)
    error = caught.value
    assert isinstance(error, CrudgenError)
    assert "app.py" in error.message
    assert error.location is not None
    assert Path(error.location.file) == tmp_path / "app.py"
    assert "--force" in error.hint
    # No create, no update, no delete, no manifest, no temp file.
    assert snapshot(tmp_path) == before


def test_force_overwrites_a_hand_written_file(tmp_path: Path) -> None:
    write(tmp_path, "app.py", "app = 'mine'\n")
    new = rendered("app.py")
    apply_plan(build_plan(tmp_path, [new], force=True))
    assert (tmp_path / "app.py").read_text() == new.source


def test_unwritable_output_raises_and_leaves_nothing_behind(tmp_path: Path) -> None:
    """`routers` is a regular file, so `routers/post.py` cannot be written (even as root)."""
    out = tmp_path / "out"
    write(out, "app.py", HEADER + "old\n")
    write(out, "schemas/gadget.py", HEADER + "stale\n")
    write(out, "routers", "I am a file, not a directory\n")
    before = snapshot(out)
    before_paths = all_paths(out)
    rendering = [
        rendered("app.py", "new"),  # an update, staged before the failure
        rendered("crud/deep/post.py"),  # new directories, made before the failure
        rendered("routers/post.py"),  # fails: its parent is a file
        rendered("schemas/post.py"),
    ]
    plan = build_plan(out, rendering)
    assert changes(plan)["routers/post.py"] is Change.CREATE
    with pytest.raises(WriteError) as caught:
        apply_plan(plan)
    error = caught.value
    assert isinstance(error, CrudgenError)
    assert "nothing was written" in error.hint
    assert error.location is not None and "routers" in error.location.file
    assert snapshot(out) == before, "no file written, updated or deleted"
    assert all_paths(out) == before_paths, "no directory or temp file left behind"


def test_output_directory_below_a_file(tmp_path: Path) -> None:
    blocker = write(tmp_path, "blocker", "a file\n")
    plan = build_plan(blocker / "out", files("app.py", "schemas/post.py"))
    assert changes(plan) == {"app.py": Change.CREATE, "schemas/post.py": Change.CREATE}
    with pytest.raises(WriteError) as caught:
        apply_plan(plan)
    assert caught.value.location is not None
    assert "blocker" in caught.value.location.file
    assert all_paths(tmp_path) == {"blocker"}
    assert blocker.read_text() == "a file\n"


def test_failure_after_creating_directories_removes_them(tmp_path: Path) -> None:
    out = tmp_path / "out"  # does not exist
    rendering = [rendered("aaa/bbb/first.py"), rendered("zzz/second.py")]
    plan = build_plan(out, rendering)
    # Between planning and writing, something puts a file where `zzz` must go.
    write(out, "zzz", "in the way\n")
    with pytest.raises(WriteError):
        apply_plan(plan)
    assert all_paths(out) == {"zzz"}
    assert (out / "zzz").read_text() == "in the way\n"


# -- failures in the middle of writing (injected: as root, permissions stop nothing) ---------


def test_mkdir_failing_halfway_down_a_new_tree_removes_what_it_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"  # does not exist: out, out/aaa and out/aaa/bbb must all be made
    plan = build_plan(out, [rendered("aaa/bbb/first.py")])
    real_mkdir = Path.mkdir

    def mkdir(self: Path, *args: object, **kwargs: object) -> None:
        if self.name == "bbb":
            raise OSError(28, "No space left on device", str(self))
        real_mkdir(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "mkdir", mkdir)
    with pytest.raises(WriteError):
        apply_plan(plan)
    monkeypatch.undo()
    assert all_paths(tmp_path) == set(), "out/ and out/aaa/ were left behind"


def test_a_write_failing_halfway_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "app.py", HEADER + "old\n")
    before = snapshot(tmp_path)
    plan = build_plan(tmp_path, [rendered("app.py", "new"), rendered("db.py")])
    real_write_text = Path.write_text

    def write_text(self: Path, data: str, *args: object, **kwargs: object) -> int:
        if self.name.startswith("db.py"):
            real_write_text(self, data[:5], *args, **kwargs)  # type: ignore[arg-type]
            raise OSError(28, "No space left on device", str(self))
        return real_write_text(self, data, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "write_text", write_text)
    with pytest.raises(WriteError):
        apply_plan(plan)
    monkeypatch.undo()
    assert snapshot(tmp_path) == before, "a partly written temp file was left behind"


def _hooks(path: str) -> RenderedFile:
    return RenderedFile(path=path, template="hooks.py.j2", source="# yours\n", user_owned=True)


def test_hooks_of_a_removed_model_are_kept_and_named(tmp_path: Path) -> None:
    (tmp_path / "hooks").mkdir()
    (tmp_path / "hooks" / "old.py").write_text("# mine\n")
    (tmp_path / "hooks" / "post.py").write_text("# yours\n")
    rendered_files = [_hooks("hooks/post.py"), _hooks("hooks/__init__.py")]
    plan = build_plan(tmp_path, rendered_files)
    apply_plan(plan)

    [warning] = orphaned_hooks(plan, rendered_files, "hooks")
    assert str(tmp_path / "hooks" / "old.py") in warning and "delete it once" in warning
    assert (tmp_path / "hooks" / "old.py").read_text() == "# mine\n"


def test_hooks_of_renamed_models_point_at_the_new_modules(tmp_path: Path) -> None:
    (tmp_path / "hooks").mkdir()
    (tmp_path / "hooks" / "old.py").write_text("# mine\n")
    rendered_files = [_hooks("hooks/one.py"), _hooks("hooks/two.py")]
    plan = build_plan(tmp_path, rendered_files)

    [warning] = orphaned_hooks(plan, rendered_files, "hooks")
    assert warning.endswith(f"{tmp_path / 'hooks' / 'one.py'}, {tmp_path / 'hooks' / 'two.py'}")
    assert orphaned_hooks(plan, rendered_files, "elsewhere") == []  # no such directory
