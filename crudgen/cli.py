"""The `crudgen` command line: parse options, run the pipeline, report with rich.

Commands stay thin, and heavy modules (SQLAlchemy, Jinja, black, pydantic) are imported
inside them, so `--help` starts fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

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


def plain(text: str) -> str:
    """Help text shown as written: typer reads help as rich markup, which would swallow
    `[tool.crudgen]` as a style tag."""
    return escape(text)


def _console(*, stderr: bool = False, color: bool | None = None) -> Console:
    """A console that never hard-wraps (a path split over two lines in a pre-commit log is
    not a path) and colours only a terminal; rich itself honours NO_COLOR."""
    return Console(
        stderr=stderr,
        soft_wrap=True,
        highlight=False,
        no_color=None if color is None else not color,  # None: NO_COLOR decides
        force_terminal=color or None,
    )


# What each command does, in one line: `crudgen --help` lists these (docs/cli.md, too).
SUMMARIES = {
    "generate": "Write or update the generated package from your models.",
    "check": "Exit 1 when the generated package is out of date; write nothing.",
    "diff": "Show what generate would change, as a patch; write nothing.",
    "schema": "Print the JSON Schema of the YAML spec, for editors.",
    "init": "Add a commented [tool.crudgen] section to pyproject.toml.",
}

Command = TypeVar("Command", bound=Callable[..., Any])

app = typer.Typer(
    help="Generate a FastAPI CRUD layer from SQLAlchemy models or a YAML spec.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
err = _console(stderr=True)
out_console = _console()


def _command(name: str, details: str = "") -> Callable[[Command], Command]:
    """A command whose help is its one-line summary (what the command list shows), then
    the details."""
    summary = plain(SUMMARIES[name])
    more = f"\n\n{plain(details)}" if details else ""
    return app.command(name, short_help=summary, help=summary + more)


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
        help=plain(
            "Models: .py files, package directories or dotted module names, or one YAML "
            "spec (default: sources in [tool.crudgen])."
        )
    ),
]
OutOption = Annotated[
    Path | None,
    typer.Option("--out", "-o", help="Directory of the generated package (default: out)."),
]
TemplatesOption = Annotated[
    Path | None,
    typer.Option(
        help=plain(
            "Directory of template overrides, replacing built-ins of the same name (generate "
            "saves it to [tool.crudgen])."
        )
    ),
]
CreateTablesOption = Annotated[
    bool | None,
    typer.Option(
        "--create-tables/--no-create-tables",
        help=plain(
            "Make the generated app create missing tables at start-up (generate saves the "
            "flag to [tool.crudgen]: create_tables)."
        ),
    ),
]
TitleOption = Annotated[
    str | None,
    typer.Option(
        help=plain(
            "Title of the generated FastAPI app (default: title, else the project's name, "
            "in pyproject.toml; generate saves it to [tool.crudgen])."
        )
    ),
]
WithTestsOption = Annotated[
    bool | None,
    typer.Option(
        "--with-tests/--no-with-tests",
        help=plain(
            "Also write tests/test_<model>.py, a pytest module per model (generate saves the "
            "flag to [tool.crudgen]: with_tests)."
        ),
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


@_command("generate")
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
    with _reporting_errors(debug):
        options = _options(sources, out, templates, create_tables, title, with_tests=with_tests)
        cache = None if no_cache else _cache(options)
        run = _run(options, cache, quiet=quiet, force=force or None)
        plan = run.plan
        if check:
            _exit_when_out_of_date(run, cache, quiet=quiet)
            return
        if plan.pending:
            from crudgen.write import apply_plan

            if plan.blocked:
                _show_what_would_be_lost(plan)
            apply_plan(plan)
        if not _saved_output_flags(options, quiet=quiet):
            _remember(cache, run)  # (a changed pyproject.toml: the next run records it)
    if not quiet:
        from crudgen.report import print_summary

        print_summary(plan.out_dir, plan, out_console, verbose=verbose)


def _saved_output_flags(options: dict[str, Any], *, quiet: bool) -> bool:
    """`generate`'s flags that change the output, saved to [tool.crudgen], so that `check`,
    `diff` and the next `generate` (the pre-commit hook) produce the same output without
    them. True when pyproject.toml was changed."""
    from crudgen.config import OUTPUT_FLAGS, save_output_flags

    given = {key: options[key] for key in OUTPUT_FLAGS if options[key] is not None}
    if not given:
        return False
    saved = save_output_flags(Path.cwd(), given)
    where = f"[tool.crudgen] in {saved.pyproject}" if saved.pyproject else ""
    if saved.saved and not quiet:
        out_console.print(
            f"crudgen: saved {', '.join(saved.saved)} to {where}: check, diff and the next "
            "generate use it",
            markup=False,
        )
    if saved.unsaved:
        why = (
            f"could not edit {where}; add it there by hand"
            if saved.pyproject
            else "there is no pyproject.toml (`crudgen init` adds one)"
        )
        err.print(
            f"warning: not remembered: {', '.join(saved.unsaved)}: {why}; until then "
            "check, diff and generate need the same flags",
            markup=False,
        )
    return bool(saved.saved)


@_command("check", "Lists the files `generate` would change.")
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
    with _reporting_errors(debug):
        options = _options(sources, out, templates, create_tables, title, with_tests=with_tests)
        cache = None if no_cache or api_breaking else _cache(options)
        run = _run(options, cache, quiet=quiet)
        if api_breaking:
            _exit_on_breaking_api_changes(run.plan, only_breaking=True)
    _exit_when_out_of_date(run, cache, quiet=quiet)


@_command(
    "diff", "A patch in git's format, for `git apply`; a summary line on stderr. Exit 1 on changes."
)
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
    stat: Annotated[
        bool, typer.Option("--stat", help="A line per file with its lines added and removed.")
    ] = False,
    no_cache: NoCacheOption = False,
    debug: DebugOption = False,
) -> None:
    with _reporting_errors(debug):
        options = _options(sources, out, templates, create_tables, title, with_tests=with_tests)
        cache = None if no_cache or api else _cache(options)
        run = _run(options, cache)
        if api:
            _exit_on_breaking_api_changes(run.plan, only_breaking=False)
    plan = run.plan
    if not plan.out_of_date:
        _remember(cache, run)
        raise typer.Exit(0)
    from crudgen.report import diff_summary, file_patches, print_diff, print_stat

    console = _console(color=color)
    (print_stat if stat else print_diff)(plan, console, cwd=Path.cwd())
    # On stderr: the patch on stdout stays one that `git apply` takes as it is.
    err.print(diff_summary(file_patches(plan, Path.cwd())), markup=False)
    raise typer.Exit(1)


@_command("schema", "For yaml-language-server and editors that use it.")
def schema() -> None:
    import json

    from crudgen.sources.spec_model import json_schema

    typer.echo(json.dumps(json_schema(), indent=2))


@_command("init", "In ./pyproject.toml (created if missing).")
def init(debug: DebugOption = False) -> None:
    from crudgen.config import starter

    with _reporting_errors(debug):
        pyproject = Path.cwd() / "pyproject.toml"
        alembic = (Path.cwd() / "alembic.ini").is_file()
        text = pyproject.read_text(encoding="utf-8") if pyproject.exists() else ""
        if "[tool.crudgen]" in text:
            raise CrudgenError(
                "pyproject.toml already has a [tool.crudgen] section",
                hint="edit it by hand; see README, Configuration",
            )
        section = starter(alembic=alembic)
        pyproject.write_text(text.rstrip("\n") + ("\n" if text else "") + section, "utf-8")
    out_console.print(f"crudgen: wrote {escape('[tool.crudgen]')} to {pyproject}")
    if alembic:
        out_console.print(
            "crudgen: alembic.ini found, so it proposes create_tables = false: your "
            "migrations create the tables, not the generated app",
            markup=False,
        )


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


def _run(
    options: dict[str, Any], cache: RunCache | None, *, quiet: bool = False, **flags: Any
) -> PlannedRun:
    """The plan: replayed from the cache when nothing changed since it was recorded."""
    run = cache.replayed_run() if cache else None
    if run is None:
        from crudgen.pipeline import STAGES, plan_run
        from crudgen.report import StageProgress

        config = _config(options, **flags)
        formatting = cache.memoized(config.out_dir) if cache else None
        with StageProgress(err, stages=STAGES, shown=not quiet) as progress:
            run = plan_run(config, start_formatting=formatting, step=progress.step)
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
    if not plan.out_of_date:
        _remember(cache, run)
        if not quiet:
            out_console.print(f"crudgen: {plan.out_dir} is up to date", markup=False)
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
    """The CLI, named `crudgen` however it is started, so shell completion
    (`_CRUDGEN_COMPLETE`) finds it. Ends in SystemExit, with the exit code."""
    app(prog_name="crudgen")


def console() -> None:
    """The console script (and `python -m crudgen`): main(), then out without freeing the
    heap object by object. A run that imported the generated package holds about a million
    objects, and tearing them down took 2.4 s of a 15 s cold run of 200 models (mypy exits
    the same way). Every file is written and closed by then, and the worker pool is shut."""
    try:
        main()
        code: object = 0
    except SystemExit as exit:
        code = exit.code
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code if isinstance(code, int) else 0 if code is None else 1)
