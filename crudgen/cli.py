"""The `crudgen` command line: parse options, run the pipeline, report with rich."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from crudgen import __version__
from crudgen.config import Config
from crudgen.errors import CrudgenError

if TYPE_CHECKING:
    from crudgen.plan import Plan

app = typer.Typer(
    help="Generate a FastAPI CRUD layer from SQLAlchemy models.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)
out_console = Console()

EXIT_ERROR = 2


def _version(value: bool) -> None:
    if value:
        out_console.print(f"crudgen {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """crudgen writes Pydantic schemas, async crud functions and FastAPI routers for your models."""


SourcesArg = Annotated[
    list[str],
    typer.Argument(help="Models: a .py file, a package directory or a dotted module name."),
]
OutOption = Annotated[Path, typer.Option("--out", "-o", help="Directory of the generated package.")]
CreateTablesOption = Annotated[
    bool, typer.Option(help="Make the generated app create missing tables at start-up.")
]
TitleOption = Annotated[str, typer.Option(help="Title of the generated FastAPI app.")]
DebugOption = Annotated[bool, typer.Option(help="Show tracebacks of errors.")]


@app.command()
def generate(
    sources: SourcesArg,
    out: OutOption,
    force: Annotated[
        bool, typer.Option(help="Overwrite files in --out that crudgen did not generate.")
    ] = False,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 when files are out of date.")
    ] = False,
    create_tables: CreateTablesOption = True,
    title: TitleOption = "crudgen API",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing on success.")] = False,
    debug: DebugOption = False,
) -> None:
    """Write (or update) the generated package for the given models."""
    config = Config(
        sources=tuple(sources), out_dir=out, force=force, create_tables=create_tables, title=title
    )
    with _reporting_errors(debug):
        plan = _plan(config)
        if check:
            _exit_when_out_of_date(plan, quiet=quiet)
            return
        from crudgen.write import apply_plan

        apply_plan(plan)
    if not quiet:
        from crudgen.report import print_summary

        print_summary(out, plan, out_console)


@app.command("check")
def check_command(
    sources: SourcesArg,
    out: OutOption,
    create_tables: CreateTablesOption = True,
    title: TitleOption = "crudgen API",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing.")] = False,
    debug: DebugOption = False,
) -> None:
    """Write nothing; list the files `generate` would change and exit 1 if there are any."""
    config = Config(sources=tuple(sources), out_dir=out, create_tables=create_tables, title=title)
    with _reporting_errors(debug):
        plan = _plan(config)
    _exit_when_out_of_date(plan, quiet=quiet)


@app.command()
def diff(
    sources: SourcesArg,
    out: OutOption,
    color: Annotated[
        bool | None,
        typer.Option("--color/--no-color", help="Colour the diff (default: on a terminal)."),
    ] = None,
    create_tables: CreateTablesOption = True,
    title: TitleOption = "crudgen API",
    debug: DebugOption = False,
) -> None:
    """Show, as a unified diff, what `generate` would change. Writes nothing; exit 1 on changes."""
    config = Config(sources=tuple(sources), out_dir=out, create_tables=create_tables, title=title)
    with _reporting_errors(debug):
        plan = _plan(config)
    from crudgen.report import print_diff

    print_diff(
        plan, Console(no_color=color is False, force_terminal=color or None, highlight=False)
    )
    raise typer.Exit(1 if plan.pending else 0)


def _plan(config: Config) -> Plan:
    from crudgen.pipeline import plan_run

    run = plan_run(config)
    for warning in run.warnings:
        err.print(f"[yellow]warning:[/] {escape(warning)}", highlight=False)
    return run.plan


def _exit_when_out_of_date(plan: Plan, *, quiet: bool) -> None:
    if not plan.pending:
        if not quiet:
            out_console.print(f"crudgen: {plan.out_dir} is up to date")
        return
    if not quiet:
        from crudgen.report import print_out_of_date

        print_out_of_date(plan, out_console)
    raise typer.Exit(1)


@contextmanager
def _reporting_errors(debug: bool) -> Iterator[None]:
    """Turn CrudgenError into a short message and exit code 2 (with the traceback on --debug)."""
    try:
        yield
    except CrudgenError as error:
        if debug:
            err.print_exception()
        err.print(f"[bold red]error:[/] {escape(str(error))}", highlight=False)
        raise typer.Exit(EXIT_ERROR) from error


def main() -> None:
    app()
