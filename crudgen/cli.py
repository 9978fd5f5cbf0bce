"""The `crudgen` command line: parse options, run the pipeline, report with rich."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from crudgen import __version__
from crudgen.config import Config
from crudgen.errors import CrudgenError

app = typer.Typer(
    help="Generate a FastAPI CRUD layer from SQLAlchemy models.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)
out = Console()

EXIT_ERROR = 2


def _version(value: bool) -> None:
    if value:
        out.print(f"crudgen {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """crudgen writes Pydantic schemas, async crud functions and FastAPI routers for your models."""


@app.command()
def generate(
    sources: Annotated[
        list[str],
        typer.Argument(help="Models: a .py file, a package directory or a dotted module name."),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory of the generated package.")],
    force: Annotated[
        bool,
        typer.Option(help="Overwrite files in --out that crudgen did not generate."),
    ] = False,
    create_tables: Annotated[
        bool,
        typer.Option(help="Make the generated app create missing tables at start-up."),
    ] = True,
    title: Annotated[str, typer.Option(help="Title of the generated FastAPI app.")] = "crudgen API",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing on success.")] = False,
    debug: Annotated[bool, typer.Option(help="Show tracebacks of errors.")] = False,
) -> None:
    """Write (or update) the generated package for the given models."""
    config = Config(
        sources=tuple(sources),
        out_dir=out,
        force=force,
        create_tables=create_tables,
        title=title,
    )
    with _reporting_errors(debug):
        from crudgen.pipeline import plan_run
        from crudgen.write import apply_plan

        run = plan_run(config)
        for warning in run.warnings:
            err.print(f"[yellow]warning:[/] {warning}", highlight=False)
        apply_plan(run.plan)
    if not quiet:
        from crudgen.report import print_summary

        print_summary(out, run.plan)


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
