"""Fuzzing: schemathesis derives requests from each generated app's OpenAPI document.

Every operation gets valid requests (positive) and requests the document says are invalid
(negative). Whatever it sends, the app must answer without a 5xx, with a status code the
document lists, and with a body that matches the documented schema. Creates run first, so
later operations also meet real rows.

A second test runs schemathesis' stateful mode: sequences of calls that feed one response
into the next request (a created row's key into its read, update and delete, through the
links schemathesis infers from the document), checked as above and also for what a
sequence can show: a deleted row stays gone (use after free) and a created row can be read
(resource availability). Each sequence starts from empty tables.

The targets are every example (generated with its own [tool.crudgen] settings) and every
shape of the real-shape corpus, on SQLite, PostgreSQL and MariaDB. This is the `fuzz` tier
(`python -m pytest -m fuzz`). By default it is bounded to keep CI short: a few examples per
operation, and each target on one database (they take turns). The deep run, before a
release or after a change to the runtime:

    CRUDGEN_FUZZ_DEEP=1 CRUDGEN_FUZZ_EXAMPLES=200 python -m pytest -m fuzz

(every target on every database). The run is derandomized, so it is the same on every
machine; set `CRUDGEN_FUZZ_SEED=<n>` to explore other inputs.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ensure_resource_availability,
    response_schema_conformance,
    status_code_conformance,
    use_after_free,
)
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from crudgen.config import build_config
from tests.conftest import EXAMPLES, MODELS, GeneratedPackage, reset_database, url_of
from tests.e2e.conftest import ALL_TYPES_MODELS

# These tests start processes (the CLI, ruff, mypy, pre-commit) or fuzz: not in the fast tier.
pytestmark = [pytest.mark.slow, pytest.mark.fuzz]

EXAMPLES_PER_OPERATION = int(os.environ.get("CRUDGEN_FUZZ_EXAMPLES", "3"))
DEEP = os.environ.get("CRUDGEN_FUZZ_DEEP") == "1"
SEED = os.environ.get("CRUDGEN_FUZZ_SEED")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# What only a sequence of calls can show.
STATEFUL_CHECKS = [*CHECKS, use_after_free, ensure_resource_availability]
STEPS_PER_SEQUENCE = 8
DATABASES = ("sqlite", "postgres", "mysql")
# Shapes crudgen refuses to generate (the error cases): no API to fuzz.
REFUSED = {"same_table_two_bases", "unknown_types"}
# Types only one database has.
ONLY_ON = {"shape_postgres_types": "postgres", "shape_mysql_types": "mysql"}
# Examples whose routes want a signed-in user: a demo token of theirs, so requests get past
# the door (an editor, whose roles open every route).
SIGNED_IN = {"blog": "Bearer grace-token"}


@dataclasses.dataclass(frozen=True)
class Target:
    name: str
    sources: tuple[Path, ...]
    example: Path | None = None  # the example's root: its settings and its import path


def targets() -> list[Target]:
    found = [
        Target(root.name, (), example=root)
        for root in sorted(EXAMPLES.iterdir())
        if (root / "pyproject.toml").is_file()
    ]
    found.append(Target("all_types", (ALL_TYPES_MODELS,)))
    found += [
        Target(f"shape_{path.stem}", (path,))
        for path in sorted((MODELS / "real_shapes").glob("[!_]*.py"))
        if path.stem not in REFUSED
    ]
    return found


def runs() -> Iterator[Any]:
    """(target, database) pairs: every database in the deep run, else one each, in turn."""
    for index, target in enumerate(targets()):
        only = ONLY_ON.get(target.name)
        chosen = [only] if only else DATABASES if DEEP else [DATABASES[index % 3]]
        for database in chosen:
            yield pytest.param(target, database, id=f"{target.name}-{database}")


def fuzz(operation: Any, mode: GenerationMode, headers: dict[str, str]) -> str | None:
    """Run one operation's examples; the failure report, or None when every answer was right."""

    @hypothesis.settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,  # no .hypothesis directory in the checkout
        derandomize=SEED is None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
    )
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        case.call_and_validate(checks=CHECKS, headers=headers or None)

    if SEED is not None:
        run = hypothesis.seed(int(SEED))(run)
    try:
        run()
    except hypothesis.errors.Unsatisfiable:
        # No request breaks the document here (say, only a string path parameter).
        assert mode is GenerationMode.NEGATIVE, f"{operation.label}: no valid request"
    except (FailureGroup, Exception) as error:  # failed checks, or what the app raised
        return f"{operation.label} ({mode.value}): {_described(error)}"
    return None


def _described(error: BaseException) -> str:
    """The error and each one a group of them holds: a flaky failure's own message does not
    say what failed the first time."""
    text = f"{type(error).__name__}: {error}"
    for inner in getattr(error, "exceptions", ()):
        text += "\n  - " + _described(inner).replace("\n", "\n    ")
    return text


def creates_first(operation: Any) -> tuple[bool, str]:
    return (operation.method.upper() != "POST" or "{" in operation.path, operation.label)


@contextlib.contextmanager
def served_schema(
    target: Target,
    database_url: str,
    generate: Callable[..., GeneratedPackage],
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[tuple[Any, dict[str, str]]]:
    """The target's generated app on an empty database -> (its schemathesis schema, the
    headers its requests need). The app's own engine and lifespan (which creates the
    tables) serve the requests: schemathesis runs the app on an event loop of its own."""
    asyncio.run(_empty_database(database_url))
    monkeypatch.setenv("DATABASE_URL", database_url)
    app = _generated(target, generate, monkeypatch).module("app").app
    headers = {"Authorization": SIGNED_IN[target.name]} if target.name in SIGNED_IN else {}
    try:
        yield schemathesis.openapi.from_asgi("/openapi.json", app), headers
    finally:
        asgi.shutdown_lifespans()  # the app's lifespan disposes of its engine


@pytest.mark.parametrize(("target", "database"), list(runs()))
def test_fuzzed_requests_get_documented_answers(
    target: Target,
    database: str,
    tmp_path: Path,
    generate: Callable[..., GeneratedPackage],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    database_url = url_of(database, tmp_path)
    with served_schema(target, database_url, generate, monkeypatch) as (schema, headers):
        operations = sorted((r.ok() for r in schema.get_all_operations()), key=creates_first)
        assert operations, "no operation to fuzz"
        failures = [
            failure
            for operation in operations
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
            if (failure := fuzz(operation, mode, headers)) is not None
        ]
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize(("target", "database"), list(runs()))
def test_call_sequences_get_documented_answers(
    target: Target,
    database: str,
    tmp_path: Path,
    generate: Callable[..., GeneratedPackage],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    database_url = url_of(database, tmp_path)
    with served_schema(target, database_url, generate, monkeypatch) as (schema, headers):
        _state_machine(schema, database_url, headers).run(settings=_stateful_settings())


def _state_machine(schema: Any, database_url: str, headers: dict[str, str]) -> Any:
    """schemathesis' state machine for the app: every sequence on empty tables, with the
    target's headers, checked with STATEFUL_CHECKS."""

    class Sequences(schema.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            # Rows, not tables: dropping a table under the running app would invalidate the
            # statements its connections have prepared.
            asyncio.run(_delete_every_row(database_url))

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": headers} if headers else {}

        def validate_response(self, response: Any, case: Any, **_: Any) -> None:
            case.validate_response(response, checks=STATEFUL_CHECKS)

    return Sequences


def _stateful_settings() -> hypothesis.settings:
    """As for single calls; with CRUDGEN_FUZZ_SEED, random sequences (a state machine
    takes no seed)."""
    return hypothesis.settings(
        max_examples=EXAMPLES_PER_OPERATION,
        stateful_step_count=STEPS_PER_SEQUENCE,
        deadline=None,
        database=None,
        derandomize=SEED is None,
        suppress_health_check=list(HealthCheck),
    )


async def _delete_every_row(url: str) -> None:
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.begin() as connection:
            tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
            quote = connection.dialect.identifier_preparer.quote
            names = [quote(table) for table in tables]
            if names and connection.dialect.name == "postgresql":
                await connection.exec_driver_sql(f"TRUNCATE {', '.join(names)} CASCADE")
            elif names:  # SQLite checks no foreign key on a connection that did not ask
                if connection.dialect.name in ("mysql", "mariadb"):
                    await connection.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 0")
                for name in names:
                    await connection.exec_driver_sql(f"DELETE FROM {name}")
    finally:
        await engine.dispose()


def _generated(
    target: Target, generate: Callable[..., GeneratedPackage], monkeypatch: pytest.MonkeyPatch
) -> GeneratedPackage:
    """The target's package; an example's with the settings of its own pyproject.toml."""
    if target.example is None:
        return generate(*target.sources)
    monkeypatch.syspath_prepend(str(target.example))  # its models import as a user's do
    settings = build_config(target.example)
    options = {
        f.name: getattr(settings, f.name)
        for f in dataclasses.fields(settings)
        if f.name not in ("sources", "out_dir", "pyproject", "force")
    }
    package = generate(*settings.sources, **options)
    own_code = (settings.out_dir / "hooks").glob("[!_]*.py")
    package.write_hooks({hooks.stem: hooks.read_text() for hooks in own_code})
    return package


async def _empty_database(url: str) -> None:
    engine = create_async_engine(url)
    try:
        await reset_database(engine)
    finally:
        await engine.dispose()


def test_the_fuzzer_catches_an_undocumented_answer(
    generate: Callable[..., GeneratedPackage], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The checks have teeth: a route answering outside its document is reported."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'teeth.db'}")
    package = generate(ALL_TYPES_MODELS, include=("Level",))
    app = package.module("app").app

    @app.middleware("http")
    async def break_lists(request: Any, call_next: Any) -> Any:
        from fastapi.responses import JSONResponse

        if request.method == "GET" and request.url.path == "/levels":
            return JSONResponse({"surprise": True})  # not a LevelPage
        return await call_next(request)

    try:
        schema = schemathesis.openapi.from_asgi("/openapi.json", app)
        (listing,) = (r.ok() for r in schema.get_all_operations() if r.ok().label == "GET /levels")
        failure = fuzz(listing, GenerationMode.POSITIVE, {})
    finally:
        asgi.shutdown_lifespans()
    assert failure is not None and "GET /levels" in failure
