"""Fuzzing: schemathesis derives requests from each example app's OpenAPI document.

Every operation gets valid requests (positive) and requests the document says are invalid
(negative). Whatever it sends, the app must answer without a 5xx, with a status code the
document lists, and with a body that matches the documented schema. Creates run first, so
later operations also meet real rows.

The run is derandomized, so it is the same on every machine. Go deeper locally with
`CRUDGEN_FUZZ_EXAMPLES=300` (examples per operation and mode) and a different
`CRUDGEN_FUZZ_SEED=<n>` each time.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
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
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import GeneratedPackage, reset_database
from tests.e2e.conftest import ALL_TYPES_MODELS, BLOG_MODELS, BLOG_ROOT

# These tests start processes (the CLI, ruff, mypy, pre-commit) or fuzz: not in the fast tier.
pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("CRUDGEN_FUZZ_EXAMPLES", "8"))
SEED = os.environ.get("CRUDGEN_FUZZ_SEED")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
APPS = {"blog": BLOG_MODELS, "all_types": ALL_TYPES_MODELS}


def fuzz(operation: Any, mode: GenerationMode) -> str | None:
    """Run one operation's examples; the failure report, or None when every answer was right."""

    @hypothesis.settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,  # no .hypothesis directory in the checkout
        derandomize=SEED is None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
    )
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        case.call_and_validate(checks=CHECKS)

    if SEED is not None:
        run = hypothesis.seed(int(SEED))(run)
    try:
        run()
    except hypothesis.errors.Unsatisfiable:
        # No request breaks the document here (say, only a string path parameter).
        assert mode is GenerationMode.NEGATIVE, f"{operation.label}: no valid request"
    except (FailureGroup, Exception) as error:  # failed checks, or what the app raised
        return f"{operation.label} ({mode.value}): {type(error).__name__}: {error}"
    return None


def creates_first(operation: Any) -> tuple[bool, str]:
    return (operation.method.upper() != "POST" or "{" in operation.path, operation.label)


@pytest.mark.parametrize("app_name", sorted(APPS))
def test_fuzzed_requests_get_documented_answers(
    app_name: str,
    database_url: str,
    generate: Callable[..., GeneratedPackage],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asyncio.run(_empty_database(database_url))
    # The app's own engine and lifespan (which creates the tables) serve the requests:
    # schemathesis runs the app on an event loop of its own.
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.syspath_prepend(str(BLOG_ROOT))
    app = generate(APPS[app_name]).module("app").app
    try:
        schema = schemathesis.openapi.from_asgi("/openapi.json", app)
        operations = sorted((r.ok() for r in schema.get_all_operations()), key=creates_first)
        assert len(operations) >= 20, [o.label for o in operations]
        failures = [
            failure
            for operation in operations
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
            if (failure := fuzz(operation, mode)) is not None
        ]
    finally:
        asgi.shutdown_lifespans()  # the app's lifespan disposes of its engine
    assert not failures, "\n\n".join(failures)


async def _empty_database(url: str) -> None:
    from sqlalchemy.ext.asyncio import create_async_engine

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
        failure = fuzz(listing, GenerationMode.POSITIVE)
    finally:
        asgi.shutdown_lifespans()
    assert failure is not None and "GET /levels" in failure
