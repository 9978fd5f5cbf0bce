"""Fixtures of the end-to-end tests.

Generating a package takes about half a second, so each test module generates its
package once (`generate_once`, module scope) and every test drives it over HTTP with a
fresh database from `app_client` (tests/conftest.py).
"""

from __future__ import annotations

import datetime
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, GeneratedPackage, generator

E2E = Path(__file__).resolve().parent
REPO = E2E.parent.parent
BLOG_ROOT = EXAMPLES / "blog"
BLOG_MODELS = BLOG_ROOT / "blog" / "models.py"
ALL_TYPES_MODELS = E2E / "models" / "all_types.py"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every end-to-end test drives a generated app (on every database configured): the
    whole suite runs them, the fast tier (`-m "not slow"`) leaves them out. The hook sees
    the session's items, so it marks only this directory's."""
    for item in items:
        if E2E in item.path.parents:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="module")
def generate_once(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[..., GeneratedPackage]]:
    """generate_once(*sources, **config) -> a package shared by the tests of one module."""
    with generator(tmp_path_factory.mktemp("e2e_generated")) as run:
        yield run


@pytest.fixture(scope="module")
def code_style() -> str:
    """The style the package fixtures generate in. A module whose behaviour must not depend
    on it overrides this fixture with one parametrized over both styles."""
    return "functions"


@pytest.fixture(scope="module")
def blog(
    generate_once: Callable[..., GeneratedPackage], code_style: str
) -> Iterator[GeneratedPackage]:
    """The blog example, generated once per test module (and style)."""
    sys.path.insert(0, str(BLOG_ROOT))
    try:
        yield generate_once(BLOG_MODELS, style=code_style)
    finally:
        sys.path.remove(str(BLOG_ROOT))


@pytest.fixture(scope="module")
def all_types(generate_once: Callable[..., GeneratedPackage]) -> GeneratedPackage:
    """tests/e2e/models/all_types.py, generated once per test module."""
    return generate_once(ALL_TYPES_MODELS)


def instant(text: str) -> datetime.datetime:
    """A timestamp from the API, for comparing instants across databases.

    SQLite hands back timezone-aware columns without their offset (in UTC when the value
    was sent in UTC); a naive value is read as UTC here. test_all_types.py checks the
    offset itself, in one place.
    """
    value = datetime.datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=datetime.timezone.utc)
