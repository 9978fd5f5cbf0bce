"""The verify stage: a package that would not compile or import is never written."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from crudgen.errors import GeneratedCodeError
from crudgen.files import GENERATED_MARKER, RenderedFile
from crudgen.ir import Field, Model, ScalarKind
from crudgen.plan import build_plan
from crudgen.verify import verify_new_modules, verify_package

HEADER = f"{GENERATED_MARKER} from app.models. Do not edit by hand.\n"
NOTE = Model("Note", "app.models", "notes", (Field("id", "id", ScalarKind.INTEGER, False),))


def files(**modules: str) -> list[RenderedFile]:
    package = [RenderedFile("__init__.py", "package_init.py.j2", HEADER)]
    package += [RenderedFile("schemas/__init__.py", "package_init.py.j2", HEADER)]
    return package + [
        RenderedFile(path.replace("__", "/") + ".py", "t.py.j2", HEADER + text)
        for path, text in modules.items()
    ]


def verify(rendered: list[RenderedFile], out: Path) -> list[str]:
    return verify_package(rendered, build_plan(out, rendered), {"note": NOTE})


def test_a_package_that_compiles_and_imports_passes(tmp_path: Path) -> None:
    rendered = files(schemas__note="import warnings\nwarnings.warn('odd name')\nX = 1\n")
    writes_bytecode = sys.dont_write_bytecode
    assert verify(rendered, tmp_path / "out") == ["odd name"]  # its warnings are reported
    assert sys.dont_write_bytecode is writes_bytecode, "no bytecode for the copy, only"
    assert not [m for m in sys.modules if m.startswith("_crudgen_verify_")], "cleaned up"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def f(version, version):\n    pass\n", "does not compile: duplicate argument"),
        ("def f() -> int:\n    return Int32Path\n", "uses Int32Path without importing it"),
        ("raise RuntimeError('boom')\n", "does not import: RuntimeError: boom"),
    ],
)
def test_a_broken_module_is_reported_with_its_file_and_model(
    tmp_path: Path, source: str, expected: str
) -> None:
    with pytest.raises(GeneratedCodeError) as raised:
        verify(files(schemas__note=source), tmp_path / "out")
    message = str(raised.value)
    assert expected in message and "schemas/note.py" in message and "model Note" in message
    assert "a crudgen bug" in raised.value.hint


def test_only_what_the_run_changes_is_imported(tmp_path: Path) -> None:
    """A module already on disk as rendered is neither checked nor imported again (it was,
    by the run that wrote it): a run that changes one model of many reads only its files."""
    out = tmp_path / "out"
    rendered = files(schemas__note="raise RuntimeError(Unimported)\n")
    for file in rendered:
        (out / file.path).parent.mkdir(parents=True, exist_ok=True)
        (out / file.path).write_text(file.source)
    assert verify(rendered, out) == []


def test_a_class_attribute_hiding_a_name_the_class_uses_is_refused(tmp_path: Path) -> None:
    source = (
        "from pydantic import BaseModel, Field\n\n\n"
        "class NoteBase(BaseModel):\n"
        "    Field: str = Field(max_length=3)\n"
        "    body: str = Field(max_length=9)\n"
    )
    with pytest.raises(GeneratedCodeError) as raised:
        verify(files(schemas__note=source), tmp_path / "out")
    assert "Note: a field named `Field` would hide the name `Field`" in str(raised.value)


def test_a_package_whose_runtime_is_not_installed_is_compiled_but_not_imported(
    tmp_path: Path,
) -> None:
    """pre-commit runs crudgen in an environment of its own, without FastAPI."""
    rendered = files(schemas__note="import a_runtime_nobody_installed\n")
    (warning,) = verify(rendered, tmp_path / "out")
    assert "a_runtime_nobody_installed is not installed here" in warning
    with pytest.raises(GeneratedCodeError):  # a module of the package itself is its bug
        verify(files(schemas__note="from . import missing_module\n"), tmp_path / "out")


def test_new_modules_are_imported_beside_black_and_the_changed_ones_after(tmp_path: Path) -> None:
    """A cold run imports its modules while black formats (a module with no file yet is
    created whatever black makes of it); one already on disk is known to change only once
    formatted, and is imported then. Neither is imported twice."""
    out = tmp_path / "out"
    (out / "schemas").mkdir(parents=True)
    (out / "schemas" / "old.py").write_text(HEADER + "X = 0\n")
    early = files(schemas__note="import warnings\nwarnings.warn('new')\n", schemas__old="X = 1\n")
    done = verify_new_modules(early, out, {"note": NOTE})
    assert done.modules == {"__init__.py", "schemas/__init__.py", "schemas/note.py"}
    assert done.warnings == ("new",)
    # What black gives back: were schemas/note.py imported again, it would raise.
    formatted = files(schemas__note="raise RuntimeError('again')\n", schemas__old="X = 1\n")
    assert verify_package(formatted, build_plan(out, formatted), {"note": NOTE}, done) == ["new"]
    changed = files(schemas__note="X = 1\n", schemas__old="raise RuntimeError('changed')\n")
    with pytest.raises(GeneratedCodeError, match="schemas/old.py does not import"):
        verify_package(changed, build_plan(out, changed), {"note": NOTE}, done)


def test_a_broken_new_module_is_refused_before_black_is_done(tmp_path: Path) -> None:
    with pytest.raises(GeneratedCodeError, match="uses Int32Path without importing it"):
        verify_new_modules(files(schemas__note="X = Int32Path\n"), tmp_path / "out", {})
    with pytest.raises(GeneratedCodeError, match="schemas/note.py .model Note. does not import"):
        verify_new_modules(files(schemas__note="1 / 0\n"), tmp_path / "out", {"note": NOTE})
