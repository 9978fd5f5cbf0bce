"""The `crudgen` command line: parse options, run the pipeline, report with rich.

Commands stay thin, and heavy modules (SQLAlchemy, Jinja, black, pydantic) are imported
inside them, so `--help` starts fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from crudgen import __version__
from crudgen.errors import CrudgenError

if TYPE_CHECKING:
    from crudgen.cache import RunCache
    from crudgen.config import Config
    from crudgen.pipeline import PlannedRun
    from crudgen.plan import Plan

app = typer.Typer(
    help="Generate a FastAPI CRUD layer from SQLAlchemy models or a YAML spec.",
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
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """crudgen writes Pydantic schemas, async crud functions and FastAPI routers for your models."""


SourcesArg = Annotated[
    list[str] | None,
    typer.Argument(
        help="Models: .py files, package directories or dotted module names, or one YAML "
        "spec (default: sources in [tool.crudgen])."
    ),
]
OutOption = Annotated[
    Path | None,
    typer.Option("--out", "-o", help="Directory of the generated package (default: out)."),
]
TemplatesOption = Annotated[
    Path | None,
    typer.Option(help="Directory of template overrides, replacing built-ins of the same name."),
]
CreateTablesOption = Annotated[
    bool | None,
    typer.Option(
        "--create-tables/--no-create-tables",
        help="Make the generated app create missing tables at start-up.",
    ),
]
TitleOption = Annotated[
    str | None,
    typer.Option(
        help="Title of the generated FastAPI app "
        "(default: title, else the project's name, in pyproject.toml)."
    ),
]
WithTestsOption = Annotated[
    bool | None,
    typer.Option(
        "--with-tests/--no-with-tests",
        help="Also write tests/test_<model>.py, a pytest module per model (with_tests).",
    ),
]
ApiOption = Annotated[
    bool,
    typer.Option(
        "--api",
        help="Compare the OpenAPI documents instead: list breaking and compatible changes; "
        "exit 1 when something breaks clients.",
    ),
]
DebugOption = Annotated[bool, typer.Option(help="Show tracebacks of errors.")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing on success.")]
NoCacheOption = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help="Run the whole pipeline, neither reading nor updating .crudgen-cache/.",
    ),
]


@app.command()
def generate(
    sources: SourcesArg = None,
    out: OutOption = None,
    force: Annotated[
        bool, typer.Option(help="Overwrite files in --out that crudgen did not generate.")
    ] = False,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 when files are out of date.")
    ] = False,
    templates: TemplatesOption = None,
    create_tables: CreateTablesOption = None,
    title: TitleOption = None,
    with_tests: WithTestsOption = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every file.")] = False,
    quiet: QuietOption = False,
    no_cache: NoCacheOption = False,
    debug: DebugOption = False,
) -> None:
    """Write (or update) the generated package for the given models."""
    with _reporting_errors(debug):
        options = _options(sources, out, templates, create_tables, title, with_tests=with_tests)
        cache = None if no_cache else _cache(options)
        run = _run(options, cache, force=force or None)
        plan = run.plan
        if check:
            _exit_when_out_of_date(run, cache, quiet=quiet)
            return
        if plan.pending:
            from crudgen.write import apply_plan

            if plan.blocked:
                _show_what_would_be_lost(plan)
            apply_plan(plan)
        _remember(cache, run)
    if not quiet:
        from crudgen.report import print_summary

        print_summary(plan.out_dir, plan, out_console, verbose=verbose)


@app.command("check")
def check_command(
    sources: SourcesArg = None,
    out: OutOption = None,
    templates: TemplatesOption = None,
    create_tables: CreateTablesOption = None,
    title: TitleOption = None,
    with_tests: WithTestsOption = None,
    api_breaking: Annotated[
        bool,
        typer.Option(
            "--api-breaking",
            help="Instead: exit 1 only when the changes would break the API's clients (CI).",
        ),
    ] = False,
    quiet: QuietOption = False,
    no_cache: NoCacheOption = False,
    debug: DebugOption = False,
) -> None:
    """Write nothing; list the files `generate` would change and exit 1 if there are any."""
    with _reporting_errors(debug):
        options = _options(sources, out, templates, create_tables, title, with_tests=with_tests)
        cache = None if no_cache or api_breaking else _cache(options)
        run = _run(options, cache)
        if api_breaking:
            _exit_on_breaking_api_changes(run.plan, only_breaking=True)
    _exit_when_out_of_date(run, cache, quiet=quiet)


@app.command()
def diff(
    sources: SourcesArg = None,
    out: OutOption = None,
    color: Annotated[
        bool | None,
        typer.Option("--color/--no-color", help="Colour the diff (default: on a terminal)."),
    ] = None,
    templates: TemplatesOption = None,
    create_tables: CreateTablesOption = None,
    title: TitleOption = None,
    with_tests: WithTestsOption = None,
    api: ApiOption = False,
    no_cache: NoCacheOption = False,
    debug: DebugOption = False,
) -> None:
    """Show, as a unified diff, what `generate` would change. Writes nothing; exit 1 on changes."""
    with _reporting_errors(debug):
        options = _options(sources, out, templates, create_tables, title, with_tests=with_tests)
        cache = None if no_cache or api else _cache(options)
        run = _run(options, cache)
        if api:
            _exit_on_breaking_api_changes(run.plan, only_breaking=False)
    plan = run.plan
    if not plan.pending:
        _remember(cache, run)
    from crudgen.report import print_diff

    console = Console(no_color=color is False, force_terminal=color or None, highlight=False)
    print_diff(plan, console)
    raise typer.Exit(1 if plan.pending else 0)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the YAML spec, for editors (yaml-language-server)."""
    import json

    from crudgen.sources.spec_model import json_schema

    typer.echo(json.dumps(json_schema(), indent=2))


@app.command()
def init(debug: DebugOption = False) -> None:
    """Add a commented [tool.crudgen] section to ./pyproject.toml (created if missing)."""
    from crudgen.config import STARTER

    with _reporting_errors(debug):
        pyproject = Path.cwd() / "pyproject.toml"
        text = pyproject.read_text(encoding="utf-8") if pyproject.exists() else ""
        if "[tool.crudgen]" in text:
            raise CrudgenError(
                "pyproject.toml already has a [tool.crudgen] section",
                hint="edit it by hand; see README, Configuration",
            )
        pyproject.write_text(text.rstrip("\n") + ("\n" if text else "") + STARTER, "utf-8")
    out_console.print(f"crudgen: wrote [tool.crudgen] to {pyproject}", highlight=False)


def _options(
    sources: list[str] | None,
    out: Path | None,
    templates: Path | None,
    create_tables: bool | None,
    title: str | None,
    *,
    with_tests: bool | None = None,
) -> dict[str, Any]:
    """The command-line values the configuration is built from (and the cache is keyed on)."""
    return {
        "with_tests": with_tests,
        "sources": tuple(sources) if sources else None,
        "out": out,
        "templates": templates,
        "create_tables": create_tables,
        "title": title,
    }


def _config(options: dict[str, Any], **flags: Any) -> Config:
    from crudgen.config import build_config

    return build_config(Path.cwd(), **options, **flags)


def _cache(options: dict[str, Any]) -> RunCache | None:
    from crudgen.cache import RunCache

    return RunCache.for_invocation(Path.cwd(), options)


def _run(options: dict[str, Any], cache: RunCache | None, **flags: Any) -> PlannedRun:
    """The plan: replayed from the cache when nothing changed since it was recorded."""
    from crudgen.pipeline import plan_run

    run = cache.replayed_run() if cache else None
    if run is None:
        config = _config(options, **flags)
        formatting = cache.memoized(config.out_dir) if cache else None
        run = plan_run(config, format_files=formatting)
    _print_warnings(run)
    return run


def _print_warnings(run: PlannedRun) -> None:
    for warning in run.warnings:
        err.print(f"[yellow]warning:[/] {escape(warning)}", highlight=False)


def _remember(cache: RunCache | None, run: PlannedRun) -> None:
    if cache is not None:
        cache.record(run)


def _exit_when_out_of_date(run: PlannedRun, cache: RunCache | None, *, quiet: bool) -> None:
    plan = run.plan
    if not plan.pending:
        _remember(cache, run)
        if not quiet:
            out_console.print(f"crudgen: {plan.out_dir} is up to date", highlight=False)
        return
    if not quiet:
        from crudgen.report import print_out_of_date

        print_out_of_date(plan, out_console)
    raise typer.Exit(1)


def _exit_on_breaking_api_changes(plan: Plan, *, only_breaking: bool) -> None:
    """`diff --api`, `check --api-breaking`: the API before and after, compared; exit 1
    when a change breaks clients, else 0."""
    from crudgen.openapi_diff import breaking, compare
    from crudgen.openapi_docs import current_and_next

    changes = compare(*current_and_next(plan))
    shown = breaking(changes) if only_breaking else changes
    for change in shown:
        label = "[bold red]breaking[/]  " if change.breaking else "[green]compatible[/]"
        line = f"{label} {escape(change.where)}: {escape(change.what)}"
        out_console.print(line, highlight=False, soft_wrap=True)
    summary = (
        f"{len(breaking(changes))} breaking, {len(changes) - len(breaking(changes))} compatible"
    )
    out_console.print(f"crudgen: API changes: {summary}", highlight=False)
    raise typer.Exit(1 if breaking(changes) else 0)


def _show_what_would_be_lost(plan: Plan) -> None:
    from crudgen.report import print_lost_edits

    print_lost_edits(plan, err)


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
    """The console script (and `python -m crudgen`)."""
    app()
