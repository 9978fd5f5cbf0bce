"""black over the rendered files: the same bytes in one process or many, memo results reused,
invalid Python reported with its template and line."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import black
import pytest

from crudgen.errors import TemplateError
from crudgen.files import GENERATED_MARKER, RenderedFile
from crudgen.formatting import (
    black_mode,
    format_files,
    formatter_id,
    memo_key,
    start_formatting,
)
from crudgen.imports import prune_unused
from crudgen.sources.classlines import class_line

UNFORMATTED = textwrap.dedent(
    f"""\
    {GENERATED_MARKER} for a test.
    import os,sys
    def f(a,b = 1,*args,**kwargs) :
      return {{'a':a,'b':[b,  b,b],'args':args,'kwargs':kwargs,'environ':os.environ,'p':sys}}
    x = f(1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30)
    """
)


def rendered(count: int) -> list[RenderedFile]:
    return [
        RenderedFile(f"m{n}.py", "t.py.j2", UNFORMATTED.replace("x =", f"x{n} ="))
        for n in range(count)
    ]


def test_workers_give_the_bytes_black_gives() -> None:
    files = rendered(9)
    expected = [black.format_str(f.source, mode=black_mode()) for f in files]
    assert [f.source for f in format_files(files, workers=1)] == expected
    assert [f.source for f in format_files(files, workers=2)] == expected
    assert expected[0] != files[0].source, "the input really needed formatting"


def test_formatting_in_other_processes_leaves_the_caller_free_until_it_asks() -> None:
    files = rendered(9)
    expected = [black.format_str(f.source, mode=black_mode()) for f in files]
    handed_on: list[list[RenderedFile]] = []
    started = start_formatting(files, workers=2)
    assert started.in_background
    result = started.then(handed_on.append).result()
    assert [f.source for f in result] == expected
    assert handed_on == [result]
    here = start_formatting(files, workers=1)
    assert not here.in_background and [f.source for f in here.result()] == expected


def test_known_results_are_used_instead_of_black() -> None:
    files = rendered(2)
    marker = "# from the memo\n"
    result = format_files(files, known={memo_key(files[0]): marker})
    assert result[0].source == marker
    assert result[1].source == black.format_str(files[1].source, mode=black_mode())


@pytest.mark.parametrize("workers", [1, 2])
def test_invalid_python_names_the_template_and_the_line(workers: int) -> None:
    files = rendered(8)
    files[5] = RenderedFile("crud/bad.py", "crud.py.j2", f"{GENERATED_MARKER}\nx = (\ny = 1\n")
    with pytest.raises(TemplateError) as raised:
        format_files(files, workers=workers)
    message = str(raised.value)
    assert "crud.py.j2" in message and "crud/bad.py" in message


def test_formatter_id_names_black_and_the_line_length() -> None:
    assert formatter_id(88) != formatter_id(100)
    assert black.__version__ in formatter_id(88)


def test_class_line_is_what_inspect_says(tmp_path: Path) -> None:
    import inspect

    module = tmp_path / "classlines_sample.py"
    module.write_text(
        textwrap.dedent(
            """\
            import dataclasses


            class Plain:
                class Nested:
                    pass


            @dataclasses.dataclass
            class Decorated:
                x: int = 0


            def factory():
                class Local:
                    pass

                return Local


            if True:
                class InBlock:
                    pass
            """
        )
    )
    sys.path.insert(0, str(tmp_path))
    try:
        import classlines_sample as sample

        classes = [
            sample.Plain,
            sample.Plain.Nested,
            sample.Decorated,
            sample.factory(),
            sample.InBlock,
        ]
        assert [class_line(c) for c in classes] == [inspect.getsourcelines(c)[1] for c in classes]
        assert [class_line(c) for c in classes] == [4, 5, 9, 15, 22]
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("classlines_sample", None)


@pytest.mark.slow  # black twice over the whole blog package, at three line lengths
@pytest.mark.parametrize("line_length", [60, 88, 120])
def test_one_pass_gives_black_format_str_output_on_every_generated_file(
    line_length: int,
) -> None:
    """formatting runs black's single pass (after pruning unused imports); on what the
    templates render it is exactly format_str's output, which formats twice when the first
    pass changed the text."""
    from crudgen.config import Config
    from crudgen.pipeline import render_run

    examples = Path(__file__).resolve().parents[2] / "examples"
    sys.path.insert(0, str(examples / "blog"))
    try:
        config = Config(
            sources=(str(examples / "blog" / "blog" / "models.py"),),
            out_dir=Path("unused"),
            line_length=line_length,
        )
        files = render_run(config).files
    finally:
        sys.path.remove(str(examples / "blog"))
    formatted = format_files(files, line_length=line_length, workers=1)
    mode = black_mode(line_length)
    for before, after in zip(files, formatted, strict=True):
        settled = before.source if before.user_owned else prune_unused(before.source)
        assert after.source == black.format_str(settled, mode=mode), before.path
