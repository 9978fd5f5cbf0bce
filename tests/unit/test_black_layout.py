"""crudgen's templates lay code out as black does, so black runs only where a line is too long.

`formatting.needs_no_black` trusts a file from the built-in templates when no line is longer
than the line length. These tests hold that trust to account: over the examples, the test
models, a synthetic project and variants of their settings, every file it lets through is
exactly black's output, byte for byte.
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Iterator
from pathlib import Path

import black
import pytest

from crudgen.config import build_config
from crudgen.files import RenderedFile
from crudgen.formatting import black_mode, needs_no_black
from crudgen.pipeline import render_run
from tests.e2e.conftest import BLOG_MODELS, BLOG_ROOT, REPO
from tests.e2e.test_generated_quality import EXAMPLES
from tests.e2e.test_versioning_soft_delete import MODELS as VERSIONED_MODELS

sys.path.insert(0, str(REPO / "benchmarks"))
from synthetic import write_project  # noqa: E402

VERSIONED = "versioned_models.py"
# name -> (models, [tool.crudgen] settings): the quality examples plus variants of settings.
CASES: dict[str, tuple[str, str]] = {
    name: (str(example.models), example.settings) for name, example in EXAMPLES.items()
} | {
    "blog_inline": (str(BLOG_MODELS), '[tool.crudgen]\nstyle = "inline"\n'),
    "blog_line_length_60": (str(BLOG_MODELS), "[tool.crudgen]\nline_length = 60\n"),
    "blog_line_length_120": (str(BLOG_MODELS), "[tool.crudgen]\nline_length = 120\n"),
    "versioned": (VERSIONED, ""),
    "versioned_inline_no_hard_delete": (
        VERSIONED,
        '[tool.crudgen]\nstyle = "inline"\n[tool.crudgen.models.Document]\nhard_delete = false\n'
        '[tool.crudgen.models.Note]\nroutes = ["get", "bulk_delete", "upsert"]\n',
    ),
    "synthetic": ("shop/models", ""),
}


# Top-level modules these tests import from their temporary directory; other tests may have
# imported modules of the same names (a `shop` package), which must not shadow them.
OWN_MODULES = ("shop", "versioned_models")


@pytest.fixture(autouse=True)
def importable_models(tmp_path: Path) -> Iterator[None]:
    others = {name: sys.modules.pop(name) for name in list(sys.modules) if _own(name)}
    sys.path[:0] = [str(BLOG_ROOT), str(tmp_path)]
    yield
    sys.path.remove(str(BLOG_ROOT))
    sys.path.remove(str(tmp_path))
    for name in [name for name in sys.modules if _own(name)]:
        del sys.modules[name]
    sys.modules.update(others)


def _own(module: str) -> bool:
    return module.split(".")[0] in OWN_MODULES


def rendered(case: str, root: Path) -> tuple[list[RenderedFile], int]:
    models, settings = CASES[case]
    if case == "synthetic":
        write_project(root, models=20)
    if models == VERSIONED:
        (root / VERSIONED).write_text(VERSIONED_MODELS)
    (root / "pyproject.toml").write_text(settings or "[tool.crudgen]\n")
    run = render_run(build_config(root, sources=(str(root / models),), out=root / "api"))
    return run.files, run.config.line_length


@pytest.mark.parametrize("case", sorted(CASES))
def test_files_black_need_not_format_are_black_already(case: str, tmp_path: Path) -> None:
    files, line_length = rendered(case, tmp_path)
    trusted = [f for f in files if needs_no_black(f, line_length)]
    mode = black_mode(line_length)
    wrong = [f for f in trusted if black.format_str(f.source, mode=mode) != f.source]
    assert not wrong, "\n".join(diff_of(f, mode) for f in wrong[:3])
    if line_length >= 88:  # the fast path is taken, not only sound
        assert len(trusted) >= len(files) * 0.6, [f.path for f in files if f not in trusted]


def diff_of(file: RenderedFile, mode: black.Mode) -> str:
    lines = difflib.unified_diff(
        file.source.splitlines(keepends=True),
        black.format_str(file.source, mode=mode).splitlines(keepends=True),
        f"{file.path} ({Path(file.template).name})",
        "black",
        n=1,
    )
    return "".join(list(lines)[:60])


def test_a_template_override_sends_every_file_through_black(tmp_path: Path) -> None:
    overrides = tmp_path / "templates"
    overrides.mkdir()
    (overrides / "app.py.j2").write_text((REPO / "templates" / "app.py.j2").read_text())
    (tmp_path / "pyproject.toml").write_text('[tool.crudgen]\ntemplates = "templates"\n')
    config = build_config(tmp_path, sources=(str(BLOG_MODELS),), out=tmp_path / "api")
    files = render_run(config).files
    assert files and not any(needs_no_black(f, 88) for f in files)


def test_a_long_or_wide_line_sends_the_file_through_black() -> None:
    fits = RenderedFile("a.py", "a.py.j2", "x = 1\n", black_layout=True)
    assert needs_no_black(fits, 88)
    assert not needs_no_black(
        RenderedFile("a.py", "a.py.j2", f"x = '{'a' * 90}'\n", black_layout=True), 88
    )
    assert not needs_no_black(RenderedFile("a.py", "a.py.j2", "x = '表'\n", black_layout=True), 88)
    assert not needs_no_black(RenderedFile("a.py", "a.py.j2", "x = 1\n"), 88)
    long_comment = f"# from {', '.join(f'shop.models.part_{n:02d}' for n in range(10))}\nx = 1\n"
    assert black.format_str(long_comment, mode=black_mode(88)) == long_comment
    assert needs_no_black(RenderedFile("a.py", "a.py.j2", long_comment, black_layout=True), 88)
